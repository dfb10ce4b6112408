"""The courses API: the public catalogue, enrolling, a lesson rendered without its quiz's
answers, progress, answers graded on the server, my progress; another learner's lesson is 404;
odd input is a 4xx, never a 500."""

from __future__ import annotations

import pytest

from masterbus.api.services import token_create
from masterbus.courses.models import Lesson
from tests.api.conftest import ApiClient
from tests.courses.conftest import build_course, right_answers
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="script")[1])


def test_courses_are_public_with_their_outline(client, course):
    listed = client.get(f"{API}/courses").json()
    assert [c["slug"] for c in listed] == [course.slug] and listed[0]["price"] == 0
    detail = client.get(f"{API}/courses/{course.slug}").json()
    titles = [lesson["title"] for lesson in detail["modules"][0]["lessons"]]
    assert titles == ["Levels", "Hearing EQ", "Loudness"]
    assert [lesson["has_quiz"] for lesson in detail["modules"][0]["lessons"]] == [
        False,
        False,
        True,
    ]
    assert client.get(f"{API}/courses/no-such").status_code == 404
    assert client.get(f"{API}/courses/bad%00slug").status_code == 404


def test_a_learner_goes_through_a_course_by_the_api(course, learner):
    api = api_for(learner)
    first, drill, quizzed = Lesson.objects.filter(module__course=course).order_by("position")
    assert api.get(f"{API}/lessons/{first.pk}").status_code == 404  # not enrolled yet
    enrolled = api.post(f"{API}/enrolments", {"course": course.slug})
    assert enrolled.status_code == 201
    assert enrolled.json()["status"] == "active" and enrolled.json()["checkout_url"] is None
    again = api.post(f"{API}/enrolments", {"course": course.slug})
    assert again.status_code == 400 and again.json()["code"] == "enrolment_state"
    lesson = api.get(f"{API}/lessons/{quizzed.pk}").json()
    assert lesson["quiz_pass_percent"] == 70 and len(lesson["questions"]) == 2
    assert all(set(c) == {"id", "text"} for q in lesson["questions"] for c in q["choices"])
    assert "lesson-drill" in api.get(f"{API}/lessons/{drill.pk}").json()["html"]
    for done in (first, drill):
        progress = api.post(f"{API}/lessons/{done.pk}/progress").json()
    assert progress["lessons_done"] == 2 and progress["percent"] == 50
    right = right_answers(quizzed)
    answers = [{"question": q, "choices": sorted(c)} for q, c in right.items()]
    graded = api.post(f"{API}/lessons/{quizzed.pk}/quiz", {"answers": answers}).json()
    assert graded["score_percent"] == 100 and graded["passed"] and graded["course_completed"]
    mine = api.get(f"{API}/enrolments").json()
    assert mine[0]["percent"] == 100 and "/courses/certificates/" in mine[0]["certificate_url"]


def test_another_learner_gets_404(course, learner):
    api_for(learner).post(f"{API}/enrolments", {"course": course.slug})
    other = api_for(make_user("other@example.com"))
    lesson = Lesson.objects.filter(module__course=course).first()
    assert other.get(f"{API}/lessons/{lesson.pk}").status_code == 404
    assert other.post(f"{API}/lessons/{lesson.pk}/progress").status_code == 404
    assert other.post(f"{API}/lessons/{lesson.pk}/quiz", {"answers": []}).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"answers": [{"question": 2**70, "choices": [1]}]},
        {"answers": [{"question": 1, "choices": [2**70, -1]}]},
        {"answers": [{"question": 1, "choices": list(range(100))}]},
        {"answers": "\x00"},
    ],
)
def test_odd_quiz_answers_are_refused_or_ignored_never_a_server_error(course, learner, payload):
    api = api_for(learner)
    api.post(f"{API}/enrolments", {"course": course.slug})
    quizzed = Lesson.objects.filter(module__course=course).order_by("position").last()
    assert api.post(f"{API}/lessons/{quizzed.pk}/quiz", payload).status_code in (200, 422)


def test_a_paid_course_answers_with_the_checkout(payments_server, teacher, learner):
    paid = build_course(teacher, title="Paid", price=1900)
    answer = api_for(learner).post(f"{API}/enrolments", {"course": paid.slug}).json()
    assert answer["status"] == "awaiting_payment"
    assert answer["checkout_url"].startswith(payments_server.url)
