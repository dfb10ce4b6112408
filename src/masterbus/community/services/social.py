"""Comments, likes, follows and blocks between members."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from masterbus.community.errors import BlockedError, CommunityError
from masterbus.community.limits import rate_check
from masterbus.community.models import Block, Comment, Follow, Like, Post, Visibility
from masterbus.community.services.posts import clean_text, writer_check


def blocks(*, blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def comment_create(*, author, post: Post, text: str) -> Comment:
    """A comment on a visible post; refused to banned members and to anyone the post's author
    blocked."""
    writer_check(author)
    text = clean_text(text, limit=settings.COMMUNITY_COMMENT_MAX_CHARS, what="comment")
    if post.status != Visibility.VISIBLE:
        raise CommunityError("This post takes no comments.")
    if blocks(blocker=post.author, blocked=author):
        raise BlockedError("You cannot comment on this member's posts.")
    rate_check(user=author, action="comment")
    return Comment.objects.create(post=post, author=author, text=text)


def like_set(*, user, post: Post, liked: bool) -> bool:
    """Like or unlike a visible post (idempotent); whether the user now likes it."""
    if post.status != Visibility.VISIBLE:
        raise CommunityError("This post cannot be liked.")
    rate_check(user=user, action="like")
    if liked:
        Like.objects.get_or_create(post=post, user=user)
    else:
        Like.objects.filter(post=post, user=user).delete()
    return liked


def follow_set(*, follower, followed, on: bool) -> bool:
    """Follow or stop following a member (idempotent); refused for oneself and for a member who
    blocked the follower."""
    if follower.pk == followed.pk:
        raise CommunityError("You cannot follow yourself.")
    if on and blocks(blocker=followed, blocked=follower):
        raise BlockedError("You cannot follow this member.")
    if on:
        Follow.objects.get_or_create(follower=follower, followed=followed)
    else:
        Follow.objects.filter(follower=follower, followed=followed).delete()
    return on


def block_set(*, blocker, blocked, on: bool) -> bool:
    """Block (or unblock) a member; blocking also ends follows either way between the two."""
    if blocker.pk == blocked.pk:
        raise CommunityError("You cannot block yourself.")
    with transaction.atomic():
        if on:
            Block.objects.get_or_create(blocker=blocker, blocked=blocked)
            Follow.objects.filter(
                Q(follower=blocker, followed=blocked) | Q(follower=blocked, followed=blocker)
            ).delete()
        else:
            Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return on
