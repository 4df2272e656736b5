"""The phone side of Asan İmza: a gateway interface and the development simulator.

A real gateway forwards the digest to the mobile operator and later fetches the CMS the SIM
produced. The simulator has no operator: pending requests wait in the database until the
simulator page or ``gomruk asan approve`` answers them, signing with the SIM certificate of
the demo identity whose phone number matches (files made by ``demo_pki_create``).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.utils.module_loading import import_string

from gomruk.signatures.errors import ERRORS
from gomruk.signatures.local import demo_dir, demo_identities_read, sign_digest
from gomruk.signatures.models import AsanTransaction

GATEWAYS = {"simulator": "gomruk.signatures.asan.SimulatorGateway"}


@dataclass(frozen=True)
class GatewayResult:
    state: str  # AsanState value other than pending
    signature_der: bytes | None = None
    certificate_der: bytes | None = None


class AsanGateway(ABC):
    name = ""

    @abstractmethod
    def start(self, transaction: AsanTransaction) -> str:
        """Send the request (digest, verification code) to the phone; return the gateway's reference."""

    @abstractmethod
    def poll(self, transaction: AsanTransaction) -> GatewayResult | None:
        """The phone's answer, or None while the user has not answered yet."""


class SimulatorGateway(AsanGateway):
    name = "simulator"

    def start(self, transaction: AsanTransaction) -> str:
        # The pending row is itself the simulated phone's inbox.
        return f"sim-{transaction.id}"

    def poll(self, transaction: AsanTransaction) -> GatewayResult | None:
        # The simulated phone writes its answer straight onto the row (asan_phone_confirm),
        # so there is nothing to fetch.
        return None


def asan_gateway() -> AsanGateway:
    configured = settings.GOMRUK_ASAN_GATEWAY or "simulator"
    gateway_class = import_string(GATEWAYS.get(configured, configured))
    gateway = gateway_class()
    if not isinstance(gateway, AsanGateway):
        raise TypeError(f"{configured} is not an AsanGateway")
    return gateway


def simulator_enabled() -> bool:
    return bool(settings.GOMRUK_ASAN_SIMULATOR)


def normalise_phone(phone: str) -> str:
    """'+994 50 123 45 67', '0501234567', '994501234567' → '+994501234567'."""
    digits = re.sub(r"[\s\-()]", "", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if re.fullmatch(r"0\d{9}", digits):
        digits = "994" + digits[1:]
    if not re.fullmatch(r"994\d{9}", digits):
        raise ERRORS.error("asan_phone_invalid", status=422, details={"phone_number": phone})
    return "+" + digits


def verification_code(digest: bytes) -> str:
    """Four digits derived from the signed digest (the Mobile-ID scheme), so the code the
    user sees on screen and on the phone ties both to this content."""
    value = ((digest[0] >> 2) << 7) | (digest[-1] & 0x7F)
    return f"{value:04d}"


def simulator_sign(transaction: AsanTransaction) -> tuple[bytes, bytes]:
    """Sign the transaction's digest as the SIM of the demo identity with this phone number."""
    directory = demo_dir()
    for identity in demo_identities_read(directory):
        phone = identity.get("phone")
        if phone and normalise_phone(phone) == transaction.phone_number and identity.get("asan_certificate"):
            cert_path = Path(str(identity["asan_certificate"]))
            key_pem = Path(str(identity["asan_key"])).read_bytes()
            # The SIM certificate is issued by the Asan SIM CA: send that intermediate along.
            cert_pem = cert_path.read_bytes() + (directory / "asan-sim.pem").read_bytes()
            signature = sign_digest(bytes.fromhex(transaction.payload_sha256), key_pem=key_pem, cert_pem=cert_pem)
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes()).public_bytes(Encoding.DER)
            return signature, certificate
    raise ERRORS.error("asan_unknown_phone", status=404, details={"phone_number": transaction.phone_number})
