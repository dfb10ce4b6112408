"""P18: every URL pattern of the project, walked as a stranger, a guest, another user, staff and
the owner, with the URL's parameters filled with the owner's real objects.

Each view declares who may use it (masterbus.core.access); views of other projects are classified
in THIRD_PARTY below. The walk fails on a pattern classified nowhere, on a URL parameter it cannot
fill that UNFILLABLE does not list, and on any answer that breaks the declaration: the owner
reaches their object while everyone else is refused (404 for owner-scoped objects, sign-in for
pages that need it, 401 for the API without the owner's token), no answer shows another party's
data, no refused request changes a row, and nothing answers 5xx.

Every request runs in a transaction that is rolled back, so deleting, revoking or signing out as
the owner leaves the same world for the next request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from itertools import product

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from masterbus.accounts.models import User
from masterbus.accounts.owner import Owner
from masterbus.api.services import token_authenticate, token_create
from masterbus.core import links
from masterbus.core.access import Access, access_of
from masterbus.mastering.models import AlbumJob
from masterbus.mastering.runner import job_run
from masterbus.mastering.services.albums import album_create_from_uploads
from masterbus.mastering.services.options import settings_from_form
from masterbus.profiles.tokens import unsubscribe_token
from masterbus.rights.exports import export_build, export_request
from masterbus.rights.views import EXPORT_LINK
from tests.platform.fixtures import make_upload, make_user, master_song
from tests.support.music import music_file

# Views of other projects, by URL name, by "namespace:*", or by the callback's qualified name.
THIRD_PARTY: dict[str, Access] = {
    # allauth: forms anyone may open; pages of one's own account; links carrying a key.
    "account_login": Access.PUBLIC,
    "account_logout": Access.PUBLIC,  # signs out whoever asks, shows nothing
    "account_inactive": Access.PUBLIC,
    "account_signup": Access.PUBLIC,
    "account_email_verification_sent": Access.PUBLIC,
    "account_reset_password": Access.PUBLIC,
    "account_reset_password_done": Access.PUBLIC,
    "account_reset_password_from_key_done": Access.PUBLIC,
    "account_confirm_login_code": Access.PUBLIC,  # a step of signing in by code
    "account_reauthenticate": Access.SIGNED_IN,
    # allauth 65.22: re-confirm by a code e-mailed to the account (for accounts without password)
    "account_request_reauthentication_code": Access.SIGNED_IN,
    "account_confirm_reauthentication_code": Access.SIGNED_IN,
    "account_email": Access.SIGNED_IN,
    "account_change_password": Access.SIGNED_IN,
    "account_set_password": Access.SIGNED_IN,
    "mfa_index": Access.SIGNED_IN,
    "mfa_reauthenticate": Access.SIGNED_IN,
    "mfa_activate_totp": Access.SIGNED_IN,
    "mfa_deactivate_totp": Access.SIGNED_IN,
    "mfa_view_recovery_codes": Access.SIGNED_IN,
    "mfa_generate_recovery_codes": Access.SIGNED_IN,
    "mfa_download_recovery_codes": Access.SIGNED_IN,
    "mfa_authenticate": Access.PUBLIC,  # the code step of signing in
    "socialaccount_connections": Access.SIGNED_IN,
    "socialaccount_signup": Access.PUBLIC,  # a step of signing up through a provider
    "socialaccount_login_cancelled": Access.PUBLIC,
    "socialaccount_login_error": Access.PUBLIC,
    "google_login": Access.PUBLIC,
    "google_callback": Access.PUBLIC,  # the provider's answer, checked against the session
    "discord_login": Access.PUBLIC,
    "discord_callback": Access.PUBLIC,
    "account_confirm_email": Access.KEYED_LINK,
    "account_reset_password_from_key": Access.KEYED_LINK,
    # The admin: every page needs staff, except signing in and out of it.
    "admin:*": Access.STAFF,
    "admin:login": Access.PUBLIC,
    "admin:logout": Access.PUBLIC,
    "django.contrib.admin.sites.AdminSite.catch_all_view": Access.PUBLIC,  # 404 for anyone
    # django-ninja: every operation needs the bearer token (NinjaAPI(auth=TokenAuth())); the
    # schema, its docs and the API's root are public.
    "api:*": Access.TOKEN,
    "api:openapi-json": Access.PUBLIC,
    "api:openapi-view": Access.PUBLIC,
    "api:api-root": Access.PUBLIC,
}

# URL parameters the walk cannot fill with a real object, by "view name/parameter", and why.
# Such a URL is still walked with a made-up value: everyone not entitled must be refused.
UNFILLABLE: dict[str, str] = {}

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
    "api-pages:revoke": "revoking a token that is not yours changes nothing; back to your list",
}

# What a refused request may still change, by model label or "label.field", and why.
MAY_CHANGE: dict[str, str] = {
    "sessions.session": "each visitor's own session (sign-in, messages)",
    "api.apitoken.last_used_at": "the visitor's own token records its use",
}

BROWSER = Client(raise_request_exception=False)
SAMPLE = "0"
ADMIN_LOGIN = "admin:login"
REFUSED = (401, 403, 404, 405, 410)
# Sent with every request: other views ignore them, and the tus views check the protocol first.
TUS_HEADERS = {"Tus-Resumable": "1.0.0", "Upload-Offset": "0"}
AUDIO_MAGIC = (b"RIFF", b"fLaC", b"ID3", b"\xff\xfb", b"PK\x03\x04")


@dataclass(eq=False)
class Party:
    """Someone who visits: who they are, what they own, and text that only they may see."""

    name: str
    user: User | None = None
    guest_key: str | None = None
    bearer: str | None = None
    markers: tuple[str, ...] = ()
    objects: dict = field(default_factory=dict)

    @property
    def owner(self) -> Owner:
        return Owner(user=self.user, guest_key=self.guest_key)

    def client(self, *, with_bearer: bool) -> Client:
        """This party's browser, as new. One test client serves every request, because each new
        one loads the middleware again, and WhiteNoise's stats every static file."""
        client = BROWSER
        client.cookies = SimpleCookie()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if self.user is not None:
            client.force_login(self.user)
        if self.guest_key:
            client.cookies[settings.GUEST_COOKIE_NAME] = self.guest_key
        if with_bearer and self.bearer:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {self.bearer}"
        return client


