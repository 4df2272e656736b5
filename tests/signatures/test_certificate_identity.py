from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from gomruk.signatures.identity import certificate_fin, certificate_signer_name, certificate_voen
from gomruk.signatures.pki import SubjectSpec, issue_leaf, make_ca


@pytest.fixture(scope="module")
def ca():
    return make_ca("Identity CA", key_kind="ec256")


def leaf(ca, spec):
    return issue_leaf(ca, spec).certificate


def test_voen_from_organization_identifier_with_prefix(ca):
    certificate = leaf(ca, SubjectSpec("Firm", voen="1400057421"))
    assert certificate.subject.get_attributes_for_oid(x509.ObjectIdentifier("2.5.4.97"))[0].value == "VATAZ-1400057421"
    assert certificate_voen(certificate) == "1400057421"
    assert certificate_fin(certificate) is None


def test_voen_from_ou_when_no_organization_identifier(ca):
    spec = SubjectSpec("Firm", extra=[x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "VÖEN: 1700038881")])
    assert certificate_voen(leaf(ca, spec)) == "1700038881"


def test_organization_identifier_wins_over_ou(ca):
    spec = SubjectSpec(
        "Firm", voen="1400057421", extra=[x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "1700038881")]
    )
    assert certificate_voen(leaf(ca, spec)) == "1400057421"


def test_voen_oids_are_a_setting(ca, settings):
    spec = SubjectSpec("Firm", voen="1400057421", extra=[x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "1700038881")])
    settings.GOMRUK_CERT_VOEN_OIDS = ["2.5.4.11"]
    assert certificate_voen(leaf(ca, spec)) == "1700038881"


def test_ou_without_ten_digits_is_no_voen(ca):
    spec = SubjectSpec("Firm", extra=[x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Mühasibatlıq 12345")])
    assert certificate_voen(leaf(ca, spec)) is None


@pytest.mark.parametrize("value", ["5ABCD12", "PNOAZ-5ABCD12", "5abcd12"])
def test_fin_from_serial_number(ca, value):
    spec = SubjectSpec("Person", extra=[x509.NameAttribute(NameOID.SERIAL_NUMBER, value)])
    assert certificate_fin(leaf(ca, spec)) == "5ABCD12"


def test_fin_oids_are_a_setting(ca, settings):
    spec = SubjectSpec("Person", extra=[x509.NameAttribute(NameOID.USER_ID, "5ABCD12")])
    assert certificate_fin(leaf(ca, spec)) is None
    settings.GOMRUK_CERT_FIN_OIDS = [NameOID.USER_ID.dotted_string]
    assert certificate_fin(leaf(ca, spec)) == "5ABCD12"


def test_signer_name_is_common_name_else_given_name_and_surname(ca):
    assert certificate_signer_name(leaf(ca, SubjectSpec("Əli Məmmədov"))) == "Əli Məmmədov"
    ca_name = x509.Name([x509.NameAttribute(NameOID.GIVEN_NAME, "Aysel"), x509.NameAttribute(NameOID.SURNAME, "Hüseynova")])
    from cryptography.hazmat.primitives import hashes

    from gomruk.signatures.pki import new_key

    key = new_key()
    now = ca.certificate.not_valid_before_utc
    certificate = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca.certificate.subject)
        .public_key(key.public_key()).serial_number(1).not_valid_before(now)
        .not_valid_after(ca.certificate.not_valid_after_utc).sign(ca.key, hashes.SHA256())
    )
    assert certificate_signer_name(certificate) == "Aysel Hüseynova"
