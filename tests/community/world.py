"""The URL walk's community objects for one party (tests/support/urlwalk.py): a post of the
party's own, with a comment, a like and a report by another member outside the walk. Texts are
neutral (no party markers): posts are public, so their text is not a leak."""

from __future__ import annotations

from masterbus.community.services.moderation import report_create
from masterbus.community.services.posts import post_create
from masterbus.community.services.social import comment_create, like_set
from tests.platform.fixtures import make_user


def community_objects(user) -> dict:
    other = make_user(f"community-{user.pk}@example.com")
    post = post_create(author=user, text="A post of the walk.")
    comment_create(author=other, post=post, text="A comment of the walk.")
    like_set(user=other, post=post, liked=True)
    report_create(reporter=other, post=post, reason="other", note="A report of the walk.")
    return {"community_post": post}
