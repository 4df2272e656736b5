"""Complaints through the real services: lodged (signed) against one decision, routed to the
superior body of the deciding office (post → department → Committee), answered by the
deadline of the dated time limit, decided with a written decision that may reverse the
original one; seen by nobody but the parties and the competent officers; every step audited."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from gomruk.border.declaring import arrivals_attach
from gomruk.complaints import review, services
from gomruk.complaints.deadlines import add_months, deadline_for
from gomruk.complaints.models import ComplaintState, ContestedDecision
from gomruk.complaints.selectors import (
    complaint_get,
    complaint_list,
    complaint_queue,
    complaint_view,
    view_of,
)
from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.customs import requests as customs_requests
from gomruk.declarations.models import Declaration, RequestStatus, State, StatusEvent
from gomruk.declarations.services import declaration_create
from gomruk.demo import factories
from gomruk.reference.offices import COMMITTEE, superior_office
from tests.after.amend import request_amendment, set_gross_mass
from tests.after.test_cancellation import _arrival
from tests.lifecycle.journey import OWNER_VOEN


def _decision(declaration: Declaration, action: str) -> StatusEvent:
    return StatusEvent.objects.filter(declaration=declaration, details__action=action).latest("id")


def lodge(journey, declaration, action: str, grounds: str = "Qərar əsassızdır: lisenziya təqdim edilib", by="deklarant"):
    """A complaint against the decision ``action`` of ``declaration``, signed and lodged."""
    user = journey.users[by]
    draft = services.complaint_create(
        user=user, declaration_id=declaration.pk, event_id=_decision(declaration, action).pk, grounds=grounds
    )
    payload = services.complaint_signing_payload(user=user, complaint_id=draft.pk)
    return services.complaint_sign(user=user, complaint_id=draft.pk, signature=journey.pki.sign(by, payload.payload))


# --- Routing ---------------------------------------------------------------------------------


def test_the_superior_body_follows_appendix_11(db):
    assert superior_office("00102") == "00100"  # Biləcəri post → Baku Main Customs Department
    assert superior_office("00803") == "00800"  # an airport post → the air transport department
    assert superior_office("00100") == COMMITTEE  # a department → the State Customs Committee
    assert superior_office(COMMITTEE) is None
    assert superior_office("99999") is None


def test_a_post_decision_goes_to_its_department(flow, journey):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    complaint = lodge(journey, refused, "refuse")
    assert (complaint.deciding_office, complaint.reviewing_office) == ("00102", "00100")
    assert complaint.deciding_officer == journey.users["post_officer"]
    assert complaint.decision == ContestedDecision.REFUSAL and complaint.state == ComplaintState.LODGED


def test_a_department_decision_goes_to_the_committee(flow, journey):
    refused = flow.to(flow.sent(), State.REFUSED)
    complaint = lodge(journey, refused, "refuse")
    assert (complaint.deciding_office, complaint.reviewing_office) == ("00100", COMMITTEE)
    assert [v.complaint for v in complaint_queue(officer=journey.users["komite"])] == [complaint]


# --- Deadline --------------------------------------------------------------------------------


def test_the_deadline_is_the_time_limit_in_force_on_the_lodging_day(settings):
    settings.GOMRUK_COMPLAINT_TIME_LIMITS = [
        {"from": "2006-01-01", "months": 1, "article_az": "Maddə 78", "article_en": "Article 78"},
        {"from": "2030-01-01", "days": 15, "article_az": "Yeni maddə", "article_en": "New article"},
    ]
    deadline, limit = deadline_for(date(2026, 1, 31))
    assert deadline == date(2026, 2, 28) and limit.article_en == "Article 78"  # one month, clamped
    assert deadline_for(date(2026, 3, 15))[0] == date(2026, 4, 15)
    deadline, limit = deadline_for(date(2030, 1, 10))
    assert deadline == date(2030, 1, 25) and limit.article_en == "New article"
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 12, 5), 1) == date(2027, 1, 5)


def test_the_default_time_limit_cites_article_78():
    deadline, limit = deadline_for(date(2026, 5, 4))
    assert deadline == date(2026, 6, 4) and (limit.months, limit.days) == (1, 0)
    assert "78" in limit.article_az and "78" in limit.article_en


def test_a_lodged_complaint_carries_its_deadline_and_is_flagged_when_overdue(flow, journey, monkeypatch):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    # Lodged 45 days ago, as far as the time limit is concerned.
    lodged_on = timezone.localdate() - dt.timedelta(days=45)
    monkeypatch.setattr("gomruk.complaints.services.deadline_for", lambda _day: deadline_for(lodged_on))
    complaint = lodge(journey, refused, "refuse")
    monkeypatch.undo()
    expected, _limit = deadline_for(lodged_on)
    assert complaint.deadline == expected
    assert complaint.time_limit["months"] == 1 and "78" in complaint.time_limit["article_en"]

    queue = complaint_queue(officer=journey.users["inspektor"])
    assert [(v.complaint, v.overdue) for v in queue] == [(complaint, True)]
    assert queue[0].days_left < 0
    assert [v.complaint for v in complaint_queue(officer=journey.users["inspektor"], overdue_only=True)] == [complaint]
    # The trader sees the same flag.
    assert complaint_view(user=journey.users["deklarant"], complaint_id=complaint.pk).overdue
    entry = AuditEntry.objects.filter(action="complaints.queue.read").latest("sequence")
    assert entry.details["overdue"] == 1


def test_a_complaint_within_its_time_limit_is_not_overdue_and_late_answers_are_marked(flow, journey):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    complaint = lodge(journey, refused, "refuse")
    view = view_of(journey.users["inspektor"], complaint)
    assert not view.overdue and view.days_left == (complaint.deadline - timezone.localdate()).days > 0
    assert view_of(journey.users["inspektor"], complaint, today=complaint.deadline + dt.timedelta(days=1)).overdue
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="rejected", text="Əsas yoxdur")
    complaint.refresh_from_db()
    decided = view_of(journey.users["inspektor"], complaint, today=complaint.deadline + dt.timedelta(days=5))
    assert not decided.overdue and not decided.answered_late


# --- Decisions and reversal ------------------------------------------------------------------


def test_an_upheld_complaint_against_a_refusal_reopens_the_declaration(flow, journey):
    users = journey.users
    arrival = _arrival(users["post_officer"])
    draft = declaration_create(user=users["deklarant"], document=factories.export_gb(), voen=OWNER_VOEN)
    arrivals_attach(user=users["deklarant"], declaration_id=draft.pk, arrival_ids=[arrival.pk])
    refused = flow.to(flow.send(draft, office="00102"), State.REFUSED, officer="post_officer")
    arrival.refresh_from_db()
    assert arrival.state == "in_storage"
    complaint = lodge(journey, refused, "refuse")

    review.complaint_take(officer=users["inspektor"], complaint_id=complaint.pk)
    decided = review.complaint_decide(
        officer=users["inspektor"], complaint_id=complaint.pk, outcome="upheld",
        text="Lisenziya vaxtında təqdim edilib; imtina ləğv edilir, bəyannaməyə yenidən baxılsın.",
    )

    refused.refresh_from_db()
    arrival.refresh_from_db()
    assert decided.state == ComplaintState.UPHELD
    assert refused.state == State.UNDER_CONTROL and arrival.state == "declared"
    reopened = _decision(refused, "reopen")
    assert (reopened.from_state, reopened.to_state, reopened.actor) == (State.REFUSED, State.UNDER_CONTROL, users["inspektor"])
    assert reopened.details["complaint"] == str(complaint.pk)
    assert decided.decision_record.reversal == {"action": "reopen", "to": "under_control"}
    # The office of the declaration decides again.
    released = journey.officer_step(refused, "release", officer="post_officer")
    assert released.state == State.RELEASED


def test_a_rejected_complaint_changes_nothing(flow, journey):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    complaint = lodge(journey, refused, "refuse")
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    decided = review.complaint_decide(
        officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="rejected", text="Lisenziya yoxdur."
    )
    refused.refresh_from_db()
    assert decided.state == ComplaintState.REJECTED and refused.state == State.REFUSED
    assert decided.decision_record.reversal == {}


def test_an_upheld_complaint_against_a_refused_amendment_makes_it_current(flow, journey):
    registered = flow.to(flow.sent(office="00102"), State.REGISTERED, officer="post_officer")
    request = request_amendment(journey, registered, set_gross_mass("2600.000"))
    customs_requests.amendment_refuse(
        officer=journey.users["post_officer"], declaration_id=registered.pk, number=request.number,
        reasons={"35/1": "Təsdiqlənmir"},
    )
    complaint = lodge(journey, registered, "refuse_amendment", grounds="Çəki aktı əlavə olunub")
    assert complaint.decision == ContestedDecision.AMENDMENT_REFUSAL
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="Çəki təsdiqlənir")
    registered.refresh_from_db()
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert registered.version == request.version.number and registered.document["goods"][0]["gross_mass"] == "2600.000"
    accepted = request.decisions.order_by("-id").first()
    assert accepted.decided_by == journey.users["inspektor"] and accepted.office_code == "00100"


def test_an_upheld_complaint_against_a_refused_cancellation_cancels(flow, journey):
    sent = flow.sent(office="00102")
    from gomruk.declarations.cancellation import cancellation_request

    request = cancellation_request(user=journey.users["deklarant"], declaration_id=sent.pk, reason="Müqavilə pozulub")
    customs_requests.cancellation_refuse(
        officer=journey.users["post_officer"], declaration_id=sent.pk, number=request.number, reason="Gec"
    )
    complaint = lodge(journey, sent, "refuse_cancellation")
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="Ləğv edilsin")
    sent.refresh_from_db()
    assert sent.state == State.CANCELLED


def test_a_channel_complaint_upheld_replaces_the_channel(flow, journey):
    from gomruk.customs.models import ChannelAssignment

    under_control = flow.to(flow.sent(office="00102"), State.UNDER_CONTROL, officer="post_officer")
    complaint = lodge(journey, under_control, "assign_channel", grounds="Risk profili bizə aid deyil")
    assert complaint.decision == ContestedDecision.CHANNEL
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    with pytest.raises(GomrukError) as error:
        review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="x")
    assert error.value.code == "channel_required"
    review.complaint_decide(
        officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="Yaşıl dəhliz", channel="green"
    )
    latest = ChannelAssignment.objects.filter(declaration=under_control).latest("id")
    assert (latest.channel, latest.officer) == ("green", journey.users["inspektor"])


def test_a_payment_assessment_is_decided_in_writing_and_partly_upheld_needs_no_reversal(flow, journey):
    registered = flow.to(flow.sent(office="00102"), State.REGISTERED, officer="post_officer")
    complaint = lodge(journey, registered, "register", grounds="Məzənnə səhv tarixə görə götürülüb")
    assert complaint.decision == ContestedDecision.PAYMENT
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    with pytest.raises(GomrukError) as error:
        review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="x", reverse=True)
    assert error.value.code == "reversal_unavailable"
    decided = review.complaint_decide(
        officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="partly_upheld",
        text="23-cü qrafanın məzənnəsi qəbul tarixinə görə yenidən hesablansın.",
    )
    assert decided.state == ComplaintState.PARTLY_UPHELD


def test_an_upheld_reversal_that_is_no_longer_possible_decides_nothing(flow, journey):
    from gomruk.declarations.services import declaration_update
    from gomruk.document.model import Declaration as Document

    returned = flow.to(flow.sent(office="00102"), State.RETURNED, officer="post_officer")
    complaint = lodge(journey, returned, "return", grounds="33-cü qrafa düzgündür")
    # Meanwhile the declarant corrects it anyway: the return can no longer be undone.
    declaration_update(
        user=journey.users["deklarant"], declaration_id=returned.pk, document=Document.model_validate(returned.document)
    )
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    with pytest.raises(GomrukError) as error:
        review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="Ləğv")
    assert error.value.code == "reversal_impossible"
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.UNDER_REVIEW and not hasattr(complaint, "decision_record")
    decided = review.complaint_decide(
        officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="partly_upheld",
        text="Qaytarma əsassız idi; düzəliş artıq edilib.",
    )
    assert decided.state == ComplaintState.PARTLY_UPHELD and decided.decision_record.reversal == {}


def test_steps_follow_the_complaint_states(flow, journey):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    complaint = lodge(journey, refused, "refuse")
    with pytest.raises(GomrukError) as error:
        review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="x")
    assert error.value.code == "complaint_step_not_allowed"
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    with pytest.raises(GomrukError) as error:
        review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    assert error.value.code == "complaint_step_not_allowed"
    with pytest.raises(GomrukError) as error:
        review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="maybe", text="x")
    assert error.value.code == "unknown_outcome"
    with pytest.raises(GomrukError) as error:
        review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="rejected", text=" ")
    assert error.value.code == "decision_text_required"


# --- Lodging ---------------------------------------------------------------------------------


def test_only_customs_decisions_may_be_contested_once(flow, journey):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    send_event = StatusEvent.objects.get(declaration=refused, to_state=State.SENT)
    with pytest.raises(GomrukError) as error:
        services.complaint_create(user=journey.users["deklarant"], declaration_id=refused.pk, event_id=send_event.pk, grounds="x")
    assert error.value.code == "not_a_decision"
    lodge(journey, refused, "refuse")
    with pytest.raises(GomrukError) as error:
        lodge(journey, refused, "refuse")
    assert error.value.code == "complaint_exists"
    with pytest.raises(GomrukError) as error:
        services.complaint_create(
            user=journey.users["deklarant"], declaration_id=refused.pk, event_id=_decision(refused, "refuse").pk, grounds="  "
        )
    assert error.value.code == "grounds_required"


def test_attachments_are_part_of_what_is_signed(flow, journey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    user = journey.users["deklarant"]
    draft = services.complaint_create(
        user=user, declaration_id=refused.pk, event_id=_decision(refused, "refuse").pk, grounds="Lisenziya əlavə olunur"
    )
    attachment = services.complaint_attach(
        user=user, complaint_id=draft.pk, upload=SimpleUploadedFile("lisenziya.pdf", b"%PDF-1.4 licence", "application/pdf")
    )
    with pytest.raises(GomrukError) as error:
        services.complaint_attach(user=user, complaint_id=draft.pk, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/pdf"))
    assert error.value.status == 415
    before = services.complaint_signing_payload(user=user, complaint_id=draft.pk)
    assert attachment.sha256.encode() in before.payload
    # A signature over the payload without the attachment does not lodge it.
    services.complaint_attach(
        user=user, complaint_id=draft.pk, upload=SimpleUploadedFile("akt.png", b"\x89PNG\r\n\x1a\nxx", "image/png")
    )
    with pytest.raises(GomrukError) as error:
        services.complaint_sign(user=user, complaint_id=draft.pk, signature=journey.pki.sign("deklarant", before.payload))
    assert error.value.code == "signature_mismatch"
    after = services.complaint_signing_payload(user=user, complaint_id=draft.pk)
    lodged = services.complaint_sign(user=user, complaint_id=draft.pk, signature=journey.pki.sign("deklarant", after.payload))
    assert lodged.state == ComplaintState.LODGED and lodged.payload_sha256 == after.sha256
    with pytest.raises(GomrukError) as error:
        services.complaint_attach(user=user, complaint_id=draft.pk, upload=SimpleUploadedFile("late.pdf", b"%PDF-1.4", "application/pdf"))
    assert error.value.code == "complaint_not_draft"


# --- Who sees it -----------------------------------------------------------------------------


def test_nobody_but_the_parties_and_the_competent_officers_sees_a_complaint(flow, journey):
    users = journey.users
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    draft = services.complaint_create(
        user=users["deklarant"], declaration_id=refused.pk, event_id=_decision(refused, "refuse").pk, grounds="Əsassız"
    )
    # A draft is the trader's own: the offices do not see it yet.
    for officer in ("inspektor", "post_officer"):
        with pytest.raises(GomrukError) as error:
            complaint_get(user=users[officer], complaint_id=draft.pk)
        assert error.value.status == 404
    complaint = services.complaint_sign(
        user=users["deklarant"], complaint_id=draft.pk,
        signature=journey.pki.sign("deklarant", services.complaint_signing_payload(user=users["deklarant"], complaint_id=draft.pk).payload),
    )
    # The parties: the trader, its representative, the deciding office; the competent officer.
    for who in ("deklarant", "broker", "post_officer", "inspektor"):
        assert complaint_get(user=users[who], complaint_id=complaint.pk) == complaint
    # Nobody else: another trader, another office, the Committee (not competent here), an
    # officer without an office, the administrator.
    for who in ("deklarant2", "inspektor2", "komite", "inspektor0", "admin"):
        with pytest.raises(GomrukError) as error:
            complaint_get(user=users[who], complaint_id=complaint.pk)
        assert error.value.status == 404
        assert complaint_list(user=users[who]) == []
    # The deciding office reads but does not decide.
    with pytest.raises(GomrukError) as error:
        review.complaint_take(officer=users["post_officer"], complaint_id=complaint.pk)
    assert error.value.status == 403
    assert complaint_queue(officer=users["post_officer"]) == []
    # Another trader may not lodge one on this declaration.
    with pytest.raises(GomrukError) as error:
        services.complaint_create(user=users["deklarant2"], declaration_id=refused.pk, event_id=_decision(refused, "refuse").pk, grounds="x")
    assert error.value.status == 404
    # A foreign read is audited; the trader's own is not.
    complaint_view(user=users["inspektor"], complaint_id=complaint.pk)
    complaint_view(user=users["deklarant"], complaint_id=complaint.pk)
    reads = AuditEntry.objects.filter(action="complaint.read.detail", object_id=str(complaint.pk))
    assert [e.actor for e in reads] == [users["inspektor"]]


def test_every_complaint_state_change_is_audited(flow, journey):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    complaint = lodge(journey, refused, "refuse")
    review.complaint_take(officer=journey.users["inspektor"], complaint_id=complaint.pk)
    review.complaint_decide(officer=journey.users["inspektor"], complaint_id=complaint.pk, outcome="upheld", text="Təmin edilir")
    on_complaint = [
        (e.action, e.actor.username)
        for e in AuditEntry.objects.filter(object_type="complaint", object_id=str(complaint.pk)).order_by("sequence", "id")
    ]
    assert on_complaint == [
        ("complaint.create", "deklarant"),
        ("complaint.lodge", "deklarant"),
        ("complaint.take", "inspektor"),
        ("complaint.uphold", "inspektor"),
    ]
    on_declaration = set(
        AuditEntry.objects.filter(object_id=str(refused.pk)).values_list("action", flat=True)
    )
    assert {"declaration.complain", "declaration.reopen"} <= on_declaration
    timeline = [(e.from_state, e.to_state) for e in complaint.events.order_by("at", "id")]
    assert timeline == [("draft", "lodged"), ("lodged", "under_review"), ("under_review", "upheld")]
    # Refused attempts are audited too.
    with pytest.raises(GomrukError):
        review.complaint_take(officer=journey.users["post_officer"], complaint_id=complaint.pk)
    denied = AuditEntry.objects.filter(action="complaint.take", object_id=str(complaint.pk)).latest("id")
    assert denied.outcome == "denied" and denied.details["code"] == "not_reviewing_office"
