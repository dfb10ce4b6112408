"""Reports from members and what moderators do about them: hide, remove, dismiss, ban. Every
moderator action is written to the audit log (P20) with ``rights.audit.audit_record``."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.community.errors import CommunityError
from masterbus.community.limits import rate_check
from masterbus.community.models import (
    Ban,
    Post,
    Report,
    ReportReason,
    ReportStatus,
    Visibility,
)
from masterbus.community.services.posts import clean_text
from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction

PERMISSION = "community.moderate"


def moderator_check(user) -> None:
    if not (user.is_active and user.is_staff and user.has_perm(PERMISSION)):
        raise CommunityError("Only moderators can do this.", code="not_moderator")


def report_create(*, reporter, post: Post, reason: str, note: str = "") -> Report:
    """A report waiting in the moderation queue (one per member and post: reporting again
    returns the first report)."""
    if reason not in ReportReason.values:
        raise CommunityError("Choose why you report this post.")
    note = clean_text(
        note, limit=settings.COMMUNITY_REPORT_NOTE_MAX_CHARS, what="note", required=False
    )
    if post.author_id == reporter.pk:
        raise CommunityError("You cannot report your own post; delete it instead.")
    if post.status == Visibility.REMOVED:
        raise CommunityError("This post has been removed already.")
    rate_check(user=reporter, action="report")
    report, _ = Report.objects.get_or_create(
        post=post, reporter=reporter, defaults={"reason": reason, "note": note}
    )
    return report


def _settle_reports(*, post_ids, moderator, status: str) -> None:
    Report.objects.filter(post_id__in=post_ids, status=ReportStatus.OPEN).update(
        status=status, handled_by=moderator, handled_at=timezone.now()
    )


def _post_move(*, moderator, post: Post, to: str, allowed: tuple[str, ...], name: str) -> bool:
    """One moderation move: a conditional UPDATE from the allowed states, its reports settled
    and the action audited; False when the post was not in an allowed state (nothing done)."""
    moderator_check(moderator)
    with transaction.atomic():
        moved = Post.objects.filter(pk=post.pk, status__in=allowed).update(
            status=to, moderated_at=timezone.now()
        )
        if not moved:
            return False
        post.refresh_from_db()
        _settle_reports(post_ids=[post.pk], moderator=moderator, status=ReportStatus.ACTED)
        audit_record(
            actor=moderator,
            action=AuditAction.ACTION,
            objects=[post],
            changed_fields=["status"],
            action_name=name,
        )
    return True


def post_hide(*, moderator, post: Post) -> bool:
    """Hide a visible post from everyone but its author."""
    return _post_move(
        moderator=moderator,
        post=post,
        to=Visibility.HIDDEN,
        allowed=(Visibility.VISIBLE,),
        name="community: hide post",
    )


def post_remove(*, moderator, post: Post) -> bool:
    """Remove a visible or hidden post for everyone."""
    return _post_move(
        moderator=moderator,
        post=post,
        to=Visibility.REMOVED,
        allowed=(Visibility.VISIBLE, Visibility.HIDDEN),
        name="community: remove post",
    )


def report_dismiss(*, moderator, report: Report) -> bool:
    """Close an open report without acting on the post."""
    moderator_check(moderator)
    with transaction.atomic():
        done = Report.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
            status=ReportStatus.DISMISSED, handled_by=moderator, handled_at=timezone.now()
        )
        if done:
            audit_record(
                actor=moderator,
                action=AuditAction.ACTION,
                objects=[report],
                changed_fields=["status"],
                action_name="community: dismiss report",
            )
    return bool(done)


def user_ban(*, moderator, user, reason: str = "") -> Ban:
    """Ban a member: no more posts or comments, and every visible post of theirs hidden."""
    moderator_check(moderator)
    if user.pk == moderator.pk or user.is_staff:
        raise CommunityError("Staff accounts cannot be banned here.")
    reason = clean_text(reason, limit=500, what="reason", required=False)
    with transaction.atomic():
        ban, created = Ban.objects.get_or_create(
            user=user, defaults={"reason": reason, "banned_by": moderator}
        )
        posts = list(Post.objects.filter(author=user, status=Visibility.VISIBLE))
        Post.objects.filter(pk__in=[p.pk for p in posts]).update(
            status=Visibility.HIDDEN, moderated_at=timezone.now()
        )
        _settle_reports(
            post_ids=[p.pk for p in posts], moderator=moderator, status=ReportStatus.ACTED
        )
        if created:
            audit_record(
                actor=moderator, action=AuditAction.ADD, objects=[ban], action_name="community: ban"
            )
        if posts:
            audit_record(
                actor=moderator,
                action=AuditAction.ACTION,
                objects=posts,
                changed_fields=["status"],
                action_name="community: hide post (ban)",
            )
    return ban
