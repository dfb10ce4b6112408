"""Feature 3, fair prices: the median and interquartile range equal a hand computation, the
comparison set widens (and says so) when too few comparables exist, every comparable is listed
with its link, and the pages and their asking are the owner's only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masterbus.assistant.features import prices
from masterbus.assistant.models import Conversation, Turn
from masterbus.orders.models import Service
from masterbus.payments.money import format_money
from tests.assistant.market import engineer_with, studio_with
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db

# Six comparable prices and their quartiles by hand (linear interpolation at (n - 1) * p):
# sorted 3000 5000 7000 9000 11000 20000; Q1 at 1.25 -> 5000 + 0.25 * 2000 = 5500;
# median at 2.5 -> (7000 + 9000) / 2 = 8000; Q3 at 3.75 -> 9000 + 0.75 * 2000 = 10500.
SIX = (11000, 3000, 20000, 5000, 9000, 7000)


def test_spread_equals_the_hand_computation():
    spread = prices.spread_of(list(SIX))
    assert (spread.count, spread.q1, spread.median, spread.q3) == (6, 5500, 8000, 10500)
    # Odd count: 1 2 3 4 5 -> Q1 2, median 3, Q3 4; one price: all three are it; none: None.
    odd = prices.spread_of([500, 100, 400, 200, 300])
    assert (odd.q1, odd.median, odd.q3) == (200, 300, 400)
    assert prices.spread_of([4200]).q1 == prices.spread_of([4200]).q3 == 4200
    assert prices.spread_of([]) is None
    # Halves round to the nearest minor unit, up: 101 102 -> Q1 101.25, median 101.5, Q3 101.75.
    halves = prices.spread_of([101, 102])
    assert (halves.q1, halves.median, halves.q3) == (101, 102, 102)


def test_package_compared_with_same_service_and_genre_first():
    own = engineer_with("me@example.com", genres="Techno, house", prices=(9900,))[0]
    for index, price in enumerate(SIX):
        engineer_with(f"techno{index}@example.com", genres="techno", prices=(price,))
    # Not comparable: another genre, another service, inactive, unapproved, other currency.
    engineer_with("jazz@example.com", genres="jazz", prices=(99_000,))
    engineer_with("mix@example.com", genres="techno", prices=(1,), service=Service.MIXING)
    suggestion = prices.package_suggestion(own)
    assert not suggestion.widened
    assert "techno" in suggestion.basis and "mastering" in suggestion.basis
    assert (suggestion.spread.q1, suggestion.spread.median, suggestion.spread.q3) == (
        5500,
        8000,
        10500,
    )
    assert sorted(c.price for c in suggestion.comparables) == sorted(SIX)
    answer = prices.package_answer(own)
    assert answer.data["median"] == 8000 and answer.data["q1"] == 5500
    assert format_money(5500, "eur") in answer.text and format_money(10500, "eur") in answer.text
    assert "within that range" in answer.text  # 99.00 lies between 55.00 and 105.00
    urls = {s["url"] for s in answer.sources}
    assert reverse("orders:engineer", args=[own.engineer_id]) not in urls  # never itself
    assert len(answer.sources) == 6 and all(s["url"].startswith("/") for s in answer.sources)


def test_too_few_close_comparables_widen_the_set_and_say_so():
    own = engineer_with("me@example.com", genres="techno", prices=(2000,))[0]
    engineer_with("t1@example.com", genres="techno", prices=(4000,))
    for index, price in enumerate((1000, 3000, 5000, 7000)):
        engineer_with(f"other{index}@example.com", genres="folk", prices=(price,))
    suggestion = prices.package_suggestion(own)
    assert suggestion.widened and suggestion.basis == "mastering packages"
    assert suggestion.spread.count == 5 and suggestion.spread.median == 4000
    text = prices.draft(suggestion)
    assert text.startswith("Too few close comparables, so the comparison was widened")


def test_no_comparables_at_all_gives_no_range():
    own = engineer_with("alone@example.com", prices=(5000,))[0]
    answer = prices.package_answer(own)
    assert answer.data["count"] == 0 and answer.data["median"] is None
    assert "no comparable packages" in answer.text and answer.sources == []


def test_room_compared_within_its_city_then_anywhere():
    own = studio_with("me@example.com", genres="rock", rates=(5000,))[0]
    for index, rate in enumerate(SIX):
        studio_with(f"berlin{index}@example.com", genres="Rock, pop", rates=(rate,))
    studio_with("hamburg@example.com", city="Hamburg", genres="rock", rates=(1,))
    suggestion = prices.room_suggestion(own)
    assert not suggestion.widened and "Berlin" in suggestion.basis
    assert (suggestion.spread.q1, suggestion.spread.median, suggestion.spread.q3) == (
        5500,
        8000,
        10500,
    )
    assert "below that range" in prices.draft(suggestion)
    # Fewer than the minimum in Berlin: the set widens to rooms anywhere.
    lonely = studio_with("koeln@example.com", city="Köln", rates=(4000,))[0]
    wide = prices.room_suggestion(lonely)
    assert wide.widened and wide.basis == "rooms anywhere" and wide.spread.count == 8


def test_owner_asks_on_the_package_page_and_the_answer_is_recorded(client):
    own = engineer_with("me@example.com", genres="techno", prices=(9900,))[0]
    for index, price in enumerate(SIX):
        engineer_with(f"techno{index}@example.com", genres="techno", prices=(price,))
    client.force_login(own.engineer.user)
    page = reverse("assistant:prices_package", args=[own.pk])
    assert client.get(page).status_code == 200
    response = client.post(reverse("assistant:prices_package_ask", args=[own.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert format_money(8000, "eur") in html and "Based on 6 sources" in html
    turn = Turn.objects.get(role="assistant")
    assert turn.conversation.subject_type == "package" and turn.provider == "offline"
    assert len(turn.sources) == 6


def test_someone_elses_package_or_room_is_not_found(client):
    package = engineer_with("me@example.com", prices=(9900,))[0]
    room = studio_with("owner@example.com", rates=(5000,))[0]
    client.force_login(make_user("stranger@example.com"))
    for name, arg in [
        ("assistant:prices_package", package.pk),
        ("assistant:prices_room", room.pk),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code == 404
        assert client.post(reverse(f"{name}_ask", args=[arg])).status_code == 404
    assert not Conversation.objects.exists()


def test_the_room_owner_asks_for_a_rate(client):
    room = studio_with("owner@example.com", rates=(5000,))[0]
    client.force_login(room.studio.owner)
    response = client.post(reverse("assistant:prices_room_ask", args=[room.pk]), follow=True)
    assert response.status_code == 200
    assert "no comparable rooms" in response.content.decode()
