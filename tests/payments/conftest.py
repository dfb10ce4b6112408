import pytest

from masterbus.payments import purposes
from tests.payments.helpers import PURPOSE, Recorder
from tests.support.payments import payments_server  # noqa: F401  (the fixture)


@pytest.fixture
def recorder():
    """The test-only purpose's handler: what the payments app told it."""
    found = Recorder()
    purposes.register(PURPOSE, found)
    yield found
    purposes.unregister(PURPOSE)
