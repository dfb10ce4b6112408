"""The community's writes from the pages (each a POST; the target is named in the form, so no URL
carries another member's object): post, delete one's post, comment, like, follow, block,
report. A refusal is shown as a message, with what was typed kept in the form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from masterbus.community import selectors
from masterbus.community.forms import CommentForm, PostForm, ReportForm
from masterbus.community.services.moderation import report_create
from masterbus.community.services.posts import post_create, post_delete
from masterbus.community.services.social import block_set, comment_create, follow_set, like_set
from masterbus.community.views import feed_context, post_context
from masterbus.core import access
from masterbus.core.errors import DomainError


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """To the local page named in ``next``, else ``default``."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


NO_POST = "There is no such post, or it is no longer shown."
NO_MEMBER = "There is no such member."


def _visible_post(request: HttpRequest):
    """The post named in the form, if the member may see it (else None, said in a message)."""
    found = selectors.post_for_viewer(request.user, request.POST.get("post", ""))
    if found is None:
        messages.error(request, NO_POST)
    return found


@access.signed_in
@require_POST
def post_new(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST, user=request.user)
    if form.is_valid():
        kind, object_id = form.attachment()
        try:
            created = post_create(
                author=request.user,
                text=form.cleaned_data["text"],
                attachment_kind=kind,
                attachment_id=object_id,
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Posted.")
            return redirect("community:post", post_id=created.pk)
    posts = selectors.feed_public(request.user)
    context = feed_context(request, posts, tab="public", form=form)
    return render(request, "community/feed.html", context, status=400)


@access.signed_in
@require_POST
def post_delete_view(request: HttpRequest, post_id: int) -> HttpResponse:
    found = selectors.own_post(request.user, post_id)
    if found is None:
        raise Http404
    post_delete(post=found)
    messages.success(request, "Your post is deleted, with its comments and likes.")
    return redirect("community:feed")


@access.signed_in
@require_POST
def comment(request: HttpRequest) -> HttpResponse:
    found = _visible_post(request)
    if found is None:
        return redirect("community:feed")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_create(author=request.user, post=found, text=form.cleaned_data["text"])
        except DomainError as refused:
            form.add_error("text", refused.message)
        else:
            return redirect(reverse("community:post", args=[found.pk]) + "#comments")
    context = post_context(request, found, comment_form=form)
    return render(request, "community/post.html", context, status=400)


@access.signed_in
@require_POST
def like(request: HttpRequest) -> HttpResponse:
    found = _visible_post(request)
    if found is None:
        return redirect("community:feed")
    try:
        like_set(user=request.user, post=found, liked=request.POST.get("liked") != "0")
    except DomainError as refused:
        messages.error(request, refused.message)
    return _back(request, reverse("community:post", args=[found.pk]))


@access.signed_in
@require_POST
def report(request: HttpRequest) -> HttpResponse:
    found = _visible_post(request)
    if found is None:
        return redirect("community:feed")
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report_create(reporter=request.user, post=found, **form.cleaned_data)
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Thank you: a moderator will look at this post.")
            return redirect("community:post", post_id=found.pk)
    context = post_context(request, found, report_form=form)
    return render(request, "community/post.html", context, status=400)


def _relation_view(request: HttpRequest, action, done: str, undone: str) -> HttpResponse:
    other = selectors.member(request.POST.get("member", ""))
    if other is None:
        messages.error(request, NO_MEMBER)
        return redirect("community:feed")
    on = request.POST.get("on") != "0"
    name = selectors.public_name(other)
    try:
        action(request.user, other, on)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, (done if on else undone).format(name=name))
    return redirect("community:member", user_id=other.pk)


@access.signed_in
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    return _relation_view(
        request,
        lambda me, other, on: follow_set(follower=me, followed=other, on=on),
        "You follow {name}.",
        "You no longer follow {name}.",
    )


@access.signed_in
@require_POST
def block(request: HttpRequest) -> HttpResponse:
    return _relation_view(
        request,
        lambda me, other, on: block_set(blocker=me, blocked=other, on=on),
        "You blocked {name}: you no longer see their posts and comments.",
        "You unblocked {name}.",
    )
