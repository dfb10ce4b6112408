"""The shop's test world: an approved seller with a product (two files per version), a paid
licence walked through the purpose handler as the webhook would, and the URL walk's objects."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from masterbus.accounts.models import User
from masterbus.payments.offline import payment_paid_offline
from masterbus.shop.models import Licence, LicenceStatus, Product, SellerProfile
from masterbus.shop.services import activations, catalogue, sellers
from tests.platform.fixtures import make_user


def staff_user(email: str = "staff-shop@example.com") -> User:
    found = User.objects.filter(email=email).first()
    return found or User.objects.create_user(email, "correct horse battery staple", is_staff=True)


def approved_seller(email: str, name: str) -> SellerProfile:
    user = User.objects.filter(email=email).first() or make_user(email)
    profile = sellers.seller_apply(user=user, display_name=name)
    sellers.seller_approve(profile=profile, staff_user=staff_user())
    profile.refresh_from_db()
    return profile


def dummy(name: str, size: int = 64) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"plugin-bytes" * (size // 12 + 1))


def product_with_version(seller: SellerProfile, name: str = "Tape Glue") -> Product:
    product = catalogue.product_create(
        seller=seller, name=name, description="A bus compressor.", price=4900, currency="eur"
    )
    catalogue.version_create(
        product=product,
        version="1.0.0",
        changelog="First release.",
        files={"windows": dummy("glue.zip"), "linux": dummy("glue.tar.gz")},
    )
    return product


def pay_licence(buyer: User, product: Product) -> Licence:
    """What the payments webhook does for a paid checkout (payments.services.sync): the paid
    payment with its split under the "shop" rule, the pending earning, then the handler."""
    licence = Licence.objects.create(user=buyer, product=product)
    payment_paid_offline(
        payer=buyer,
        payee=product.seller.user,
        purpose="shop",
        purpose_id=str(licence.pk),
        currency=product.currency,
        amount=product.price,
        fee_rule="shop",
        payment_intent_id=f"pi_test_{licence.pk.hex[:12]}",
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    return licence


def shop_objects(user: User) -> dict:
    """For the URL walk: the user's own licence (with a machine), a product they sell (as an
    approved seller), and a seller application waiting for staff."""
    seller = approved_seller(f"seller-{user.pk}@example.com", f"Seller {user.pk}")
    product = product_with_version(seller, name=f"Walk plugin {user.pk}")
    licence = pay_licence(user, product)
    activation = activations.activation_create(key=licence.key, machine="ab" * 16, label="Walk")
    own = approved_seller(user.email, f"Own shop {user.pk}")
    own_product = Product.objects.create(
        seller=own, name=f"Own {user.pk}", slug=f"own-{user.pk}", price=100
    )
    applicant = make_user(f"applicant-{user.pk}@example.com")
    waiting = sellers.seller_apply(user=applicant, display_name=f"Applicant {user.pk}")
    return {
        "shop_product": product,
        "shop_own_product": own_product,
        "shop_licence": licence,
        "shop_activation": activation,
        "shop_file": product.versions.first().files.first(),
        "shop_application": waiting,
    }
