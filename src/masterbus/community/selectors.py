"""Reads of the feed, scoped to what the viewer may see: visible posts of members who are not
banned, minus everything of members the viewer blocked. Staff reads of the queue are separate."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet

from masterbus.accounts.models import User
from masterbus.community import search
from masterbus.community.models import (
    Ban,
    Block,
    Comment,
    Follow,
    Like,
    Post,
    Report,
    ReportStatus,
    Visibility,
)

MAX_PAGE = 10_000
MAX_ID = 2**62


def row_id(value) -> int | None:
    """A positive row id from a URL or a form value; None for anything else ("²", "-1", 10**30)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _viewer_id(viewer) -> int | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def posts_visible(viewer) -> QuerySet[Post]:
    """Every post ``viewer`` (a user, anonymous or None) may see, newest first, with counts."""
    posts = Post.objects.filter(status=Visibility.VISIBLE).exclude(
        Exists(Ban.objects.filter(user=OuterRef("author")))
    )
    viewer_id = _viewer_id(viewer)
    if viewer_id is not None:
        posts = posts.exclude(
            author__in=Block.objects.filter(blocker_id=viewer_id).values("blocked")
        ).annotate(liked=Exists(Like.objects.filter(post=OuterRef("pk"), user_id=viewer_id)))
    return (
        posts.select_related("author")
        .annotate(
            like_count=Count("likes", distinct=True),
            comment_count=Count(
                "comments", filter=Q(comments__status=Visibility.VISIBLE), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )


def page_of(posts: QuerySet[Post], number) -> Page:
    """One page of COMMUNITY_PAGE_SIZE posts; a bad or too-large number gives the nearest page."""
    paginator = Paginator(posts, settings.COMMUNITY_PAGE_SIZE)
    try:
        wanted = min(int(number), MAX_PAGE)
    except (TypeError, ValueError):
        wanted = 1
    return paginator.get_page(wanted)


def feed_public(viewer) -> QuerySet[Post]:
    return posts_visible(viewer)


def feed_following(viewer) -> QuerySet[Post]:
    """Posts of the members the viewer follows, and the viewer's own."""
    followed = Follow.objects.filter(follower=viewer).values("followed")
    return posts_visible(viewer).filter(Q(author__in=followed) | Q(author=viewer))


def posts_of(viewer, author) -> QuerySet[Post]:
    return posts_visible(viewer).filter(author=author)


def post_search(viewer, query: str) -> QuerySet[Post]:
    return search.matching(posts_visible(viewer), query)


def post_for_viewer(viewer, post_id) -> Post | None:
    """A post the viewer may see; its author also sees it while hidden by a moderator."""
    pk = row_id(post_id)
    if pk is None:
        return None
    found = posts_visible(viewer).filter(pk=pk).first()
    viewer_id = _viewer_id(viewer)
    if found is None and viewer_id is not None:
        found = (
            Post.objects.filter(pk=pk, author_id=viewer_id, status=Visibility.HIDDEN)
            .select_related("author")
            .annotate(like_count=Count("likes"), comment_count=Count("comments"))
            .first()
        )
    return found


def own_post(user, post_id) -> Post | None:
    pk = row_id(post_id)
    return Post.objects.filter(pk=pk, author=user).first() if pk is not None else None


def comments_for(viewer, post: Post) -> QuerySet[Comment]:
    comments = post.comments.filter(status=Visibility.VISIBLE).select_related("author")
    viewer_id = _viewer_id(viewer)
    if viewer_id is not None:
        comments = comments.exclude(
            author__in=Block.objects.filter(blocker_id=viewer_id).values("blocked")
        )
    return comments


def member(user_id) -> User | None:
    """An active member by id (for the profile page and follows)."""
    pk = row_id(user_id)
    return User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None


def public_name(user) -> str:
    """The only thing of a member the community shows: their display name (never the e-mail)."""
    return (user.display_name or "").strip() or f"Member {user.pk}"


def relation(viewer, other) -> dict:
    """Whether the viewer follows and blocks ``other`` (for the profile page's buttons)."""
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return {"follows": False, "blocks": False}
    return {
        "follows": Follow.objects.filter(follower_id=viewer_id, followed=other).exists(),
        "blocks": Block.objects.filter(blocker_id=viewer_id, blocked=other).exists(),
    }


def blocked_members(user) -> QuerySet[User]:
    return User.objects.filter(community_blocked_by__blocker=user).order_by("display_name", "pk")


def report_queue() -> QuerySet[Post]:
    """Posts with open reports, the longest waiting first, with their open reports."""
    open_reports = Report.objects.filter(status=ReportStatus.OPEN).order_by("created_at")
    return (
        Post.objects.filter(reports__status=ReportStatus.OPEN)
        .annotate(
            first_report=Min("reports__created_at"),
            like_count=Count("likes", distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .select_related("author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("first_report", "pk")
        .distinct()
    )
