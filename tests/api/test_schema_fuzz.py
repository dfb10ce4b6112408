"""Schemathesis over the whole OpenAPI schema: no 5xx, and every answer matches the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from masterbus.api.services import token_create
from masterbus.config.wsgi import application
from tests.platform.fixtures import make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(transactional_db) -> str:
    """Committed: the WSGI app closes its connection after each request, as in production."""
    return token_create(user=make_user("fuzz@example.com"), name="fuzz")[1]


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_within_its_schema(case, token):
    """The token goes on every request, except where schemathesis left out or broke the
    Authorization header on purpose: that request goes as generated and must be refused."""
    headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if headers is not None and headers.mode.is_negative:
        case.call_and_validate()
    else:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
