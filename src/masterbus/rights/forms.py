"""Forms of the rights pages: the rights request (with the captcha, P6) and account deletion."""

from __future__ import annotations

from django import forms

from masterbus.accounts.captcha import CaptchaFormMixin
from masterbus.rights.models import RightsRequestKind


class RightsRequestForm(CaptchaFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What do you ask for?", choices=RightsRequestKind.choices)
    message = forms.CharField(
        label="Your request",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what you need; for a correction, what is wrong and what is right.",
    )
    email = forms.EmailField(label="Your email address (we answer here)")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account, my songs and all my files will be deleted.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():  # a social sign-in account: re-authenticated instead
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("This is not your password.")
        return password
