"""The cookie registry (P27) lists everything the code stores in a browser, with live lifetimes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import get_resolver
from django.utils.module_loading import import_string

from masterbus.privacy.cookies import PROBE_KEYS, Category, storage_items

SRC = Path(__file__).resolve().parents[2] / "src" / "masterbus"
STORAGE_USE = re.compile(r"\b(localStorage|sessionStorage|indexedDB)\b|document\.cookie\s*=[^=]")
LITERAL_WRITE = re.compile(r"""(?:setItem\(\s*|document\.cookie\s*=\s*)["'`]([^"'`=]+)""")
# Django settings naming a cookie that this project never sets, and why.
UNUSED_COOKIE_SETTINGS = {"LANGUAGE_COOKIE_NAME": "django.views.i18n.set_language"}


def cookie_names() -> set[str]:
    return {item.name for item in storage_items() if item.where == "cookie"}


def registered(key: str) -> bool:
    items = [i for i in storage_items() if i.where != "cookie"]
    return any(key == i.name or (i.prefix and key.startswith(i.name)) for i in items)


def static_name(path: Path) -> str:
    """The name a static file is served under (the part after the app's static/ folder)."""
    parts = path.relative_to(SRC).parts
    return "/".join(parts[parts.index("static") + 1 :])


def set_cookie_names() -> list[str]:
    """First argument of every set_cookie call in our Python code, resolved."""
    names = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "set_cookie"):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant):
                names.append(arg.value)
            elif isinstance(arg, ast.Attribute) and getattr(arg.value, "id", "") == "settings":
                names.append(getattr(settings, arg.attr))
            else:
                pytest.fail(f"{path}: set_cookie with a name the registry test cannot read")
    return names


def test_every_cookie_and_storage_key_in_the_code_is_registered():
    names = cookie_names()
    found = set_cookie_names()
    assert {settings.GUEST_COOKIE_NAME, settings.CONSENT_COOKIE_NAME} <= set(found)
    assert set(found) <= names
    for setting in dir(settings):
        if setting.endswith("_COOKIE_NAME") and setting not in UNUSED_COOKIE_SETTINGS:
            assert getattr(settings, setting) in names, setting
    if "Cookie" in settings.MESSAGE_STORAGE or "Fallback" in settings.MESSAGE_STORAGE:
        assert CookieStorage.cookie_name in names

    users = {f for i in storage_items() for f in i.set_by if f.endswith(".js")}
    scripts = {static_name(p): p for p in SRC.glob("*/static/**/*.js")}
    for rel, path in scripts.items():
        text = path.read_text()
        if rel != "privacy/consent.js" and STORAGE_USE.search(text.replace("document.cookie.", "")):
            assert rel in users, f"{rel} uses browser storage but the registry does not list it"
        for key in LITERAL_WRITE.findall(text):
            assert registered(key) or key in PROBE_KEYS, f"{rel} writes {key!r}: not registered"
    assert users <= set(scripts), "the registry names a script that does not exist"
    for item in storage_items():
        if item.where == "cookie":
            import_string(item.set_by[0])  # the code that sets it exists


def test_unused_cookie_settings_really_are_unused():
    unused = {import_string(view) for view in UNUSED_COOKIE_SETTINGS.values()}
    stack = list(get_resolver().url_patterns)
    while stack:
        pattern = stack.pop()
        stack.extend(getattr(pattern, "url_patterns", []))
        callback = getattr(pattern, "callback", None)
        assert getattr(callback, "func", callback) not in unused, pattern


def test_the_uploaders_own_declaration_matches_the_registry():
    text = (SRC / "uploads/static/uploads/uploader.js").read_text()
    (item,) = [i for i in storage_items() if i.name == "tus::"]
    assert f'category: "{item.category}"' in text
    assert item.category is Category.FUNCTIONAL
    assert "HISTORY_MS = 7 * 24 * 3600 * 1000" in text and item.lifetime.startswith("7 days")


def test_lifetimes_come_from_the_live_settings(settings):
    settings.GUEST_RETENTION_DAYS = 3
    settings.SESSION_COOKIE_AGE = 2 * 86400
    settings.CONSENT_COOKIE_AGE_DAYS = 30
    lifetimes = {item.name: item.lifetime for item in storage_items()}
    assert lifetimes[settings.GUEST_COOKIE_NAME] == "3 days"
    assert lifetimes[settings.SESSION_COOKIE_NAME].endswith("2 days with “Remember me”")
    assert lifetimes[settings.CONSENT_COOKIE_NAME] == "30 days"


@pytest.mark.django_db
def test_the_sign_in_cookie_lasts_seven_days(client, alice):
    """With "Remember me" 7 days (P5); without, it ends when the browser closes."""
    form = {"login": alice.email, "password": "correct horse battery staple"}
    remembered = client.post("/accounts/login/", {**form, "remember": "on"})
    assert remembered.status_code == 302
    assert int(remembered.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == 7 * 24 * 3600
    client.cookies.clear()
    forgotten = client.post("/accounts/login/", form)
    assert forgotten.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
