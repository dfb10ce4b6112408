"""A learner in a real browser: enrols in a free course, reads a lesson with an ear-training
drill, marks lessons done, answers the quiz (graded on the server: the page never holds the
answers), completes the course and opens the public certificate. Every course page, and the
teacher's authoring pages, pass axe-core and fit a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, expect

from masterbus.courses.models import Certificate, Choice, Lesson
from tests.browser.fixtures import snap
from tests.courses.conftest import build_course, make_teacher
from tests.platform.fixtures import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PHONE = {"width": 375, "height": 800}


def signed_in(chromium: Browser, url: str, user, **options) -> BrowserContext:
    context = chromium.new_context(base_url=url, **options)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context


def accessible(context: BrowserContext, paths: list[str]) -> list[str]:
    """Serious or critical axe violations, and pages wider than a phone."""
    problems, axe = [], Axe()
    page = context.new_page()
    page.set_viewport_size(PHONE)
    for path in paths:
        assert page.goto(path).status == 200, path
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{path}: {violation['id']} {violation['help']}")
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            problems.append(f"{path}: wider than the phone")
    page.close()
    return problems


def test_a_learner_completes_a_course_and_gets_the_certificate(chromium: Browser, live_server):
    teacher = make_teacher()
    course = build_course(teacher)
    learner = make_user("ada@example.com")
    learner.display_name = "Ada Lovelace"
    learner.save(update_fields=["display_name"])
    levels, drill, quizzed = Lesson.objects.filter(module__course=course).order_by("position")
    errors: list[str] = []
    context = signed_in(chromium, live_server.url, learner)
    page = context.new_page()
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto("/courses/")
    snap(page, "courses/01-catalogue")
    page.get_by_role("link", name="Mastering basics").click()
    page.get_by_role("button", name="Enrol for free").click()
    expect(page.locator(".messages")).to_contain_text("You are enrolled in Mastering basics")
    expect(page.locator("#course-progress")).to_have_attribute("value", "0")
    snap(page, "courses/02-enrolled")
    page.get_by_role("link", name="Start with Levels").click()
    expect(page.locator("#lesson-body h3")).to_have_text("Gain staging")
    page.get_by_role("button", name="Mark this lesson done").click()
    expect(page.locator("#lesson-done")).to_be_visible()
    page.locator("#outline").get_by_role("link", name="Hearing EQ").click()
    card = page.locator(".lesson-drill")
    expect(card).to_contain_text("Ear-training drill: Frequency, difficulty 2 of 5")
    start = card.get_by_role("link")
    if start.count():  # the training app is there: the card links to the drill and back here
        href = start.get_attribute("href")
        assert "difficulty=2" in href and f"next=%2Fcourses%2Flessons%2F{drill.pk}%2F" in href
    else:
        expect(card).to_contain_text("Drill not available yet")
    snap(page, "courses/03-lesson-with-drill")
    page.get_by_role("button", name="Mark this lesson done").click()
    page.locator("#outline").get_by_role("link", name="Loudness").click()
    html = page.content()
    for choice in Choice.objects.filter(question__quiz__lesson=quizzed):
        assert f'value="{choice.pk}"' in html  # every choice alike: nothing marks the right ones
    assert "correct" not in html.lower()
    page.get_by_label("Peak level").check()  # wrong
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator(".messages")).to_contain_text("2 answers are not right yet")
    page.get_by_label("Loudness", exact=True).check()
    page.get_by_label("Limiting").check()
    page.get_by_label("Compression").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator(".messages")).to_contain_text("Quiz passed: 100 %")
    expect(page.locator("#course-progress")).to_have_attribute("value", "100")
    snap(page, "courses/04-quiz-passed")
    page.locator("#certificate-link").click()
    expect(page.locator("#certificate-name")).to_have_text("Ada Lovelace")
    expect(page.locator("#certificate-course")).to_have_text("Mastering basics")
    snap(page, "courses/05-certificate")
    certificate = Certificate.objects.get()
    assert page.url.endswith(reverse("courses:certificate", args=[certificate.code]))
    assert learner.email not in page.content()
    lessons = [reverse("courses:lesson", args=[lesson.pk]) for lesson in (levels, drill, quizzed)]
    pages = ["/courses/", f"/courses/{course.slug}/", "/courses/mine/", *lessons, page.url]
    problems = accessible(context, [p.removeprefix(live_server.url) for p in pages])
    context.close()
    stranger = chromium.new_context(base_url=live_server.url)
    shown = stranger.new_page()
    shown.goto(reverse("courses:certificate", args=[certificate.code]))
    expect(shown.locator("#certificate-name")).to_have_text("Ada Lovelace")  # anyone verifies
    stranger.close()
    assert not problems, problems
    assert not errors, errors


def test_the_authoring_pages_pass_axe(chromium: Browser, live_server):
    teacher = make_teacher()
    course = build_course(teacher)
    lesson = Lesson.objects.filter(module__course=course).order_by("position").last()
    context = signed_in(chromium, live_server.url, teacher)
    page = context.new_page()
    page.goto(reverse("courses:manage_lesson", args=[lesson.pk]))
    page.get_by_label("Body").fill("# Preview me\n\n::drill level 3")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview h2")).to_have_text("Preview me")
    snap(page, "courses/06-authoring-preview")
    paths = [
        reverse("courses:manage"),
        reverse("courses:manage_course", args=[course.pk]),
        reverse("courses:manage_lesson", args=[lesson.pk]),
    ]
    problems = accessible(context, paths)
    context.close()
    assert not problems, problems
