"""Features 3-5 over the JSON API: the same figures, themes and answers as the pages, owner
scoping (404 for someone else's package or room), the switch off (403), bounds (422), and the
hand-over creating a ticket for the token's user."""

from __future__ import annotations

import pytest

from masterbus.api.services import token_create
from masterbus.assistant.models import Turn
from masterbus.messaging.models import SupportTicket
from masterbus.profiles.selectors import profile_get
from tests.api.conftest import ApiClient
from tests.assistant.market import engineer_with, order_between, studio_reviewed, studio_with
from tests.assistant.test_reviews import REVIEWS
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db

SIX = (11000, 3000, 20000, 5000, 9000, 7000)


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="test")[1])


def test_price_of_my_package_and_room_equals_the_hand_computation():
    package = engineer_with("me@example.com", prices=(9900,))[0]
    for index, price in enumerate(SIX):
        engineer_with(f"e{index}@example.com", prices=(price,))
    body = api_for(package.engineer.user).post(f"/api/v1/assistant/prices/packages/{package.pk}")
    assert body.status_code == 200, body.content
    data = body.json()
    assert (data["q1"], data["median"], data["q3"], data["count"]) == (5500, 8000, 10500, 6)
    assert data["provider"] == "offline" and len(data["sources"]) == 6
    room = studio_with("owner@example.com", rates=(4000,))[0]
    answer = api_for(room.studio.owner).post(f"/api/v1/assistant/prices/rooms/{room.pk}").json()
    assert answer["count"] == 0 and answer["median"] is None and answer["unit"] == "per hour"


def test_someone_elses_package_or_room_is_404():
    package = engineer_with("me@example.com", prices=(9900,))[0]
    room = studio_with("owner@example.com", rates=(4000,))[0]
    stranger = api_for(make_user("stranger@example.com"))
    assert stranger.post(f"/api/v1/assistant/prices/packages/{package.pk}").status_code == 404
    assert stranger.post(f"/api/v1/assistant/prices/rooms/{room.pk}").status_code == 404
    assert stranger.post("/api/v1/assistant/prices/packages/99999999999999").status_code in (
        404,
        422,
    )
    assert not Turn.objects.exists()


def test_review_themes_with_links():
    studio = studio_with("owner@example.com", rates=(4000,))[0].studio
    made = studio_reviewed(studio, REVIEWS)
    api = api_for(make_user("reader@example.com"))
    data = api.post("/api/v1/assistant/reviews", {"kind": "studio", "id": str(studio.pk)})
    assert data.status_code == 200, data.content
    body = data.json()
    assert body["enough"] and body["count"] == 6
    room = next(t for t in body["themes"] if t["name"] == "Room and equipment")
    links = {f"#review-{r.pk}" for r in made}
    assert all(q["url"][q["url"].index("#") :] in links for q in room["pros"] + room["cons"])
    for payload in (
        {"kind": "studio", "id": "not-a-uuid"},
        {"kind": "engineer", "id": "x"},
        {"kind": "engineer", "id": "99999999999999999999999"},
        {"kind": "studio", "id": "00000000-0000-0000-0000-000000000000"},
    ):
        assert api.post("/api/v1/assistant/reviews", payload).status_code == 404, payload
    assert api.post("/api/v1/assistant/reviews", {"kind": "user", "id": "1"}).status_code == 422


def test_support_answers_the_users_own_orders_and_hands_over(alice, bob):
    order_between(alice, make_user("erin@example.com"), "Alice album master")
    order_between(bob, make_user("emma@example.com"), "Bob secret single")
    api = api_for(alice)
    data = api.post("/api/v1/assistant/support", {"question": "Where is my order?"}).json()
    assert data["sure"] and "Alice album master" in data["text"]
    assert "Bob secret single" not in data["text"]
    unsure = api.post("/api/v1/assistant/support", {"question": "meaning of life?"}).json()
    assert unsure["sure"] is False
    made = api.post("/api/v1/assistant/support/handover")
    assert made.status_code == 201, made.content
    ticket = SupportTicket.objects.get()
    assert ticket.user == alice and made.json()["url"].endswith(f"{ticket.pk}/")
    assert "Where is my order?" in ticket.thread.messages.get().body
    # Bob's token: no conversation of his, so nothing is handed over.
    refused = api_for(bob).post("/api/v1/assistant/support/handover")
    assert refused.status_code == 409 and refused.json()["code"] == "nothing_to_hand_over"
    assert SupportTicket.objects.count() == 1


def test_bad_questions_are_refused_without_a_500(alice, settings):
    api = api_for(alice)
    for payload in (
        {},
        {"question": ""},
        {"question": "x" * (settings.ASSISTANT_MAX_INPUT_CHARS + 1)},
        {"question": "\x00\x00"},
        {"question": 12},
    ):
        assert api.post("/api/v1/assistant/support", payload).status_code == 422, payload
    assert (
        api.post("/api/v1/assistant/support", {"question": "refund\x00 policy"}).status_code == 200
    )


def test_switched_off_assistant_answers_403(alice):
    profile = profile_get(alice)
    profile.assistant_enabled = False
    profile.save()
    response = api_for(alice).post("/api/v1/assistant/support", {"question": "refunds?"})
    assert response.status_code == 403 and response.json()["code"] == "assistant_off"
    assert not Turn.objects.exists()
