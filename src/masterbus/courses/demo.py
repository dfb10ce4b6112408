"""Demo courses (loaded by `masterbus demo`; idempotent): a teacher, the free course "Mastering
basics" (three lessons: one with an audio example and a drill, one with a quiz) with the demo
listener enrolled and one lesson done, and a paid course to show the checkout."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf
from django.core.files.uploadedfile import SimpleUploadedFile

from masterbus.courses.models import Course, Lesson
from masterbus.courses.services import authoring
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.courses.services.progress import lesson_mark_done
from masterbus.demo.users import demo_user

TITLE = "Mastering basics"
HEADROOM = """## Why headroom

A mix that peaks near **0 dBFS** leaves the limiter nothing to work with. Aim for peaks around
-6 dBFS before mastering. Listen to the example: a 1 kHz tone at -18 dBFS.

::audio tone

Read more in the [EBU R 128 recommendation](https://tech.ebu.ch/publications/r128).
"""
EARS = """## Hearing frequencies

Mastering decisions start with knowing which band you hear. Train it:

::drill frequency 2

Come back here when you are done: the drill brings you back.
"""
LOUDNESS = """## Loudness, not peaks

Streaming services measure **integrated loudness** in LUFS and turn loud masters down. Answer the
quiz below to finish the course.
"""


def _tone() -> SimpleUploadedFile:
    rate = 44100
    t = np.arange(rate * 2) / rate
    samples = (10 ** (-18 / 20) * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    buffer = io.BytesIO()
    sf.write(buffer, np.stack([samples, samples], axis=1), rate, format="WAV", subtype="PCM_16")
    return SimpleUploadedFile("tone.wav", buffer.getvalue(), content_type="audio/wav")


def load(*, stdout) -> None:
    teacher = demo_user("teacher", display_name="Demo Teacher", stdout=stdout, staff_role="teacher")
    listener = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    if Course.objects.filter(title=TITLE).exists():
        return
    course = authoring.course_create(
        actor=teacher,
        title=TITLE,
        summary="Headroom, hearing frequencies and loudness: the first steps of mastering.",
    )
    authoring.audio_add(actor=teacher, course=course, name="tone", uploaded=_tone())
    module = authoring.module_create(actor=teacher, course=course, title="First steps")
    first = authoring.lesson_create(actor=teacher, module=module, title="Headroom", body=HEADROOM)
    authoring.lesson_create(actor=teacher, module=module, title="Hearing EQ", body=EARS)
    quizzed = authoring.lesson_create(actor=teacher, module=module, title="Loudness", body=LOUDNESS)
    authoring.question_add(
        actor=teacher,
        lesson=quizzed,
        text="What do streaming services measure to turn masters down?",
        choices=[("Integrated loudness (LUFS)", True), ("Peak level", False), ("Bit depth", False)],
        multiple=False,
    )
    authoring.question_add(
        actor=teacher,
        lesson=quizzed,
        text="Which of these raise perceived loudness?",
        choices=[("Limiting", True), ("Compression", True), ("Lowering the fader", False)],
        multiple=True,
    )
    authoring.course_update(actor=teacher, course=course, published=True)
    enrolment, _ = enrolment_start(user=listener, course=course)
    lesson_mark_done(enrolment=enrolment, lesson=Lesson.objects.get(pk=first.pk))
    paid = authoring.course_create(
        actor=teacher,
        title="Loudness for streaming",
        summary="Targets, true peak and codecs: a master that survives every platform.",
        price=1900,
    )
    paid_module = authoring.module_create(actor=teacher, course=paid, title="Targets")
    authoring.lesson_create(
        actor=teacher, module=paid_module, title="Targets per platform", body=LOUDNESS
    )
    authoring.course_update(actor=teacher, course=paid, published=True)
    stdout.write(f"  courses: {TITLE} (free, 3 lessons) and {paid.title} (paid)")
