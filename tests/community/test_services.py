"""Posts, comments, likes, follows, blocks: what the services allow and refuse."""

from __future__ import annotations

import pytest
from django.test import override_settings

from masterbus.community import selectors
from masterbus.community.errors import BannedError, BlockedError, CommunityError, RateError
from masterbus.community.models import Follow, Like, Post, Visibility
from masterbus.community.services.posts import post_create, post_delete
from masterbus.community.services.social import (
    block_set,
    comment_create,
    follow_set,
    like_set,
)
from masterbus.community.songs import SONG
from tests.community.conftest import mastered_song

pytestmark = pytest.mark.django_db


def test_a_post_with_the_posters_own_song_keeps_a_snapshot(alice):
    job = mastered_song(alice)
    post = post_create(
        author=alice, text="New master!", attachment_kind=SONG, attachment_id=str(job.song_id)
    )
    assert post.attachment_id == str(job.pk)  # the version shared, not "whatever is newest"
    assert post.attachment["title"] == "Night drive"
    assert "-14.0 LUFS" in post.attachment["summary"]


def test_nobody_attaches_someone_elses_song(alice, bob):
    job = mastered_song(alice)
    for object_id in (str(job.song_id), str(job.pk), "not-a-uuid", "\x00"):
        with pytest.raises(CommunityError):
            post_create(author=bob, text="mine now", attachment_kind=SONG, attachment_id=object_id)
    with pytest.raises(CommunityError):
        post_create(author=bob, text="x", attachment_kind="no-such-kind", attachment_id="1")
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "text", ["", "   ", "a\x00b", "x" * 2001], ids=["empty", "blank", "nul", "too-long"]
)
def test_bad_text_is_refused_with_a_sentence(alice, text):
    with pytest.raises(CommunityError) as refused:
        post_create(author=alice, text=text)
    assert refused.value.message.endswith(".")
    assert not Post.objects.exists()


@override_settings(COMMUNITY_RATE_POSTS="2/h", COMMUNITY_RATE_COMMENTS="1/h")
def test_posts_and_comments_are_rate_limited_per_user(alice, bob):
    post_create(author=alice, text="one")
    post = post_create(author=alice, text="two")
    with pytest.raises(RateError) as refused:
        post_create(author=alice, text="three")
    assert refused.value.retry_after > 0 and refused.value.code == "rate_limited"
    post_create(author=bob, text="bob has his own counter")
    comment_create(author=bob, post=post, text="nice")
    with pytest.raises(RateError):
        comment_create(author=bob, post=post, text="again")
    assert Post.objects.count() == 3


@override_settings(COMMUNITY_RATE_LIKES="3/m")
def test_likes_are_idempotent_and_rate_limited(alice, bob):
    post = post_create(author=alice, text="like me")
    like_set(user=bob, post=post, liked=True)
    like_set(user=bob, post=post, liked=True)
    assert Like.objects.count() == 1
    like_set(user=bob, post=post, liked=False)
    with pytest.raises(RateError):
        like_set(user=bob, post=post, liked=True)


def test_follow_feed_shows_followed_members_and_oneself(alice, bob, carol):
    post_create(author=alice, text="from alice")
    post_create(author=carol, text="from carol")
    mine = post_create(author=bob, text="from bob")
    follow_set(follower=bob, followed=alice, on=True)
    texts = [p.text for p in selectors.feed_following(bob)]
    assert texts == ["from bob", "from alice"] and mine.text in texts
    assert len(selectors.feed_public(None)) == 3
    with pytest.raises(CommunityError):
        follow_set(follower=bob, followed=bob, on=True)


def test_blocking_hides_the_blocked_and_stops_them_commenting_and_following(alice, bob):
    alices = post_create(author=alice, text="alice writes")
    bobs = post_create(author=bob, text="bob writes")
    comment_create(author=bob, post=alices, text="bob's comment before the block")
    follow_set(follower=bob, followed=alice, on=True)
    block_set(blocker=alice, blocked=bob, on=True)
    assert not Follow.objects.exists()  # blocking ends the follow
    assert bobs not in selectors.feed_public(alice)
    assert not selectors.comments_for(alice, alices).exists()
    assert selectors.post_for_viewer(alice, bobs.pk) is None
    assert selectors.comments_for(None, alices).count() == 1  # others still see it
    with pytest.raises(BlockedError):
        comment_create(author=bob, post=alices, text="let me in")
    with pytest.raises(BlockedError):
        follow_set(follower=bob, followed=alice, on=True)
    block_set(blocker=alice, blocked=bob, on=False)
    assert bobs in selectors.feed_public(alice)


def test_a_banned_member_cannot_post_or_comment(alice, bob, moderator):
    from masterbus.community.services.moderation import user_ban

    post = post_create(author=alice, text="fine post")
    earlier = post_create(author=bob, text="spam spam")
    user_ban(moderator=moderator, user=bob, reason="spam")
    earlier.refresh_from_db()
    assert earlier.status == Visibility.HIDDEN
    with pytest.raises(BannedError):
        post_create(author=bob, text="more spam")
    with pytest.raises(BannedError):
        comment_create(author=bob, post=post, text="spam")


def test_deleting_a_post_takes_its_likes_and_comments(alice, bob):
    post = post_create(author=alice, text="short-lived")
    like_set(user=bob, post=post, liked=True)
    comment_create(author=bob, post=post, text="bye")
    post_delete(post=post)
    assert not Post.objects.exists() and not Like.objects.exists()
