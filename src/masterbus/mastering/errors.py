"""Errors the mastering services raise for things a person can fix; the message is for them."""


class MasteringError(Exception):
    """Something the user can fix (unfinished upload, bad settings); ``str`` is the message."""


class JobBusyError(MasteringError):
    """The job is queued or being mastered, so it cannot be deleted now (API: 409 job_busy)."""


class LastVersionError(MasteringError):
    """The song's only version cannot be deleted alone (API: 409 last_version)."""
