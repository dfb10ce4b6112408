"""Deterministic synthesised test music: drums, bass, chords, pads, noise bursts, stereo space.

Mastering has to be tested on material that behaves like music (transients, a bass line, dense
harmonics, stereo decorrelation, loud and quiet sections), not only on sine waves. Everything is
rendered from a seed, so a failing case can be reproduced exactly.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.support.ffmeter import measure_samples

BPM = 120.0
BEAT_S = 60.0 / BPM
# A minor, F, C, G: one chord per bar (4 beats); MIDI note numbers.
PROGRESSION = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
TONES = ("neutral", "dark", "bright")

# Writer formats for input files: name -> (container, subtype, extension).
FILE_FORMATS: dict[str, tuple[str, str, str]] = {
    "wav16": ("WAV", "PCM_16", "wav"),
    "wav24": ("WAV", "PCM_24", "wav"),
    "wav32": ("WAV", "PCM_32", "wav"),
    "wavf": ("WAV", "FLOAT", "wav"),
    "flac": ("FLAC", "PCM_24", "flac"),
    "aiff": ("AIFF", "PCM_24", "aiff"),
    "ogg": ("OGG", "VORBIS", "ogg"),
    "mp3": ("MP3", "MPEG_LAYER_III", "mp3"),
}


def _hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69) / 12)


def _env(n: int, sr: int, attack: float, decay: float) -> np.ndarray:
    """Linear attack, exponential decay, as a float64 envelope of n samples."""
    t = np.arange(n) / sr
    rise = np.clip(t / max(attack, 1.0 / sr), 0.0, 1.0)
    return rise * np.exp(-np.maximum(t - attack, 0.0) / decay)


def _add(track: np.ndarray, start_s: float, sr: int, sound: np.ndarray) -> None:
    start = round(start_s * sr)
    if start >= track.size:
        return
    end = min(track.size, start + sound.size)
    track[start:end] += sound[: end - start]


def _additive(freq: float, n: int, sr: int, harmonics: int, tilt: float, rng) -> np.ndarray:
    """A harmonic tone (1/k^tilt partials below Nyquist) with random partial phases."""
    t = np.arange(n) / sr
    out = np.zeros(n)
    for k in range(1, harmonics + 1):
        if k * freq >= 0.45 * sr:
            break
        out += np.sin(2 * np.pi * k * freq * t + rng.uniform(0, 2 * np.pi)) / k**tilt
    return out


def _kick(sr: int) -> np.ndarray:
    n = int(0.35 * sr)
    t = np.arange(n) / sr
    freq = 45.0 + 110.0 * np.exp(-t / 0.03)  # the pitch drop is what makes it a kick
    phase = 2 * np.pi * np.cumsum(freq) / sr
    return np.sin(phase) * _env(n, sr, 0.002, 0.12)


def _snare(sr: int, rng) -> np.ndarray:
    n = int(0.25 * sr)
    noise = rng.standard_normal(n)
    noise = np.diff(noise, prepend=0.0) * 0.5 + noise * 0.3  # brighter than white
    body = np.sin(2 * np.pi * 185.0 * np.arange(n) / sr) * _env(n, sr, 0.001, 0.05)
    return (0.5 * noise * _env(n, sr, 0.001, 0.07) + 0.6 * body) * 0.8


def _hat(sr: int, rng, velocity: float) -> np.ndarray:
    n = int(0.08 * sr)
    noise = np.diff(rng.standard_normal(n + 1))  # first difference: a high-pass
    return 0.25 * velocity * noise * _env(n, sr, 0.0005, 0.018)


def _reverb(x: np.ndarray, sr: int, rng, seconds: float = 0.6) -> np.ndarray:
    """A decaying-noise impulse response: cheap diffuse space, different for every channel."""
    n = int(seconds * sr)
    ir = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.18 * sr))
    ir /= np.sqrt(np.sum(ir**2))
    spec = np.fft.rfft(x, x.size + n) * np.fft.rfft(ir, x.size + n)
    return np.fft.irfft(spec, x.size + n)[: x.size]


def _tilt(x: np.ndarray, sr: int, db_per_octave: float) -> np.ndarray:
    """Tilt the spectrum around 1 kHz: negative is darker, positive brighter."""
    spec = np.fft.rfft(x, axis=0)
    freqs = np.fft.rfftfreq(x.shape[0], 1.0 / sr)
    octaves = np.log2(np.maximum(freqs, 20.0) / 1000.0)
    gain = 10.0 ** (db_per_octave * octaves / 20.0)
    return np.fft.irfft(spec * gain[:, None], x.shape[0], axis=0)


def _pan(mono: np.ndarray, position: float) -> np.ndarray:
    """Constant-power pan, position -1 (left) .. 1 (right)."""
    angle = (position + 1.0) * np.pi / 4.0
    return np.stack([mono * np.cos(angle), mono * np.sin(angle)], axis=1)


def render_music(
    seconds: float = 10.0,
    sample_rate: int = 44100,
    channels: int = 2,
    *,
    seed: int = 0,
    tone: str = "neutral",
    dynamic: bool = False,
) -> np.ndarray:
    """Render a song-like clip as float32 (frames, channels), peak-normalised to -3 dBFS.

    ``tone`` is "neutral", "dark" or "bright" (a spectral tilt of -1.5/+1.5 dB per octave);
    ``dynamic`` makes the first 40 % a sparse, 20 dB quieter intro before a full chorus.
    """
    if tone not in TONES:
        raise ValueError(f"tone must be one of {TONES}")
    rng = np.random.default_rng(seed)
    sr = sample_rate
    n = max(1, round(seconds * sr))
    beats = int(np.ceil(seconds / BEAT_S))
    drums = np.zeros(n)
    bass = np.zeros(n)
    chords = np.zeros((n, 2))
    pad = np.zeros((n, 2))
    fx = np.zeros((n, 2))
    kick, snare = _kick(sr), _snare(sr, rng)
    for beat in range(beats):
        start = beat * BEAT_S
        _add(drums, start, sr, kick * rng.uniform(0.9, 1.0))
        if beat % 2 == 1:
            _add(drums, start, sr, snare * rng.uniform(0.85, 1.0))
        for eighth in range(2):
            _add(drums, start + eighth * BEAT_S / 2, sr, _hat(sr, rng, rng.uniform(0.5, 1.0)))
        chord = PROGRESSION[(beat // 4) % len(PROGRESSION)]
        # Bass: root an octave down on every beat, fifth on the off-beat of beats 2 and 4.
        for step, interval in ((0.0, 0), (0.5, 7 if beat % 2 else 12)):
            note_n = int(BEAT_S / 2 * sr)
            note = _additive(_hz(chord[0] - 12 + interval), note_n, sr, 12, 1.2, rng)
            _add(bass, start + step * BEAT_S, sr, 0.5 * note * _env(note_n, sr, 0.005, 0.2))
        if beat % 2 == 0:  # chords: strummed every half bar, each note panned a little
            for i, midi in enumerate(chord):
                note_n = int(2 * BEAT_S * sr)
                note = _additive(_hz(midi), note_n, sr, 16, 1.0, rng)
                note *= 0.18 * _env(note_n, sr, 0.01, 0.5)
                chords_start = start + 0.012 * i
                stereo = _pan(note, (-0.5, 0.0, 0.5)[i])
                begin = round(chords_start * sr)
                end = min(n, begin + note_n)
                if begin < n:
                    chords[begin:end] += stereo[: end - begin]
        if beat % 16 == 12:  # a rising noise burst into every fourth bar
            burst_n = int(4 * BEAT_S * sr)
            burst = rng.standard_normal((burst_n, 2)) * np.linspace(0, 0.12, burst_n)[:, None]
            begin = round(start * sr)
            end = min(n, begin + burst_n)
            fx[begin:end] += burst[: end - begin]
    t = np.arange(n) / sr
    for i, midi in enumerate((57, 64, 72)):  # a slowly swelling, detuned pad, wide in stereo
        for ch, detune in enumerate((-0.07, 0.07)):
            freq = _hz(midi + detune + 0.03 * i)
            pad[:, ch] += 0.05 * _additive(freq, n, sr, 8, 1.5, rng)
    pad *= (0.6 + 0.4 * np.sin(2 * np.pi * 0.125 * t))[:, None]
    dry = _pan(drums, 0.0) + _pan(bass, 0.0) + chords + pad + fx
    if dynamic:
        split = int(0.4 * n)
        dry[:split] = (chords[:split] + pad[:split]) * 0.1
    wet = np.stack([_reverb(dry[:, ch], sr, rng) for ch in range(2)], axis=1)
    mix = dry + 0.25 * wet
    if tone != "neutral":
        mix = _tilt(mix, sr, -1.5 if tone == "dark" else 1.5)
    mix -= mix.mean(axis=0)
    if channels == 1:
        mix = mix.mean(axis=1, keepdims=True)
    peak = float(np.max(np.abs(mix))) or 1.0
    return (mix * (10 ** (-3 / 20) / peak)).astype(np.float32)


def clip_hard(samples: np.ndarray, drive_db: float = 12.0) -> np.ndarray:
    """Drive the audio into a hard clip at full scale, like an over-cooked master."""
    return np.clip(samples * 10 ** (drive_db / 20), -1.0, 1.0).astype(np.float32)


def level_to_lufs(samples: np.ndarray, sample_rate: int, lufs: float) -> np.ndarray:
    """Scale to an integrated loudness measured by ffmpeg; soft-clip when that needs > 0 dBFS.

    Loud inputs (-10 LUFS and above) cannot be reached by gain alone without exceeding full
    scale, so they are saturated with tanh, as a loud master would be, and re-measured.
    """
    out = samples.astype(np.float64)
    for _ in range(6):
        now = measure_samples(out, sample_rate).integrated_lufs
        if now is None:
            raise ValueError("cannot level silence")
        if abs(now - lufs) < 0.02:
            break
        out *= 10 ** ((lufs - now) / 20)
        if np.max(np.abs(out)) > 0.98:
            out = 0.98 * np.tanh(out / 0.98)
    return out.astype(np.float32)


def write_audio(
    path: str | os.PathLike, samples: np.ndarray, sample_rate: int, fmt: str = "wav24"
) -> Path:
    """Write samples in one of FILE_FORMATS; returns the path."""
    container, subtype, _ext = FILE_FORMATS[fmt]
    kwargs = {"bitrate_mode": "CONSTANT", "compression_level": 0.0} if container == "MP3" else {}
    sf.write(str(path), samples, sample_rate, format=container, subtype=subtype, **kwargs)
    return Path(path)


def music_file(
    folder: str | os.PathLike,
    *,
    seconds: float = 10.0,
    sample_rate: int = 44100,
    channels: int = 2,
    lufs: float | None = -18.0,
    seed: int = 0,
    tone: str = "neutral",
    dynamic: bool = False,
    clipped: bool = False,
    fmt: str = "wav24",
    name: str | None = None,
) -> Path:
    """Render music with the given properties into ``folder`` and return the file's path."""
    samples = render_music(seconds, sample_rate, channels, seed=seed, tone=tone, dynamic=dynamic)
    if clipped:
        samples = clip_hard(samples)
    if lufs is not None and not clipped:
        samples = level_to_lufs(samples, sample_rate, lufs)
    ext = FILE_FORMATS[fmt][2]
    if name is None:
        level = "clipped" if clipped else f"{lufs:g}" if lufs is not None else "raw"
        dyn = "_dyn" if dynamic else ""
        name = f"music_{seed}_{tone}{dyn}_{seconds:g}s_{channels}ch_{sample_rate}_{level}"
    return write_audio(Path(folder) / f"{name}.{ext}", samples, sample_rate, fmt)
