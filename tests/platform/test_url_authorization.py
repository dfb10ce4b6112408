"""P18: every URL pattern of the project, walked as a stranger, a guest, another user, staff and
the owner, with the URL's parameters filled with the owner's real objects.

Each view declares who may use it (masterbus.core.access); views of other projects are classified
in THIRD_PARTY (tests/support/urlwalk.py, with the parties, the fillers of URL parameters and the
enumeration of routes). The walk fails on a pattern classified nowhere, on a URL parameter it
cannot fill that UNFILLABLE does not list, and on any answer that breaks the declaration: the owner
reaches their object while everyone else is refused (404 for owner-scoped objects, sign-in for
pages that need it, 401 for the API without the owner's token), no answer shows another party's
data, no refused request changes a row, and nothing answers 5xx.

Every request runs in a transaction that is rolled back, so deleting, revoking or signing out as
the owner leaves the same world for the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import resolve

from masterbus.core.access import Access
from tests.support import urlwalk
from tests.support.urlwalk import (
    CREDENTIALS,
    UNFILLABLE,
    Party,
    Route,
    World,
    classify,
    filler_key,
    parameters,
    routes,
    url_patterns,
)

# The parties, and the routes filled with their objects: tests/support/urlwalk.py (the names
# above stay importable from here too: tests/browser/test_accessibility.py takes them).
world = urlwalk.world  # the fixture

# Views whose answer to the party entitled to them is not checked, by view name (or a pattern of
# names), and why. Everyone else must still be refused.
NOT_REACHABLE: dict[str, str] = {
    "admin:view_on_site": "no model has get_absolute_url, so the shortcut answers 404 to staff too",
    "admin:autocomplete": "answers only with a model field to complete; without one 403 to all",
    "profiles:avatar": "the signed-in user's own avatar: 404 until they upload one",
    **dict.fromkeys(
        ["mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_download_recovery_codes"],
        "exist once the user has enrolled two-factor sign-in: 404 until then",
    ),
}

# Owner-scoped views that answer someone else's id with a redirect instead of 404, and why; the
# walk still checks that such a request changes no row and shows nothing.
REDIRECT_INSTEAD_OF_404: dict[str, str] = {
    "api-pages:token_revoke": "revoking a token not yours changes nothing; back to your list",
}

# What a refused request may still change, by model label or "label.field", and why.
MAY_CHANGE: dict[str, str] = {
    "sessions.session": "each visitor's own session (sign-in, messages)",
    "api.apitoken.last_used_at": "the visitor's own token records its use",
}

ADMIN_LOGIN = "admin:login"
REFUSED = (401, 403, 404, 405, 410)
# Sent with every request: other views ignore them, and the tus views check the protocol first.
TUS_HEADERS = {"Tus-Resumable": "1.0.0", "Upload-Offset": "0"}
AUDIO_MAGIC = (b"RIFF", b"fLaC", b"ID3", b"\xff\xfb", b"PK\x03\x04")


def test_every_view_is_classified_and_every_parameter_can_be_filled():
    unclassified, unfilled = [], []
    for text, pattern, view_name in url_patterns():
        if classify(pattern.callback, view_name) is None:
            unclassified.append(f"{text} ({view_name or pattern.lookup_str})")
        for _match, name, listed in parameters(text):
            key = f"{view_name}/{name}"
            if not listed and filler_key(view_name, name) is None and key not in UNFILLABLE:
                unfilled.append(f"{key} ({text})")
    assert not unclassified, (
        "views without an access declaration (masterbus.core.access) that THIRD_PARTY does "
        f"not classify either: {unclassified}"
    )
    assert not unfilled, (
        f"URL parameters with no FILLERS entry and no UNFILLABLE reason: {unfilled}"
    )


# --- requests and what each answer must be -----------------------------------------------------


def methods_of(path: str, prober: Party, access: Access) -> list[str]:
    """The HTTP methods the view answers: a class says so; a function view's OPTIONS says Allow."""
    view_class = getattr(resolve(path).func, "view_class", None)
    if view_class is not None:
        names = [
            m
            for m in ("get", "post", "put", "patch", "delete")
            if m in view_class.http_method_names and hasattr(view_class, m)
        ]
        if not names and hasattr(view_class, "head"):
            names = ["head"]
        return names
    with transaction.atomic():
        response = prober.client(with_bearer=access is Access.TOKEN).options(path)
        transaction.set_rollback(True)
    allow = [m.strip().lower() for m in response.get("Allow", "").split(",") if m.strip()]
    return [m for m in allow if m not in ("options", "head")] or ["get", "post"]


