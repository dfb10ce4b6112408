"""First-party analytics (P27, P28, P33): a page view is counted per route name per day, only
with the browser's consent to analytics, never with Do-Not-Track or GPC, never for a user who
switched it off, and without IP, user or raw URL."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from masterbus.profiles.models import PageView
from masterbus.profiles.services import pageview_count, profile_set_switches
from masterbus.profiles.tokens import unsubscribe_token
from tests.profiles.conftest import choose_cookies

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {p.route: p.views for p in PageView.objects.filter(day=timezone.localdate())}


def test_a_page_view_is_counted_with_analytics_consent():
    browser = choose_cookies(Client(), "all")
    browser.get("/")
    browser.get("/")
    browser.get("/privacy/cookies/")
    assert counts() == {"mastering:home": 2, "privacy:cookies": 1}


@pytest.mark.parametrize(
    ("choice", "headers"),
    [
        (None, {}),  # no choice yet
        ("none", {}),  # rejected
        ("all", {"HTTP_DNT": "1"}),
        ("all", {"HTTP_SEC_GPC": "1"}),
    ],
)
def test_nothing_is_counted_without_consent_or_with_dnt_or_gpc(choice, headers):
    browser = Client(**headers)
    if choice:
        choose_cookies(browser, choice)
    browser.get("/")
    browser.get("/privacy/")
    assert counts() == {}


def test_the_users_switch_turns_counting_off_at_once(client, alice):
    client.force_login(alice)
    choose_cookies(client, "all")
    client.get("/privacy/")
    assert counts() == {"privacy:privacy": 1}
    response = client.post("/settings/profile/switches", {"marketing": "", "assistant": "on"})
    assert response.status_code == 302
    client.get("/privacy/")
    client.get("/settings/profile/")
    assert counts() == {"privacy:privacy": 1}
    profile_set_switches(user=alice, analytics=True, marketing=False, assistant=True)
    client.get("/privacy/")
    assert counts() == {"privacy:privacy": 2}


def test_routes_not_urls_and_only_full_pages_are_counted(client, alice):
    client.force_login(alice)
    choose_cookies(client, "all")
    token = unsubscribe_token(alice.pk)
    assert client.get(f"/profile/unsubscribe/{token}").status_code == 200  # a URL with a key
    client.get("/privacy/", HTTP_HX_REQUEST="true")  # an htmx fragment request
    client.get("/no/such/page/")  # 404
    client.post("/privacy/consent/", {"choice": "all"})  # a redirect
    client.get("/settings/profile/avatar")  # not a page (404 here, an image otherwise)
    assert counts() == {"profiles:unsubscribe": 1}
    stored = " ".join(f"{p.route} {p.day} {p.views}" for p in PageView.objects.all())
    assert token not in stored and alice.email not in stored
    columns = {f.name for f in PageView._meta.get_fields()}
    assert columns == {"id", "day", "route", "views"}  # no IP, no user, no session


def test_one_upsert_per_view_adds_up_per_day(django_assert_num_queries):
    day = datetime.date(2026, 1, 2)
    with django_assert_num_queries(1):  # one statement, also for the first view of a day
        pageview_count(route="x", day=day)
    for _ in range(3):
        pageview_count(route="x", day=day)
    pageview_count(route="x", day=day + datetime.timedelta(days=1))
    assert list(PageView.objects.order_by("day").values_list("day", "views")) == [
        (day, 4),
        (day + datetime.timedelta(days=1), 1),
    ]


def test_staff_read_the_counts_in_the_admin(client, alice):
    pageview_count(route="mastering:home", day=timezone.localdate())
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    page = client.get("/admin/profiles/pageview/")
    assert page.status_code == 200 and "mastering:home" in page.content.decode()
    assert client.get("/admin/profiles/pageview/add/").status_code == 403
