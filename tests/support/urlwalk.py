"""The URL walk's machinery: every URL pattern of the project, filled with a party's own objects.

Used by tests/platform/test_url_authorization.py (who may reach what) and by
tests/browser/test_accessibility.py (every page passes axe-core):

- the parties (``Party``, ``World`` and the ``world`` fixture: a stranger, a guest, bob, alice
  and staff, alice and the guest each with a mastered song, album, upload; alice with an API
  token, an unverified e-mail address and a data export);
- the parameter fillers (``FILLERS``: a URL parameter filled with the party's real object or a
  genuine signed link; ``CREDENTIALS``: those that are credentials in themselves);
- the URL enumeration (``routes(party)``: every pattern as a path to the party's own objects) and
  the classification of each view (``classify``: its ``core.access`` declaration, else
  ``THIRD_PARTY``).
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
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

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
from masterbus.uploads.preview_runner import preview_set_run
from masterbus.uploads.services.previews import preview_set_request
from tests.assistant.world import assistant_objects
from tests.community.world import community_objects
from tests.courses.world import courses_objects
from tests.messaging.world import messaging_objects
from tests.orders.world import ENGINEER_VIEWS, orders_objects
from tests.payments.world import payments_objects
from tests.platform.fixtures import make_upload, make_user, master_song
from tests.shop.world import shop_objects
from tests.studios.world import studios_objects
from tests.support.music import music_file
from tests.training.world import training_objects

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
    "api:engineers": Access.PUBLIC,  # the public list of engineers and packages (auth=None)
    "api:engineer": Access.PUBLIC,
    "api:studios": Access.PUBLIC,  # listed studios, rooms and free slots (auth=None)
    "api:studio": Access.PUBLIC,
    "api:room_availability": Access.PUBLIC,
    "api:shop_products": Access.PUBLIC,  # products for sale (auth=None)
    "api:shop_product": Access.PUBLIC,
    # A plugin's calls: the licence key in the body is the credential (auth=None).
    "api:shop_activate": Access.PUBLIC,
    "api:shop_deactivate": Access.PUBLIC,
    "api:shop_verify": Access.PUBLIC,
    "api:courses": Access.PUBLIC,  # published courses and their outlines (auth=None)
    "api:course": Access.PUBLIC,
}

# URL parameters the walk cannot fill with a real object, by "view name/parameter", and why.
# Such a URL is still walked with a made-up value: everyone not entitled must be refused.
UNFILLABLE: dict[str, str] = {
    "orders:sample_audio/published_id": "an engineer's published sample is for everyone; the "
    "walk cannot tell a published sample from a leaked file, so it checks a made-up id",
    "training:drill/kind": "a drill's kind is a name, not anyone's object: every signed-in user "
    "opens each (tests/training/test_views.py); the walk checks sign-in with a made-up kind",
    "studios:photo/photo_name": "a listed studio's photo is for everyone; the walk cannot tell a "
    "public photo from a leaked file, so it checks a made-up id (tests/studios/test_photos.py "
    "checks an unlisted studio's photo is its owner's only)",
    "studios:sample_audio/sample_name": "a listed studio's sample is for everyone; the walk "
    "checks a made-up name (tests/studios/test_samples.py checks an unlisted studio's sample is "
    "its owner's only)",
    "community:post_audio/post_id": "a post's shared song is for everyone who may see the post; "
    "the walk cannot tell a shared song from a leaked file, so it checks a made-up id",
    **dict.fromkeys(
        ["api:community_post/post_id", "api:community_comments/post_id"],
        "posts are for every member with a token, not owner-scoped; tests/community/test_api.py "
        "checks that only the author deletes one",
    ),
}

BROWSER = Client(raise_request_exception=False)
SAMPLE = "0"


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
        party.objects["preview_set"] = preview_set_request(
            owner=party.owner, upload=party.objects["upload"], intensity=50, target_lufs=-14.0
        )
        preview_set_run(preview_set_id=party.objects["preview_set"].pk)
        party.objects["album_job"] = master_album(party.owner, track, title=f"{tag} album")
        party.objects["album"] = party.objects["album_job"].album
    alice.objects["api_token"], alice.bearer = token_create(user=alice_user, name="ak-3e")
    alice.objects["email"] = EmailAddress.objects.create(
        user=alice_user, email=alice_user.email, primary=True, verified=False
    )
    alice.objects["export"] = export_request(user=alice_user)
    export_build(export_id=alice.objects["export"].pk)
    alice.objects.update(messaging_objects(alice_user, "alice-5d2a"))
    alice.objects.update(studios_objects(alice_user))
    alice.objects.update(courses_objects(alice_user))
    alice.objects.update(community_objects(alice_user))
    alice.objects.update(training_objects(alice_user))
    alice.objects.update(payments_objects(alice_user))
    alice.objects.update(shop_objects(alice_user))
    alice.objects.update(orders_objects(alice_user, bob_user, song_path))
    alice.objects.update(assistant_objects(alice_user))
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
    "thread_id": lambda party, _p: str(party.objects["thread"].pk),
    "notification_id": lambda party, _p: str(party.objects["notification"].pk),
    "ticket_id": lambda party, _p: str(party.objects["ticket"].pk),
    "invoice_id": lambda party, _p: str(party.objects["invoice"].pk),
    "fmt": lambda party, _p: party.objects["delivery"].format,
    "studio_id": lambda party, _p: str(party.objects["studio"].pk),
    "course_slug": lambda party, _p: party.objects["course"].slug,
    "courses:*/course_id": lambda party, _p: str(party.objects["course"].pk),
    "courses:*/module_id": lambda party, _p: str(party.objects["course_lesson"].module_id),
    "courses:*/question_id": lambda party, _p: str(party.objects["course_question"].pk),
    "courses:*/audio_id": lambda party, _p: str(party.objects["course_audio"].pk),
    "courses:*/certificate_code": lambda party, _p: party.objects["certificate"].code,
    **{
        f"{name}/lesson_id": lambda party, _p: str(party.objects["course_lesson"].pk)
        for name in ("courses:*", "api:lesson", "api:lesson_progress", "api:lesson_quiz")
    },
    "exercise_id": lambda party, _p: str(party.objects["exercise"].pk),
    **{
        f"{name}/name": lambda party, _p: party.objects["clip_name"]
        for name in ("training:clip", "api:training_clip")
    },
    "studios:studio_approve/studio_id": lambda party, _p: str(party.objects["application"].pk),
    "room_id": lambda party, _p: str(party.objects["room"].pk),
    "product_slug": lambda party, _p: party.objects["shop_product"].slug,
    "shop:version_new/product_slug": lambda party, _p: party.objects["shop_own_product"].slug,
    "api:shop_product/slug": lambda party, _p: party.objects["shop_product"].slug,
    "licence_id": lambda party, _p: str(party.objects["shop_licence"].pk),
    "activation_id": lambda party, _p: str(party.objects["shop_activation"].pk),
    "file_id": lambda party, _p: str(party.objects["shop_file"].pk),
    "seller_id": lambda party, _p: str(party.objects["shop_application"].pk),
    **{
        f"community:{name}/post_id": lambda party, _p: str(party.objects["community_post"].pk)
        for name in ("post", "post_delete")
    },
    "community:member/user_id": lambda party, _p: str(party.user.pk),
    "booking_id": lambda party, _p: str(party.objects["booking"].pk),
    "studios:booking_accept/booking_id": lambda party, _p: str(party.objects["studio_booking"].pk),
    "studios:booking_decline/booking_id": lambda party, _p: str(party.objects["studio_booking"].pk),
    **{
        f"{name}/booking_id": lambda party, _p: str(party.objects["studio_booking"].pk)
        for name in ("api:booking_accept_api", "api:booking_decline_api")
    },
    "reschedule_id": lambda party, _p: str(party.objects["reschedule"].pk),
    "charge_id": lambda party, _p: str(party.objects["extra_charge"].pk),
    "document_id": lambda party, _p: str(party.objects["document"].pk),
    "studios:photo_remove/photo_id": lambda party, _p: str(party.objects["studio_photo"].pk),
    "studios:sample_remove/sample_id": lambda party, _p: str(party.objects["studio_sample"].pk),
    "studios:charge_create/booking_id": lambda party, _p: str(party.objects["studio_booking"].pk),
    "studios:room_feed/token": lambda party, _p: party.objects["room_feed_token"],
    "studios:user_feed/token": lambda party, _p: party.objects["user_feed_token"],
    "studios:session_file/token": lambda party, _p: party.objects["session_file_token"],
    "order_id": lambda party, _p: str(party.objects["order"].pk),
    **{
        f"{name}/order_id": lambda party, _p: str(party.objects["engineer_order"].pk)
        for name in ENGINEER_VIEWS
    },
    "profile_id": lambda party, _p: str(party.objects["engineer_profile"].pk),
    "conversation_id": lambda party, _p: str(party.objects["conversation"].pk),
    "assistant:order_checklist/order_id": lambda party, _p: str(party.objects["engineer_order"].pk),
    "engineer_id": lambda party, _p: str(party.objects["engineer_profile"].pk),
    "package_id": lambda party, _p: str(party.objects["package"].pk),
    "sample_id": lambda party, _p: str(party.objects["sample"].pk),
    "side": lambda _party, _p: "before",
    "note_id": lambda party, _p: str(party.objects["revision_note"].pk),
    "orders:file/token": lambda party, _p: party.objects["order_file_token"],
    "set_id": lambda party, _p: str(party.objects["preview_set"].pk),
    "name": lambda _party, _p: "original",
    "mastering:file/token": lambda party, _p: links.sign(
        {"k": "delivery", "id": str(party.objects["delivery"].pk)}
    ),
    "rights:export_download/token": lambda party, _p: links.sign(
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
    "studios:room_feed/token",
    "studios:user_feed/token",
    "studios:session_file/token",
    "orders:file/token",
    "rights:export_download/token",
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


def url_patterns(
    patterns=None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    """(route text with every prefix, pattern, "namespace:name") for every URL pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern.url_patterns, text, inner)
        else:
            name = pattern.name or ""
            yield text, pattern, f"{namespace}:{name}" if namespace else name


def filler_key(view_name: str, parameter: str) -> str | None:
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
    for text, pattern, view_name in url_patterns():
        pieces, options, keys = [], [], []
        position, made_up = 0, False
        for match, name, listed in parameters(text):
            pieces.append(re.sub(r"\\(.)", r"\1", text[position : match.start()]))
            position = match.end()
            key = filler_key(view_name, name)
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
