"""A daily ear-training workout end to end in a real browser: five questions, each played with
Web Audio (A/B switched while playing), answered and graded on the server. Before each answer,
neither the page (its DOM) nor anything the browser received (every response body but the WAV
clips) tells the right choice from the others, nor holds the question's secret parameters."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from masterbus.training.models import Exercise, ExerciseStatus, Kind, Workout
from masterbus.training.questions import hz_label
from masterbus.training.services.render import exercise_render
from tests.browser.fixtures import snap
from tests.platform.fixtures import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
# the names of the question's secret parameters (``Exercise.params``) and of its seed
SECRET_WORDS = ("band_hz", "delta_db", "width_percent", '"answer"', '"clip"', "seed", "depth_db")


def signed_in(chromium: Browser, url: str, user):
    context = chromium.new_context(base_url=url)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context


def received(page: Page, bodies: list[str]) -> None:
    """Keep the text of every page and JSON answer the browser gets (static files are the same
    for every question; the clips are audio)."""

    def keep(response) -> None:
        kind = response.headers.get("content-type", "")
        if not kind.startswith(("text/html", "application/json")) or response.status >= 300:
            return
        try:
            bodies.append(response.body().decode("utf-8", "replace"))
        except Exception:  # a response without a body (redirect, aborted)
            return

    page.on("response", keep)


def assert_nothing_tells_the_answer(exercise: Exercise, dom: str, bodies: list[str]) -> None:
    everything = [dom, *bodies]
    for text in everything:
        assert not [word for word in SECRET_WORDS if word in text], exercise.kind
    if exercise.kind == Kind.MATCH_EQ:
        secret = hz_label(exercise.params["band_hz"])
        if secret != "1 kHz":  # the slider's starting position is shown as 1 kHz
            assert all(secret not in text for text in everything)
        return
    form = dom.split('id="answer-form"')[1].split("</form>")[0]
    shapes = set()
    for choice in exercise.choices:  # every choice drawn alike: one unchecked radio and a label
        (markup,) = re.findall(
            rf'<label[^>]*><input[^>]*value="{re.escape(choice["value"])}"[^<]*<span>[^<]*</span></label>',
            form,
        )
        assert "checked" not in markup
        shapes.add(markup.replace(f'value="{choice["value"]}"', "V").replace(choice["label"], "L"))
    assert len(shapes) == 1, shapes


def test_a_daily_workout_end_to_end_never_shows_the_answer_first(chromium: Browser, live_server):
    user = make_user("listener@example.com")
    context = signed_in(chromium, live_server.url, user)
    page = context.new_page()
    bodies: list[str] = []
    received(page, bodies)
    page.goto("/training/")
    snap(page, "home")
    page.get_by_role("button", name="Start today's workout").click()
    expect(page.get_by_role("status").first).to_contain_text("Preparing the clips")
    workout = Workout.objects.get(user=user)
    for exercise in workout.exercises.all():  # the worker's task, run here
        exercise_render(exercise_id=exercise.pk)
    scores = []
    for position in range(5):
        exercise = workout.exercises.get(position=position)
        expect(page.locator("#prompt")).to_have_text(exercise.prompt, timeout=15000)
        page.wait_for_load_state("networkidle")
        player = page.locator("[data-player]")
        player.get_by_role("button", name="Play").click()
        status = player.locator("[data-player-status]")
        expect(status).to_contain_text("Playing", timeout=15000)
        player.get_by_role("radio").nth(1).check()
        expect(status).to_contain_text(exercise.params["labels"][1])
        assert_nothing_tells_the_answer(exercise, page.content(), bodies)
        if position == 0:
            violations = Axe().run(page).response["violations"]
            assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
            snap(page, "question")
        if exercise.kind == Kind.MATCH_EQ:
            slider = page.get_by_label("Frequency")
            slider.focus()
            for _ in range(10):
                page.keyboard.press("ArrowRight")  # the sliders work from the keyboard
            expect(page.locator("[data-eq-out=frequency]")).not_to_have_text("1 kHz")
        elif position % 2 == 0:
            right = next(c for c in exercise.choices if c["value"] == exercise.params["answer"])
            page.get_by_label(right["label"], exact=True).check()
        else:
            page.locator("#answer-form input[name=choice]").first.check()
        player.get_by_role("button", name="Stop").click()
        page.get_by_role("button", name="Answer").click()
        expect(page.locator("#result")).to_be_visible()
        exercise.refresh_from_db()
        assert exercise.status == ExerciseStatus.ANSWERED
        assert f"{round(100 * exercise.score)} %" in page.locator("#result").inner_text()
        scores.append(exercise.score)
        if position == 0:
            snap(page, "result")
        if position < 4:
            page.get_by_role("link", name="Next question").click()
    assert scores[0] == 1.0 and scores[2] == 1.0
    page.get_by_role("link", name="Workout done: see your progress").click()
    expect(page.locator("#skills")).to_be_visible()
    expect(page.locator("svg.progress-chart")).to_be_visible()
    snap(page, "stats")
    workout.refresh_from_db()
    assert workout.finished_at is not None
    page.goto("/training/")
    expect(page.locator("#workout")).to_contain_text("Done for today")
    page.set_viewport_size({"width": 375, "height": 800})
    first = workout.exercises.get(position=0)
    for url in ("/training/", "/training/stats/", "/training/drill/match-eq/",
                f"/training/exercise/{first.pk}/"):  # fmt: skip
        page.goto(url)
        violations = Axe().run(page).response["violations"]
        assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    context.close()
