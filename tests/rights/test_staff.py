"""P20: staff roles with least privilege, and an audit log of every admin action that only the
admin role can read."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from masterbus.accounts.owner import Owner
from masterbus.rights.audit import AuditedAdminSite, AuditedModelAdmin
from masterbus.rights.models import AccountDeletion, AuditEvent, RightsRequest
from masterbus.rights.roles import ADMIN, FINANCE, SUPPORT
from tests.platform.fixtures import make_upload, make_user

pytestmark = pytest.mark.django_db


def _staff(role: str):
    user = make_user(f"{role}@staff.example")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


# (url, role) -> status: what each role may open. 403 is the admin's "permission denied".
PAGES = {
    "/admin/rights/auditevent/": {ADMIN: 200, SUPPORT: 403, FINANCE: 403},
    "/admin/accounts/user/": {ADMIN: 200, SUPPORT: 200, FINANCE: 403},
    "/admin/accounts/user/add/": {ADMIN: 200, SUPPORT: 403, FINANCE: 403},
    "/admin/rights/rightsrequest/": {ADMIN: 200, SUPPORT: 200, FINANCE: 403},
    "/admin/rights/accountdeletion/add/": {ADMIN: 200, SUPPORT: 403, FINANCE: 403},
    "/admin/auth/group/": {ADMIN: 200, SUPPORT: 403, FINANCE: 403},
    "/admin/mastering/song/": {ADMIN: 200, SUPPORT: 200, FINANCE: 403},
    "/admin/security/securityevent/": {ADMIN: 200, SUPPORT: 403, FINANCE: 403},
}


@pytest.mark.parametrize("role", [ADMIN, SUPPORT, FINANCE])
def test_each_role_opens_only_what_it_needs(client, role):
    client.force_login(_staff(role))
    got = {url: client.get(url).status_code for url in PAGES}
    assert got == {url: statuses[role] for url, statuses in PAGES.items()}


def test_support_cannot_change_or_delete_users(client, alice):
    client.force_login(_staff(SUPPORT))
    url = f"/admin/accounts/user/{alice.pk}/"
    assert client.post(url + "change/", {"email": "x@example.com"}).status_code == 403
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_the_admin_role_has_every_permission_and_the_others_do_not_read_the_log():
    assert set(Group.objects.get(name=ADMIN).permissions.all()) == set(Permission.objects.all())
    for role in (SUPPORT, FINANCE):
        codenames = Group.objects.get(name=role).permissions.values_list("codename", flat=True)
        assert "view_auditevent" not in codenames
        assert not any(c.startswith("delete_") for c in codenames)


def test_add_change_delete_and_delete_selected_are_audited_with_fields(client):
    boss = _staff(ADMIN)
    client.force_login(boss)
    client.post("/admin/auth/group/add/", {"name": "mixers"})
    group = Group.objects.get(name="mixers")
    client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "mastering engineers"})
    other = Group.objects.create(name="temporary")
    client.post("/admin/auth/group/", {"action": "delete_selected", "_selected_action":
                                       [group.pk, other.pk], "post": "yes"})  # fmt: skip
    assert not Group.objects.filter(pk__in=[group.pk, other.pk]).exists()

    events = list(
        AuditEvent.objects.order_by("id").values_list("action", "object_repr", "changed_fields")
    )
    assert events == [
        ("add", "mixers", []),
        ("change", "mastering engineers", ["Name"]),
        ("delete", "mastering engineers", []),
        ("delete", "temporary", []),
    ]
    assert {e.actor for e in AuditEvent.objects.all()} == {boss}
    assert {e.actor_label for e in AuditEvent.objects.all()} == {boss.email}


def test_bulk_actions_are_audited_on_every_registered_admin(alice):
    # Every ModelAdmin of the site, ours or a library's, is audited.
    assert all(isinstance(m, AuditedModelAdmin) for m in admin.site._registry.values())

    def rename(modeladmin, request, queryset):
        queryset.update(name="renamed")

    class GroupAdmin(admin.ModelAdmin):
        actions = (rename,)

    site = AuditedAdminSite(name="audit-test")
    site.register(Group, GroupAdmin)
    group = Group.objects.create(name="before")
    request = RequestFactory().post("/")
    request.user = make_user("root@staff.example")
    request.user.is_superuser = True
    model_admin = site.get_model_admin(Group)
    func = model_admin.get_actions(request)["rename"][0]
    func(model_admin, request, Group.objects.filter(pk=group.pk))
    event = AuditEvent.objects.get()
    assert (event.action, event.action_name, event.object_id) == ("action", "rename", str(group.pk))
    assert Group.objects.get(pk=group.pk).name == "renamed"


def test_staff_delete_a_childs_account_through_the_same_service(client, song_path):
    child = make_user("kid@example.com")
    make_upload(Owner(user=child, guest_key=None), song_path.read_bytes())
    client.force_login(_staff(ADMIN))
    response = client.post("/admin/rights/accountdeletion/add/",
                           {"user": child.pk, "reason": "under_age"})  # fmt: skip
    assert response.status_code == 302
    child.refresh_from_db()
    assert not child.is_active
    deletion = AccountDeletion.objects.get(user=child)
    assert deletion.purge_after == deletion.requested_at  # purged at the next run, no window
    assert AuditEvent.objects.filter(action="add", object_id=str(deletion.pk)).exists()


def test_the_audit_log_cannot_be_edited_even_by_the_admin_role(client):
    client.force_login(_staff(ADMIN))
    RightsRequest.objects.create(kind="other", message="m", email="e@example.com")
    event = AuditEvent.objects.create(actor_label="x", action="change")
    assert client.get("/admin/rights/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/rights/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_support_sees_a_song_but_not_its_guest_key_and_cannot_delete_it(client, song_path):
    from masterbus.mastering.models import Song
    from tests.platform.fixtures import master_song

    guest_key = "k" * 43
    job = master_song(Owner(user=None, guest_key=guest_key), song_path, name="mine.wav")
    client.force_login(_staff(SUPPORT))
    page = client.get(f"/admin/mastering/song/{job.song_id}/change/")
    assert page.status_code == 200 and "mine" in page.content.decode()
    assert guest_key not in page.content.decode()  # the guest's credential stays hidden
    assert (
        client.post(f"/admin/mastering/song/{job.song_id}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Song.objects.filter(pk=job.song_id).exists()