def send(client: Client, method: str, path: str, access: Access):
    if method in ("get", "head", "delete"):
        return getattr(client, method)(path, headers=TUS_HEADERS)
    if method == "patch":  # only tus patches: a one-byte chunk at offset 0
        return client.patch(path, b"\0", "application/offset+octet-stream", headers=TUS_HEADERS)
    if access is Access.TOKEN:
        return client.generic(method.upper(), path, "{}", "application/json", headers=TUS_HEADERS)
    return client.generic(
        method.upper(), path, "", "application/x-www-form-urlencoded", headers=TUS_HEADERS
    )


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every model as stored (plain SQL: no JSON decoding), to prove a refused
    request changed none of them."""
    rows = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in MAY_CHANGE or not model._meta.managed or model._meta.proxy:
                continue  # unmanaged: django-rq's dashboard has no table
            columns = ", ".join(
                connection.ops.quote_name(f.column)
                for f in model._meta.concrete_fields
                if f"{label}.{f.name}" not in MAY_CHANGE
            )
            cursor.execute(
                f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)}"
            )
            rows[label] = sorted(cursor.fetchall(), key=repr)
    return rows


def to_login(response) -> bool:
    location = response.get("Location", "")
    logins = (resolve_url(settings.LOGIN_URL), resolve_url(ADMIN_LOGIN))
    return response.status_code in (301, 302, 303) and location.startswith(logins)


def reached(response) -> bool:
    return (
        response.status_code not in REFUSED
        and response.status_code < 500
        and not to_login(response)
    )


def expectation(access: Access, visitor: Party, owner: Party | None, bearer: bool) -> str:
    """What the visitor must get: see ``judge``."""
    mine = owner is None or visitor is owner
    if access is Access.PUBLIC or (access is Access.KEYED_LINK and not mine):
        return "any"
    if access is Access.STAFF:
        return "reach" if visitor.user is not None and visitor.user.is_staff else "refuse"
    if access is Access.TOKEN:
        if not bearer:
            return "unauthorized"
        return "reach" if mine else "not-found"
    if access is Access.SIGNED_IN and visitor.user is None:
        return "login"
    if access is Access.SIGNED_LINK and not mine and visitor.user is None:
        return "refuse"
    return "reach" if mine else "not-found"


def judge(expected: str, response) -> bool:
    status = response.status_code
    return {
        "any": True,
        "reach": reached(response),
        "refuse": status in (403, 404) or to_login(response),
        "login": to_login(response),
        "not-found": status == 404,
        "not-found-or-redirect": status in (302, 303, 404),
        "unauthorized": status == 401,
        "not-reached": not reached(response),
    }[expected]


@dataclass
class Probe:
    route: Route
    access: Access
    method: str
    visitor: Party
    owner: Party | None
    bearer: bool
    expected: str


def admin_permits(route: Route, method: str, visitor: Party) -> bool:
    """Whether an admin page's ModelAdmin lets this staff member do the request (least
    privilege: read-only models refuse adding, changing and deleting even to a superuser)."""
    model_admin = getattr(route.pattern.callback, "model_admin", None)
    if model_admin is None:
        return True
    request = RequestFactory().generic(method.upper(), route.path)
    request.user = visitor.user
    page = route.view_name.rpartition("_")[2]
    if page == "add":
        return model_admin.has_add_permission(request)
    if page == "delete":
        return model_admin.has_delete_permission(request)
    if page == "change" and method != "get":
        return model_admin.has_change_permission(request)
    return model_admin.has_view_or_change_permission(request)


def probes(world: World, access: Access, route: Route, owner: Party | None, methods: list[str]):
    visitors = [(p, False) for p in world.parties]
    if access is Access.TOKEN:  # a session or a guest cookie is nobody to the API
        visitors = [(p, False) for p in world.parties] + [(world.bob, True), (world.alice, True)]
    for (visitor, bearer), method in product(visitors, methods):
        expected = expectation(access, visitor, owner, bearer)
        if expected == "reach" and (route.made_up or route.view_name in NOT_REACHABLE):
            expected = "any"
        if expected == "reach" and not admin_permits(route, method, visitor):
            expected = "refuse"
        if expected == "not-found" and route.view_name in REDIRECT_INSTEAD_OF_404:
            expected = "not-found-or-redirect"
        yield Probe(route, access, method, visitor, owner, bearer, expected)


def run(world: World, probe: Probe) -> str | None:
    """One request in a rolled-back transaction; a description of what went wrong, or None."""
    route, visitor = probe.route, probe.visitor
    holder = probe.access is Access.KEYED_LINK and route.filled  # the key is the credential
    unsafe = probe.method not in ("get", "head")
    guard = probe.expected != "reach" and unsafe and probe.owner and not holder
    cache.clear()  # the walk sends many requests from one address: rate limits are tested elsewhere
    with transaction.atomic():
        client = visitor.client(with_bearer=probe.bearer)
        before = snapshot() if guard else None
        response = send(client, probe.method, route.path, probe.access)
        body = body_of(response)
        changed = guard and response.status_code < 500 and snapshot() != before
        transaction.set_rollback(True)
    who = f"{visitor.name}{' +token' if probe.bearer else ''}"
    where = f"{probe.method.upper()} {route.path} [{probe.access}, {route.view_name or '-'}]"
    if response.status_code >= 500:
        return f"{who}: {where} -> {response.status_code} {getattr(response, 'exc_info', '')}"
    if not judge(probe.expected, response):
        return f"{who}: {where} -> {response.status_code}, expected {probe.expected}"
    if changed:
        return f"{who}: {where} was refused but changed rows"
    sees_all = probe.access is Access.STAFF and probe.expected == "reach"
    entitled = {visitor, probe.owner} if holder else {visitor}
    others = [m for p in world.parties if p not in entitled and not sees_all for m in p.markers]
    leaked = [m for m in others if m.encode() in body]
    if leaked:
        return f"{who}: {where} shows {leaked}"
    if probe.owner is not None and probe.expected != "reach" and body.startswith(AUDIO_MAGIC):
        return f"{who}: {where} sent a file"
    return None


@pytest.mark.django_db(transaction=True)
def test_every_url_keeps_its_access_declaration(world):
    problems, walked, seen = [], set(), set()
    by_path: dict[str, tuple[Route, Party | None]] = {}
    for party in (world.alice, world.guest):
        for route in routes(party):
            by_path.setdefault(route.path, (route, party if route.filled else None))
    for path, (route, owner) in by_path.items():
        match = resolve(path)  # the view Django really dispatches this path to
        access = classify(match.func, match.view_name)
        assert access is not None, path  # see the test above
        route.view_name = match.view_name
        if owner is world.guest and access not in (Access.GUEST_OR_USER, Access.SIGNED_LINK):
            continue  # only guests own things behind these; the rest is the users' alone
        prober = world.staff if access is Access.STAFF else (owner or world.alice)
        for probe in probes(world, access, route, owner, methods_of(path, prober, access)):
            problems.append(run(world, probe))
            walked.add(path)
            seen.add(access)
        for key, genuine in route.filled.items():
            if key in CREDENTIALS and owner is not None:
                problems.extend(forged(world, access, route, owner, genuine))
    problems = [p for p in problems if p]
    assert not problems, f"{len(problems)} answers break their declaration:\n" + "\n".join(
        problems[:80]
    )
    assert seen == set(Access), f"no view of kind {set(Access) - seen} was walked"
    assert len(walked) > 80  # the walk really covered the site


def forged(world: World, access: Access, route: Route, owner: Party, genuine: str) -> list[str]:
    """The owner's link with its credential altered: it serves nothing, shows nothing of the
    owner's to anyone, and changes no row."""
    fake = genuine[:-2] + ("AA" if genuine[-2:] != "AA" else "BB")
    fake_route = Route(route.path.replace(genuine, fake), route.pattern, route.view_name, {})
    expected = "not-reached" if access is Access.SIGNED_LINK else "any"
    return [
        run(world, Probe(fake_route, access, method, visitor, owner, False, expected))
        for method in methods_of(route.path, owner, access)
        for visitor in world.parties
    ]
