"""The theme (P27, P31): on the account when signed in; in a functional cookie only with
functional consent; forgotten when that consent is withdrawn."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from masterbus.profiles.selectors import profile_get
from tests.profiles.conftest import choose_cookies

pytestmark = pytest.mark.django_db
THEME = settings.THEME_COOKIE_NAME


def html_theme(client: Client, path: str = "/") -> str:
    page = client.get(path).content.decode()
    return page.split('data-theme="', 1)[1].split('"', 1)[0]


def test_a_signed_in_user_keeps_the_theme_on_the_account(client, alice):
    client.force_login(alice)
    choose_cookies(client, "none")
    assert html_theme(client) == "system"
    response = client.post("/settings/appearance/", {"theme": "dark"})
    assert response.status_code == 302 and THEME not in response.cookies
    assert profile_get(alice).theme == "dark"
    assert html_theme(client, "/songs/") == "dark"
    other_device = Client()
    other_device.force_login(alice)
    assert html_theme(other_device) == "dark"


def test_a_guest_with_functional_consent_keeps_it_in_a_cookie():
    guest = choose_cookies(Client(), "all")
    response = guest.post("/settings/appearance/", {"theme": "light"})
    cookie = response.cookies[THEME]
    assert cookie.value == "light"
    assert int(cookie["max-age"]) == settings.THEME_COOKIE_AGE_DAYS * 86400 == 90 * 86400
    assert html_theme(guest) == "light"


def test_without_functional_consent_nothing_is_kept_and_the_page_says_why():
    guest = choose_cookies(Client(), "none")
    response = guest.post("/settings/appearance/", {"theme": "dark"}, follow=True)
    assert THEME not in guest.cookies
    assert "functional cookies are not allowed" in response.content.decode()
    assert html_theme(guest) == "system"
    assert b'id="theme-not-kept"' in guest.get("/settings/appearance/").content
    forged = Client()  # a theme cookie the visitor never consented to is not used
    forged.cookies[THEME] = "dark"
    assert html_theme(forged) == "system"


def test_withdrawing_consent_forgets_the_theme_cookie():
    guest = choose_cookies(Client(), "all")
    guest.post("/settings/appearance/", {"theme": "dark"})
    assert guest.cookies[THEME].value == "dark"
    choose_cookies(guest, "none")
    response = guest.get("/")
    assert response.cookies[THEME]["max-age"] == 0 and guest.cookies[THEME].value == ""
    assert html_theme(guest) == "system"


def test_a_bad_choice_is_refused(client):
    response = client.post("/settings/appearance/", {"theme": "neon"})
    assert response.status_code == 400
