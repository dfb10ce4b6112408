"""Courses: content (course > module > lesson, audio examples, a quiz per lesson) written by
staff with the teacher role, and what a learner has (enrolment, lesson progress, quiz attempts,
a certificate). Content names no user: who wrote what is in the audit log (P20); the learner's
rows hang off the enrolment, so export and deletion find them through it (P30, P32)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models


class Course(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=150)
    summary = models.TextField(max_length=2000, blank=True)
    price = models.PositiveIntegerField(default=0, help_text="minor units; 0 is free")
    currency = models.CharField(max_length=3, default="eur")
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True, help_text="Markdown with ::audio and ::drill lines")

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def course(self) -> Course:
        return self.module.course


class AudioExample(models.Model):
    """A teacher's audio file, checked as audio by its content, embedded with ``::audio name``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audio_examples")
    name = models.SlugField(max_length=60)
    stored_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    duration_s = models.FloatField()
    format = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="audio_example_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Quiz(models.Model):
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="quiz")
    pass_percent = models.PositiveSmallIntegerField(default=70)

    def __str__(self) -> str:
        return f"quiz of {self.lesson}"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    multiple = models.BooleanField(default=False, help_text="several choices may be right")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    correct = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class EnrolmentStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    ACTIVE = "active", "Active"
    REFUNDED = "refunded", "Refunded"


class Enrolment(models.Model):
    """A learner in a course; a paid course's enrolment becomes active only through its
    payment's webhook (purpose "course", ``services.paid``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.AWAITING_PAYMENT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once_per_course"),
        ]

    def __str__(self) -> str:
        return f"enrolment in {self.course}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_done_once"),
        ]


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict, help_text="question id -> chosen choice ids")
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


def certificate_code() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits: the public page's only key


class Certificate(models.Model):
    """Public and verifiable by its unguessable code: the name, the course and the date only."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=32, unique=True, default=certificate_code)
    name = models.CharField(max_length=150)
    course_title = models.CharField(max_length=150)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"certificate {self.code[:6]}…"
