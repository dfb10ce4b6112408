"""The community feed: posts (text, optionally one attachment), comments, likes, follows, blocks,
reports and bans. Everything here is the author's personal data and goes with their account
(reports included: the reporter's note is theirs; the moderation decision stays in the audit log).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Visibility(models.TextChoices):
    """A post's or comment's state: shown, hidden by a moderator (the author still sees it), or
    removed by a moderator or the author (nobody sees it)."""

    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden by a moderator"
    REMOVED = "removed", "Removed"


class Post(models.Model):
    """A short text, optionally with one attachment the poster shared (a snapshot: kind, the
    shared object's id, and its title and summary as they were when posted)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_posts"
    )
    text = models.TextField()
    attachment_kind = models.CharField(max_length=32, blank=True)
    attachment_id = models.CharField(max_length=64, blank=True)
    attachment = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="community_post_feed"),
            models.Index(fields=["author", "-created_at"], name="community_post_author"),
        ]
        permissions = [("moderate", "Can hide and remove posts and comments and ban users")]

    def __str__(self) -> str:
        return f"post {self.pk} by user {self.author_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_comments"
    )
    text = models.TextField()
    status = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on post {self.post_id}"


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_likes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="like_once")]

    def __str__(self) -> str:
        return f"like of post {self.post_id}"


class Follow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_following"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"user {self.follower_id} follows user {self.followed_id}"


class Block(models.Model):
    """The blocker no longer sees the blocked user's posts and comments; the blocked user can
    neither comment on the blocker's posts nor follow them."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_blocked_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"user {self.blocker_id} blocks user {self.blocked_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Harassment or hate"
    COPYRIGHT = "copyright", "Someone else's music"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    ACTED = "acted", "Acted on"
    DISMISSED = "dismissed", "Dismissed"


class Report(models.Model):
    """A member's report of a post, waiting in the moderation queue until a moderator acts."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reports"
    )
    reason = models.CharField(max_length=16, choices=ReportReason.choices)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_per_post"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="community_report_queue")]

    def __str__(self) -> str:
        return f"report {self.pk} of post {self.post_id} ({self.status})"


class Ban(models.Model):
    """A banned member can no longer post or comment, and their posts are hidden."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_ban"
    )
    reason = models.CharField(max_length=500, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"ban of user {self.user_id}"
