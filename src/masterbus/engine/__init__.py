"""The mastering engine: a pure DSP library (never imports Django).

Public surface, used by the CLI, the web app's tasks and the API:

- ``analyze_file(path) -> dict``: loudness, peaks, dynamics, stereo and spectrum of a file.
- ``master_file(in_path, outputs, settings, reference_path=None, preview_path=None,
  progress=None) -> dict``: master one file into one or more delivery formats; returns the report.
- ``master_album(in_paths, out_dir, settings, ...) -> list[dict]``: several tracks as one album.
- ``api.lossy_from_master(master_path, out_path, "mp3", ceiling_dbtp=, target_lufs=) -> dict``:
  the MP3 delivery of a finished master (no second mastering run), decoded-peak safe.
- ``MasterSettings``, ``parse_target``, ``FORMATS``, ``STYLES``, ``TARGET_PRESETS``.
- ``EngineError``: bad input or settings; ``str(err)`` is a one-line message for a person.
"""

from masterbus.engine.errors import EngineError
from masterbus.engine.settings import (
    FORMATS,
    STYLES,
    TARGET_PRESETS,
    MasterSettings,
    parse_target,
)

__all__ = [
    "FORMATS",
    "STYLES",
    "TARGET_PRESETS",
    "EngineError",
    "MasterSettings",
    "analyze_file",
    "master_album",
    "master_file",
    "parse_target",
]


# The entry points import ``api`` when called, not here: the settings, presets and errors above
# are all the CLI's argument parsing and the web app's forms need, and they load in milliseconds.


def analyze_file(path):
    from masterbus.engine.api import analyze_file as _analyze

    return _analyze(path)


def master_file(*args, **kwargs):
    from masterbus.engine.api import master_file as _master

    return _master(*args, **kwargs)


def master_album(*args, **kwargs):
    from masterbus.engine.api import master_album as _album

    return _album(*args, **kwargs)
