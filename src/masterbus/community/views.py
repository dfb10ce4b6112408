"""The community's pages: the public feed, the feed of people one follows, search, a post with
its comments, a member's page, and a shared song's audio. Writes are in action_views.py, the
moderators' pages in moderation_views.py."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masterbus.community import attachments, selectors
from masterbus.community.forms import CommentForm, PostForm, ReportForm, SearchForm
from masterbus.community.songs import TRAINING_RESULT, shared_preview
from masterbus.core import access
from masterbus.core.files import stored_file_response


def feed_context(request: HttpRequest, posts, *, tab: str, form: PostForm | None = None) -> dict:
    """What every feed page shows: one page of posts and, signed in, the post form (with the
    ear-training result ``?result=<id>`` offers, when it is the member's own)."""
    sharing = None
    if request.user.is_authenticated:
        result = (form["result"].value() if form is not None else request.GET.get("result")) or ""
        sharing = attachments.resolve(TRAINING_RESULT, str(result), owner=request.user)
        if form is None:
            form = PostForm(user=request.user, initial={"result": result if sharing else ""})
    return {
        "page": selectors.page_of(posts, request.GET.get("page")),
        "tab": tab,
        "form": form,
        "sharing": sharing,
        "search_form": SearchForm(),
    }


@access.public
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    posts = selectors.feed_public(request.user)
    return render(request, "community/feed.html", feed_context(request, posts, tab="public"))


@access.signed_in
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    posts = selectors.feed_following(request.user)
    context = feed_context(request, posts, tab="following")
    context["blocked"] = selectors.blocked_members(request.user)[:200]
    return render(request, "community/feed.html", context)


@access.public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    posts = selectors.post_search(request.user, query) if query else None
    context = {
        "search_form": form,
        "query": query,
        "page": selectors.page_of(posts, request.GET.get("page")) if posts is not None else None,
    }
    return render(request, "community/search.html", context)


def post_context(request: HttpRequest, post, **forms) -> dict:
    return {
        "post": post,
        "comments": selectors.comments_for(request.user, post),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "report_form": forms.get("report_form") or ReportForm(),
    }


@access.public
@require_GET
def post(request: HttpRequest, post_id: int) -> HttpResponse:
    found = selectors.post_for_viewer(request.user, post_id)
    if found is None:
        raise Http404
    return render(request, "community/post.html", post_context(request, found))


@access.public
@require_GET
def post_audio(request: HttpRequest, post_id: int) -> HttpResponse:
    """The master preview a post shares, while the post may be seen (Range requests work)."""
    found = selectors.post_for_viewer(request.user, post_id)
    name = shared_preview(found) if found is not None else None
    if name is None:
        raise Http404
    return stored_file_response(request, name, filename=f"post-{found.pk}.wav", as_attachment=False)


@access.public
@require_GET
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    """A member's page: their display name and their posts, nothing else about them."""
    person = selectors.member(user_id)
    if person is None:
        raise Http404
    context = {
        "person": person,
        "name": selectors.public_name(person),
        "relation": selectors.relation(request.user, person),
        "page": selectors.page_of(
            selectors.posts_of(request.user, person), request.GET.get("page")
        ),
        "is_self": request.user.is_authenticated and request.user.pk == person.pk,
    }
    return render(request, "community/member.html", context)
