"""The moderators' pages: the queue of reported posts, and the actions on it (hide, remove,
dismiss the reports, ban the author), each audited by the moderation services (P20)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from masterbus.community import selectors
from masterbus.community.models import Post, Report, ReportStatus
from masterbus.community.services import moderation
from masterbus.core import access
from masterbus.core.errors import DomainError


def _moderator(request: HttpRequest) -> None:
    if not request.user.has_perm(moderation.PERMISSION):
        raise PermissionDenied


@access.staff
@staff_member_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    return render(request, "community/queue.html", {"posts": selectors.report_queue()[:100]})


def _act(moderator, post: Post, action: str) -> str:
    if action == "hide":
        moderation.post_hide(moderator=moderator, post=post)
        return "The post is hidden."
    if action == "remove":
        moderation.post_remove(moderator=moderator, post=post)
        return "The post is removed."
    if action == "dismiss":
        for open_report in post.reports.filter(status=ReportStatus.OPEN):
            moderation.report_dismiss(moderator=moderator, report=open_report)
        return "The reports are dismissed; the post stays."
    if action == "ban":
        moderation.user_ban(moderator=moderator, user=post.author, reason="banned from the queue")
        return "The author is banned and their posts are hidden."
    raise Http404


@access.staff
@staff_member_required
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    pk = selectors.row_id(request.POST.get("post", ""))
    found = Post.objects.filter(pk=pk).first() if pk is not None else None
    if found is None or not Report.objects.filter(post=found).exists():
        messages.error(request, "That post is not in the queue.")
        return redirect("community:queue")
    try:
        messages.success(request, _act(request.user, found, request.POST.get("action", "")))
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("community:queue")
