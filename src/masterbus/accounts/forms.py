"""Sign-up forms: the age question (P7) and the captcha (P6) on top of allauth's forms."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from masterbus.accounts.captcha import CaptchaFormMixin


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Whole years from ``born`` to ``day`` (a person born on 29 February ages on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# Set in the browser's session when it was refused for age: trying another year does not help.
AGE_REFUSED_SESSION_KEY = "masterbus_age_refused"


class AgeFormMixin:
    """Asks for the date of birth, a neutral question that does not hint at the answer that
    passes; refuses anyone under MINIMUM_AGE. The date is checked and never stored: the account
    keeps only when the age was confirmed and which minimum it met (see AccountAdapter). After a
    refusal the session remembers it (a flag, not the date), so going back and entering an older
    date in the same browser is refused too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"] = forms.DateField(
            label="Date of birth",
            help_text="Used only to check your age now; we do not keep it.",
            widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        )

    def clean_date_of_birth(self) -> datetime.date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today or born.year < today.year - 130:
            raise ValidationError("Please enter your real date of birth.", code="implausible")
        request = context.request
        refused_before = request is not None and request.session.get(AGE_REFUSED_SESSION_KEY)
        if refused_before or age_on(born, today) < settings.MINIMUM_AGE:
            if request is not None:
                request.session[AGE_REFUSED_SESSION_KEY] = True
            raise ValidationError(
                f"Masterbus is not for anyone under {settings.MINIMUM_AGE}: we cannot create an "
                "account for you. Nothing you entered has been kept.",
                code="too_young",
            )
        return born


class SignupForm(AgeFormMixin, CaptchaFormMixin, AllauthSignupForm):
    """Email and password sign-up."""


class SocialSignupForm(AgeFormMixin, AllauthSocialSignupForm):
    """Sign-up after Google or Discord: the provider's own sign-in already keeps bots out."""
