"""Who a certificate names: VÖEN, FIN and a display name.

Which subject attributes carry the VÖEN and the FIN differs between certification
authorities, so the OIDs are settings (first attribute that yields an identifier wins).
"""

from __future__ import annotations

import re

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings

# Values may carry an ETSI semantics prefix ("VATAZ-1234567890", "PNOAZ-5ABCD12") or a
# label ("VÖEN: 1234567890"): the identifier is the trailing run of characters.
_VOEN_TAIL = re.compile(r"(?<!\d)(\d{10})\s*$")
_FIN_TAIL = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NP-Z]{7})\s*$")


def _values(certificate: x509.Certificate, oid: str) -> list[str]:
    attributes = certificate.subject.get_attributes_for_oid(x509.ObjectIdentifier(oid))
    return [str(attribute.value) for attribute in attributes]


def _first(certificate: x509.Certificate, oids: list[str], pattern: re.Pattern[str]) -> str | None:
    for oid in oids:
        for value in _values(certificate, oid):
            match = pattern.search(value.strip().upper())
            if match:
                return match.group(1)
    return None


def certificate_voen(certificate: x509.Certificate) -> str | None:
    oids = list(settings.GOMRUK_CERT_VOEN_OIDS)
    return _first(certificate, oids, _VOEN_TAIL)


def certificate_fin(certificate: x509.Certificate) -> str | None:
    oids = list(settings.GOMRUK_CERT_FIN_OIDS)
    return _first(certificate, oids, _FIN_TAIL)


def certificate_signer_name(certificate: x509.Certificate) -> str:
    common_names = _values(certificate, NameOID.COMMON_NAME.dotted_string)
    if common_names:
        return common_names[0]
    given = _values(certificate, NameOID.GIVEN_NAME.dotted_string)
    surname = _values(certificate, NameOID.SURNAME.dotted_string)
    return " ".join(given[:1] + surname[:1]) or certificate.subject.rfc4514_string()
