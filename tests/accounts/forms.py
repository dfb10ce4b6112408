"""Helpers: filling in the sign-up form as a person would; what a copy of the database holds."""

from __future__ import annotations

import re

from django.contrib.sessions.models import Session
from django.db import connection
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


def everything_stored() -> str:
    """Every row of every table, and every session decoded: what a copy of the database holds."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            text.append(repr(cursor.fetchall()))
    text += [repr(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(text)
