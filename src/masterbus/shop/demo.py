"""Demo shop (loaded by `masterbus demo`; idempotent): an approved seller with a plugin in two
versions (a small dummy file per OS), and the demo listener holding a licence active on one
machine. The sale is paid the way the payments webhook pays one (the paid payment with the
"shop" split, the seller's pending share, then the purpose's handler)."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from masterbus.demo.users import demo_user
from masterbus.payments.offline import payment_paid_offline
from masterbus.shop.models import Licence, Product
from masterbus.shop.services import activations, catalogue, sellers

SLUG = "tape-glue"
VERSIONS = (("1.0.0", "First release."), ("1.1.0", "Sidechain filter; lower CPU use."))
FILES = {
    "windows": "tape-glue-{v}-win.zip",
    "macos": "tape-glue-{v}-mac.zip",
    "linux": "tape-glue-{v}.tar.gz",
}


def load(*, stdout) -> None:
    if Product.objects.filter(slug=SLUG).exists():
        return
    maker = demo_user("plugins", display_name="Demo Plugin Maker", stdout=stdout)
    buyer = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    staff = demo_user("staff", display_name="Demo Staff", stdout=stdout, staff_role="admin")
    seller = sellers.seller_apply(user=maker, display_name="Glue Audio", about="Small tools.")
    sellers.seller_approve(profile=seller, staff_user=staff)
    seller.refresh_from_db()
    product = catalogue.product_create(
        seller=seller,
        name="Tape Glue",
        description="A gentle bus compressor with tape-style saturation.",
        price=4900,
    )
    for version, changelog in VERSIONS:
        files = {
            os_: SimpleUploadedFile(name.format(v=version), f"demo {version} {os_}\n".encode())
            for os_, name in FILES.items()
        }
        catalogue.version_create(product=product, version=version, changelog=changelog, files=files)
    licence = _sold(buyer, product)
    machine = hashlib.sha256(b"demo studio mac").hexdigest()
    activations.activation_create(key=licence.key, machine=machine, label="Studio Mac")
    stdout.write(f"  plugin {product.name!r} (2 versions); {buyer.email} holds a licence")


def _sold(buyer, product: Product) -> Licence:
    licence = Licence.objects.create(user=buyer, product=product)
    payment_paid_offline(
        payer=buyer,
        payee=product.seller.user,
        purpose="shop",
        purpose_id=str(licence.pk),
        currency=product.currency,
        amount=product.price,
        fee_rule="shop",
    )
    licence.refresh_from_db()
    return licence
