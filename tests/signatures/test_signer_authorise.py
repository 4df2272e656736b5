"""The certificate's VÖEN (or FIN) must be the declarant's, or its authorised representative's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gomruk.accounts.models import BrokerLicence, Representation, Role, Trader, TraderBinding, User
from gomruk.core.errors import GomrukError
from gomruk.demo.testing import BROKER_VOEN, OTHER_VOEN, TEST_FIN, TEST_VOEN
from gomruk.signatures.services import signature_verify, signer_authorise

PAYLOAD = b'{"v":1}'
pytestmark = pytest.mark.django_db


@pytest.fixture
def traders():
    return {
        voen: Trader.objects.create(voen=voen, name=f"Trader {voen}")
        for voen in (TEST_VOEN, OTHER_VOEN, BROKER_VOEN)
    }


@pytest.fixture
def declarant(traders):
    user = User.objects.create_user("declarant", role=Role.DECLARANT, fin=TEST_FIN)
    TraderBinding.objects.create(user=user, trader=traders[TEST_VOEN])
    return user


@pytest.fixture
def broker(traders):
    user = User.objects.create_user("broker", role=Role.REPRESENTATIVE)
    BrokerLicence.objects.create(
        representative=user, firm=traders[BROKER_VOEN], number="L-1", issued_on=date(2020, 1, 1)
    )
    Representation.objects.create(representative=user, principal=traders[OTHER_VOEN])
    return user


def verified(pki, kind):
    return signature_verify(payload=PAYLOAD, signature=pki.sign(PAYLOAD, kind))


def wrong(pki, kind, user, voen):
    with pytest.raises(GomrukError) as caught:
        signer_authorise(verified=verified(pki, kind), user=user, voen=voen)
    assert caught.value.code == "signature_wrong_voen"
    assert caught.value.status == 403
    return caught.value


def test_declarant_signs_with_own_voen(trusted, declarant):
    signer_authorise(verified=verified(trusted, "good"), user=declarant, voen=TEST_VOEN)


def test_wrong_voen(trusted, declarant):
    error = wrong(trusted, "other", declarant, TEST_VOEN)
    assert error.details["certificate_voen"] == OTHER_VOEN


def test_voen_of_certificate_alone_is_not_enough(trusted, declarant, traders):
    """A user not bound to the declaration's VÖEN cannot use even that VÖEN's certificate."""
    stranger = User.objects.create_user("stranger", role=Role.DECLARANT)
    TraderBinding.objects.create(user=stranger, trader=traders[OTHER_VOEN])
    wrong(trusted, "good", stranger, TEST_VOEN)


def test_broker_signs_for_principal_with_firm_certificate(trusted, broker):
    signer_authorise(verified=verified(trusted, "broker"), user=broker, voen=OTHER_VOEN)


def test_broker_may_sign_with_the_principals_certificate(trusted, broker):
    signer_authorise(verified=verified(trusted, "other"), user=broker, voen=OTHER_VOEN)


def test_broker_without_representation_is_refused(trusted, broker):
    wrong(trusted, "broker", broker, TEST_VOEN)


def test_broker_with_expired_representation_is_refused(trusted, broker):
    Representation.objects.filter(representative=broker).update(valid_to=date.today() - timedelta(days=1))
    wrong(trusted, "broker", broker, OTHER_VOEN)


def test_broker_with_expired_licence_cannot_use_firm_certificate(trusted, broker):
    BrokerLicence.objects.filter(representative=broker).update(valid_to=date.today() - timedelta(days=1))
    wrong(trusted, "broker", broker, OTHER_VOEN)


def test_firm_certificate_of_another_broker_is_refused(trusted, broker, traders):
    """A representative of OTHER_VOEN whose licence is with a different firm cannot use BROKER_VOEN's key."""
    other_firm = Trader.objects.create(voen="1500012341", name="Other broker firm")
    rep = User.objects.create_user("rep2", role=Role.REPRESENTATIVE)
    BrokerLicence.objects.create(representative=rep, firm=other_firm, number="L-2", issued_on=date(2020, 1, 1))
    Representation.objects.create(representative=rep, principal=traders[OTHER_VOEN])
    wrong(trusted, "broker", rep, OTHER_VOEN)


def test_natural_person_certificate_matches_user_fin(trusted, declarant):
    signer_authorise(verified=verified(trusted, "person"), user=declarant, voen=TEST_VOEN)


def test_natural_person_certificate_of_someone_else_is_refused(trusted, declarant):
    declarant.fin = "7QWER89"
    declarant.save()
    wrong(trusted, "person", declarant, TEST_VOEN)


def test_fin_does_not_help_a_user_not_bound_to_the_voen(trusted, declarant):
    wrong(trusted, "person", declarant, OTHER_VOEN)
