"""Forms of the studio pages: search, the booking choice, the 18+ question, the application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms

from masterbus.studios.models import (
    AddOn,
    ExtraChargeKind,
    Studio,
    StudioKind,
    turnaround_default,
    zone_names,
)


def zone_or(name: str | None, fallback: str) -> ZoneInfo:
    """The visitor's zone (browser-reported), if it is a real zone name, else the fallback."""
    return ZoneInfo(name if name in zone_names() else fallback)


class SearchForm(forms.Form):
    city = forms.CharField(required=False, max_length=80)
    genre = forms.CharField(required=False, max_length=40)
    equipment = forms.CharField(required=False, max_length=80, help_text="e.g. Neve, U 47")
    max_rate = forms.IntegerField(
        required=False, min_value=0, max_value=100_000, label="Highest hourly rate"
    )
    day = forms.DateField(required=False, label="Free on", widget=forms.DateInput({"type": "date"}))
    at = forms.TimeField(required=False, label="From", widget=forms.TimeInput({"type": "time"}))
    hours = forms.IntegerField(required=False, min_value=1, max_value=24, initial=3)
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Studios and engineers"), *StudioKind.choices],
        label="Offered by",
    )


class BookingForm(forms.Form):
    """The chosen slot: the start (an instant, as the picker wrote it) and whole hours."""

    start = forms.DateTimeField(widget=forms.HiddenInput)
    hours = forms.IntegerField(min_value=1, max_value=24)
    addons = forms.ModelMultipleChoiceField(
        queryset=AddOn.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Add-ons",
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        label="Note for the studio",
    )
    tz = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    signed_name = forms.CharField(
        required=False,
        max_length=120,
        label="Your full name",
        help_text="Typing your name signs the studio's terms above.",
    )
    terms_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, studio: Studio, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addons"].queryset = studio.addons.filter(active=True)

    def clean_start(self) -> dt.datetime:
        start = self.cleaned_data["start"]
        if start.tzinfo is None:
            raise forms.ValidationError("Pick a time from the list.")
        return start.astimezone(dt.UTC)

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        start = self.cleaned_data["start"]
        return start, start + dt.timedelta(hours=self.cleaned_data["hours"])


class AdultForm(forms.Form):
    born = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput({"type": "date"}),
        help_text="Used only to check you are old enough to book; we do not keep it.",
    )


class StudioApplicationForm(forms.ModelForm):
    """ "Add your studio": saved as an application until staff approve it."""

    files_turnaround_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        required=False,
        label="Session files kept for (days)",
        help_text="Files shared in a booking are deleted this many days after the session.",
    )

    class Meta:
        model = Studio
        fields = (
            "name",
            "city",
            "address",
            "time_zone",
            "currency",
            "genres",
            "credits",
            "description",
            "cancellation_policy",
            "deposit_percent",
            "instant_book",
            "terms",
            "files_turnaround_days",
        )

    def clean_files_turnaround_days(self) -> int:
        return self.cleaned_data["files_turnaround_days"] or turnaround_default()


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, f"{n} of 5") for n in range(5, 0, -1)], coerce=int, label="Rating"
    )
    text = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea({"rows": 3}), label="Review"
    )


class RescheduleForm(forms.Form):
    """A new time for a booking, in the studio's zone (the booking page says which)."""

    day = forms.DateField(widget=forms.DateInput({"type": "date"}), label="New day")
    at = forms.TimeField(widget=forms.TimeInput({"type": "time"}), label="Start")
    hours = forms.IntegerField(min_value=1, max_value=24, label="Hours")


class ExtraChargeForm(forms.Form):
    """The studio's additional-charge form: the amount in major units of the booking's currency."""

    kind = forms.ChoiceField(choices=ExtraChargeKind.choices)
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_value=Decimal(1_000_000), decimal_places=2, label="Amount"
    )
    reason = forms.CharField(
        max_length=1000, widget=forms.Textarea({"rows": 3}), label="Reason (the client reads it)"
    )

    def minor_units(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


class SignForm(forms.Form):
    signed_name = forms.CharField(
        max_length=120, label="Your full name", help_text="Typing your name signs the form above."
    )
