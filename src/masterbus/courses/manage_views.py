"""Authoring pages for staff with the teacher role (thin): courses, modules, lessons with a
preview of the rendered Markdown, quiz questions, audio examples. Each view needs the staff flag
and the permission; each write is audited by the service (P20)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.core.files import stored_file_response
from masterbus.courses.forms import AudioForm, CourseForm, LessonForm, QuestionForm, TitleForm
from masterbus.courses.markdown import lesson_html
from masterbus.courses.models import AudioExample, Course, Lesson, Module, Question
from masterbus.courses.services import authoring

CHANGE = "courses.change_course"
T = TypeVar("T")


def teacher(view: Callable) -> Callable:
    """Staff with the teacher role (or any role holding the permission); others are refused."""
    return staff_member_required(permission_required(CHANGE, raise_exception=True)(view))


def _lesson(lesson_id) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("module__course"), pk=lesson_id)


def _failed(request: HttpRequest, error: DomainError | None = None, form=None) -> None:
    if error is not None:
        messages.error(request, error.message)
    elif form is not None:
        problems = [f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()]
        messages.error(request, "Not saved. " + " ".join(problems))


def _saved(request: HttpRequest, form, write: Callable[[], T]) -> T | None:
    """Run the write when the form is valid; an invalid form or a refusal becomes an error
    message and None."""
    if not form.is_valid():
        _failed(request, form=form)
        return None
    try:
        return write()
    except DomainError as error:
        _failed(request, error)
        return None


@access.staff
@teacher
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Every course, and a form for a new one."""
    form = CourseForm(request.POST or None)
    if request.method == "POST":
        made = _saved(
            request, form, lambda: authoring.course_create(actor=request.user, **form.values())
        )
        if made is not None:
            return redirect("courses:manage_course", course_id=made.pk)
    return render(request, "courses/manage.html", {"courses": Course.objects.all(), "form": form})


@access.staff
@teacher
@require_http_methods(["GET", "POST"])
def manage_course(request: HttpRequest, course_id) -> HttpResponse:
    """The course's settings (posting saves them), modules, lessons and audio examples."""
    found = get_object_or_404(Course, pk=course_id)
    form = CourseForm.for_course(found, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            authoring.course_update(actor=request.user, course=found, **form.values())
            messages.success(request, "Course saved.")
            return redirect("courses:manage_course", course_id=found.pk)
        _failed(request, form=form)
    context = {
        "course": found,
        "form": form,
        "modules": found.modules.prefetch_related("lessons"),
        "module_form": TitleForm(),
        "lesson_form": TitleForm(),
        "audio_form": AudioForm(),
        "examples": found.audio_examples.all(),
    }
    return render(request, "courses/manage_course.html", context)


@access.staff
@teacher
@require_POST
def module_create(request: HttpRequest, course_id) -> HttpResponse:
    found = get_object_or_404(Course, pk=course_id)
    form = TitleForm(request.POST)
    _saved(
        request,
        form,
        lambda: authoring.module_create(actor=request.user, course=found, **form.cleaned_data),
    )
    return redirect("courses:manage_course", course_id=found.pk)


@access.staff
@teacher
@require_POST
def lesson_create(request: HttpRequest, module_id) -> HttpResponse:
    module = get_object_or_404(Module, pk=module_id)
    form = TitleForm(request.POST)
    made = _saved(
        request,
        form,
        lambda: authoring.lesson_create(actor=request.user, module=module, **form.cleaned_data),
    )
    if made is not None:
        return redirect("courses:manage_lesson", lesson_id=made.pk)
    return redirect("courses:manage_course", course_id=module.course_id)


@access.staff
@teacher
@require_POST
def audio_upload(request: HttpRequest, course_id) -> HttpResponse:
    found = get_object_or_404(Course, pk=course_id)
    form = AudioForm(request.POST, request.FILES)
    example = _saved(
        request,
        form,
        lambda: authoring.audio_add(
            actor=request.user,
            course=found,
            name=form.cleaned_data["name"],
            uploaded=form.cleaned_data["file"],
        ),
    )
    if example is not None:
        messages.success(request, f"Audio example {example.name} added.")
    return redirect("courses:manage_course", course_id=found.pk)


@access.staff
@teacher
@require_GET
def manage_audio(request: HttpRequest, audio_id) -> HttpResponse:
    """An audio example, for the teachers' preview."""
    found = get_object_or_404(AudioExample, pk=audio_id)
    name = f"{found.name}.{found.format}"
    return stored_file_response(request, found.stored_name, filename=name, as_attachment=False)


@access.staff
@teacher
@require_http_methods(["GET", "POST"])
def manage_lesson(request: HttpRequest, lesson_id) -> HttpResponse:
    """Edit a lesson: "Preview" renders the posted Markdown without saving, "Save" saves."""
    item = _lesson(lesson_id)
    form = LessonForm(request.POST or None, initial={"title": item.title, "body": item.body})
    body = item.body
    if request.method == "POST":
        if not form.is_valid():
            _failed(request, form=form)
        elif "preview" in request.POST:
            body = form.cleaned_data["body"]
        else:
            try:
                authoring.lesson_update(actor=request.user, lesson=item, **form.cleaned_data)
            except DomainError as error:
                _failed(request, error)
            else:
                messages.success(request, "Lesson saved.")
                return redirect("courses:manage_lesson", lesson_id=item.pk)
    examples = {a.name: a.pk for a in item.module.course.audio_examples.all()}
    quiz = getattr(item, "quiz", None)
    context = {
        "lesson": item,
        "course": item.module.course,
        "form": form,
        "preview": lesson_html(
            body,
            audio_url=lambda n: (
                reverse("courses:manage_audio", args=[examples[n]]) if n in examples else None
            ),
            next_url=reverse("courses:manage_lesson", args=[item.pk]),
        ),
        "questions": quiz.questions.prefetch_related("choices") if quiz else [],
        "question_form": QuestionForm(),
    }
    return render(request, "courses/manage_lesson.html", context)


@access.staff
@teacher
@require_POST
def question_create(request: HttpRequest, lesson_id) -> HttpResponse:
    item = _lesson(lesson_id)
    form = QuestionForm(request.POST)
    _saved(
        request,
        form,
        lambda: authoring.question_add(
            actor=request.user,
            lesson=item,
            text=form.cleaned_data["text"],
            choices=form.parsed_choices(),
            multiple=form.cleaned_data["multiple"],
        ),
    )
    return redirect("courses:manage_lesson", lesson_id=item.pk)


@access.staff
@teacher
@require_POST
def question_delete(request: HttpRequest, question_id) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("quiz"), pk=question_id)
    authoring.question_delete(actor=request.user, question=question)
    return redirect("courses:manage_lesson", lesson_id=question.quiz.lesson_id)
