"""Every account page is under /settings/ (or allauth's accounts/ pages) and shows the one
settings navigation (core/_settings_nav.html), which marks the page being shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from masterbus.core.templatetags.ui import SETTINGS_PAGES

# Each settings page, and the navigation entry (URL name) it marks as the current page.
PAGES = [
    ("profiles:profile", "profiles:profile"),
    ("profiles:appearance", "profiles:appearance"),
    ("mastering:preferences", "mastering:preferences"),
    ("security:security", "security:security"),
    ("api-pages:tokens", "api-pages:tokens"),
    ("rights:data", "rights:data"),
    ("rights:account_delete", "rights:data"),
    ("account_email", "account_email"),
    ("account_change_password", "account_change_password"),
    ("mfa_index", "mfa_index"),
    ("socialaccount_connections", "socialaccount_connections"),
]


def settings_nav(html: str) -> str:
    found = re.findall(r'<nav class="settings-nav" aria-label="Settings">.*?</nav>', html, re.S)
    assert len(found) == 1, "one settings navigation"
    return found[0]


@pytest.mark.parametrize(("name", "marked"), PAGES)
def test_every_settings_page_shows_the_navigation_marking_itself(signed_in, name, marked):
    response = signed_in.get(reverse(name))
    assert response.status_code == 200
    nav = settings_nav(response.content.decode())
    for _label, entry, _names in SETTINGS_PAGES:
        assert f'href="{reverse(entry)}"' in nav, entry
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == [reverse(marked)]


def test_the_header_menu_links_to_the_same_pages(signed_in):
    html = signed_in.get(reverse("mastering:home")).content.decode()
    account = html.split('<details class="account-menu">', 1)[1]
    menu = account.split('<ul class="menu">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="([^"]+)"', menu) == [reverse(e) for _l, e, _n in SETTINGS_PAGES]


def test_settings_leads_to_the_profile_and_every_page_is_under_settings(signed_in):
    response = signed_in.get("/settings/")
    assert response.status_code == 302 and response["Location"] == "/settings/profile/"
    for name in (
        "profiles:profile",
        "profiles:appearance",
        "mastering:preferences",
        "security:security",
        "api-pages:tokens",
        "rights:data",
        "rights:account_delete",
    ):
        assert reverse(name).startswith("/settings/"), name
    for old in (
        "/profile/",
        "/profile/theme/",
        "/settings/api-tokens/",
        "/settings/delete-account",
    ):
        assert signed_in.get(old).status_code == 404, old


def test_a_guest_chooses_a_theme_without_the_account_navigation():
    response = Client().get(reverse("profiles:appearance"))
    assert response.status_code == 200
    assert b'class="settings-nav"' not in response.content
    assert b'id="theme-form"' in response.content
