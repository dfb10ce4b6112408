"""A member posts a song in a real browser and it plays; another member reports the post; a
moderator hides it from the queue; the audit log records the moderator's action (P20)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from masterbus.community.models import Post, Report, ReportStatus, Visibility
from masterbus.rights.models import AuditEvent
from tests.browser.fixtures import snap
from tests.community.conftest import mastered_song
from tests.platform.fixtures import make_user
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def signed_in(chromium: Browser, url: str, user):
    context = chromium.new_context(base_url=url)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context


def member(email: str, name: str):
    user = make_user(email)
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def test_a_post_with_a_song_is_reported_and_hidden_by_a_moderator(chromium: Browser, live_server):
    from django.contrib.auth.models import Group

    from masterbus.rights.roles import MODERATOR

    poster = member("poster@example.com", "Rosa Riff")
    reader = member("reader@example.com", "Ben Bass")
    moderator = member("mod@example.com", "Mo Derator")
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    moderator.groups.add(Group.objects.get(name=MODERATOR))
    job = mastered_song(poster, title="Late Night Bounce")

    context = signed_in(chromium, live_server.url, poster)
    page = context.new_page()
    page.goto("/community/")
    page.get_by_label("What are you working on?").fill("My new master, loud and clear.")
    page.get_by_label("Share a song from your library").select_option(label="Late Night Bounce")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Posted.")).to_be_visible()
    post = Post.objects.get()
    assert post.attachment_id == str(job.pk)
    audio = page.locator("audio")
    expect(audio).to_have_attribute("src", f"/community/posts/{post.pk}/audio")
    audio.evaluate("a => a.play()")
    wait_until(lambda: audio.evaluate("a => a.currentTime") > 0.05, timeout=10)  # it plays
    snap(page, "1-post-with-song", goto="/community/")
    context.close()

    context = signed_in(chromium, live_server.url, reader)
    page = context.new_page()
    page.goto(f"/community/posts/{post.pk}/")
    expect(page.get_by_text("My new master, loud and clear.")).to_be_visible()
    page.get_by_text("Report this post").click()
    page.get_by_label("Why are you reporting this post?").select_option("copyright")
    page.get_by_label("Note for the moderators").fill("This is my song, not theirs.")
    snap(page, "2-report")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("a moderator will look at this post")).to_be_visible()
    assert Report.objects.get().status == ReportStatus.OPEN
    context.close()

    context = signed_in(chromium, live_server.url, moderator)
    page = context.new_page()
    page.goto("/community/moderation/")
    expect(page.get_by_text("This is my song, not theirs.")).to_be_visible()
    snap(page, "3-moderation-queue")
    page.set_viewport_size({"width": 375, "height": 800})  # staff pages are outside the axe walk
    violations = Axe().run(page).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name=f"Hide post {post.pk}").click()
    expect(page.get_by_text("The post is hidden.")).to_be_visible()
    expect(page.get_by_text("No reports are waiting.")).to_be_visible()
    context.close()

    post.refresh_from_db()
    assert post.status == Visibility.HIDDEN
    event = AuditEvent.objects.get(action_name="community: hide post")
    assert event.actor == moderator and event.object_id == str(post.pk)
    assert Report.objects.get().handled_by == moderator

    context = chromium.new_context(base_url=live_server.url)  # the public no longer sees it
    page = context.new_page()
    page.goto("/community/")
    expect(page.get_by_text("My new master, loud and clear.")).to_have_count(0)
    assert page.request.get(f"/community/posts/{post.pk}/audio").status == 404
    context.close()
