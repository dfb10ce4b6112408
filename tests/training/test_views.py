"""The pages: signed-in only, one's own questions only, and before answering the page holds
nothing that tells the answer (two questions with different answers render the same page)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from masterbus.training.models import ExerciseStatus
from tests.training.conftest import ready

pytestmark = pytest.mark.django_db


def normalised(html: str, exercise) -> str:
    """The page with the question's own identifiers (its id, its clips' random names and the
    CSRF token) blanked out."""
    html = html.replace(str(exercise.pk), "ID")
    for clip in exercise.clips.all():
        html = html.replace(clip.name, "CLIP")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def twins(user, kind: str, difficulty: int):
    """Two ready questions of the same kind and level whose answers differ."""
    first = ready(user, kind, difficulty, material="pink")
    for _ in range(30):
        second = ready(user, kind, difficulty, material="pink")
        if second.params["answer"] != first.params["answer"]:
            return first, second
    raise AssertionError("no second answer in 30 draws")


@pytest.mark.parametrize(
    ("kind", "difficulty"),
    [("frequency", 1), ("frequency", 4), ("level", 2), ("compression", 3), ("width", 3),
     ("match-eq", 3)],
)  # fmt: skip
def test_the_page_before_answering_does_not_depend_on_the_answer(client, alice, kind, difficulty):
    client.force_login(alice)
    first, second = twins(alice, kind, difficulty)
    pages = [
        normalised(client.get(reverse("training:exercise", args=[e.pk])).content.decode(), e)
        for e in (first, second)
    ]
    assert pages[0] == pages[1]
    assert "CLIP" in pages[0]  # the clips are there, under names that say nothing


def test_answering_shows_the_graded_result(client, alice):
    client.force_login(alice)
    exercise = ready(alice, "frequency", 1)
    url = reverse("training:exercise_answer", args=[exercise.pk])
    response = client.post(url, {"choice": exercise.params["answer"]}, follow=True)
    assert response.status_code == 200
    assert b'id="result"' in response.content and b"100 %" in response.content
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.ANSWERED and exercise.score == 1.0
    again = client.post(url, {"choice": exercise.choices[0]["value"]}, follow=True)
    assert b"answered already" in again.content
    exercise.refresh_from_db()
    assert exercise.score == 1.0  # the first answer stands


def test_match_eq_answer_from_the_sliders(client, alice):
    client.force_login(alice)
    exercise = ready(alice, "match-eq", 1)
    import math

    position = math.log2(exercise.params["band_hz"])
    client.post(
        reverse("training:exercise_answer", args=[exercise.pk]),
        {"log_frequency": f"{position:.4f}", "gain_db": str(exercise.params["gain_db"])},
    )
    exercise.refresh_from_db()
    assert exercise.score == pytest.approx(1.0, abs=0.001)


@pytest.mark.parametrize(
    "data",
    [{}, {"log_frequency": "nan", "gain_db": "0"}, {"log_frequency": "1e308", "gain_db": "0"},
     {"log_frequency": "10", "gain_db": "99"}, {"log_frequency": "x\x00", "gain_db": "1"}],
)  # fmt: skip
def test_bad_match_eq_answers_are_refused_with_a_message(client, alice, data):
    client.force_login(alice)
    exercise = ready(alice, "match-eq", 1)
    response = client.post(
        reverse("training:exercise_answer", args=[exercise.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert b'class="error"' in response.content or b"error" in response.content
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.READY


def test_another_users_question_and_clips_are_404(client, alice, bob):
    exercise = ready(alice, "frequency", 1)
    client.force_login(bob)
    assert client.get(reverse("training:exercise", args=[exercise.pk])).status_code == 404
    clip = exercise.clips.first().name
    assert client.get(reverse("training:clip", args=[exercise.pk, clip])).status_code == 404
    answer = reverse("training:exercise_answer", args=[exercise.pk])
    assert client.post(answer, {"choice": exercise.params["answer"]}).status_code == 404
    client.force_login(alice)
    response = client.get(reverse("training:clip", args=[exercise.pk, clip]))
    assert response.status_code == 200 and response["Content-Type"] == "audio/x-wav"
    assert client.get(reverse("training:clip", args=[exercise.pk, "nope"])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in (reverse("training:home"), reverse("training:drill", args=["level"])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_drill_keeps_only_a_local_next_link(client, alice):
    client.force_login(alice)
    url = reverse("training:drill", args=["frequency"])
    local = client.get(url, {"difficulty": "4", "next": "/courses/x/"}).content.decode()
    assert 'value="/courses/x/"' in local and 'value="4" checked' in local
    foreign = client.get(url, {"next": "https://evil.example/"}).content.decode()
    form = foreign.split('id="drill-form"')[1].split("</form>")[0]
    assert 'name="next"' not in form and "evil" not in form
    assert client.get("/training/drill/nope/").status_code == 404
    assert client.get(url, {"difficulty": "x\x00"}).status_code == 200


def test_drill_start_and_result_offer_the_next_link(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("training:exercise_start"),
        {"kind": "width", "difficulty": "2", "material": "music", "next": "/courses/x/"},
    )
    exercise = alice.training_exercises.get()
    assert response["Location"] == reverse("training:exercise", args=[exercise.pk])
    assert exercise.next_url == "/courses/x/" and exercise.difficulty == 2
    page = client.get(response["Location"]).content.decode()
    assert "Preparing the clips" in page and "data-pending" in page


def test_home_and_stats_pages(client, alice):
    client.force_login(alice)
    exercise = ready(alice, "frequency", 2)
    client.post(reverse("training:exercise_answer", args=[exercise.pk]), {"choice": "1000"})
    home = client.get(reverse("training:home")).content.decode()
    assert "Start today&#x27;s workout" in home or "Start today's workout" in home
    stats = client.get(reverse("training:stats")).content.decode()
    assert "<svg" in stats and 'id="bands"' in stats and "<script" not in stats.split("<main")[1]


def test_every_drill_opens_for_any_signed_in_user(client, bob):
    client.force_login(bob)
    for kind in ("frequency", "level", "compression", "width", "match-eq"):
        assert client.get(reverse("training:drill", args=[kind])).status_code == 200
