"""A trust store remembers what its own contents decide (a CRL's issuer, a verified path), and
nothing it remembers lets through what a fresh check would refuse (ADR 0036)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gomruk.core.errors import GomrukError
from gomruk.signatures.trust import PATHS_REMEMBERED, TrustStore, build_chain, check_revocation


def test_a_remembered_path_is_reused_only_while_every_certificate_on_it_is_valid(pki):
    store = pki.store()
    leaf = pki.certificates["chained"].certificate
    intermediates = [pki.intermediate.certificate]
    now = timezone.now()
    path = build_chain(store, leaf, intermediates, now)
    assert path == [leaf, pki.intermediate.certificate, pki.ca.certificate]
    assert store.verified_path(leaf, intermediates, now) == path
    # A moment before the leaf was issued: not taken from memory, checked again and refused.
    before = leaf.not_valid_before_utc - timedelta(days=1)
    assert store.verified_path(leaf, intermediates, before) is None
    with pytest.raises(GomrukError) as refused:
        build_chain(store, leaf, intermediates, before)
    assert refused.value.code == "signature_untrusted"
    # The path is remembered for these intermediates only: without the intermediate, no path.
    assert store.verified_path(leaf, [], now) is None
    with pytest.raises(GomrukError):
        build_chain(store, leaf, [], now)


def test_what_one_store_verified_is_not_trusted_by_another(pki):
    leaf = pki.certificates["good"].certificate
    now = timezone.now()
    build_chain(pki.store(), leaf, [], now)
    elsewhere = TrustStore((pki.untrusted_ca.certificate,), ())
    with pytest.raises(GomrukError) as refused:
        build_chain(elsewhere, leaf, [], now)
    assert refused.value.code == "signature_untrusted"


def test_revocation_is_checked_every_time_with_the_remembered_crl(pki):
    store = pki.store()
    now = timezone.now()
    revoked = pki.certificates["revoked"].certificate
    path = build_chain(store, revoked, [], now)
    for _ in range(2):  # the second time from memory: the path and the CRL, still refused
        with pytest.raises(GomrukError) as refused:
            check_revocation(store, build_chain(store, revoked, [], now), now)
        assert refused.value.code == "certificate_revoked"
    assert store.crl_for(pki.ca.certificate) is store.crl_for(pki.ca.certificate) is not None
    check_revocation(store, path, revoked.not_valid_before_utc)  # before the revocation: fine
    # A CRL the issuer did not sign is not its CRL, remembered or not.
    assert store.crl_for(pki.untrusted_ca.certificate) is None
    assert store.crl_for(pki.untrusted_ca.certificate) is None


def test_the_memory_is_bounded(pki, monkeypatch):
    assert PATHS_REMEMBERED >= 1000  # one path per signer's certificate
    monkeypatch.setattr("gomruk.signatures.trust.PATHS_REMEMBERED", 3)
    store = pki.store()
    for kind in ("good", "revoked", "other"):
        build_chain(store, pki.certificates[kind].certificate, [], timezone.now())
    assert len(store._paths) == 3
    build_chain(store, pki.certificates["chained"].certificate, [pki.intermediate.certificate], timezone.now())
    assert len(store._paths) == 1


def test_a_stores_fingerprint_is_what_it_judges_by(pki):
    """The same anchors and CRLs in any order make the same fingerprint; another CRL, another
    anchor or another answer to "is a CRL required" makes another (ADR 0053)."""
    store = pki.store()
    anchors, crls = store.anchors, store.crls
    assert len(store.fingerprint) == 64 and store.fingerprint == store.fingerprint
    assert TrustStore(tuple(reversed(anchors)), tuple(reversed(crls))).fingerprint == store.fingerprint
    assert TrustStore(anchors, crls, crl_required=not store.crl_required).fingerprint != store.fingerprint
    assert TrustStore(anchors, crls[:1]).fingerprint != store.fingerprint
    assert TrustStore((*anchors, pki.untrusted_ca.certificate), crls).fingerprint != store.fingerprint
