"""Reads of the orders app. Orders are read only through the person's side of them: the client
sees the orders they placed, the engineer those they received; anyone else's id is unknown."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from masterbus.orders.models import (
    WORKING,
    Delivery,
    EngineerProfile,
    Order,
    OrderStatus,
    Package,
    RevisionNote,
)


def engineers_listed() -> QuerySet[EngineerProfile]:
    """Approved engineers with their rating (completed orders' stars) for the public list."""
    completed = Q(user__orders_received__status=OrderStatus.COMPLETED)
    return (
        EngineerProfile.objects.filter(approved_at__isnull=False)
        .annotate(
            rating_avg=Avg("user__orders_received__rating", filter=completed),
            rating_count=Count("user__orders_received__rating", filter=completed),
        )
        .prefetch_related("packages")
        .order_by("display_name")
    )


def engineer_public(profile_id) -> EngineerProfile:
    return get_object_or_404(engineers_listed(), pk=profile_id)


def engineer_reviews(profile: EngineerProfile, *, limit: int = 50) -> QuerySet[Order]:
    """The rated, completed orders of the engineer (the stars the listing counts), newest first:
    the reviews shown on the public page; the client is not named."""
    return Order.objects.filter(
        engineer=profile.user_id, status=OrderStatus.COMPLETED, rating__isnull=False
    ).order_by("-closed_at", "-pk")[:limit]


def package_orderable(package_id) -> Package:
    return get_object_or_404(
        Package.objects.select_related("engineer"),
        pk=package_id,
        active=True,
        engineer__approved_at__isnull=False,
    )


def profile_of(user) -> EngineerProfile | None:
    return EngineerProfile.objects.filter(user=user).first() if user.is_authenticated else None


def orders_of(user) -> QuerySet[Order]:
    """Every order the user is a party to (either side)."""
    return Order.objects.filter(Q(client=user) | Q(engineer=user)).select_related(
        "client", "engineer", "package"
    )


def order_for_party(user, order_id) -> Order:
    return get_object_or_404(orders_of(user), pk=order_id)


def order_for_client(user, order_id) -> Order:
    return get_object_or_404(Order.objects.select_related("engineer"), pk=order_id, client=user)


def order_for_engineer(user, order_id) -> Order:
    return get_object_or_404(Order.objects.select_related("client"), pk=order_id, engineer=user)


def orders_placed(user) -> QuerySet[Order]:
    return Order.objects.filter(client=user).select_related("engineer").order_by("-created_at")


def engineer_queue(user) -> QuerySet[Order]:
    """The engineer's open work, the soonest due first."""
    return (
        Order.objects.filter(engineer=user, status__in=[*WORKING, OrderStatus.DELIVERED])
        .select_related("client")
        .order_by("due_at", "created_at")
    )


def engineer_history(user) -> QuerySet[Order]:
    open_statuses = [*WORKING, OrderStatus.DELIVERED, OrderStatus.AWAITING_PAYMENT]
    return Order.objects.filter(engineer=user).exclude(status__in=open_statuses)


def deliveries_of(order: Order) -> list[Delivery]:
    return list(order.deliveries.prefetch_related("files", "notes").order_by("number"))


def note_of_client(user, note_id) -> RevisionNote:
    return get_object_or_404(
        RevisionNote.objects.select_related("delivery__order"),
        pk=note_id,
        delivery__order__client=user,
    )


def applications_pending() -> QuerySet[EngineerProfile]:
    return EngineerProfile.objects.filter(approved_at__isnull=True).select_related("user")


def party_name(order: Order, role: str) -> str:
    """How one side of an order appears to the other: the engineer's public name, the client's
    display name (or, without one, the part of the e-mail address before the @, so a queue
    tells its clients apart); an account deleted since reads as such (P32)."""
    user = order.client if role == "client" else order.engineer
    if user is None:
        return "deleted account"
    if role == "engineer":
        profile = EngineerProfile.objects.filter(user=user).first()
        if profile is not None:
            return profile.display_name
    return user.display_name or user.email.partition("@")[0] or "Client"


def package_orderable_or_none(package_id) -> Package | None:
    return (
        Package.objects.select_related("engineer")
        .filter(pk=package_id, active=True, engineer__approved_at__isnull=False)
        .first()
    )
