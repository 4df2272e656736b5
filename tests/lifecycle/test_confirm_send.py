from __future__ import annotations

import pytest

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import State, StatusEvent, SubmissionTerms, TermsAcceptance
from gomruk.declarations.submission import current_terms, declaration_confirm, declaration_send


def test_confirm_needs_explicit_acceptance_of_the_current_terms(journey):
    declaration = journey.at(State.SIGNED)
    user = journey.users["deklarant"]
    terms = current_terms()
    assert terms is not None and terms.version == "1" and terms.text_az and terms.text_en
    with pytest.raises(GomrukError) as refused:
        declaration_confirm(user=user, declaration_id=declaration.pk, terms_version=terms.version, accepted=False)
    assert refused.value.code == "terms_not_accepted"
    with pytest.raises(GomrukError) as outdated:
        declaration_confirm(user=user, declaration_id=declaration.pk, terms_version="0", accepted=True)
    assert outdated.value.code == "terms_outdated" and outdated.value.details["current"] == "1"
    confirmed = declaration_confirm(user=user, declaration_id=declaration.pk, terms_version="1", accepted=True)
    assert confirmed.state == State.CONFIRMED
    acceptance = TermsAcceptance.objects.get(declaration=declaration)
    assert (acceptance.user, acceptance.terms_version, acceptance.version_number) == (user, "1", 1)
    assert terms.text_az in acceptance.terms_text and acceptance.accepted_at is not None


def test_newly_published_terms_replace_the_old_ones(journey):
    from django.utils import timezone

    SubmissionTerms.objects.create(version="2", text_az="Yeni şərtlər", text_en="New terms", published_at=timezone.now())
    declaration = journey.at(State.SIGNED)
    with pytest.raises(GomrukError):
        declaration_confirm(user=journey.users["deklarant"], declaration_id=declaration.pk, terms_version="1", accepted=True)
    assert journey.confirm(declaration).state == State.CONFIRMED
    assert TermsAcceptance.objects.get(declaration=declaration).terms_text.startswith("Yeni şərtlər")


def test_send_needs_an_office_of_appendix_11(journey):
    declaration = journey.at(State.CONFIRMED)
    user = journey.users["deklarant"]
    for office in ("99999", "", "00100; DROP"):
        with pytest.raises(GomrukError) as error:
            declaration_send(user=user, declaration_id=declaration.pk, office_code=office)
        assert error.value.code == "unknown_office" and error.value.status == 422
    declaration.refresh_from_db()
    assert declaration.state == State.CONFIRMED and declaration.registration_number is None
    sent = declaration_send(user=user, declaration_id=declaration.pk, office_code="00201")
    assert sent.office_code == "00201" and sent.registration_number.startswith("00201/")
    assert sent.sent_at is not None


def test_withdrawing_a_sent_declaration_keeps_its_number(journey):
    from gomruk.declarations.submission import declaration_withdraw

    declaration = journey.at(State.SENT)
    number = declaration.registration_number
    withdrawn = declaration_withdraw(user=journey.users["deklarant"], declaration_id=declaration.pk, reason="səhv")
    assert withdrawn.state == State.WITHDRAWN and withdrawn.registration_number == number
    event = StatusEvent.objects.filter(declaration=declaration).last()
    assert (event.from_state, event.to_state, event.reason) == (State.SENT, State.WITHDRAWN, "səhv")
    # Numbers are never reused: the next send gets the next one.
    assert journey.at(State.SENT).registration_number.endswith("/0000002")


def test_returned_declaration_is_corrected_resigned_and_resent_under_its_number(journey):
    from gomruk.declarations.services import declaration_update
    from gomruk.demo import factories as examples

    declaration = journey.at(State.RETURNED)
    number = declaration.registration_number
    corrected = examples.export_gb()
    corrected.goods[0].description = "Düzəldilmiş"
    draft = declaration_update(user=journey.users["deklarant"], declaration_id=declaration.pk, document=corrected)
    assert (draft.state, draft.version) == (State.DRAFT, 2)
    journey.confirm(journey.sign(draft))
    with pytest.raises(GomrukError) as elsewhere:
        journey.send(draft, office="00200")
    assert elsewhere.value.code == "office_fixed"
    resent = journey.send(draft)
    assert resent.state == State.SENT and resent.registration_number == number


def test_events_list_the_journey(journey):
    from gomruk.declarations.lifecycle import declaration_events

    declaration = journey.at(State.SENT)
    events = declaration_events(user=journey.users["deklarant"], declaration_id=declaration.pk)
    assert [(e.from_state, e.to_state) for e in events] == [
        ("", "draft"), ("draft", "signed"), ("signed", "confirmed"), ("confirmed", "sent"),
    ]
    assert all(e.actor == journey.users["deklarant"] for e in events)
