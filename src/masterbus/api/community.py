"""The community feed over the community services: feeds, posts, comments, likes, follows,
reports and search (token).

Posts are for every member, so a post's id is not owner-scoped: a post the token's user may not
see (hidden, removed, by a member they blocked) is answered like an unknown one (404). Only a
post's author deletes it. The member or post a like, follow, comment or report is about goes in
the body, never the path. Texts must hold a visible character and no NUL (422); what the
services refuse on the state of things (following oneself, reporting one's own post) is 409,
an attachment that is not yours 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.api.paging import page_out, refuse_unknown_query
from masterbus.api.schemas import PageQuery
from masterbus.community import selectors
from masterbus.community.errors import CommunityError
from masterbus.community.models import Post, ReportReason
from masterbus.community.services.moderation import report_create
from masterbus.community.services.posts import post_create, post_delete
from masterbus.community.services.social import block_set, comment_create, follow_set, like_set

router = Router(tags=["community"])
NO_POST = "There is no such post."
NO_MEMBER = "There is no such member."
ID = Field(..., ge=1, le=2**62)
# A visible character somewhere, and no NUL (PostgreSQL cannot store one).
TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"
NO_NUL = r"^[^\x00]*$"
REFUSED = {**ERRORS, 409: ErrorOut}


@contextmanager
def refusals() -> Iterator[None]:
    """The services' refusals on the state of things as 409, a foreign attachment as 404."""
    try:
        yield
    except CommunityError as refused:
        if refused.code == "no_attachment":
            raise ApiError(404, "not_found", refused.message) from None
        if refused.code == "community_refused":
            raise ApiError(409, "refused", refused.message) from None
        raise


class MemberOut(Schema):
    id: int
    name: str = Field(description="the member's public display name (nothing else is shown)")


class AttachmentOut(Schema):
    kind: str = Field(description='"song" or "training-result"')
    title: str
    summary: str
    url: str
    audio_url: str = Field(description="a song's master preview (Range requests work); or empty")


class PostOut(Schema):
    id: int
    author: MemberOut
    text: str
    created_at: dt.datetime
    attachment: AttachmentOut | None
    like_count: int
    comment_count: int
    liked: bool


class PostPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[PostOut]


class PostIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., max_length=settings.COMMUNITY_POST_MAX_CHARS, pattern=TEXT)
    attachment_kind: Literal["", "song", "training-result"] = ""
    attachment_id: str = Field(
        "", max_length=64, pattern=NO_NUL, description="a song id of your library, or a result id"
    )


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    post_id: int = ID
    text: str = Field(..., max_length=settings.COMMUNITY_COMMENT_MAX_CHARS, pattern=TEXT)


class CommentOut(Schema):
    id: int
    post_id: int
    author: MemberOut
    text: str
    created_at: dt.datetime


class LikeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    post_id: int = ID
    liked: bool = True


class RelationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    member_id: int = ID
    on: bool = True


