"""The demo loader: posts (one with the listener's song when it exists), a comment, a like and
a report waiting in the queue; loading twice makes nothing the second time."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from masterbus.community import demo, selectors
from masterbus.community.models import Comment, Like, Post, Report

pytestmark = pytest.mark.django_db


def test_the_demo_community_loads_once():
    assert "masterbus.community.demo.load" in settings.DEMO_LOADERS
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    assert Post.objects.count() == 3 and Comment.objects.count() == 1 and Like.objects.count() == 1
    assert Report.objects.count() == 1 and selectors.report_queue().count() == 1
    assert "a report waits" in out.getvalue()
