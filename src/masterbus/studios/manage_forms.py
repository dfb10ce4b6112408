"""Forms of the owner's studio management page: rooms, weekly hours, closed days, add-ons."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import ClassVar

from django import forms

from masterbus.studios.models import AddOn, HoursException, Room, validate_time_zone


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ("name", "hourly_rate", "minimum_hours", "buffer_minutes", "capacity", "equipment")
        widgets: ClassVar[dict] = {"equipment": forms.Textarea({"rows": 3})}


class AddOnForm(forms.ModelForm):
    class Meta:
        model = AddOn
        fields = ("name", "price", "unit")


class ClosedDaysForm(forms.ModelForm):
    """Closed days, or special hours on them (both times, in the studio's local time)."""

    class Meta:
        model = HoursException
        fields = ("starts_on", "ends_on", "opens", "closes", "note")
        widgets: ClassVar[dict] = {
            "starts_on": forms.DateInput({"type": "date"}),
            "ends_on": forms.DateInput({"type": "date"}),
            "opens": forms.TimeInput({"type": "time"}),
            "closes": forms.TimeInput({"type": "time"}),
        }
        help_texts: ClassVar[dict] = {"opens": "Leave both times empty for closed."}

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("opens")) != bool(data.get("closes")):
            raise forms.ValidationError("Give both times for special hours, or neither.")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError("The last day comes before the first.")
        data["closed"] = not data.get("opens")
        return data


class WeekForm(forms.Form):
    """One span per weekday in the studio's local time; both empty: closed that day. A closing
    time at or before the opening runs past midnight."""

    def __init__(
        self, *args, initial_week: dict[int, tuple[dt.time, dt.time]] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        week = initial_week or {}
        for day in range(7):
            name = calendar.day_name[day]
            opens, closes = week.get(day, (None, None))
            self.fields[f"opens_{day}"] = forms.TimeField(
                required=False,
                label=f"{name} opens",
                initial=opens,
                widget=forms.TimeInput({"type": "time"}),
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                required=False,
                label=f"{name} closes",
                initial=closes,
                widget=forms.TimeInput({"type": "time"}),
            )

    def days(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"opens_{d}"], self[f"closes_{d}"]) for d in range(7)]

    def clean(self) -> dict:
        data = super().clean()
        for day in range(7):
            if bool(data.get(f"opens_{day}")) != bool(data.get(f"closes_{day}")):
                raise forms.ValidationError(
                    f"{calendar.day_name[day]}: give both times, or neither for closed."
                )
        return data

    def week(self) -> dict[int, list[tuple[dt.time, dt.time]]]:
        data = self.cleaned_data
        return {
            day: [(data[f"opens_{day}"], data[f"closes_{day}"])]
            for day in range(7)
            if data.get(f"opens_{day}")
        }


class TermsForm(forms.Form):
    terms = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea({"rows": 6}),
        label="Terms clients sign",
        help_text="A change makes a new version; bookings keep the version their client signed.",
    )


class PhotoForm(forms.Form):
    """A picture for the studio's page; what it is, is decided from its content."""

    photo = forms.FileField(label="Photo")
    caption = forms.CharField(required=False, max_length=200, label="Caption (optional)")


class SampleForm(forms.Form):
    """An audio sample of the studio's work; what it is, is decided from its content."""

    title = forms.CharField(max_length=120, label="Title")
    audio = forms.FileField(label="Audio file")


class EngineerSessionsForm(forms.Form):
    """Opening an engineer's bookable sessions: where their hours are counted."""

    time_zone = forms.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="Your hours are in this zone: an IANA name, e.g. Europe/Berlin.",
    )
    city = forms.CharField(
        max_length=80, required=False, help_text="Where you work; empty means Online."
    )
