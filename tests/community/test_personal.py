"""Community data in the export and the deletion (P30, P32): found generically. Deleting an
account deletes its posts (with their comments, likes and reports), its comments, likes, follows,
blocks, ban and the reports it made; a moderator's handling of reports stays, naming nobody."""

from __future__ import annotations

import pytest

from masterbus.community.models import Ban, Block, Comment, Follow, Like, Post, Report
from masterbus.community.services.moderation import post_hide, report_create, user_ban
from masterbus.community.services.posts import post_create
from masterbus.community.services.social import block_set, comment_create, follow_set, like_set
from masterbus.rights.deletion import user_purge
from masterbus.rights.personal import actor_rows, personal_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(alice, bob, carol, moderator):
    own = post_create(author=bob, text="bob's post")
    alices = post_create(author=alice, text="alice's post")
    carols = post_create(author=carol, text="carol's post")
    comment_create(author=bob, post=alices, text="bob's comment")
    comment_create(author=alice, post=own, text="alice on bob's post")
    like_set(user=bob, post=alices, liked=True)
    follow_set(follower=bob, followed=alice, on=True)
    block_set(blocker=bob, blocked=carol, on=True)
    report_create(reporter=bob, post=alices, reason="spam", note="bob's note")
    report_create(reporter=alice, post=carols, reason="abuse")
    post_hide(moderator=moderator, post=carols)
    user_ban(moderator=moderator, user=carol)
    return own


def test_the_export_holds_every_kind_of_community_row(activity, bob, carol, moderator):
    rows = personal_rows(bob)
    for model in (Post, Comment, Like, Follow, Block, Report):
        assert rows.get(model), model
    assert {c.text for c in rows[Comment]} >= {"bob's comment", "alice on bob's post"}
    assert personal_rows(carol)[Ban]
    handled = actor_rows(moderator)
    assert handled["community.report"] and set(handled["community.report"][0]) == {
        "id",
        "status",
        "handled_at",
    }
    assert handled["community.ban"]


def test_deleting_an_account_takes_its_posts_and_its_reports(activity, alice, bob, moderator):
    user_purge(user=bob)
    assert not Post.objects.filter(text="bob's post").exists()
    assert not Comment.objects.filter(text__startswith="bob").exists()
    assert not Comment.objects.filter(text="alice on bob's post").exists()  # went with the post
    assert not Like.objects.exists() and not Follow.objects.exists() and not Block.objects.exists()
    assert not Report.objects.filter(note="bob's note").exists()
    assert Report.objects.count() == 1  # alice's report, handled by the moderator, stays
    user_purge(user=moderator)
    report = Report.objects.get()
    assert report.handled_by is None and report.reporter == alice
