"""Opening windows and bookable slots, in the studio's time zone (pure functions, no database).

Weekly hours and exceptions are expanded per day in LOCAL wall-clock time (naive datetimes),
and only then given the zone. Two local times need care on daylight-saving days:

- a time in the spring-forward gap does not exist: a window boundary there moves to the first
  instant after the gap (an opening at 02:30 on that day opens when the clock jumps to 03:00);
- a time in the fall-back hour happens twice: an opening takes the first occurrence (fold=0),
  a closing the second (fold=1), so the window is the whole time the studio is open.

Slots are then counted in real hours from each window's opening (UTC arithmetic): every slot
exists, no instant is offered twice, and N slots are N real hours, which is what is charged.

Everything leaving this module is in UTC: Python compares and subtracts two datetimes with the
same tzinfo by their wall-clock fields, ignoring fold, which is wrong across a DST change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Weekly:
    weekday: int  # 0 is Monday
    opens: dt.time
    closes: dt.time  # at or before opens: past midnight


@dataclass(frozen=True)
class Special:
    starts_on: dt.date
    ends_on: dt.date
    closed: bool
    opens: dt.time | None = None
    closes: dt.time | None = None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


Window = tuple[dt.datetime, dt.datetime]  # aware, half-open [start, end)


def exists(naive: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether this wall-clock time happens in the zone (not in a spring-forward gap)."""
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def attach(naive: dt.datetime, zone: ZoneInfo, *, closing: bool) -> dt.datetime:
    """The instant of a local wall-clock boundary (see the module docstring for the two DST
    cases). Gaps are whole minutes in every zone, so the search moves minute by minute."""
    probe = naive.replace(second=0, microsecond=0)
    while not exists(probe, zone):
        probe += dt.timedelta(minutes=1)
    if probe != naive:  # was in a gap: the first instant after it
        return probe.replace(tzinfo=zone, fold=0)
    return naive.replace(tzinfo=zone, fold=1 if closing else 0)


def local_windows(
    day: dt.date, weekly: Sequence[Weekly], specials: Sequence[Special]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The day's opening windows in naive local time (a window may end the next day)."""
    covering = [s for s in specials if s.covers(day)]
    if any(s.closed for s in covering):
        return []
    if covering:
        hours = [(s.opens, s.closes) for s in covering]
    else:
        hours = [(w.opens, w.closes) for w in weekly if w.weekday == day.weekday()]
    found = []
    for opens, closes in hours:
        start = dt.datetime.combine(day, opens)
        end_day = day if closes > opens else day + dt.timedelta(days=1)
        found.append((start, dt.datetime.combine(end_day, closes)))
    return found


def windows(
    first_day: dt.date,
    last_day: dt.date,
    zone: ZoneInfo,
    weekly: Sequence[Weekly],
    specials: Sequence[Special],
) -> list[Window]:
    """Aware opening windows of the local days ``first_day``..``last_day``, merged where they
    touch (a late night running into the next day's hours) and in order."""
    aware: list[Window] = []
    day = first_day
    while day <= last_day:
        for start, end in local_windows(day, weekly, specials):
            opened = attach(start, zone, closing=False).astimezone(UTC)
            closed = attach(end, zone, closing=True).astimezone(UTC)
            if closed > opened:
                aware.append((opened, closed))
        day += dt.timedelta(days=1)
    return merge(aware)


def merge(spans: Iterable[Window]) -> list[Window]:
    """Overlapping or touching spans (UTC) joined."""
    merged: list[Window] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def slots(spans: Sequence[Window]) -> list[dt.datetime]:
    """Hour-long slot starts (UTC): each window's opening, then every real hour while a whole
    hour fits (so 02:00 before and 02:00 after a fall-back are two different slots)."""
    found = []
    for start, end in spans:
        at = start
        while at + HOUR <= end:
            found.append(at)
            at += HOUR
    return found


def within(spans: Sequence[Window], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether [start, end) lies inside one opening window."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    return any(w_start <= start and end <= w_end for w_start, w_end in spans)


def free(
    spans: Sequence[Window],
    busy: Sequence[Window],
    start: dt.datetime,
    end: dt.datetime,
    *,
    buffer: dt.timedelta,
) -> bool:
    """Whether [start, end) is open and, with the buffer after it, touches no busy span (each
    busy span already ends with its own buffer)."""
    if not within(spans, start, end):
        return False
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    return not any(start < b_end and b_start < end + buffer for b_start, b_end in busy)


def real_hours(start: dt.datetime, end: dt.datetime) -> float:
    """Elapsed hours between two instants (a fall-back night is an hour longer than the clock
    says, a spring-forward night an hour shorter)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600
