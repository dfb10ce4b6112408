"""Engineers as bookable parties: an approved engineer's sessions studio, whose rooms are
session offers booked through the studios' own booking service; listed only while the
engineer is approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from masterbus.orders.models import EngineerProfile
from masterbus.orders.services.engineers import engineer_apply, engineer_approve
from masterbus.studios import selectors
from masterbus.studios.errors import EngineerNotApproved, SlotTaken, SlotUnavailable
from masterbus.studios.models import BookingStatus, Studio, StudioKind
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.engineer_sessions import engineer_sessions_open
from masterbus.studios.services.studios import hours_set
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_adult, make_room, make_studio, next_weekday, staff

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def _engineer(email: str = "eng@example.com", *, approved: bool = True) -> EngineerProfile:
    profile = engineer_apply(
        user=make_user(email), display_name="Ada Mix", services=["mixing"], genres="jazz"
    )
    if approved:
        engineer_approve(profile=profile, staff_user=staff())
    return profile


def _sessions(profile: EngineerProfile) -> Studio:
    studio = engineer_sessions_open(profile=profile, time_zone="Europe/Berlin")
    hours_set(studio=studio, week={day: [(dt.time(10), dt.time(20))] for day in range(7)})
    return studio


def test_an_approved_engineer_offers_a_session_a_client_books_it_once():
    profile = _engineer()
    studio = _sessions(profile)
    assert studio.kind == StudioKind.ENGINEER and studio.engineer == profile
    assert studio.owner == profile.user and studio.name == "Ada Mix"
    assert studio.approved_at is None  # no staff approval of its own: the engineer's counts
    assert engineer_sessions_open(profile=profile, time_zone="Asia/Tokyo") == studio  # one
    offer = make_room(studio, name="Mixing session (remote)", hourly_rate=6000, equipment="")
    client = make_adult("client@example.com")
    start = next_weekday(1, dt.time(14))
    booking = booking_create(client=client, room=offer, start=start, end=start + 2 * HOUR)
    assert booking.status == BookingStatus.REQUESTED and booking.total == 12000
    other = make_adult("other@example.com")
    with pytest.raises(SlotTaken):
        booking_create(client=other, room=offer, start=start + HOUR, end=start + 3 * HOUR)
    later = booking_create(client=other, room=offer, start=start + 2 * HOUR, end=start + 4 * HOUR)
    assert later.status == BookingStatus.REQUESTED


def test_an_unapproved_engineer_cannot_open_sessions(client):
    profile = _engineer(approved=False)
    with pytest.raises(EngineerNotApproved):
        engineer_sessions_open(profile=profile, time_zone="Europe/Berlin")
    client.force_login(profile.user)
    page = client.post(reverse("studios:engineer_sessions"), {"time_zone": "Europe/Berlin"})
    assert page.status_code == 400 and not Studio.objects.filter(engineer=profile).exists()


def test_the_sessions_are_listed_only_while_the_engineer_is_approved():
    profile = _engineer()
    studio = _sessions(profile)
    offer = make_room(studio, name="Tracking engineer at your studio")
    assert selectors.studios_listed().filter(pk=studio.pk).exists()
    assert selectors.rooms_bookable().filter(pk=offer.pk).exists() and studio.is_listed
    assert selectors.engineer_sessions_listed(profile) == studio
    EngineerProfile.objects.filter(pk=profile.pk).update(approved_at=None)  # staff revoke
    studio.refresh_from_db()
    assert not selectors.studios_listed().filter(pk=studio.pk).exists()
    assert not selectors.rooms_bookable().filter(pk=offer.pk).exists() and not studio.is_listed
    assert selectors.engineer_sessions_listed(profile) is None
    client = make_adult("client@example.com")
    start = next_weekday(2, dt.time(12))
    with pytest.raises(SlotUnavailable, match="cannot be booked"):
        booking_create(client=client, room=offer, start=start, end=start + HOUR)
    # a staff approval of the studio row does not list an unapproved engineer's sessions
    Studio.objects.filter(pk=studio.pk).update(approved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert not selectors.studios_listed().filter(pk=studio.pk).exists()


def test_the_pages_link_the_engineer_dashboard_and_public_page(client):
    profile = _engineer()
    client.force_login(profile.user)
    dashboard = client.get(reverse("orders:studio")).content.decode()
    assert reverse("studios:engineer_sessions") in dashboard
    page = client.post(reverse("studios:engineer_sessions"), {"time_zone": "Nowhere/City"})
    assert page.status_code == 400 and not Studio.objects.filter(engineer=profile).exists()
    page = client.post(reverse("studios:engineer_sessions"), {"time_zone": "Europe/Berlin"})
    studio = Studio.objects.get(engineer=profile)
    assert page.status_code == 302 and page["Location"] == reverse(
        "studios:manage", args=[studio.pk]
    )
    assert client.get(reverse("studios:engineer_sessions"))["Location"] == page["Location"]
    assert "Session offers" in client.get(page["Location"]).content.decode()
    public = reverse("orders:engineer", args=[profile.pk])
    assert "Book a session" not in client.get(public).content.decode()  # no offer yet
    make_room(studio, name="Mixing session (remote)")
    body = client.get(public).content.decode()
    assert "Book a session" in body and reverse("studios:studio", args=[studio.pk]) in body
    assert (
        "Mixing session (remote)"
        in client.get(reverse("studios:studio", args=[studio.pk])).content.decode()
    )


def test_the_search_filters_studios_or_engineers(client, owner):

    make_room(make_studio(owner), name="Live room")
    make_room(_sessions(_engineer()), name="Mixing session (remote)")
    search = reverse("studios:search")
    both = client.get(search, {"kind": ""}).content.decode()
    assert "Live room" in both and "Mixing session (remote)" in both
    engineers = client.get(search, {"kind": "engineer"}).content.decode()
    assert "Mixing session (remote)" in engineers and "Live room" not in engineers
    studios = client.get(search, {"kind": "studio"}).content.decode()
    assert "Live room" in studios and "Mixing session (remote)" not in studios
    assert client.get(search, {"kind": "x\x00"}).status_code == 200  # invalid: no results
