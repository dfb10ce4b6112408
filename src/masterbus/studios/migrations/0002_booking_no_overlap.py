"""No double booking on PostgreSQL: an exclusion constraint over (room, [starts_at,
blocked_until)) for the blocking statuses, with btree_gist for the room's equality.

The operation runs on PostgreSQL only and leaves the model state alone (SQLite has no
exclusion constraints; there the booking service serialises check-then-insert instead).
"""

from django.db import migrations

NAME = "booking_room_no_overlap"
BLOCKING = ["requested", "awaiting_payment", "confirmed", "completed"]


def _constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
    from django.db.models import Func, Q

    class TsTzRange(Func):
        function = "TSTZRANGE"
        output_field = DateTimeRangeField()

    return ExclusionConstraint(
        name=NAME,
        expressions=[
            ("room", RangeOperators.EQUAL),
            (TsTzRange("starts_at", "blocked_until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(status__in=BLOCKING),
    )


class OnPostgreSQL(migrations.operations.base.Operation):
    """btree_gist and the exclusion constraint, on PostgreSQL only; no change to the state."""

    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        from django.contrib.postgres.operations import BtreeGistExtension

        BtreeGistExtension().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, "Booking")
        schema_editor.add_constraint(model, _constraint())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, "Booking")
        schema_editor.remove_constraint(model, _constraint())

    def describe(self):
        return "PostgreSQL: exclusion constraint against overlapping bookings of a room"


class Migration(migrations.Migration):
    dependencies = [("studios", "0001_initial")]
    operations = [OnPostgreSQL()]