class RelationOut(Schema):
    member: MemberOut
    on: bool


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    post_id: int = ID
    reason: Literal[tuple(ReportReason.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=settings.COMMUNITY_REPORT_NOTE_MAX_CHARS, pattern=NO_NUL)


class ReportOut(Schema):
    id: int
    post_id: int
    reason: str
    status: str


class SearchQuery(PageQuery):
    q: str = Field(..., max_length=200, description="words a post must all hold (NUL is ignored)")


def _member(user) -> dict:
    return {"id": user.pk, "name": selectors.public_name(user)}


def _post_out(post: Post) -> dict:
    attachment = None
    if post.attachment:
        audio = (
            reverse("community:post_audio", args=[post.pk])
            if post.attachment_kind == "song"
            else ""
        )
        attachment = {
            "kind": post.attachment_kind,
            "title": post.attachment.get("title", ""),
            "summary": post.attachment.get("summary", ""),
            "url": post.attachment.get("url", ""),
            "audio_url": audio,
        }
    return {
        "id": post.pk,
        "author": _member(post.author),
        "text": post.text,
        "created_at": post.created_at,
        "attachment": attachment,
        "like_count": getattr(post, "like_count", 0),
        "comment_count": getattr(post, "comment_count", 0),
        "liked": bool(getattr(post, "liked", False)),
    }


def _visible(request: HttpRequest, post_id: int) -> Post:
    found = selectors.post_for_viewer(request.owner.user, post_id)
    if found is None:
        raise ApiError(404, "not_found", NO_POST)
    return found


def _page(request: HttpRequest, paging: PageQuery, posts, url_name: str) -> dict:
    window = posts[paging.offset : paging.offset + paging.limit]
    items = [_post_out(p) for p in window]
    return page_out(request, paging, url_name=url_name, count=posts.count(), items=items)


@router.get("/community/feed", response={200: PostPage, **ERRORS}, url_name="community_feed")
def feed(request: HttpRequest, paging: Query[PageQuery]):
    """Every member's posts, newest first (minus those of members you blocked)."""
    posts = selectors.feed_public(request.owner.user)
    return _page(request, paging, posts, "api:community_feed")


@router.get(
    "/community/feed/following", response={200: PostPage, **ERRORS}, url_name="community_following"
)
def feed_following(request: HttpRequest, paging: Query[PageQuery]):
    """Posts of the members you follow, and yours, newest first."""
    posts = selectors.feed_following(request.owner.user)
    return _page(request, paging, posts, "api:community_following")


@router.get("/community/search", response={200: PostPage, **ERRORS}, url_name="community_search")
def search(request: HttpRequest, query: Query[SearchQuery]):
    """Posts holding every word of ``q`` (quotes, ``*`` and operators are plain text)."""
    refuse_unknown_query(request, SearchQuery.model_fields)
    posts = selectors.post_search(request.owner.user, query.q)
    window = [_post_out(p) for p in posts[query.offset : query.offset + query.limit]]
    count = posts.count()
    base = f"{reverse('api:community_search')}?{urlencode({'q': query.q, 'limit': query.limit})}"
    after = query.offset + query.limit
    return {
        "count": count,
        "next": f"{base}&offset={after}" if after < count else None,
        "previous": f"{base}&offset={max(query.offset - query.limit, 0)}" if query.offset else None,
        "items": window,
    }


@router.post("/community/posts", response={201: PostOut, **REFUSED}, url_name="community_post_new")
def post_new(request: HttpRequest, payload: PostIn):
    """Post text (at most COMMUNITY_POST_MAX_CHARS), optionally sharing one of your songs or
    ear-training results. 429 ``rate_limited`` past your posts per hour; 400 ``banned``."""
    with refusals():
        post = post_create(
            author=request.owner.user,
            text=payload.text,
            attachment_kind=payload.attachment_kind,
            attachment_id=payload.attachment_id,
        )
    return Status(201, _post_out(selectors.post_for_viewer(request.owner.user, post.pk)))


@router.get(
    "/community/posts/{post_id}", response={200: PostOut, **ERRORS}, url_name="community_post"
)
def post_get(request: HttpRequest, post_id: int):
    return _post_out(_visible(request, post_id))


@router.delete(
    "/community/posts/{post_id}", response={204: None, **ERRORS}, url_name="community_post"
)
def post_remove_own(request: HttpRequest, post_id: int) -> Status:
    """Delete your post with its comments, likes and reports."""
    found = selectors.own_post(request.owner.user, post_id)
    if found is None:
        raise ApiError(404, "not_found", NO_POST)
    post_delete(post=found)
    return Status(204, None)


@router.get(
    "/community/posts/{post_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    url_name="community_comments",
)
def comments(request: HttpRequest, post_id: int):
    found = _visible(request, post_id)
    return [
        {
            "id": c.pk,
            "post_id": found.pk,
            "author": _member(c.author),
            "text": c.text,
            "created_at": c.created_at,
        }
        for c in selectors.comments_for(request.owner.user, found)[:500]
    ]


@router.post(
    "/community/comments", response={201: CommentOut, **REFUSED}, url_name="community_comment"
)
def comment(request: HttpRequest, payload: CommentIn):
    """Comment on a post. 400 ``blocked`` when its author blocked you; 429 ``rate_limited``."""
    found = _visible(request, payload.post_id)
    with refusals():
        made = comment_create(author=request.owner.user, post=found, text=payload.text)
    out = {"id": made.pk, "post_id": found.pk, "author": _member(made.author)}
    return Status(201, {**out, "text": made.text, "created_at": made.created_at})


@router.post("/community/likes", response={200: PostOut, **REFUSED}, url_name="community_like")
def like(request: HttpRequest, payload: LikeIn):
    """Like (or with ``liked: false`` unlike) a post; the post with its new count."""
    found = _visible(request, payload.post_id)
    with refusals():
        like_set(user=request.owner.user, post=found, liked=payload.liked)
    return _post_out(_visible(request, found.pk))


def _relation(request: HttpRequest, payload: RelationIn, action) -> dict:
    other = selectors.member(payload.member_id)
    if other is None:
        raise ApiError(404, "not_found", NO_MEMBER)
    with refusals():
        on = action(request.owner.user, other, payload.on)
    return {"member": _member(other), "on": on}


@router.post(
    "/community/follows", response={200: RelationOut, **REFUSED}, url_name="community_follow"
)
def follow(request: HttpRequest, payload: RelationIn):
    """Follow (or with ``on: false`` stop following) a member."""
    return _relation(request, payload, lambda me, o, on: follow_set(follower=me, followed=o, on=on))


@router.post(
    "/community/blocks", response={200: RelationOut, **REFUSED}, url_name="community_block"
)
def block(request: HttpRequest, payload: RelationIn):
    """Block (or with ``on: false`` unblock) a member: you no longer see their posts and
    comments, and they cannot comment on yours or follow you."""
    return _relation(request, payload, lambda me, o, on: block_set(blocker=me, blocked=o, on=on))


@router.post(
    "/community/reports", response={201: ReportOut, **REFUSED}, url_name="community_report"
)
def report(request: HttpRequest, payload: ReportIn):
    """Report a post to the moderators (once per post; 429 ``rate_limited``)."""
    found = _visible(request, payload.post_id)
    with refusals():
        made = report_create(
            reporter=request.owner.user, post=found, reason=payload.reason, note=payload.note
        )
    return Status(
        201, {"id": made.pk, "post_id": found.pk, "reason": made.reason, "status": made.status}
    )
