"""The clips: level-matched within 0.5 LU by our meter and by ffmpeg's, the band recorded is
the band changed, compression and width do what the question says, and a song is read as a
bounded excerpt."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from django.core.files.storage import default_storage

from masterbus.engine.meter import Loudness
from masterbus.training import material, questions, render
from tests.support import ffmeter
from tests.support.spectrum import CENTRES_HZ, third_octave_db
from tests.training.conftest import ready

RATE = 44100
TOLERANCE_LU = 0.5


def clips_of(exercise) -> list[np.ndarray]:
    out = []
    for clip in exercise.clips.all():
        with default_storage.open(clip.stored_name, "rb") as handle:
            data, rate = sf.read(handle, always_2d=True)
        assert rate == RATE
        out.append(data)
    return out


def engine_lufs(x: np.ndarray) -> float:
    return Loudness.of(np.ascontiguousarray(x.T, dtype=np.float32), RATE).integrated()


MATCHED = [
    (kind, difficulty, source)
    for kind in ("frequency", "compression", "width", "match-eq")
    for difficulty in (1, 3, 5)
    for source in ("pink", "music")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "difficulty", "source"), MATCHED)
def test_every_question_is_level_matched_by_both_meters(alice, kind, difficulty, source):
    exercise = ready(alice, kind, difficulty, material=source)
    a, b = clips_of(exercise)
    ours = [engine_lufs(a), engine_lufs(b)]
    theirs = [ffmeter.measure_samples(c, RATE).integrated_lufs for c in (a, b)]
    assert abs(ours[0] - ours[1]) <= TOLERANCE_LU, ours
    assert abs(theirs[0] - theirs[1]) <= TOLERANCE_LU, theirs
    assert max(np.abs(a).max(), np.abs(b).max()) < 1.0  # nothing clipped to get there


@pytest.mark.django_db
def test_own_song_excerpt_is_level_matched(alice, alice_song):
    exercise = ready(alice, "frequency", 2, material="song", song_id=alice_song.pk)
    a, b = clips_of(exercise)
    assert a.shape[0] == 4 * RATE  # a clip-long excerpt, not the 12 s song
    theirs = [ffmeter.measure_samples(c, RATE).integrated_lufs for c in (a, b)]
    assert abs(theirs[0] - theirs[1]) <= TOLERANCE_LU


@pytest.mark.django_db
@pytest.mark.parametrize("difficulty", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("seed_round", range(3))
def test_the_band_changed_is_the_band_recorded(alice, difficulty, seed_round):
    exercise = ready(alice, "frequency", difficulty, material="pink")
    a, b = clips_of(exercise)
    difference = third_octave_db(b, RATE) - third_octave_db(a, RATE)
    difference -= np.median(difference)  # level matching moves every band a little
    boosted = exercise.params["gain_db"] > 0
    found = CENTRES_HZ[int(np.argmax(difference) if boosted else np.argmin(difference))]
    recorded = exercise.params["band_hz"]
    assert abs(np.log2(found / recorded)) <= 1 / 6 + 0.01, (found, recorded, exercise.params)
    assert exercise.band_hz == recorded
    if difficulty == 5:  # the decoy is cut where recorded, and the boost is the answer
        assert exercise.params["gain_db"] > 0
        decoy = CENTRES_HZ[int(np.argmin(difference))]
        assert abs(np.log2(decoy / exercise.params["decoy_hz"])) <= 1 / 6 + 0.01


@pytest.mark.django_db
def test_the_level_question_offsets_b_by_the_asked_difference(alice):
    for _ in range(4):
        exercise = ready(alice, "level", 3, material="music")
        a, b = clips_of(exercise)
        measured = engine_lufs(b) - engine_lufs(a)
        assert measured == pytest.approx(exercise.params["delta_db"], abs=0.05)


@pytest.mark.django_db
def test_the_compressed_clip_is_the_one_recorded(alice):
    for _ in range(3):
        exercise = ready(alice, "compression", 1, material="music")
        clips = dict(zip("AB", clips_of(exercise), strict=True))
        spread = {k: envelope_spread_db(v) for k, v in clips.items()}
        squeezed = exercise.params["clip"]
        other = "B" if squeezed == "A" else "A"
        assert spread[squeezed] < spread[other] - 3.0, spread


def envelope_spread_db(x: np.ndarray, window: int = RATE // 50) -> float:
    """Loud-to-quiet spread of the 20 ms level (95th minus 10th percentile): what a compressor
    narrows."""
    mono = x.mean(axis=1)
    frames = mono[: len(mono) // window * window].reshape(-1, window)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    level = level[level > level.max() - 60]
    return float(np.percentile(level, 95) - np.percentile(level, 10))


def test_width_scales_the_side_only():
    source = material.pink_noise(5, RATE)
    wide = render.widen(source, 150)
    mid, side = (source[0] + source[1]) / 2, (source[0] - source[1]) / 2
    assert np.allclose((wide[0] + wide[1]) / 2, mid)
    assert np.allclose((wide[0] - wide[1]) / 2, 1.5 * side)


def test_questions_are_deterministic_from_their_seed():
    for kind in ("frequency", "level", "compression", "width", "match-eq"):
        assert questions.design(kind, 3, 99) == questions.design(kind, 3, 99)
