"""Forms of the authoring pages (teachers) and the learner's quiz."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator

from masterbus.courses.models import Course, Quiz

NO_NUL = RegexValidator(r"^[^\x00]*$", "The text holds a NUL character.")


def _text(max_length: int, **options) -> forms.CharField:
    return forms.CharField(max_length=max_length, validators=[NO_NUL], **options)


class CourseForm(forms.Form):
    title = _text(150)
    summary = _text(2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    price = forms.DecimalField(
        min_value=0, max_value=10_000, decimal_places=2, initial=0, help_text="0 is free"
    )
    currency = forms.RegexField(regex=r"^[a-zA-Z]{3}$", initial="eur", max_length=3)
    published = forms.BooleanField(required=False, help_text="listed and open for enrolment")

    @classmethod
    def for_course(cls, course: Course, data=None) -> CourseForm:
        initial = {
            "title": course.title,
            "summary": course.summary,
            "price": course.price / 100,
            "currency": course.currency,
            "published": course.published,
        }
        return cls(data, initial=initial)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "price": round(data["price"] * 100),
            "currency": data["currency"].lower(),
            "published": data["published"],
        }


class TitleForm(forms.Form):
    title = _text(150)


class LessonForm(forms.Form):
    title = _text(150)
    body = forms.CharField(
        required=False,
        max_length=settings.COURSES_LESSON_MAX_CHARS,
        validators=[NO_NUL],
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Markdown. A line '::audio name' plays an audio example of the course; "
        "'::drill frequency 2' links an ear-training drill (frequency, level, compression, "
        "width, match-eq; difficulty 1-5).",
    )


class QuestionForm(forms.Form):
    text = _text(500, label="Question")
    choices = _text(
        2400,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One choice per line; start the right ones with '*'.",
    )
    multiple = forms.BooleanField(required=False, label="Several choices may be right")

    def parsed_choices(self) -> list[tuple[str, bool]]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        return [(line.removeprefix("*").strip(), line.startswith("*")) for line in lines if line]


class AudioForm(forms.Form):
    name = forms.SlugField(max_length=60, help_text="used in the lesson as '::audio name'")
    file = forms.FileField(help_text="WAV, FLAC, AIFF, OGG or MP3")


def quiz_answers(quiz: Quiz, data) -> dict[int, set[int]]:
    """The choices posted per question (fields q-<question id>), ids only; anything odd drops."""
    answers: dict[int, set[int]] = {}
    for question in quiz.questions.all():
        chosen = set()
        for value in data.getlist(f"q-{question.pk}")[:20]:
            if value.isdigit() and len(value) < 12:
                chosen.add(int(value))
        answers[question.pk] = chosen
    return answers
