"""Shop forms: prices typed in major units ("49.00") and kept in minor units (orders' field)."""

from __future__ import annotations

from django import forms

from masterbus.orders.forms import MoneyField


class SellerApplyForm(forms.Form):
    display_name = forms.CharField(max_length=80, label="Name buyers see")
    about = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )


class ProductForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False
    )
    price = MoneyField(min_value="0.50", max_value="1000.00", label="Price (e.g. 49.00)")


class VersionForm(forms.Form):
    version = forms.CharField(max_length=30, help_text="e.g. 1.2.0")
    changelog = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    windows = forms.FileField(required=False, label="Windows file")
    macos = forms.FileField(required=False, label="macOS file")
    linux = forms.FileField(required=False, label="Linux file")


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=200)
