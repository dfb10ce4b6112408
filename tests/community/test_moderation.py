"""Reports, the moderation queue and the moderators' actions, each in the audit log (P20)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from masterbus.community import selectors
from masterbus.community.errors import CommunityError, RateError
from masterbus.community.models import Ban, Post, Report, ReportStatus, Visibility
from masterbus.community.services.moderation import (
    post_hide,
    post_remove,
    report_create,
    report_dismiss,
    user_ban,
)
from masterbus.community.services.posts import post_create
from masterbus.rights.models import AuditEvent

pytestmark = pytest.mark.django_db


def audited(obj) -> list[str]:
    kind = ContentType.objects.get_for_model(obj)
    return list(
        AuditEvent.objects.filter(content_type=kind, object_id=str(obj.pk)).values_list(
            "action_name", flat=True
        )
    )


def test_a_report_waits_in_the_queue_until_a_moderator_hides_the_post(alice, bob, moderator):
    post = post_create(author=alice, text="questionable")
    report = report_create(reporter=bob, post=post, reason="abuse", note="rude")
    assert report_create(reporter=bob, post=post, reason="spam") == report  # once per member
    assert list(selectors.report_queue()) == [post]
    assert post_hide(moderator=moderator, post=post) is True
    assert post_hide(moderator=moderator, post=post) is False  # already hidden: nothing done
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.status == Visibility.HIDDEN and report.status == ReportStatus.ACTED
    assert report.handled_by == moderator
    assert not selectors.report_queue().exists()
    assert post not in selectors.feed_public(None)
    assert selectors.post_for_viewer(alice, post.pk) == post  # the author still sees it
    assert selectors.post_for_viewer(bob, post.pk) is None
    assert audited(post) == ["community: hide post"]
    event = AuditEvent.objects.get(action_name="community: hide post")
    assert event.actor == moderator and event.changed_fields == ["status"]


def test_remove_and_dismiss_are_audited(alice, bob, moderator):
    post = post_create(author=alice, text="to remove")
    other = post_create(author=alice, text="fine")
    report = report_create(reporter=bob, post=other, reason="spam")
    assert report_dismiss(moderator=moderator, report=report)
    assert post_remove(moderator=moderator, post=post)
    post.refresh_from_db()
    assert post.status == Visibility.REMOVED
    assert selectors.post_for_viewer(alice, post.pk) is None  # removed: not even its author
    assert audited(post) == ["community: remove post"]
    assert audited(report) == ["community: dismiss report"]
    with pytest.raises(CommunityError):
        report_create(reporter=bob, post=post, reason="spam")


def test_a_ban_hides_every_post_and_is_audited(alice, bob, moderator):
    posts = [post_create(author=bob, text=f"spam {n}") for n in range(2)]
    report_create(reporter=alice, post=posts[0], reason="spam")
    ban = user_ban(moderator=moderator, user=bob, reason="spam")
    assert not Post.objects.filter(author=bob, status=Visibility.VISIBLE).exists()
    assert not Report.objects.filter(status=ReportStatus.OPEN).exists()
    assert audited(ban) == ["community: ban"]
    assert all(audited(p) == ["community: hide post (ban)"] for p in posts)
    assert user_ban(moderator=moderator, user=bob) == ban  # once


def test_only_moderators_moderate(alice, bob):
    post = post_create(author=alice, text="safe")
    bob.is_staff = True  # staff without the moderator role
    bob.save()
    for action in (
        lambda: post_hide(moderator=bob, post=post),
        lambda: post_remove(moderator=bob, post=post),
        lambda: user_ban(moderator=bob, user=alice),
    ):
        with pytest.raises(CommunityError) as refused:
            action()
        assert refused.value.code == "not_moderator"
    assert not Ban.objects.exists() and not AuditEvent.objects.exists()


def test_bad_reports_are_refused(alice, bob):
    post = post_create(author=alice, text="x")
    with pytest.raises(CommunityError):
        report_create(reporter=alice, post=post, reason="spam")  # own post
    with pytest.raises(CommunityError):
        report_create(reporter=bob, post=post, reason="because")
    with pytest.raises(CommunityError):
        report_create(reporter=bob, post=post, reason="spam", note="n" * 501)
    with pytest.raises(CommunityError):
        report_create(reporter=bob, post=post, reason="spam", note="a\x00")


@override_settings(COMMUNITY_RATE_REPORTS="1/d")
def test_reports_are_rate_limited(alice, bob):
    first, second = (post_create(author=alice, text=t) for t in ("a", "b"))
    report_create(reporter=bob, post=first, reason="spam")
    with pytest.raises(RateError):
        report_create(reporter=bob, post=second, reason="spam")
