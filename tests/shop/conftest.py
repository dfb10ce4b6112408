import pytest

from masterbus.shop.models import Licence, Product
from tests.platform.fixtures import make_user
from tests.shop.world import approved_seller, pay_licence, product_with_version
from tests.support.payments import payments_server  # noqa: F401  (the fixture)


@pytest.fixture
def product(db) -> Product:
    return product_with_version(approved_seller("sam@example.com", "Sam Plugins"))


@pytest.fixture
def buyer(db):
    return make_user("bea@example.com")


@pytest.fixture
def licence(product, buyer) -> Licence:
    return pay_licence(buyer, product)
