"""Forms: a message, a support ticket, the e-mail preferences (bounds as the services')."""

from __future__ import annotations

from django import forms

from masterbus.messaging import kinds
from masterbus.messaging.models import MESSAGE_MAX_CHARS, TICKET_SUBJECT_MAX_CHARS


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {MESSAGE_MAX_CHARS:,} characters.",
    )


class TicketForm(forms.Form):
    subject = forms.CharField(max_length=TICKET_SUBJECT_MAX_CHARS)
    body = forms.CharField(
        label="Your question",
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened, and what you expected. Never send a password.",
    )


class EmailPreferencesForm(forms.Form):
    """One checkbox per kind; required kinds are shown checked and cannot be unticked."""

    def __init__(self, *args, current: list[tuple[kinds.Kind, bool]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, on in current:
            self.fields[kind.name] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=on,
                disabled=kind.required,
                help_text="Always sent: it is about something you paid for or asked."
                if kind.required
                else "",
            )

    def chosen(self) -> dict[str, bool]:
        return {name: bool(value) for name, value in self.cleaned_data.items()}
