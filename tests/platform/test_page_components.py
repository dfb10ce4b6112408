"""The page components (CONTRIBUTING.md, "Page components"): fields tie their help and errors to
the control, the mastering settings keep the names and values the server expects, and no
template carries an inline style or script (the CSP forbids them)."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.template import Context, Template

from masterbus.core.templatetags.ui import label_parts
from masterbus.mastering.forms import MasterSettingsForm

SRC = Path(__file__).resolve().parents[2] / "src" / "masterbus"


class Sample(forms.Form):
    name = forms.CharField(help_text="What people call you")
    agree = forms.BooleanField(label="I agree")


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_a_field_ties_its_hint_and_error_to_the_control():
    html = render("{% field form.name %}", form=Sample(data={"name": ""}))
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<span class="hint" id="id_name-hint">What people call you</span>' in html
    assert 'id="id_name-error"' in html and "This field is required." in html
    assert '<label for="id_name">Name</label>' in html


def test_a_valid_field_has_no_error_and_a_checkbox_sits_in_its_label():
    html = render("{% field form.name %}", form=Sample(data={"name": "Ann", "agree": "on"}))
    assert "aria-invalid" not in html and "-error" not in html
    html = render("{% field form.agree %}", form=Sample())
    assert 'class="check"' in html and 'type="checkbox"' in html and "I agree" in html


def test_the_settings_are_radios_and_a_range_with_the_names_the_form_reads():
    form = MasterSettingsForm(initial={"target": "streaming", "style": "balanced"})
    include = Template('{% include "mastering/_settings_fields.html" %}')
    html = include.render(Context({"form": form}))
    targets = re.findall(r'type="radio" name="target" value="(\w+)"', html)
    styles = re.findall(r'type="radio" name="style" value="(\w+)"', html)
    assert targets == [value for value, _label in form.fields["target"].choices]
    assert styles == [value for value, _label in form.fields["style"].choices]
    assert 'name="target" value="streaming" id="id_target_0" checked' in html
    assert re.search(r'type="range" name="intensity"[^>]*min="0" max="100"[^>]*value="50"', html)
    assert '<output for="id_intensity"' in html
    assert 'name="custom_lufs"' in html and 'name="reference_upload_id"' in html


def test_preset_labels_split_into_a_title_and_a_detail():
    assert label_parts("Streaming (Spotify, YouTube, Tidal): −14 LUFS") == (
        "Streaming",
        "Spotify, YouTube, Tidal · −14 LUFS",
    )
    assert label_parts("Apple Music: −16 LUFS") == ("Apple Music", "−16 LUFS")
    assert label_parts("Custom") == ("Custom", "")


def test_no_template_has_an_inline_style_or_script():
    found = []
    for path in SRC.rglob("templates/**/*.html"):
        if "email" in path.relative_to(SRC).parts:  # mail is not a page: no CSP, clients differ
            continue
        text = path.read_text()
        if re.search(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", text):
            found.append(str(path.relative_to(SRC)))
    assert not found, found
