"""Filling in the sign-up form as a person would: the page's captcha token, an adult's birthday."""

from __future__ import annotations

import re

from django.test import Client


def signup_data(client: Client, *, email: str, password: str, born: str = "1990-05-17") -> dict:
    """The sign-up form's fields, with the captcha token of a freshly loaded sign-up page."""
    html = client.get("/accounts/signup/").content.decode()
    token = re.search(r'name="captcha" value="([^"]+)"', html)[1]
    return {
        "email": email,
        "password1": password,
        "password2": password,
        "date_of_birth": born,
        "captcha": token,
    }
