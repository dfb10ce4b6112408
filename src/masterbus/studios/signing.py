"""The platform's signing key and certificate, which seal booking agreements (pyHanko).

Configured by BOOKING_SIGNING_KEY and BOOKING_SIGNING_CERT: each a file path or the PEM text
itself. Unset (development, tests), a self-signed pair is generated once into DATA_DIR on first
use: never committed, never shared between installations. A deployment sets
BOOKING_SIGNING_REQUIRED so that the system check refuses to run without a configured pair
(studios.E001), because a certificate nobody outside knows proves nothing to a court.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import tempfile
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

GENERATED_DIR = "signing"
COMMON_NAME = "Masterbus booking agreements"


def _pem(value: str) -> bytes | None:
    """PEM text given directly, or the content of the file it names; None when unset."""
    if not value:
        return None
    if value.lstrip().startswith("-----BEGIN"):
        return value.encode()
    return Path(value).read_bytes()


def configured() -> bool:
    return bool(settings.BOOKING_SIGNING_KEY and settings.BOOKING_SIGNING_CERT)


def _generated() -> tuple[bytes, bytes]:
    """The self-signed pair under DATA_DIR, made on first use. Written into a fresh folder that
    is renamed into place, so processes racing on first use all end up with one matching pair;
    the key file is readable by us only."""
    folder = Path(settings.DATA_DIR) / GENERATED_DIR
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        draft = Path(tempfile.mkdtemp(prefix=".signing-", dir=folder.parent))
        key_pem, cert_pem = self_signed_pair()
        descriptor = os.open(draft / "key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key_pem)
        (draft / "cert.pem").write_bytes(cert_pem)
        try:
            draft.rename(folder)
        except OSError:  # another process was first: keep its pair
            shutil.rmtree(draft, ignore_errors=True)
    return (folder / "key.pem").read_bytes(), (folder / "cert.pem").read_bytes()


def self_signed_pair() -> tuple[bytes, bytes]:
    """A new P-256 key and a self-signed certificate for document signing (PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=20 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _pair() -> tuple[bytes, bytes]:
    if configured():
        return _pem(settings.BOOKING_SIGNING_KEY), _pem(settings.BOOKING_SIGNING_CERT)
    return _generated()


def certificate() -> asn1_x509.Certificate:
    """The platform certificate: the trust root a party verifies an agreement against."""
    return certificate_from(_pair()[1])


def certificate_from(data: bytes) -> asn1_x509.Certificate:
    """A certificate from PEM or DER bytes, as pyHanko takes it."""
    if data.lstrip().startswith(b"-----BEGIN"):
        data = x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(data)


@functools.cache
def _signer(key_pem: bytes, cert_pem: bytes) -> SimpleSigner:
    return SimpleSigner(
        signing_cert=certificate_from(cert_pem),
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore(),
    )


def signer() -> SimpleSigner:
    """The pyHanko signer for the configured (or generated) pair; loaded once per pair."""
    return _signer(*_pair())
