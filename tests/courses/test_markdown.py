"""Lesson Markdown is rendered safely (hostile input) and the directives embed audio and drills;
a drill without the training app's page is a disabled card, never an error."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch

from masterbus.courses import markdown
from masterbus.courses.markdown import blocks, lesson_html, markdown_html


def render(body: str, **options) -> str:
    options.setdefault("audio_url", lambda name: f"/a/{name}/" if name == "kick" else None)
    return str(lesson_html(body, next_url="/courses/lessons/x/", **options))


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pixel](data:image/png;base64,AAAA)",
    '<div onclick="alert(1)">x</div>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
    '[x](https://ok.example "t" onmouseover=alert(1))',
    "[x](vbscript:msgbox(1))",
]


class Elements(HTMLParser):
    """Every element and attribute of the rendered HTML (text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("body", HOSTILE)
def test_no_raw_html_or_dangerous_url_passes(body):
    for tag, attrs in elements(render(body)):
        assert tag in markdown.TAGS, (body, tag)
        assert not [name for name in attrs if name.startswith("on") or name in ("src", "style")]
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith(("javascript", "data", "vbscript")), (body, href)


def test_markdown_renders_with_headings_under_the_page_title_and_safe_links():
    html = render(
        "# Title\n\n**bold** and [a link](https://example.org/x)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html and "<table>" in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer">a link</a>' in html


def test_typed_html_comes_out_as_text():
    assert "&lt;b&gt;hi&lt;/b&gt;" in markdown_html("<b>hi</b> there")


def test_huge_and_pathological_input_is_bounded(settings):
    settings.COURSES_LESSON_MAX_CHARS = 60_000
    for body in (
        "[" * 500_000,
        "*a" * 300_000,
        "> " * 200_000 + "x",
        "::drill frequency 1\n" * 5000,
    ):
        start = time.process_time()
        html = render(body)
        assert time.process_time() - start < 5
        assert len(html) < 400_000
    assert render("::drill frequency 1\n" * 5000).count("lesson-drill") == markdown.MAX_EMBEDS


def test_directives_embed_audio_and_a_drill_link_with_the_way_back():
    html = render("Listen:\n\n::audio kick\n\n::drill compression 3\n\n::audio nothing")
    assert '<audio controls preload="none" src="/a/kick/">' in html
    assert "Audio example “nothing” is missing" in html
    try:
        from django.urls import reverse

        base = reverse("training:drill", args=["compression"])
    except NoReverseMatch:
        assert "Drill not available yet" in html
    else:
        assert f'href="{base}?difficulty=3&amp;next=%2Fcourses%2Flessons%2Fx%2F"' in html


def test_a_drill_without_the_training_page_is_a_disabled_card(monkeypatch):
    def missing(*args, **kwargs):
        raise NoReverseMatch("no training app")

    monkeypatch.setattr(markdown, "reverse", missing)
    html = render("::drill width 2")
    assert (
        "Drill not available yet" in html and 'aria-disabled="true"' in html and "href" not in html
    )


@pytest.mark.parametrize(
    "line", ["::drill banjo 2", "::drill frequency 9", "::drill frequency 2 3"]
)
def test_a_bad_drill_line_is_named_for_the_author(line):
    assert "Unknown drill" in render(line)


def test_directives_inside_code_fences_stay_text():
    found = blocks("```\n::audio kick\n```\n::audio kick")
    assert found == [("markdown", "```\n::audio kick\n```"), ("audio", "kick")]


def test_an_audio_name_is_escaped():
    html = render('::audio "><script>x</script>')
    assert "<script>" not in html