@dataclass
class World:
    stranger: Party
    guest: Party
    bob: Party
    alice: Party
    staff: Party

    @property
    def parties(self) -> tuple[Party, ...]:
        return (self.stranger, self.guest, self.bob, self.alice, self.staff)


@pytest.fixture
def world(song_path, tmp_path) -> World:
    alice_user, bob_user = make_user("alice@example.com"), make_user("bob@example.com")
    staff_user = User.objects.create_superuser("staff@example.com", "correct horse battery")
    guest_key = "g" * 43
    alice = Party("alice", user=alice_user, markers=("alice@example.com", "alice-5d2a", "ak-3e"))
    guest = Party("guest", guest_key=guest_key, markers=("guest-7c1e",))
    track = music_file(tmp_path, seconds=3.0, lufs=-20.0, seed=11)
    for party in (alice, guest):
        tag = party.markers[-1] if party is guest else party.markers[1]
        job = master_song(party.owner, song_path, name=f"{tag}.wav")
        party.objects.update(job=job, song=job.song, delivery=job.deliveries.first())
        party.objects["upload"] = make_upload(party.owner, song_path.read_bytes(), f"{tag}-u.wav")
        party.objects["album_job"] = master_album(party.owner, track, title=f"{tag} album")
        party.objects["album"] = party.objects["album_job"].album
    alice.objects["api_token"], alice.bearer = token_create(user=alice_user, name="ak-3e")
    alice.objects["email"] = EmailAddress.objects.create(
        user=alice_user, email=alice_user.email, primary=True, verified=False
    )
    alice.objects["export"] = export_request(user=alice_user)
    export_build(export_id=alice.objects["export"].pk)
    bob = Party("bob", user=bob_user, markers=("bob@example.com",))
    _token, bob.bearer = token_create(user=bob_user, name="bob's script")
    for bearer in (alice.bearer, bob.bearer):  # used from here before: no first-use log entry
        token_authenticate(text=bearer, request=RequestFactory().get("/"))
    staff = Party("staff", user=staff_user, markers=("staff@example.com",))
    Group.objects.create(name="walk")  # a row for the admin's group pages
    return World(Party("stranger"), guest, bob, alice, staff)


def master_album(owner: Owner, track, *, title: str) -> AlbumJob:
    """A one-track album through the real services and engine."""
    upload = make_upload(owner, track.read_bytes(), track.name)
    album_job = album_create_from_uploads(
        owner=owner,
        title=title,
        upload_ids=[upload.pk],
        master_settings=settings_from_form(target_lufs=-14, style="balanced", intensity=50),
    )
    for job in album_job.tracks.all():
        job_run(job_id=job.pk)
    return album_job


# --- the URL patterns, with their parameters filled -------------------------------------------

Filler = Callable[[Party, URLPattern], str]


def _admin_row(party: Party, pattern: URLPattern) -> str:
    """The owner's own row of the admin page's model (the user row itself), else its first row."""
    model = pattern.callback.model_admin.model
    rows = model._base_manager.order_by("pk")
    if model is User:
        rows = rows.filter(pk=party.user.pk)
    elif any(f.name == "user" for f in model._meta.get_fields()):
        rows = rows.filter(user=party.user)
    row = rows.first()
    return str(row.pk) if row is not None else SAMPLE


