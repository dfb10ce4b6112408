"""Security: client IP and its keyed hash, rate limits, sign-in sessions, the security log, and
the headers and settings that keep production safe (P4, P16, P17, P21)."""
