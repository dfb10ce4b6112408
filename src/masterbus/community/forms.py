"""The community's forms: bounds come from settings; the services check again."""

from __future__ import annotations

from django import forms
from django.conf import settings

from masterbus.community.models import ReportReason
from masterbus.community.songs import SONG, TRAINING_RESULT, songs_to_share


class PostForm(forms.Form):
    text = forms.CharField(
        label="What are you working on?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    song = forms.ChoiceField(label="Share a song from your library", required=False)
    # An ear-training result offered by the training pages (/community/?result=<id>).
    result = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = settings.COMMUNITY_POST_MAX_CHARS
        self.fields["text"].widget.attrs["maxlength"] = settings.COMMUNITY_POST_MAX_CHARS
        choices = [(str(song.pk), song.title) for song in songs_to_share(user)]
        self.fields["song"].choices = [("", "No song"), *choices]
        self.fields["song"].help_text = (
            "Listeners hear the preview of its newest master, only while your post is up."
            if choices
            else "Master a song first to share it here."
        )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("song") and not data.get("result"):
            raise forms.ValidationError("Write something or choose a song to share.")
        if data.get("song") and data.get("result"):
            raise forms.ValidationError("A post shares one thing: the song or the result.")
        return data

    def attachment(self) -> tuple[str, str]:
        """(kind, id) of what the valid form shares, or ("", "")."""
        if self.cleaned_data.get("song"):
            return SONG, self.cleaned_data["song"]
        if self.cleaned_data.get("result"):
            return TRAINING_RESULT, self.cleaned_data["result"]
        return "", ""


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = settings.COMMUNITY_COMMENT_MAX_CHARS
        self.fields["text"].widget.attrs["maxlength"] = settings.COMMUNITY_COMMENT_MAX_CHARS


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this post?", choices=ReportReason.choices
    )
    note = forms.CharField(
        label="Note for the moderators",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].max_length = settings.COMMUNITY_REPORT_NOTE_MAX_CHARS
        self.fields["note"].widget.attrs["maxlength"] = settings.COMMUNITY_REPORT_NOTE_MAX_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(label="Search posts", required=False, max_length=200)
