"""Consent (P28) over HTTP with Django's test client: banner, choices, withdrawal, DNT/GPC."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from masterbus.privacy.consent import read_consent
from masterbus.privacy.cookies import Category, storage_items
from masterbus.privacy.middleware import ConsentMiddleware
from tests.uploads.helpers import TusClient, encode_audio

pytestmark = pytest.mark.django_db

CONSENT = settings.CONSENT_COOKIE_NAME


def categories(response) -> set[Category]:
    by_name = {i.name: i.category for i in storage_items() if i.where == "cookie"}
    return {by_name[name] for name, morsel in response.cookies.items() if morsel.value}


def test_nothing_non_essential_is_set_before_consent(client):
    home = client.get("/")
    html = home.content.decode()
    assert 'id="consent-banner"' in html and 'data-consent-functional="denied"' in html
    assert "&quot;tus::&quot;" in html  # the page removes upload history not allowed
    tus = TusClient(client)
    data = encode_audio(1.0)
    upload = tus.create(len(data))
    assert upload.status_code == 201
    assert categories(home) | categories(upload) <= {Category.ESSENTIAL}
    assert settings.GUEST_COOKIE_NAME in upload.cookies  # essential: the guest's songs


def test_a_cookie_not_allowed_or_not_registered_never_leaves_the_server(caplog):
    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("tracker", "1")
        response.set_cookie(settings.GUEST_COOKIE_NAME, "k" * 43)
        return response

    request = RequestFactory().get("/")
    with caplog.at_level(logging.ERROR, "masterbus.privacy.middleware"):
        response = ConsentMiddleware(view)(request)
    assert set(response.cookies) == {settings.GUEST_COOKIE_NAME}
    assert "'tracker' is not in the cookie registry" in caplog.text


def test_choices_are_recorded_and_can_be_withdrawn(client):
    accepted = client.post("/privacy/consent/", {"choice": "all", "next": "/songs/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/songs/"
    assert accepted.cookies[CONSENT]["max-age"] == settings.CONSENT_COOKIE_AGE_DAYS * 86400
    page = client.get("/").content.decode()
    assert 'data-consent-functional="granted"' in page
    assert 'id="consent-banner"' not in page and "&quot;tus::&quot;" not in page

    # Per category: analytics only, then withdraw everything.
    client.post("/privacy/consent/", {"choice": "save", "category": ["analytics", "bogus"]})
    consent = client.get("/privacy/consent/").wsgi_request.consent
    assert consent.granted == {Category.ANALYTICS} and not consent.functional
    assert 'data-consent-functional="denied"' in client.get("/").content.decode()

    client.post("/privacy/consent/", {"choice": "none"})
    settings_page = client.get("/privacy/consent/")
    consent = settings_page.wsgi_request.consent
    assert consent.asked and not consent.functional and not consent.analytics
    assert 'id="consent-banner"' not in settings_page.content.decode()


def test_the_choice_form_refuses_foreign_redirects_and_works_without_javascript(client):
    response = client.post("/privacy/consent/", {"choice": "none", "next": "https://evil.test/"})
    assert response["Location"] == "/privacy/consent/"
    page = client.get(response["Location"]).content.decode()
    assert "Your cookie choices are saved." in page
    assert 'name="choice" value="all"' in page and 'name="category" value="functional"' in page


def test_a_forged_consent_cookie_counts_as_no_choice(client):
    for value in ("1:functional.tracking", "2:functional", "functional", ""):
        client.cookies[CONSENT] = value
        consent = client.get("/privacy/").wsgi_request.consent
        assert not consent.asked and not consent.functional, value


def test_do_not_track_and_gpc_turn_analytics_off(client):
    client.post("/privacy/consent/", {"choice": "all"})
    plain = client.get("/privacy/consent/")
    assert plain.wsgi_request.consent.analytics
    for header in ({"DNT": "1"}, {"Sec-GPC": "1"}):
        response = client.get("/privacy/consent/", headers=header)
        consent = response.wsgi_request.consent
        assert not consent.analytics and consent.functional, header
        html = response.content.decode()
        assert 'id="signal-note"' in html
        assert 'name="category" value="analytics">' in html  # shown unticked
    assert read_consent(RequestFactory().get("/", headers={"Sec-GPC": "0"})).granted == set()


def test_without_essential_cookies_the_site_says_what_cannot_work():
    browser = Client(enforce_csrf_checks=True)  # a browser that blocks every cookie
    page = browser.post("/privacy/consent/", {"choice": "all"})
    assert page.status_code == 403
    html = page.content.decode()
    assert "cannot sign in, upload or master a song, or pay" in html
    assert CONSENT not in page.cookies
    browser.cookies.clear()  # the refusal page offered a CSRF cookie; this browser drops it
    upload = browser.post("/uploads/", headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10"})
    assert upload.status_code == 403 and upload["Content-Type"].startswith("text/plain")
    assert "Allow cookies for this site" in upload.content.decode()

    browser.cookies["csrftoken"] = "a" * 32  # cookies work, the page's token is stale
    stale = browser.post("/privacy/consent/", {"choice": "all", "csrfmiddlewaretoken": "b" * 32})
    assert stale.status_code == 403
    assert "This form has expired" in stale.content.decode()
