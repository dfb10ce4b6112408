"""allauth's URLs, with two changes for social sign-in (P3).

- A provider's sign-in and callback answer 404 while its client id is not configured, rather
  than failing: an unconfigured provider is invisible (no button, no working URL).
- Google's One Tap endpoint is not mounted: it is exempt from CSRF and we do not use One Tap.
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


def provider_configured(provider_id: str) -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get(provider_id, {}).get("APPS"))


def _only_when_configured(view: Callable, provider_id: str) -> Callable:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not provider_configured(provider_id):
            raise Http404("this sign-in provider is not configured")
        return view(request, *args, **kwargs)

    return guarded


def _patterns() -> list[URLPattern | URLResolver]:
    slugs = {cls.get_slug() + "/": cls.id for cls in registry.get_class_list()}
    result: list[URLPattern | URLResolver] = []
    for pattern in allauth_patterns:
        provider_id = slugs.get(str(pattern.pattern))
        if isinstance(pattern, URLResolver) and provider_id:
            inner = [
                URLPattern(p.pattern, _only_when_configured(p.callback, provider_id), name=p.name)
                for p in pattern.url_patterns
            ]
            result.append(path(str(pattern.pattern), include(inner)))
        elif getattr(pattern, "name", None) not in UNUSED:
            result.append(pattern)
    return result


urlpatterns = _patterns()
