"""Account settings (P31, P33), the theme for everyone and the policy notice's close button
(P35). Thin: forms check, services write, selectors read."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.profiles import selectors, services
from masterbus.profiles.avatars import CONTENT_TYPE, AvatarError
from masterbus.profiles.cookies import write_notice_cookie, write_theme_cookie
from masterbus.profiles.forms import AvatarForm, ProfileForm, SwitchesForm, ThemeForm
from masterbus.profiles.handles import PLATFORMS_BY_KEY
from masterbus.profiles.models import Theme

THEME_NOT_KEPT = (
    "Your theme is not remembered in this browser, because functional cookies are not allowed. "
    "Allow them in Cookie settings, or sign in to keep it with your account."
)


def _settings_page(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    profile = selectors.profile_get(request.user)
    initial = ProfileForm.initial_from(request.user.display_name, profile.handles)
    context = {
        "profile": profile,
        "profile_form": forms.get("profile_form") or ProfileForm(initial=initial),
        "avatar_form": forms.get("avatar_form") or AvatarForm(),
        "switches_form": SwitchesForm(
            initial={
                "analytics": profile.analytics_enabled,
                "marketing": profile.marketing_opt_in,
                "assistant": profile.assistant_enabled,
            }
        ),
        "handles": [(PLATFORMS_BY_KEY[k].label, url) for k, url in profile.handles.items()],
        "avatar_max_mb": settings.AVATAR_MAX_BYTES / 1e6,
        "avatar_max_megapixels": settings.AVATAR_MAX_PIXELS / 1e6,
    }
    return render(request, "profiles/settings.html", context, status=status)


@access.signed_in
@require_GET
def settings_home(request: HttpRequest) -> HttpResponse:
    """/settings/: the first settings page (the navigation there leads to the others)."""
    return redirect("profiles:profile")


@access.signed_in
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """The profile settings page: name, platform links, picture, optional processing."""
    if request.method == "GET":
        return _settings_page(request)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, status=400, profile_form=form)
    services.profile_update(
        user=request.user,
        display_name=form.cleaned_data["display_name"],
        handles=form.cleaned_data["handles"],
    )
    messages.success(request, "Your profile is saved.")
    return redirect("profiles:profile")


@access.signed_in
@require_POST
def avatar_upload(request: HttpRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["avatar"]
        try:
            services.avatar_set(user=request.user, stream=upload, length=upload.size)
        except AvatarError as exc:
            form.add_error("avatar", str(exc))
    if not form.is_valid():
        return _settings_page(request, status=400, avatar_form=form)
    messages.success(request, "Your picture is saved.")
    return redirect("profiles:profile")


@access.signed_in
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    services.avatar_remove(user=request.user)
    messages.success(request, "Your picture is removed.")
    return redirect("profiles:profile")


@access.signed_in
@require_GET
def avatar(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own avatar. No id in the URL: it can only ever be your own.

    Nothing shows avatars to other people yet; a public profile page would add its own view.
    """
    data = selectors.profile_get(request.user).avatar
    if not data:
        raise Http404
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=86400"  # the URL carries ?v=<version>
    return response


@access.signed_in
@require_POST
def switches(request: HttpRequest) -> HttpResponse:
    """Optional processing on or off (P33), effective from the next request."""
    form = SwitchesForm(request.POST)
    form.is_valid()  # unchecked boxes are simply absent: every value is valid
    services.profile_set_switches(
        user=request.user,
        analytics=form.cleaned_data["analytics"],
        marketing=form.cleaned_data["marketing"],
        assistant=form.cleaned_data["assistant"],
    )
    messages.success(request, "Your choices are saved and apply from now on.")
    return redirect("profiles:profile")


@access.public
@never_cache
@require_http_methods(["GET", "POST"])
def theme(request: HttpRequest) -> HttpResponse:
    """Light, dark or the device's setting: on the account when signed in, and in a functional
    cookie when the browser allows functional cookies (guests too)."""
    kept = request.user.is_authenticated or request.consent.functional
    if request.method == "GET":
        form = ThemeForm(initial={"theme": selectors.theme_for(request)})
        return render(request, "profiles/theme.html", {"form": form, "kept": kept})
    form = ThemeForm(request.POST)
    if not form.is_valid():
        return render(request, "profiles/theme.html", {"form": form, "kept": kept}, status=400)
    chosen = Theme(form.cleaned_data["theme"])
    if request.user.is_authenticated:
        services.profile_set_theme(user=request.user, theme=chosen)
    if kept:
        messages.success(request, f"Theme: {chosen.label}.")
    else:
        messages.warning(request, THEME_NOT_KEPT)
    response = redirect(_safe_next(request, "profiles:appearance"))
    if request.consent.functional:
        write_theme_cookie(response, chosen)
    return response


@access.public
@require_POST
def notice_dismiss(request: HttpRequest) -> HttpResponse:
    """Close the policy-change notice: on the account, or in an essential cookie for guests."""
    change = selectors.policy_change_current()
    response = redirect(_safe_next(request, "mastering:home"))
    if change is None or request.POST.get("version") != change.version:
        return response
    if request.user.is_authenticated:
        services.policy_notice_dismiss(user=request.user, version=change.version)
    else:
        write_notice_cookie(response, change.version, until=selectors.policy_notice_end(change))
    return response


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
