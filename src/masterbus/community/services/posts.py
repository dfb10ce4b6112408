"""Writing posts: create (text, optionally one attachment the poster owns) and delete."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from masterbus.community import attachments, search
from masterbus.community.errors import BannedError, CommunityError
from masterbus.community.limits import rate_check
from masterbus.community.models import Ban, Post


def clean_text(text: str, *, limit: int, what: str, required: bool = True) -> str:
    """Trimmed text within ``limit`` characters; a NUL character (PostgreSQL refuses it) or an
    empty required text is refused with a sentence saying so."""
    text = (text or "").strip()
    if "\x00" in text:
        raise CommunityError(f"The {what} holds a NUL character; remove it and try again.")
    if required and not text:
        raise CommunityError(f"Write something in the {what} first.")
    if len(text) > limit:
        raise CommunityError(f"A {what} has at most {limit} characters; this one has {len(text)}.")
    return text


def writer_check(user) -> None:
    """Banned members cannot post or comment."""
    if Ban.objects.filter(user=user).exists():
        raise BannedError("Your account may no longer post or comment in the community.")


def post_create(*, author, text: str, attachment_kind: str = "", attachment_id: str = "") -> Post:
    """A new visible post; the attachment is resolved for the author (only their own objects)
    and kept as a snapshot; counted against the author's post rate."""
    writer_check(author)
    text = clean_text(
        text, limit=settings.COMMUNITY_POST_MAX_CHARS, what="post", required=not attachment_kind
    )
    snapshot: dict = {}
    if attachment_kind:
        found = attachments.resolve(attachment_kind, str(attachment_id), owner=author)
        if found is None:
            raise CommunityError(
                "There is no such song or result of yours to share.", code="no_attachment"
            )
        snapshot = found.snapshot()
        attachment_id = found.object_id
    rate_check(user=author, action="post")
    with transaction.atomic():
        post = Post.objects.create(
            author=author,
            text=text,
            attachment_kind=attachment_kind if snapshot else "",
            attachment_id=attachment_id if snapshot else "",
            attachment=snapshot,
        )
        search.index_post(post)
    return post


def post_delete(*, post: Post) -> None:
    """The author deletes their post with its comments, likes and reports (the search index
    follows through the database trigger, see masterbus.community.search)."""
    post.delete()
