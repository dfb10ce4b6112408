"""The promises registry cannot claim more than the code does: every link resolves."""

from __future__ import annotations

import ast
import importlib
import secrets
from functools import cache
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from masterbus.config.settings import base
from masterbus.privacy.promises import PROMISES, Status

REPO = Path(__file__).resolve().parents[2]


def resolve(dotted: str) -> object:
    """Import the longest importable module prefix, then walk the attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ModuleNotFoundError(dotted)


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """`name` and `Class::name` of every test function defined in a test file."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{f.name}" for f in node.body if isinstance(f, ast.FunctionDef)}
    return frozenset(names)


def test_ids_are_p1_to_p36_in_order():
    assert [p.id for p in PROMISES] == [f"P{n}" for n in range(1, 37)]


@pytest.mark.parametrize("promise", PROMISES, ids=lambda p: p.id)
def test_every_link_of_a_promise_resolves(promise, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))  # a strong one (P21)
    if promise.status is Status.KEPT:
        assert promise.tests, f"{promise.id} is marked kept but no test proves it"
    if promise.status in (Status.KEPT, Status.PARTIAL):
        assert promise.code, f"{promise.id} is marked {promise.status} but links no code"
    if promise.status is Status.PARTIAL:
        assert promise.missing, f"{promise.id} is partial: say what is missing"
    for dotted in promise.code:
        resolve(dotted)  # raises if the code it names is gone
    for node_id in promise.tests:
        file, _, name = node_id.partition("::")
        path = REPO / file
        assert path.is_file(), f"{promise.id}: no test file {file}"
        assert name in defined_tests(path), f"{promise.id}: no test {node_id}"


def test_the_registry_check_catches_a_missing_test():
    assert "test_nothing_like_this" not in defined_tests(Path(__file__))
    with pytest.raises(AttributeError):
        resolve("masterbus.privacy.promises.NO_SUCH_THING")


def test_passwords_are_salted_argon2_hashes(settings):
    """P1 with the real hashers (the test settings use a fast one)."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    hasher = base.PASSWORD_HASHERS[0]
    one = make_password("s3cret pass", hasher="argon2")
    assert hasher.endswith("Argon2PasswordHasher")
    assert identify_hasher(one).algorithm == "argon2"
    assert one != make_password("s3cret pass", hasher="argon2")  # salted
    assert check_password("s3cret pass", one) and not check_password("s3cret pas", one)


@pytest.mark.django_db
def test_promises_page_lists_every_promise_with_its_state(client):
    response = client.get("/privacy/promises/")
    html = response.content.decode()
    assert response.status_code == 200
    for promise in PROMISES:
        assert f'<tr id="{promise.id}" class="promise-{promise.status}">' in html
    kept = sum(p.status is Status.KEPT for p in PROMISES)
    assert f"{kept} kept" in html
