"""Opening windows and slots across daylight-saving changes (no database).

2026 transitions: Europe/Berlin springs forward on 29 March (02:00 CET -> 03:00 CEST) and falls
back on 25 October (03:00 CEST -> 02:00 CET); America/New_York springs forward on 8 March
(02:00 EST -> 03:00 EDT) and falls back on 1 November (02:00 EDT -> 01:00 EST).
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masterbus.studios import availability as av

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
TRANSITIONS = {
    "Europe/Berlin": (dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
    "America/New_York": (dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
}
UTC = dt.UTC


def every_day(opens: dt.time, closes: dt.time) -> list[av.Weekly]:
    return [av.Weekly(day, opens, closes) for day in range(7)]


def day_windows(zone: ZoneInfo, day: dt.date, opens: str, closes: str) -> list[av.Window]:
    week = every_day(dt.time.fromisoformat(opens), dt.time.fromisoformat(closes))
    return av.windows(day, day, zone, week, [])


def labels(slots: list[dt.datetime], zone: ZoneInfo) -> list[str]:
    return [s.astimezone(zone).strftime("%H:%M %Z") for s in slots]


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # spring forward: the 02:00 hour does not exist; midnight to 06:00 is 5 real hours
        (
            BERLIN,
            dt.date(2026, 3, 29),
            ["00:00 CET", "01:00 CET", "03:00 CEST", "04:00 CEST", "05:00 CEST"],
        ),
        (
            NEW_YORK,
            dt.date(2026, 3, 8),
            ["00:00 EST", "01:00 EST", "03:00 EDT", "04:00 EDT", "05:00 EDT"],
        ),
        # fall back: the repeated hour is two different real hours, each offered once: 7 hours
        (
            BERLIN,
            dt.date(2026, 10, 25),
            [
                "00:00 CEST",
                "01:00 CEST",
                "02:00 CEST",
                "02:00 CET",
                "03:00 CET",
                "04:00 CET",
                "05:00 CET",
            ],
        ),
        (
            NEW_YORK,
            dt.date(2026, 11, 1),
            [
                "00:00 EDT",
                "01:00 EDT",
                "01:00 EST",
                "02:00 EST",
                "03:00 EST",
                "04:00 EST",
                "05:00 EST",
            ],
        ),
    ],
)
def test_night_slots_on_both_transitions_are_the_real_hours(zone, day, expected):
    spans = day_windows(zone, day, "00:00", "06:00")
    slots = av.slots(spans)
    assert labels(slots, zone) == expected
    ((start, end),) = spans
    assert av.real_hours(start, end) == len(expected)


@pytest.mark.parametrize(
    ("zone", "day"), [(BERLIN, dt.date(2026, 3, 29)), (NEW_YORK, dt.date(2026, 3, 8))]
)
def test_an_opening_inside_the_gap_opens_when_the_clock_jumps(zone, day):
    ((start, end),) = day_windows(zone, day, "02:30", "05:00")
    assert start.astimezone(zone).strftime("%H:%M") == "03:00"
    assert av.real_hours(start, end) == 2
    assert not av.exists(dt.datetime.combine(day, dt.time(2, 30)), zone)


@pytest.mark.parametrize(
    ("zone", "day", "repeated", "hours_from", "hours_until"),
    [
        (BERLIN, dt.date(2026, 10, 25), "02:30", 4.5, 3.5),  # 02:30 CEST-06:00, 00:00-02:30 CET
        (NEW_YORK, dt.date(2026, 11, 1), "01:30", 5.5, 2.5),  # 01:30 EDT-06:00, 00:00-01:30 EST
    ],
)
def test_a_boundary_in_the_repeated_hour_opens_early_and_closes_late(
    zone, day, repeated, hours_from, hours_until
):
    ((start, end),) = day_windows(zone, day, repeated, "06:00")
    assert (start.astimezone(zone).fold, av.real_hours(start, end)) == (0, hours_from)
    ((start, end),) = day_windows(zone, day, "00:00", repeated)
    assert (end.astimezone(zone).fold, av.real_hours(start, end)) == (1, hours_until)


def test_a_day_hour_range_is_not_counted_twice_in_a_week_across_fall_back():
    week = every_day(dt.time(10), dt.time(20))
    spans = av.windows(dt.date(2026, 10, 19), dt.date(2026, 10, 31), BERLIN, week, [])
    slots = av.slots(spans)
    assert len(slots) == len(set(slots)) == 13 * 10
    assert all(s.astimezone(BERLIN).hour in range(10, 20) for s in slots)


def test_exceptions_close_days_or_replace_their_hours():
    week = every_day(dt.time(10), dt.time(18))
    specials = [
        av.Special(dt.date(2026, 12, 24), dt.date(2026, 12, 26), closed=True),
        av.Special(dt.date(2026, 12, 31), dt.date(2026, 12, 31), False, dt.time(12), dt.time(14)),
    ]
    spans = av.windows(dt.date(2026, 12, 23), dt.date(2026, 12, 31), BERLIN, week, specials)
    days = sorted({s.astimezone(BERLIN).date() for s in av.slots(spans)})
    assert dt.date(2026, 12, 25) not in days and dt.date(2026, 12, 27) in days
    last = [s for s in av.slots(spans) if s.astimezone(BERLIN).date() == dt.date(2026, 12, 31)]
    assert labels(last, BERLIN) == ["12:00 CET", "13:00 CET"]


def test_a_night_past_midnight_merges_with_the_next_morning():
    week = [av.Weekly(4, dt.time(18), dt.time(2)), av.Weekly(5, dt.time(0), dt.time(1))]
    spans = av.windows(dt.date(2026, 6, 5), dt.date(2026, 6, 6), BERLIN, week, [])
    assert len(spans) == 1 and av.real_hours(*spans[0]) == 8


def test_free_counts_the_buffer_after_the_new_booking_and_after_the_busy_one():
    day = dt.datetime(2026, 6, 5, tzinfo=UTC)
    spans = [(day + dt.timedelta(hours=8), day + dt.timedelta(hours=20))]
    busy = [
        (day + dt.timedelta(hours=12), day + dt.timedelta(hours=14, minutes=30))
    ]  # 30 min buffer
    buffer = dt.timedelta(minutes=30)
    hour = dt.timedelta(hours=1)
    assert av.free(spans, busy, day + 10 * hour, day + 11 * hour + buffer, buffer=buffer)
    assert not av.free(spans, busy, day + 10 * hour, day + 12 * hour, buffer=buffer)
    assert not av.free(spans, busy, day + 14 * hour, day + 15 * hour, buffer=buffer)
    assert av.free(spans, busy, day + 14 * hour + buffer, day + 16 * hour, buffer=buffer)
    assert not av.free(spans, busy, day + 19 * hour, day + 21 * hour, buffer=buffer)  # closed


times = st.integers(0, 47).map(lambda half: dt.time(half // 2, 30 * (half % 2)))


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(sorted(TRANSITIONS)),
    which=st.integers(0, 1),
    offset=st.integers(-1, 1),
    opens=times,
    closes=times,
)
def test_slots_exist_are_unique_and_add_up_to_the_real_hours(
    zone_name, which, offset, opens, closes
):
    zone = ZoneInfo(zone_name)
    day = TRANSITIONS[zone_name][which] + dt.timedelta(days=offset)
    spans = av.windows(day, day, zone, every_day(opens, closes), [])
    slots = av.slots(spans)
    assert len(slots) == len(set(slots))  # no instant offered twice
    for slot in slots:
        local = slot.astimezone(zone)
        assert av.exists(local.replace(tzinfo=None), zone)  # no slot that does not exist
        again = local.replace(tzinfo=None).replace(tzinfo=zone, fold=local.fold)
        assert again.astimezone(UTC) == slot  # (PEP 495: == across zones is False in a fold)
    for start, end in spans:
        inside = [s for s in slots if start <= s < end]
        assert len(inside) == int(av.real_hours(start, end))  # N slots are N real hours
        assert all(b - a == av.HOUR for a, b in itertools.pairwise(inside))
    if spans:  # the window's length is the wall-clock length corrected by the DST change
        ((start, end),) = spans
        wall = dt.datetime.combine(
            day + dt.timedelta(days=closes <= opens), closes
        ) - dt.datetime.combine(day, opens)
        assert abs(av.real_hours(start, end) - wall.total_seconds() / 3600) <= 1
