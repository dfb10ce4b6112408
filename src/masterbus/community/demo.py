"""Demo community (loaded by `masterbus demo`; idempotent): the demo listener shares their
mastered song, a producer comments and follows, a like, and a spammy post reported by the
listener waiting in the moderation queue for the demo moderator."""

from __future__ import annotations

from masterbus.community.models import Post
from masterbus.community.services.moderation import report_create
from masterbus.community.services.posts import post_create
from masterbus.community.services.social import comment_create, follow_set, like_set
from masterbus.community.songs import SONG
from masterbus.demo.users import demo_user
from masterbus.mastering.models import Song
from masterbus.rights.roles import MODERATOR

FIRST = "First master of the new single: -14 LUFS for streaming. Feedback welcome!"


def load(*, stdout) -> None:
    listener = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    producer = demo_user("producer", display_name="Demo Producer", stdout=stdout)
    spammer = demo_user("newcomer", display_name="Cheap Plays", stdout=stdout)
    demo_user("moderator", display_name="Demo Moderator", stdout=stdout, staff_role=MODERATOR)
    if Post.objects.filter(author=listener, text=FIRST).exists():
        return
    song = Song.objects.filter(user=listener).order_by("created_at").first()
    shared = post_create(
        author=listener,
        text=FIRST,
        attachment_kind=SONG if song else "",
        attachment_id=str(song.pk) if song else "",
    )
    tip = post_create(
        author=producer, text="Tip: check your mix in mono before you master; the bass tells."
    )
    comment_create(author=producer, post=shared, text="The low end sits well. Nice work!")
    like_set(user=listener, post=tip, liked=True)
    follow_set(follower=producer, followed=listener, on=True)
    spam = post_create(author=spammer, text="Buy 10,000 plays now, cheap!!!")
    report_create(reporter=listener, post=spam, reason="spam", note="Advertising.")
    stdout.write("  community: 3 posts (one with a song), a comment, a like; a report waits")
