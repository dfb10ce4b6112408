"""Forms of the orders pages: what each one accepts, with bounds."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from masterbus.orders.models import REVIEW_MAX_CHARS, Service

MAX_FILES_FIELD = 100  # a form never lists more ids than this; the service applies the real bound


class EngineerApplyForm(forms.Form):
    display_name = forms.CharField(label="Name clients see", max_length=80)
    services = forms.MultipleChoiceField(
        choices=Service.choices, widget=forms.CheckboxSelectMultiple, label="Services you offer"
    )
    genres = forms.CharField(max_length=300, required=False, help_text="Comma-separated")
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000, required=False)
    credits = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text="Artists and releases you worked on",
    )


class MoneyField(forms.DecimalField):
    """An amount typed in the currency's major unit with two decimals ("100.00"); cleaned to
    integer minor units (10000), which is what the models keep. Bounds are in major units."""

    def __init__(self, *, min_value: str, max_value: str, **kwargs) -> None:
        super().__init__(
            min_value=Decimal(min_value),
            max_value=Decimal(max_value),
            max_digits=9,
            decimal_places=2,
            **kwargs,
        )
        self.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int(amount * 100)


class PackageForm(forms.Form):
    name = forms.CharField(max_length=80)
    service = forms.ChoiceField(choices=Service.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    price = MoneyField(min_value="1.00", max_value="100000.00", label="Price (e.g. 100.00)")
    turnaround_days = forms.IntegerField(min_value=1, max_value=90)
    revisions_included = forms.IntegerField(min_value=0, max_value=10, initial=2)
    extra_revision_price = MoneyField(
        min_value="0", max_value="10000.00", initial="0.00", label="Extra revision round (0: none)"
    )
    rush_price = MoneyField(
        min_value="0", max_value="10000.00", initial="0.00", label="Rush price (0: none)"
    )
    rush_days = forms.IntegerField(min_value=1, max_value=89, required=False)


class OrderForm(forms.Form):
    """The client's order: the uploads (ids from the tus uploads), notes and add-ons."""

    title = forms.CharField(max_length=120, required=False, label="Project title")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
        label="Session notes",
        help_text="What you want, references, anything the engineer should know",
    )
    extra_revisions = forms.IntegerField(min_value=0, max_value=5, initial=0, required=False)
    rush = forms.BooleanField(required=False, label="Rush delivery")
    reference_upload_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, upload_ids: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.upload_ids = (upload_ids or [])[:MAX_FILES_FIELD]

    def clean(self):
        data = super().clean()
        if not self.upload_ids:
            raise forms.ValidationError("Upload at least one stem or mix.")
        data["extra_revisions"] = data.get("extra_revisions") or 0
        return data


class DeliveryForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False, label="Message"
    )


class NoteForm(forms.Form):
    at_seconds = forms.FloatField(min_value=0, max_value=24 * 3600, label="Time (seconds)")
    text = forms.CharField(max_length=500, label="Note")


class ApproveForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[("", "No rating"), *[(str(n), f"{n} ★") for n in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    review = forms.CharField(
        max_length=REVIEW_MAX_CHARS, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TextForm(forms.Form):
    """A short reason or message with a move (decline, revision, dispute)."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=300, required=False)


def posted_text(data) -> str:
    """The reason posted with a move; empty when missing or invalid (a move never needs one)."""
    form = TextForm(data)
    return form.cleaned_data["text"] if form.is_valid() else ""
