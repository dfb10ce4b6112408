"""The course pages: catalogue and course for anyone, enrolling, a lesson only for its
enrolled learners (the quiz's right answers never in the page), marking done, answering,
the certificate for anyone with its code; authoring for teachers only, with the preview."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masterbus.courses.models import AudioExample, Certificate, Enrolment, Lesson
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.rights.models import AuditEvent
from tests.courses.conftest import right_answers
from tests.platform.fixtures import make_user
from tests.support.music import music_file

pytestmark = pytest.mark.django_db


def lesson_list(course) -> list[Lesson]:
    return list(Lesson.objects.filter(module__course=course).order_by("position"))


def test_the_catalogue_and_course_are_public_and_a_draft_is_not(client, course, teacher):
    assert course.title in client.get(reverse("courses:catalogue")).text
    page = client.get(reverse("courses:course", args=[course.slug]))
    assert page.status_code == 200 and "Sign in to enrol" in page.text and "Levels" in page.text
    course.published = False
    course.save()
    assert client.get(reverse("courses:course", args=[course.slug])).status_code == 404


def test_enrol_then_open_a_lesson_answer_the_quiz_and_complete(client, course, learner):
    client.force_login(learner)
    first, drill, quizzed = lesson_list(course)
    assert client.get(reverse("courses:lesson", args=[first.pk])).status_code == 404
    answer = client.post(reverse("courses:enrol"), {"course": course.slug})
    assert answer.status_code == 302 and Enrolment.objects.get(user=learner).status == "active"
    page = client.get(reverse("courses:course", args=[course.slug]))
    assert "Start with Levels" in page.text
    page = client.get(reverse("courses:lesson", args=[drill.pk]))
    assert "lesson-drill" in page.text and "frequency" in page.text
    page = client.get(reverse("courses:lesson", args=[quizzed.pk]))
    assert page.status_code == 200 and "What does LUFS measure?" in page.text
    assert "correct" not in page.text.lower()  # nothing in the page tells the right choices
    for lesson in (first, drill):
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    assert "Next: Loudness" in client.get(reverse("courses:lesson", args=[first.pk])).text
    right = right_answers(quizzed)
    posted = {f"q-{q}": [str(c) for c in chosen] for q, chosen in right.items()}
    answer = client.post(reverse("courses:quiz_answer", args=[quizzed.pk]), posted, follow=True)
    assert "Quiz passed: 100 %" in answer.text and "Course complete" in answer.text
    certificate = Certificate.objects.get(enrolment__user=learner)
    client.logout()
    page = client.get(reverse("courses:certificate", args=[certificate.code]))
    assert page.status_code == 200
    assert "Ada Learner" in page.text and "Mastering basics" in page.text
    assert learner.email not in page.text
    forged = certificate.code[:-2] + ("AA" if certificate.code[-2:] != "AA" else "BB")
    assert client.get(reverse("courses:certificate", args=[forged])).status_code == 404


def test_a_wrong_answer_says_how_many_without_the_right_choice(client, course, learner):
    enrolment_start(user=learner, course=course)
    client.force_login(learner)
    quizzed = lesson_list(course)[2]
    answer = client.post(
        reverse("courses:quiz_answer", args=[quizzed.pk]), {"q-1": ["x", "99999999999999"]},
        follow=True,
    )  # fmt: skip
    assert "0 %: 2 answers are not right yet" in answer.text


def test_another_learner_cannot_reach_a_lesson_or_its_audio(client, course, learner, tmp_path):
    enrolment_start(user=learner, course=course)
    client.force_login(make_user("other@example.com"))
    lesson = lesson_list(course)[0]
    assert client.get(reverse("courses:lesson", args=[lesson.pk])).status_code == 404
    assert client.post(reverse("courses:lesson_done", args=[lesson.pk])).status_code == 404


def test_only_teachers_author(client, course, learner):
    client.force_login(learner)
    assert client.get(reverse("courses:manage")).status_code in (302, 403)
    staff = make_user("plainstaff@example.com")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("courses:manage")).status_code == 403  # staff without the role
    assert client.post(reverse("courses:manage"), {"title": "X"}).status_code == 403


def test_a_teacher_previews_saves_and_uploads_audio(client, course, teacher, tmp_path):
    client.force_login(teacher)
    lesson = lesson_list(course)[0]
    url = reverse("courses:manage_lesson", args=[lesson.pk])
    body = "# New\n\n::audio kick\n\n<script>x</script>"
    page = client.post(url, {"title": "Levels", "body": body, "preview": "1"})
    assert page.status_code == 200 and "<h2>New</h2>" in page.text
    assert "<script>x" not in page.text and "Audio example “kick” is missing" in page.text
    lesson.refresh_from_db()
    assert lesson.body != body  # a preview saves nothing
    wav = music_file(tmp_path, seconds=1.0, lufs=-20.0, seed=5).read_bytes()
    upload = SimpleUploadedFile("kick.wav", wav, content_type="audio/wav")
    client.post(reverse("courses:audio_upload", args=[course.pk]), {"name": "kick", "file": upload})
    example = AudioExample.objects.get(course=course, name="kick")
    assert example.format == "wav" and 0.9 < example.duration_s < 1.1
    fake = SimpleUploadedFile("evil.wav", b"RIFF" + b"\0" * 2000, content_type="audio/wav")
    answer = client.post(
        reverse("courses:audio_upload", args=[course.pk]), {"name": "evil", "file": fake},
        follow=True,
    )  # fmt: skip
    assert "not audio we can play" in answer.text
    assert not AudioExample.objects.filter(name="evil").exists()
    client.post(url, {"title": "Levels", "body": body, "save": "1"})
    lesson.refresh_from_db()
    assert lesson.body == body
    page = client.post(url, {"title": "Levels", "body": body, "preview": "1"})
    assert reverse("courses:manage_audio", args=[example.pk]) in page.text
    audio = client.get(reverse("courses:manage_audio", args=[example.pk]), HTTP_RANGE="bytes=0-3")
    assert audio.status_code == 206 and b"".join(audio.streaming_content) == b"RIFF"
    assert AuditEvent.objects.filter(actor=teacher, object_id=str(example.pk)).exists()
    assert AuditEvent.objects.filter(
        actor=teacher, object_id=str(lesson.pk), changed_fields=["body"]
    ).exists()


def test_an_enrolled_learner_hears_the_example(client, course, teacher, learner, tmp_path):
    client.force_login(teacher)
    wav = music_file(tmp_path, seconds=1.0, lufs=-20.0, seed=5).read_bytes()
    upload = SimpleUploadedFile("kick.wav", wav, content_type="audio/wav")
    client.post(reverse("courses:audio_upload", args=[course.pk]), {"name": "kick", "file": upload})
    lesson = lesson_list(course)[0]
    client.post(
        reverse("courses:manage_lesson", args=[lesson.pk]),
        {"title": "Levels", "body": "::audio kick", "save": "1"},
    )
    example = AudioExample.objects.get(name="kick")
    enrolment_start(user=learner, course=course)
    client.force_login(learner)
    page = client.get(reverse("courses:lesson", args=[lesson.pk]))
    src = reverse("courses:audio", args=[example.pk])
    assert f'src="{src}"' in page.text
    assert client.get(src).status_code == 200
    client.force_login(make_user("stranger@example.com"))
    assert client.get(src).status_code == 404


def test_a_question_needs_a_right_choice(client, course, teacher):
    client.force_login(teacher)
    lesson = lesson_list(course)[0]
    answer = client.post(
        reverse("courses:question_create", args=[lesson.pk]),
        {"text": "Q?", "choices": "a\nb"},
        follow=True,
    )
    assert "Mark one right choice" in answer.text and not hasattr(lesson, "quiz")


def test_a_drill_card_shows_the_learners_best_score_since_enrolling(
    client, course, learner, monkeypatch
):
    enrolment, _ = enrolment_start(user=learner, course=course)
    asked = []

    def best(user, kind, since):
        asked.append((user, kind, since))
        return 0.8

    monkeypatch.setattr("masterbus.courses.selectors.drill_best", best)
    client.force_login(learner)
    drill = lesson_list(course)[1]
    page = client.get(reverse("courses:lesson", args=[drill.pk]))
    assert "Your best frequency score since enrolling: 80%" in page.text
    assert asked == [(learner, "frequency", enrolment.enrolled_at)]
