"""Who may use a view: every view you add must carry exactly one of these declarations (P18).

A declaration says what the view promises. Only ``signed_in`` also enforces it (it wraps the view
in Django's ``login_required``: anonymous visitors and guests are sent to sign in); for the others
the view still checks (``request.owner``-scoped selectors, the bearer token, the link's
signature), and tests/platform/test_url_authorization.py walks every URL pattern of the
project as a stranger, a guest, another user, staff and the owner, and checks each view keeps its
promise. A URL whose view carries no declaration fails that walk.

- ``public``: anyone, and shows nobody's data (home, privacy pages, sign-in forms).
- ``guest_or_user``: the request's owner (``request.owner``: user or guest cookie); every
  object in the URL is looked up for that owner, so anyone else's id answers 404.
- ``signed_in``: only a signed-in user (anonymous visitors and guests are sent to sign in);
  objects in the URL belong to that user, anyone else's id answers 404.
- ``staff``: staff only; everyone else is refused or sent to sign in.
- ``token``: the JSON API; only ``Authorization: Bearer <token>`` counts (no cookie, no
  session): none gives 401, another user's object id gives 404.
- ``signed_link``: the URL carries a signed, expiring token and the view still re-checks that the
  visitor owns what it points to (file downloads).
- ``keyed_link``: the URL's signed token is the only credential, so it works signed out (one-click
  unsubscribe, email confirmation); a forged or altered token changes nothing.

Use on a function view, or on a class-based view's class (``signed_in`` then requires sign-in in
the class's ``dispatch``)::

    @access.signed_in
    @require_GET
    def sessions(request): ...

Views of other projects (allauth, the admin, django-ninja's operations) cannot carry a
declaration; the walk classifies them in its own table, by URL name or namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator

View = TypeVar("View", bound=Callable)
ATTRIBUTE = "masterbus_access"


class Access(StrEnum):
    PUBLIC = "public"
    GUEST_OR_USER = "guest_or_user"
    SIGNED_IN = "signed_in"
    STAFF = "staff"
    TOKEN = "token"
    SIGNED_LINK = "signed_link"
    KEYED_LINK = "keyed_link"


def _declaration(access: Access) -> Callable[[View], View]:
    def declare(view: View) -> View:
        setattr(view, ATTRIBUTE, access)
        return view

    declare.__name__ = access.value
    declare.__doc__ = f"Declare the view {access.value} (see the module docstring)."
    return declare


def signed_in(view: View) -> View:
    """Declare the view signed_in and require sign-in for it (Django's ``login_required``)."""
    if isinstance(view, type):  # a class-based view: its as_view() dispatches through dispatch()
        view.dispatch = method_decorator(login_required)(view.dispatch)
        setattr(view, ATTRIBUTE, Access.SIGNED_IN)
        return view
    wrapped = login_required(view)
    setattr(wrapped, ATTRIBUTE, Access.SIGNED_IN)
    return wrapped


public = _declaration(Access.PUBLIC)
guest_or_user = _declaration(Access.GUEST_OR_USER)
staff = _declaration(Access.STAFF)
token = _declaration(Access.TOKEN)
signed_link = _declaration(Access.SIGNED_LINK)
keyed_link = _declaration(Access.KEYED_LINK)


def access_of(callback: Callable) -> Access | None:
    """The declaration of a URL pattern's callback; class-based views carry it on their class.

    Django's wrappers (``csrf_exempt``, ``login_required``...) copy the attribute outwards.
    """
    found = getattr(callback, ATTRIBUTE, None)
    if found is None:
        found = getattr(getattr(callback, "view_class", None), ATTRIBUTE, None)
    return found