FILLERS: dict[str, Filler] = {
    "song_id": lambda party, _p: str(party.objects["song"].pk),
    "job_id": lambda party, _p: str(party.objects["job"].pk),
    "upload_id": lambda party, _p: str(party.objects["upload"].pk),
    "token_id": lambda party, _p: str(party.objects["api_token"].pk),
    "album_id": lambda party, _p: str(party.objects["album"].pk),
    "album_job_id": lambda party, _p: str(party.objects["album_job"].pk),
    "fmt": lambda party, _p: party.objects["delivery"].format,
    "mastering:file/token": lambda party, _p: links.sign(
        {"k": "delivery", "id": str(party.objects["delivery"].pk)}
    ),
    "rights:download/token": lambda party, _p: links.sign(
        {"k": EXPORT_LINK, "id": str(party.objects["export"].pk)}
    ),
    "profiles:unsubscribe/token": lambda party, _p: unsubscribe_token(party.user.pk),
    "account_confirm_email/key": lambda party, _p: (
        EmailConfirmationHMAC(party.objects["email"]).key
    ),
    "account_reset_password_from_key/uidb36": lambda party, _p: user_pk_to_url_str(party.user),
    "account_reset_password_from_key/key": lambda party, _p: default_token_generator.make_token(
        party.user
    ),
    "admin:*/object_id": _admin_row,
    "admin:view_on_site/content_type_id": lambda _party, _p: str(
        ContentType.objects.get_for_model(User).pk
    ),
    "admin:view_on_site/object_id": lambda party, _p: str(party.user.pk),
    "admin:*/url": lambda _party, _p: "nothing-here/",
}
# Parameters that are credentials in themselves: the walk also tries a forged one.
CREDENTIALS = {
    "mastering:file/token",
    "rights:download/token",
    "profiles:unsubscribe/token",
    "account_confirm_email/key",
    "account_reset_password_from_key/key",
}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")


@dataclass
class Route:
    path: str
    pattern: URLPattern
    view_name: str
    filled: dict[str, str]  # filler key -> value, to forge credentials
    made_up: bool = False  # a parameter in UNFILLABLE got a made-up value


def _patterns(
    patterns=None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    """(route text with every prefix, pattern, "namespace:name") for every URL pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _patterns(pattern.url_patterns, text, inner)
        else:
            name = pattern.name or ""
            yield text, pattern, f"{namespace}:{name}" if namespace else name


def _filler(view_name: str, parameter: str) -> str | None:
    namespace = view_name.split(":")[0] if ":" in view_name else None
    for key in (f"{view_name}/{parameter}", f"{namespace}:*/{parameter}", parameter):
        if key in FILLERS:
            return key
    return None


def parameters(text: str) -> Iterator[tuple[re.Match, str, list[str] | None]]:
    """Each parameter of a route: its match, its name, and its values if the route lists them
    (the admin's app labels)."""
    for match in PARAMETER.finditer(text):
        alternatives = match.group(4) or ""
        listed = alternatives.split("|") if re.fullmatch(r"\w+(\|\w+)+", alternatives) else None
        yield match, match.group(2) or match.group(3), listed


def routes(party: Party) -> list[Route]:
    """Every pattern as a path to the party's own objects; a guest skips what it cannot own."""
    found = []
    for text, pattern, view_name in _patterns():
        pieces, options, keys = [], [], []
        position, made_up = 0, False
        for match, name, listed in parameters(text):
            pieces.append(re.sub(r"\\(.)", r"\1", text[position : match.start()]))
            position = match.end()
            key = _filler(view_name, name)
            if listed or key is None:  # unfillable ones are listed, and fail the test below
                options.append(listed or [SAMPLE])
                keys.append("")
                made_up = made_up or not listed
                continue
            try:
                options.append([FILLERS[key](party, pattern)])
            except (KeyError, AttributeError):  # a guest has no token, no email, no user row
                if party.user is not None:
                    raise
                break
            keys.append(key)
        else:
            tail = re.sub(r"\\(.)", r"\1", text[position:])
            for values in product(*options):
                path = "/" + "".join(p + v for p, v in zip(pieces, values, strict=True)) + tail
                filled = {k: v for k, v in zip(keys, values, strict=True) if k}
                found.append(Route(path, pattern, view_name, filled, made_up))
    return found


def classify(callback: Callable, view_name: str) -> Access | None:
    """The view's own declaration, else its entry in THIRD_PARTY."""
    declared = access_of(callback)
    if declared is not None:
        return declared
    qualname = f"{callback.__module__}.{getattr(callback, '__qualname__', '')}"
    namespace = view_name.rpartition(":")[0]
    for key in (view_name, qualname, f"{namespace}:*" if namespace else None):
        if key in THIRD_PARTY:
            return THIRD_PARTY[key]
    return None


def test_every_view_is_classified_and_every_parameter_can_be_filled():
    unclassified, unfilled = [], []
    for text, pattern, view_name in _patterns():
        if classify(pattern.callback, view_name) is None:
            unclassified.append(f"{text} ({view_name or pattern.lookup_str})")
        for _match, name, listed in parameters(text):
            key = f"{view_name}/{name}"
            if not listed and _filler(view_name, name) is None and key not in UNFILLABLE:
                unfilled.append(f"{key} ({text})")
    assert not unclassified, (
        "views without an access declaration (masterbus.core.access) that THIRD_PARTY does "
        f"not classify either: {unclassified}"
    )
    assert not unfilled, f"URL parameters with no filler here and no UNFILLABLE reason: {unfilled}"


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
