"""Learner pages (thin): the catalogue, a course (enrol, or continue with progress), a lesson
with its embeds and quiz, marking done, answering, my courses, and the public certificate."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.core.files import stored_file_response
from masterbus.courses import selectors
from masterbus.courses.forms import quiz_answers
from masterbus.courses.markdown import Drill, lesson_html
from masterbus.courses.models import Lesson
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.courses.services.progress import lesson_mark_done, quiz_answer
from masterbus.payments.csp import allows_checkout


@access.public
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/catalogue.html", {"courses": selectors.courses_published()})


@access.public
@allows_checkout  # a paid course's enrol form redirects to the hosted checkout
@require_GET
def course(request: HttpRequest, course_slug: str) -> HttpResponse:
    found = selectors.course_published(course_slug)
    if found is None:
        raise Http404
    enrolment = selectors.enrolment_for(request.user, found)
    context = {
        "course": found,
        "enrolment": enrolment,
        "outline": selectors.course_outline(found, enrolment),
        "certificate": enrolment and selectors.certificate_of(enrolment),
    }
    return render(request, "courses/course.html", context)


@access.signed_in
@require_POST
def enrol(request: HttpRequest) -> HttpResponse:
    """The course is named in the form (any signed-in user may enrol in a published course)."""
    found = selectors.course_published(request.POST.get("course", ""))
    if found is None:
        messages.error(request, "Choose a course to enrol in.")
        return redirect("courses:catalogue")
    page = request.build_absolute_uri(reverse("courses:course", args=[found.slug]))
    try:
        _enrolment, checkout = enrolment_start(
            user=request.user, course=found, success_url=page, cancel_url=page
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("courses:course", course_slug=found.slug)
    if checkout is not None:
        return redirect(checkout.url)
    messages.success(request, f"You are enrolled in {found.title}.")
    return redirect("courses:course", course_slug=found.slug)


def _audio_url(lesson: Lesson, view: str):
    examples = {a.name: a.pk for a in lesson.module.course.audio_examples.all()}

    def url(name: str) -> str | None:
        return reverse(view, args=[examples[name]]) if name in examples else None

    return url


@access.signed_in
@require_GET
def lesson(request: HttpRequest, lesson_id) -> HttpResponse:
    """A lesson of a course the user is enrolled in (anyone else: 404)."""
    found = selectors.lesson_for_learner(request.user, lesson_id)
    if found is None:
        raise Http404
    item, enrolment = found
    here = reverse("courses:lesson", args=[item.pk])

    def drill_note(drill: Drill) -> str:
        best = selectors.drill_best(request.user, drill.kind, enrolment.enrolled_at)
        return f"Your best {drill.kind} score since enrolling: {best:.0%}" if best else ""

    quiz = getattr(item, "quiz", None)
    outline = selectors.course_outline(item.module.course, enrolment)
    context = {
        "lesson": item,
        "course": item.module.course,
        "enrolment": enrolment,
        "outline": outline,
        "html": lesson_html(
            item.body,
            audio_url=_audio_url(item, "courses:audio"),
            next_url=here,
            drill_note=drill_note,
        ),
        "quiz": quiz,
        "questions": quiz.questions.prefetch_related("choices") if quiz else [],
        "best": quiz and selectors.best_attempt(enrolment, quiz),
        "done": item.pk in outline.done,
        "certificate": selectors.certificate_of(enrolment),
    }
    return render(request, "courses/lesson.html", context)


@access.signed_in
@require_POST
def lesson_done(request: HttpRequest, lesson_id) -> HttpResponse:
    found = selectors.lesson_for_learner(request.user, lesson_id)
    if found is None:
        raise Http404
    item, enrolment = found
    if lesson_mark_done(enrolment=enrolment, lesson=item):
        messages.success(request, "Course complete: your certificate is ready.")
    return redirect("courses:lesson", lesson_id=item.pk)


@access.signed_in
@require_POST
def quiz_answer_view(request: HttpRequest, lesson_id) -> HttpResponse:
    """Grade the posted answers here; the result says which questions were right, not why."""
    found = selectors.lesson_for_learner(request.user, lesson_id)
    quiz = found and getattr(found[0], "quiz", None)
    if quiz is None:
        raise Http404
    item, enrolment = found
    try:
        graded = quiz_answer(
            enrolment=enrolment, quiz=quiz, answers=quiz_answers(quiz, request.POST)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("courses:lesson", lesson_id=item.pk)
    attempt = graded.attempt
    wrong = sum(not ok for ok in graded.correct.values())
    if attempt.passed:
        messages.success(request, f"Quiz passed: {attempt.score_percent} %.")
    else:
        messages.error(
            request,
            f"{attempt.score_percent} %: {wrong} {'answer is' if wrong == 1 else 'answers are'} "
            f"not right yet; {quiz.pass_percent} % passes. Try again.",
        )
    return redirect("courses:lesson", lesson_id=item.pk)


@access.signed_in
@require_GET
def audio(request: HttpRequest, audio_id) -> HttpResponse:
    """An audio example, for learners enrolled in its course (Range requests work)."""
    found = selectors.audio_for_learner(request.user, audio_id)
    if found is None:
        raise Http404
    name = f"{found.name}.{found.format}"
    return stored_file_response(request, found.stored_name, filename=name, as_attachment=False)


@access.signed_in
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/mine.html", {"rows": selectors.enrolments_of(request.user)})


@access.public
@require_GET
def certificate(request: HttpRequest, certificate_code: str) -> HttpResponse:
    """Anyone with the code may verify it: the name, the course and the date, nothing more."""
    found = selectors.certificate_by_code(certificate_code)
    if found is None:
        raise Http404
    return render(request, "courses/certificate.html", {"certificate": found})
