"""Issue #13 item 1 in the services: the party boxes against the account on the signing date,
the certificate against box 14, and again at sending."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from gomruk.accounts.models import Representation
from gomruk.core.errors import GomrukError
from gomruk.declarations.models import State
from gomruk.declarations.ownership import owner_box, ownership_findings
from gomruk.declarations.services import declaration_create, declaration_update
from gomruk.declarations.signing import declaration_sign, signing_payload
from gomruk.demo import factories as examples
from gomruk.signatures.local import sign_digest

XEZER = "1401555071"


def _broker_draft(journey, kind=examples.export_gb):
    document = kind()
    document.declarant = None
    return declaration_create(user=journey.users["broker"], document=document, voen=XEZER)


def _codes(error) -> set[str]:
    return {e["rule"] for e in error.value.details["errors"]}


def test_the_owner_box_follows_the_direction_and_transit():
    assert owner_box(examples.export_gb()).box == "2"
    assert owner_box(examples.import_gb(items=1)).box == "8"
    assert owner_box(examples.transit_gb()).box == "9"


def test_the_attack_of_the_issue_is_refused_at_create(journey):
    """deklarant2 files under its own VÖEN a document whose boxes 2, 9, 14 name Xəzər."""
    with pytest.raises(GomrukError) as error:
        declaration_create(user=journey.users["deklarant2"], document=examples.export_gb(), voen="1900310041")
    assert error.value.status == 403
    assert {"declarant_not_allowed", "owner_not_allowed"} <= _codes(error)


def test_a_representation_not_yet_valid_on_the_signing_date_is_refused(journey):
    """The representation starts today; a signature dated yesterday was not made for the principal."""
    declaration = _broker_draft(journey)
    Representation.objects.filter(principal__voen=XEZER).update(valid_from=timezone.localdate())
    broker = journey.users["broker"]
    frozen = signing_payload(user=broker, declaration_id=declaration.pk)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    leaf = journey.pki.leaves["broker"]
    signature = sign_digest(
        hashlib.sha256(frozen.payload).digest(), key_pem=leaf.key_pem, cert_pem=leaf.cert_pem,
        signing_time=midnight - timedelta(minutes=1),
    )
    with pytest.raises(GomrukError) as error:
        declaration_sign(user=broker, declaration_id=declaration.pk, provider="certificate", signature=signature)
    assert error.value.code == "party_not_authorised"
    assert "representation_invalid" in _codes(error)
    assert error.value.details["box"] == "2"
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT


def test_a_representation_expired_on_the_signing_date_is_refused_at_send(journey):
    """Signed by the broker; the representation is then recorded as ended the day before the
    signature: the principal's own user cannot send what the broker signed."""
    declaration = journey.sign(_broker_draft(journey), by="broker")
    declaration = journey.confirm(declaration, by="broker")
    Representation.objects.filter(principal__voen=XEZER).update(
        valid_to=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(GomrukError) as error:
        journey.send(declaration, by="deklarant")
    assert error.value.code == "party_not_authorised" and "representation_invalid" in _codes(error)
    declaration.refresh_from_db()
    assert declaration.state == State.CONFIRMED and declaration.registration_number is None


def test_a_broker_for_its_principal_is_accepted_through_to_sending(journey):
    declaration = journey.sign(_broker_draft(journey), by="broker")
    declaration = journey.send(journey.confirm(declaration, by="broker"), by="broker")
    assert declaration.state == State.SENT and declaration.registration_number


def test_a_certificate_whose_voen_differs_from_box_14_is_refused_at_signing(journey):
    declaration = journey.draft()  # box 14: Xəzər
    with pytest.raises(GomrukError) as error:
        journey.sign(declaration, by="deklarant", identity="broker")
    # The certificate is refused: either as a stranger's VÖEN or as not box 14's.
    assert error.value.status == 403
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT


def test_box_14_of_another_broker_firm_or_licence_is_refused(journey):
    declaration = _broker_draft(journey)
    forged_licence = examples.export_gb()
    forged_licence.declarant = forged_licence.declarant.model_copy(update={
        "identifier": "1700120051", "acts_as_broker": True, "broker_licence_number": "GB-9999",
        "broker_licence_date": timezone.localdate(),
    })
    with pytest.raises(GomrukError) as error:
        declaration_update(user=journey.users["broker"], declaration_id=declaration.pk, document=forged_licence)
    assert "broker_licence_invalid" in _codes(error)
    stranger_firm = examples.export_gb()
    stranger_firm.place_and_signature = stranger_firm.place_and_signature.model_copy(
        update={"broker_firm_voen": "9876543211"}
    )
    with pytest.raises(GomrukError) as error:
        declaration_update(user=journey.users["broker"], declaration_id=declaration.pk, document=stranger_firm)
    assert error.value.details["box"] == "54"


def test_findings_name_every_box(journey):
    document = examples.export_gb()
    findings = ownership_findings(user=journey.users["deklarant2"], document=document, trader_voen="1900310041")
    assert [(f.box, f.path) for f in findings] == [
        ("14", "/declarant/identifier"), ("2", "/consignor/identifier"),
    ]
    assert all(f.message_az.startswith("Qrafa ") and f.message_en.startswith("Box ") for f in findings)
