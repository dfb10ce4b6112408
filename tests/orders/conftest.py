"""Fixtures of the orders tests (helpers: tests/support/orders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterbus.accounts.models import User
from masterbus.orders.models import Order, Package
from tests.platform.fixtures import make_user
from tests.support.music import music_file
from tests.support.orders import approved_engineer, pay, place
from tests.support.payments import payments_server  # noqa: F401  (the fixture)


@pytest.fixture(scope="session")
def stem_paths(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("stems")
    return [
        music_file(folder, seconds=3.0, lufs=-22.0, seed=seed, name=f"stem{seed}")
        for seed in (21, 22)
    ]


@pytest.fixture
def engineer(db) -> tuple[User, Package]:
    return approved_engineer("erin@example.com", "Erin Audio")


@pytest.fixture
def client_user(db) -> User:
    return make_user("carl@example.com")


@pytest.fixture
def paid_order(engineer, client_user, stem_paths) -> Order:
    order = place(client_user, engineer[1], stem_paths)
    pay(order)
    return order
