"""Feature 2: mix feedback and session prep, from our own measurements and listings.

Mix feedback reads the engine's analysis of the uploaded mix (the job report's ``input``):
loudness, peaks, clipping, balance against the balanced target, stereo correlation and width,
and says what to fix before mastering or before a studio session. Session prep adds, for a
booking, what to bring and what the room has (its equipment list as the studio wrote it).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from masterbus.assistant.answers import Answer
from masterbus.assistant.measures import band_deviation
from masterbus.assistant.models import Feature

# (name, centre Hz, what too much means, what too little means)
BANDS = (
    ("low end", 63.0, "the kick and bass are heavy", "the low end is light"),
    ("low mids", 300.0, "the low mids are crowded (muddy)", "the low mids are thin"),
    ("presence", 3150.0, "the 2-5 kHz region is forward (harsh)", "the presence region is soft"),
    ("top end", 10000.0, "the top end is bright (sibilance, cymbals)", "the top end is dark"),
)
BALANCE_TOLERANCE_DB = 3.0


def _item(topic: str, measured: str, advice: str) -> dict:
    return {"topic": topic, "measured": measured, "advice": advice}


def mix_items(analysis: dict) -> list[dict]:
    """What to fix in a mix, each with the measured number it comes from."""
    items: list[dict] = []
    if not analysis or analysis.get("integrated_lufs") is None:
        return [
            _item(
                "Level",
                "silent",
                "The file is silent or nearly silent: check that the right mix was exported.",
            )
        ]
    lufs = analysis["integrated_lufs"]
    peak = analysis.get("true_peak_dbtp", -99.0)
    clipped = analysis.get("clipped_samples", 0)
    if clipped:
        items.append(
            _item(
                "Clipping",
                f"{clipped} clipped samples",
                "Lower the master fader or the mix-bus limiter and export again: "
                "clipping cannot be undone by mastering.",
            )
        )
    if peak > -1.0:
        items.append(
            _item(
                "Headroom",
                f"true peak {peak:.1f} dBTP",
                "Leave 3 to 6 dB of headroom: export with peaks around -6 dBFS.",
            )
        )
    if lufs > -12.0:
        items.append(
            _item(
                "Loudness",
                f"{lufs:.1f} LUFS",
                "The mix is already loud: take the limiter off the mix bus and "
                "let mastering set the level.",
            )
        )
    plr = analysis.get("plr_db")
    if plr is not None and plr < 8.0:
        items.append(
            _item(
                "Dynamics",
                f"peak-to-loudness {plr:.1f} dB",
                "The mix is dense: ease the bus compression so the master keeps some punch.",
            )
        )
    dc = max((abs(v) for v in analysis.get("dc_offset") or [0.0]), default=0.0)
    if dc > 0.005:
        items.append(
            _item("DC offset", f"{dc:.3f}", "A high-pass on the offending track removes it.")
        )
    correlation = analysis.get("correlation")
    if correlation is not None and correlation < 0.2:
        items.append(
            _item(
                "Phase",
                f"correlation {correlation:.2f}",
                "Left and right partly cancel: check mono compatibility "
                "(stereo wideners, flipped polarity).",
            )
        )
    width = analysis.get("width")
    if width is not None and analysis.get("channels") == 2 and width < 0.02:
        items.append(
            _item(
                "Stereo",
                f"side/mid {width:.2f}",
                "The mix is nearly mono: pan some parts if that is not the intent.",
            )
        )
    for name, centre, heavy, light in BANDS:
        deviation = band_deviation(analysis, "balanced", centre)
        if deviation is not None and abs(deviation) > BALANCE_TOLERANCE_DB:
            side = "above" if deviation > 0 else "below"
            items.append(
                _item(
                    f"Balance: {name}",
                    f"{abs(deviation):.1f} dB {side} typical",
                    f"{heavy if deviation > 0 else light}; fix it in the mix "
                    "where you can hear which part causes it.",
                )
            )
    return items


def mix_answer(*, song, job, before_session: bool = False) -> Answer:
    """What to fix in the mix of one of the user's songs."""
    analysis = (job.report or {}).get("input") or {}
    items = mix_items(analysis)
    when = "before a studio session" if before_session else "before mastering"
    if items:
        lines = [f"What to fix in {song.title} {when}:"]
        lines += [f"- {i['topic']} ({i['measured']}): {i['advice']}" for i in items]
    else:
        lines = [f"{song.title} measures healthy: nothing to fix {when}."]
    sources = [{"title": f"{song.title}: analysis of the uploaded mix", "kind": "measurement"}]
    return Answer(text="\n".join(lines), sources=sources, data={"song": song.title, "items": items})


def session_answer(*, booking, latest_job=None) -> Answer:
    """A prep list for a booking: when, the room and its equipment, what to bring."""
    room, studio = booking.room, booking.room.studio
    zone = ZoneInfo(studio.time_zone)
    starts = booking.starts_at.astimezone(zone)
    hours = (booking.ends_at - booking.starts_at).total_seconds() / 3600
    equipment = [line.strip() for line in room.equipment.splitlines() if line.strip()][:60]
    bring = [
        "Your multitracks or stems as 24-bit WAV at the project's sample rate, each starting "
        "at bar 1, named by instrument",
        "A reference track or two that sound the way you want",
        "Lyrics, chords or a chart, and a list of the takes you want to do first",
        "Tempo and key of each song: the platform does not detect them, so write them down",
        "Your own headphones and any instrument or pedal the room does not list",
    ]
    lines = [
        f"Session at {studio.name}, {room.name}: {starts:%A %d %B %Y, %H:%M} "
        f"({studio.time_zone}), {hours:g} hours.",
        "The room lists: " + ("; ".join(equipment) if equipment else "no equipment yet (ask)."),
        "Bring:",
        *[f"- {item}" for item in bring],
    ]
    sources = [{"title": f"{studio.name}, {room.name}: equipment list", "kind": "listing"},
               {"title": "Your booking", "kind": "booking"}]  # fmt: skip
    data = {"studio": studio.name, "room": room.name, "starts": starts.isoformat(),
            "hours": hours, "equipment": equipment, "bring": bring, "mix": []}  # fmt: skip
    if latest_job is not None and latest_job.report:
        mix = mix_answer(song=latest_job.song, job=latest_job, before_session=True)
        data["mix"] = mix.data["items"]
        lines += ["", *mix.text.splitlines()]
        sources += mix.sources
    return Answer(text="\n".join(lines), sources=sources, data=data)


def mix_ask(*, song, job) -> dict:
    """What asking about a song's mix records and computes (page and API alike)."""
    return {
        "feature": Feature.MIX,
        "question": f"What should I fix in the mix of {song.title}?",
        "task": "Explain what to fix in the mix; keep every measured number.",
        "compute": lambda: mix_answer(song=song, job=job),
        "subject_type": "song",
        "subject_id": str(song.pk),
    }


def session_ask(*, booking, latest_job=None) -> dict:
    """What asking for a booking's prep list records and computes (page and API alike)."""
    return {
        "feature": Feature.SESSION,
        "question": "What should I prepare for this session?",
        "task": "Write a studio session prep list; keep every item, time and number.",
        "compute": lambda: session_answer(booking=booking, latest_job=latest_job),
        "subject_type": "booking",
        "subject_id": str(booking.pk),
    }
