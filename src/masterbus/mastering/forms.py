"""The mastering forms (a song, an album): target, style, intensity; the engine's own rules."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django import forms

from masterbus.engine import STYLES, TARGET_PRESETS
from masterbus.mastering.errors import MasteringError
from masterbus.mastering.services.options import settings_from_form

TARGET_LABELS = {
    "streaming": "Streaming (Spotify, YouTube, Tidal): −14 LUFS",
    "apple": "Apple Music: −16 LUFS",
    "loud": "Loud (club, EDM): −9 LUFS",
    "broadcast": "Broadcast (EBU R128): −23 LUFS",
}
STYLE_LABELS = {
    "balanced": "Balanced",
    "warm": "Warm",
    "bright": "Bright",
    "open": "Open",
}


class MasterSettingsForm(forms.Form):
    target = forms.ChoiceField(
        choices=[*((k, TARGET_LABELS.get(k, k)) for k in TARGET_PRESETS), ("custom", "Custom")],
        initial="streaming",
    )
    custom_lufs = forms.FloatField(required=False, min_value=-40, max_value=-5, label="LUFS")
    style = forms.ChoiceField(
        choices=[(s, STYLE_LABELS.get(s, s.title())) for s in STYLES], initial="balanced"
    )
    intensity = forms.IntegerField(min_value=0, max_value=100, initial=50)
    reference_upload_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if data["target"] == "custom":
            if data.get("custom_lufs") is None:
                raise forms.ValidationError("Enter a custom loudness target in LUFS.")
            target = data["custom_lufs"]
        else:
            target = TARGET_PRESETS[data["target"]]
        try:
            data["settings"] = settings_from_form(
                target_lufs=target, style=data["style"], intensity=data["intensity"]
            )
        except MasteringError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


class MasterForm(MasterSettingsForm):
    """The home page: settings plus the finished upload to master."""

    upload_id = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a song and wait for its upload to finish.",
            "invalid": "Choose a song and wait for its upload to finish.",
        },
    )


ALBUM_UPLOADS_MISSING = "Add the album's songs and wait for every upload to finish."


class UploadIdsField(forms.Field):
    """The finished uploads of an album, in the order they were added (one hidden input each)."""

    widget = forms.MultipleHiddenInput
    default_error_messages: ClassVar[dict[str, str]] = {
        "required": ALBUM_UPLOADS_MISSING,
        "invalid": ALBUM_UPLOADS_MISSING,
    }

    def to_python(self, value) -> list[uuid.UUID]:
        try:
            return [uuid.UUID(str(item)) for item in value or []]
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class AlbumForm(MasterSettingsForm):
    """The album page: a title, the songs in order, and the settings for all of them."""

    title = forms.CharField(max_length=200, required=False, label="Album title")
    upload_ids = UploadIdsField()
