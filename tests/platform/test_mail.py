"""`core.mail`: messages rendered from templates, text kept as typed (no HTML escaping)."""

from __future__ import annotations

from django.core import mail

from masterbus.core.mail import render_templated_mail, send_templated_mail


def test_text_mail_keeps_what_it_is_given_and_has_no_html_part_without_a_template():
    message = render_templated_mail(
        template_prefix="profiles/email/marketing",
        context={"subject": "Rock & Roll\n<news>", "body": "Tom & Jerry", "unsubscribe_url": "u"},
        to=["alice@example.com"],
        headers={"List-Unsubscribe": "<u>"},
    )
    assert message.subject == "Rock & Roll <news>"  # one line, not escaped
    assert message.body.startswith("Tom & Jerry\n\n--\n") and message.body.endswith(": u")
    assert message.extra_headers == {"List-Unsubscribe": "<u>"}
    assert message.alternatives == []


def test_send_templated_mail_sends_one_message():
    context = {"data_url": "http://x/settings/data/", "retention_days": 7}
    sent = send_templated_mail(
        template_prefix="rights/email/export_ready", context=context, to=["bob@example.com"]
    )
    assert sent == 1 and mail.outbox[0].to == ["bob@example.com"]
    assert "kept for 7 days" in mail.outbox[0].body
