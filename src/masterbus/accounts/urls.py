"""allauth's URLs, with two changes for social sign-in (P3).

- A provider's sign-in and callback answer 404 while its client id is not configured, rather
  than failing: an unconfigured provider is invisible (no button, no working URL).
- Google's One Tap endpoint is not mounted: it is exempt from CSRF and we do not use One Tap.
- allauth's deprecated ``social/...`` redirects are not mounted: this site never had those URLs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from allauth.socialaccount.providers import registry
from allauth.urls import urlpatterns as allauth_patterns
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

UNUSED = {"google_login_by_token"}
LEGACY_PREFIX = "social/"


def provider_configured(provider_id: str) -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get(provider_id, {}).get("APPS"))


def _only_when_configured(view: Callable, provider_id: str) -> Callable:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not provider_configured(provider_id):
            raise Http404("this sign-in provider is not configured")
        return view(request, *args, **kwargs)

    return guarded


def _mounted(pattern: URLPattern | URLResolver) -> bool:
    if isinstance(pattern, URLResolver):
        return True
    return pattern.name not in UNUSED and not str(pattern.pattern).startswith(LEGACY_PREFIX)


def _patterns() -> list[URLPattern | URLResolver]:
    slugs = {cls.get_slug() + "/": cls.id for cls in registry.get_class_list()}
    result: list[URLPattern | URLResolver] = []
    for pattern in filter(_mounted, allauth_patterns):
        provider_id = slugs.get(str(pattern.pattern))
        if isinstance(pattern, URLResolver) and provider_id:
            inner = [
                URLPattern(p.pattern, _only_when_configured(p.callback, provider_id), name=p.name)
                for p in pattern.url_patterns
            ]
            pattern = path(str(pattern.pattern), include(inner))
        result.append(pattern)
    return result


urlpatterns = _patterns()
