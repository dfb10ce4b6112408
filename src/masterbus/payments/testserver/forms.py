"""Stripe's form encoding: ``a[b][0][c]=v`` into nested dicts and lists."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

PART = re.compile(r"\[([^\]]*)\]")


def _listify(value):
    if isinstance(value, dict):
        value = {key: _listify(item) for key, item in value.items()}
        if value and all(key.isdigit() for key in value):
            return [value[key] for key in sorted(value, key=int)]
    return value


def parse(body: str) -> dict:
    """Parse a form body (or query string) the way Stripe reads it."""
    found: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head = key.split("[", 1)[0]
        parts = [head, *PART.findall(key[len(head) :])]
        node = found
        for index, part in enumerate(parts[:-1]):
            nxt = parts[index + 1]
            if part == "" and isinstance(node, dict):  # "expand[]": append
                part = str(len(node))
            node = node.setdefault(part, {})
            if nxt == "":
                nxt = str(len(node))
                parts[index + 1] = nxt
        node[parts[-1]] = value
    return _listify(found)
