"""Forms of the account settings (P31, P33): they check input; services write it."""

from __future__ import annotations

from django import forms

from masterbus.profiles.handles import PLATFORMS, HandleError
from masterbus.profiles.models import Theme


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=150, required=False, strip=True, label="Display name")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for platform in PLATFORMS:
            self.fields[platform.key] = forms.CharField(
                max_length=300,
                required=False,
                label=platform.label,
                help_text=f"Your name or link, for example {platform.example}",
            )

    def clean(self) -> dict:
        data = super().clean()
        handles = {}
        for platform in PLATFORMS:
            value = (data.get(platform.key) or "").strip()
            if not value:
                continue
            try:
                handles[platform.key] = platform.canonical(value)
            except HandleError as exc:
                self.add_error(platform.key, str(exc))
        data["handles"] = handles
        return data

    @classmethod
    def initial_from(cls, display_name: str, handles: dict[str, str]) -> dict:
        return {"display_name": display_name, **handles}


class AvatarForm(forms.Form):
    avatar = forms.FileField(label="Picture")


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(choices=Theme.choices, widget=forms.RadioSelect)


class SwitchesForm(forms.Form):
    analytics = forms.BooleanField(
        required=False,
        label="Count my visits in the site's own statistics",
        help_text="Only with analytics cookies allowed in this browser; never with Do-Not-Track "
        "or Global Privacy Control.",
    )
    marketing = forms.BooleanField(
        required=False,
        label="Send me news and offers by email",
        help_text="Off unless you switch it on. Every message has a one-click unsubscribe link.",
    )
    assistant = forms.BooleanField(
        required=False,
        label="Assistant features may process my songs and notes",
        help_text="Off means no assistant feature runs on your content.",
    )
