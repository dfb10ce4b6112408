"""Staff roles with least privilege (P20): each role is a group with only the permissions it needs.

- support: reads accounts and songs to help people, works the rights-request queue and answers
  support tickets (messaging: the staff support pages).
- finance: reads financial records (payments, refunds, earnings, payouts, invoices) and
  downloads the accountant's CSV export.
- moderator: works the community's report queue: hides and removes posts, dismisses reports,
  bans members (each action audited, masterbus.community.services.moderation).
- teacher: writes courses (modules, lessons, audio examples, quizzes) on the authoring pages at
  /courses/manage/ (each write audited, masterbus.courses.services.authoring).
- assistant_reviewer: reads assistant conversations for review (P36); each one opened is audited.
- admin: every permission, including reading the audit log (no other role can).

A staff member needs ``is_staff`` to open the admin, and one of these groups to see anything
there. The groups are created by a data migration and kept in step after every migrate (new
models give the admin role their permissions).
"""

from __future__ import annotations

from django.apps import apps as global_apps

SUPPORT = "support"
FINANCE = "finance"
MODERATOR = "moderator"
TEACHER = "teacher"
ADMIN = "admin"
ASSISTANT_REVIEWER = "assistant_reviewer"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    SUPPORT: (
        "accounts.view_user",
        "mastering.view_song",
        "rights.view_rightsrequest",
        "rights.change_rightsrequest",
        "messaging.view_supportticket",
        "messaging.answer_supportticket",
    ),
    ASSISTANT_REVIEWER: ("assistant.view_conversation", "assistant.review_conversation"),
    FINANCE: (
        "payments.view_payment",
        "payments.view_paymentline",
        "payments.view_refund",
        "payments.view_earning",
        "payments.view_payout",
        "payments.view_invoice",
    ),
    MODERATOR: (
        "community.moderate",
        "community.view_report",
        "community.change_report",
        "community.view_post",
    ),
    TEACHER: (
        "courses.add_course",
        "courses.change_course",
        "courses.view_course",
        "courses.add_module",
        "courses.change_module",
        "courses.view_module",
        "courses.add_lesson",
        "courses.change_lesson",
        "courses.view_lesson",
        "courses.add_audioexample",
        "courses.change_audioexample",
        "courses.view_audioexample",
        "courses.add_quiz",
        "courses.change_quiz",
        "courses.view_quiz",
        "courses.add_question",
        "courses.change_question",
        "courses.view_question",
        "courses.add_choice",
        "courses.change_choice",
        "courses.view_choice",
        "courses.delete_question",
        "courses.delete_choice",
    ),
}
EVERYTHING = (ADMIN,)


def roles_sync(*, apps=global_apps) -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        found = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            found += permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.set(found)
    for role in EVERYTHING:
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(permission_model.objects.all())
