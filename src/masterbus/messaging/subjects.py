"""What a thread is about: a registry from subject type to the page that shows it.

A thread names its subject by type and id only (``("order", "<uuid>")``), so messaging depends
on no other app. The app owning the subject registers how to link to it, in its
``AppConfig.ready()``::

    subjects.register("order", url_for=lambda pk: reverse("orders:order", args=[pk]))

A message notification links to that page; a subject type nobody registered links nowhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch

_URL_FOR: dict[str, Callable[[str], str]] = {}
_LABELS: dict[str, str] = {}


def register(subject_type: str, *, url_for: Callable[[str], str], label: str = "") -> None:
    """Link threads of ``subject_type`` to their page (a path, e.g. ``/orders/<id>/``);
    ``label`` names the kind of subject in lists ("Order"; default: the type, capitalised)."""
    _URL_FOR[subject_type] = url_for
    if label:
        _LABELS[subject_type] = label


def label_for(subject_type: str) -> str:
    return _LABELS.get(subject_type) or subject_type.replace("_", " ").capitalize()


def url_for(subject_type: str, subject_id: str) -> str:
    """The page showing the subject, or "" when its type is not registered (or its id does not
    fit the page's URL: a link nowhere rather than a failed post)."""
    resolver = _URL_FOR.get(subject_type)
    if resolver is None:
        return ""
    try:
        return resolver(subject_id)
    except NoReverseMatch:
        return ""
