"""Template tags of the page components (see CONTRIBUTING.md, "Page components").

`{% field form.x %}` draws one form field as the `.field` component: its label, the control, the
help text and the errors, the last two tied to the control with aria-describedby (and
aria-invalid when there are errors), so a screen reader reads them with the field.
`{{ label|label_parts }}` splits a choice label such as "Loud (club, EDM): −9 LUFS" into a title
and a detail for the segmented control.
"""

from __future__ import annotations

import re

from django import forms, template
from django.urls import reverse

register = template.Library()

_LABEL = re.compile(r"^(?P<title>[^(:]+?)\s*(?:\((?P<paren>[^)]*)\))?\s*(?::\s*(?P<tail>.*))?$")


@register.inclusion_tag("core/_field.html")
def field(bound_field, hint: str = "", css_class: str = "", label: str = "") -> dict:
    """One field: label, control, hint and errors with their ids on the control."""
    hint = hint or bound_field.help_text
    base = bound_field.auto_id or f"field-{bound_field.html_name}"
    hint_id, error_id = f"{base}-hint", f"{base}-error"
    described = [i for i, on in ((hint_id, hint), (error_id, bound_field.errors)) if on]
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    widget = bound_field.field.widget
    return {
        "field": bound_field,
        "control": bound_field.as_widget(attrs=attrs),
        "hint": hint,
        "hint_id": hint_id,
        "error_id": error_id,
        "is_check": isinstance(widget, forms.CheckboxInput),
        "css_class": css_class,
        "label": label,
    }


@register.filter
def label_parts(label: str) -> tuple[str, str]:
    """("Streaming", "Spotify, YouTube, Tidal · −14 LUFS") from a preset's label."""
    match = _LABEL.match(str(label))
    if not match:
        return str(label), ""
    detail = " · ".join(p for p in (match["paren"], match["tail"]) if p)
    return match["title"], detail


# The account settings, in the order of the settings navigation and the header's account menu:
# (label, URL name, the view names that mark it as the current page). Every page under
# /settings/ and allauth's account pages (email, password, two-factor, connections) show it.
SETTINGS_PAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Profile", "profiles:profile", ("profiles:profile",)),
    ("Appearance", "profiles:appearance", ("profiles:appearance",)),
    ("Mastering", "mastering:preferences", ("mastering:preferences",)),
    ("Notifications", "messaging:preferences", ("messaging:preferences",)),
    ("Email addresses", "account_email", ("account_email",)),
    ("Password", "account_change_password", ("account_change_password", "account_set_password")),
    ("Two-factor sign-in", "mfa_index", ("mfa_",)),  # every page of allauth.mfa
    ("Connected accounts", "socialaccount_connections", ("socialaccount_connections",)),
    ("Security", "security:security", ("security:security",)),
    ("API tokens", "api-pages:tokens", ("api-pages:tokens",)),
    ("Payments", "payments:payments", ("payments:payments",)),
    ("Earnings", "payments:earnings", ("payments:earnings",)),
    ("Your data", "rights:data", ("rights:data", "rights:account_delete")),
)


@register.simple_tag(takes_context=True)
def settings_pages(context) -> list[dict]:
    """`{% settings_pages as pages %}`: each settings page's label, URL and whether it is the
    page being shown (for aria-current)."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = match.view_name if match else ""
    return [
        {
            "label": label,
            "url": reverse(name),
            "current": any(here == n or (n.endswith("_") and here.startswith(n)) for n in names),
        }
        for label, name, names in SETTINGS_PAGES
    ]
