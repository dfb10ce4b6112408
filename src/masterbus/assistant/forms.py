"""The assistant's inputs, each bounded (ASSISTANT_MAX_INPUT_CHARS)."""

from __future__ import annotations

from django import forms
from django.conf import settings


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="What should change?",
        help_text="In your own words, e.g. “the low end is muddy and the vocals are harsh”.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=settings.ASSISTANT_MAX_INPUT_CHARS,
        strip=True,
    )
    v = forms.IntegerField(min_value=1, max_value=100000, required=False, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        return self.cleaned_data["text"].replace("\x00", "")
