"""`access.signed_in` declares the view and requires sign-in itself (function and class views)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.views import View

from masterbus.core import access
from masterbus.core.access import Access, access_of


@access.signed_in
def page(request):
    return HttpResponse("mine")


@access.signed_in
class PageView(View):
    def get(self, request):
        return HttpResponse("mine")


@pytest.mark.parametrize("view", [page, PageView.as_view()], ids=["function", "class"])
def test_signed_in_sends_anonymous_visitors_to_sign_in_and_serves_users(view, alice):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    request.user = alice
    assert view(request).content == b"mine"


def test_signed_in_keeps_its_declaration():
    assert access_of(page) is Access.SIGNED_IN
    assert access_of(PageView.as_view()) is Access.SIGNED_IN
    assert access_of(access.public(lambda request: None)) is Access.PUBLIC
