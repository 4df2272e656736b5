from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.customs import selectors, services
from gomruk.customs.models import ChannelAssignment, ControlRecord, Registration, ReturnReason
from gomruk.customs.rates import rate_on
from gomruk.declarations.models import State, StatusEvent
from gomruk.workbench.selectors import QueueFilters, queue


@pytest.fixture
def no_rates_module(db):
    """No CBAR bulletin has been imported: no rate is known."""
    from gomruk.duties.models import RateBulletin

    assert not RateBulletin.objects.exists()


def _bulletin(day: date, rates: dict[str, str]) -> bytes:
    valutes = "".join(
        f'<Valute Code="{code}"><Nominal>1</Nominal><Name>{code}</Name><Value>{value}</Value></Valute>'
        for code, value in rates.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ValCurs Date="{day:%d.%m.%Y}" Name="test">'
        f'<ValType Type="Xarici valyutalar">{valutes}</ValType></ValCurs>'
    ).encode()


@pytest.fixture
def rates_table(db):
    """Yesterday's bulletin in the rates table (the registration day takes the bulletin in force)."""
    from gomruk.duties.services import rate_bulletin_import

    table = {"840": Decimal("1.7000"), "978": Decimal("1.8512")}
    day = timezone.localdate() - timedelta(days=1)
    rate_bulletin_import(content=_bulletin(day, {"USD": "1.7000", "EUR": "1.8512"}), source="test")
    return table


def test_rate_seam_without_the_rates_table_knows_nothing(no_rates_module):
    assert rate_on("840", date(2026, 1, 5)) is None
    assert rate_on("944", date(2026, 1, 5)) == (Decimal("1"), date(2026, 1, 5))


def test_register_without_rates_keeps_declared_values_and_says_so(journey, no_rates_module):
    sent = journey.at(State.SENT)
    declared_usd = sent.document["office_of_dispatch"]["usd_rate"]
    registered = services.declaration_register(officer=journey.users["inspektor"], declaration_id=sent.pk)
    assert registered.state == State.REGISTERED
    assert registered.acceptance_date == timezone.localdate()
    assert registered.document["office_of_dispatch"]["usd_rate"] == declared_usd
    record = Registration.objects.get(declaration=sent)
    assert not record.usd_rate_fixed and record.usd_rate is None
    assert "USD" in record.note and record.registration_number == sent.registration_number
    event = StatusEvent.objects.filter(declaration=sent).last()
    assert event.details["usd_rate_fixed"] is False


def test_register_fixes_box_a_and_23_from_the_rates_table(journey, rates_table):
    sent = journey.at(State.SENT)
    currency = sent.document["invoice_currency"]
    registered = services.declaration_register(officer=journey.users["inspektor"], declaration_id=sent.pk)
    today = timezone.localdate()
    box_a = registered.document["office_of_dispatch"]
    assert Decimal(box_a["usd_rate"]) == Decimal("1.7000")
    assert box_a["usd_rate_date"] == (today - timedelta(days=1)).isoformat()
    assert Decimal(registered.document["exchange_rate"]) == rates_table[currency]
    record = Registration.objects.get(declaration=sent)
    assert record.usd_rate_fixed and record.currency_rate_fixed and record.note == ""
    assert record.acceptance_date == today


def test_channel_needs_a_known_colour_and_a_reason(journey):
    registered = journey.at(State.REGISTERED)
    officer = journey.users["inspektor"]
    with pytest.raises(GomrukError) as colour:
        services.declaration_assign_channel(officer=officer, declaration_id=registered.pk, channel="purple", reason="x")
    assert colour.value.code == "unknown_channel"
    with pytest.raises(GomrukError) as reason:
        services.declaration_assign_channel(officer=officer, declaration_id=registered.pk, channel="red", reason="  ")
    assert reason.value.code == "reason_required"
    for_control = services.declaration_assign_channel(
        officer=officer, declaration_id=registered.pk, channel="red", reason="Risk profili R-7"
    )
    assert for_control.state == State.UNDER_CONTROL
    assignment = ChannelAssignment.objects.get(declaration=registered)
    assert (assignment.channel, assignment.reason, assignment.officer) == ("red", "Risk profili R-7", officer)


def test_boxes_c_and_d_are_filled_by_the_officer(journey):
    declaration = journey.at(State.UNDER_CONTROL)
    officer = journey.users["inspektor"]
    services.declaration_record_control(
        officer=officer, declaration_id=declaration.pk, box_c="Texnoloji qeyd 1",
        box_d={"result": "Yoxlanıldı, uyğundur", "seals": "Plomb AZ-000123"},
    )
    updated = services.declaration_record_control(
        officer=officer, declaration_id=declaration.pk, box_c=None, box_d={"conformity": "uyğun"}
    )
    assert updated.document["customs_notes"] == "Texnoloji qeyd 1"
    box_d = updated.document["customs_control"]
    assert box_d["result"] == "Yoxlanıldı, uyğundur" and box_d["conformity"] == "uyğun"
    assert box_d["officer"] == "Leyla Əliyeva" and box_d["date"] == timezone.localdate().isoformat()
    assert ControlRecord.objects.filter(declaration=declaration).count() == 2
    assert updated.state == State.UNDER_CONTROL  # not a transition
    with pytest.raises(GomrukError) as bad:
        services.declaration_record_control(
            officer=officer, declaration_id=declaration.pk, box_c=None, box_d={"colour": "blue"}
        )
    assert bad.value.code == "invalid_box_d"
    with pytest.raises(GomrukError) as nothing:
        services.declaration_record_control(officer=officer, declaration_id=declaration.pk, box_c=None, box_d={})
    assert nothing.value.code == "nothing_to_record"


def test_boxes_c_and_d_only_while_customs_holds_the_declaration(journey):
    released = journey.at(State.RELEASED)
    with pytest.raises(GomrukError) as error:
        services.declaration_record_control(
            officer=journey.users["inspektor"], declaration_id=released.pk, box_c="late", box_d={}
        )
    assert error.value.code == "illegal_transition"


def test_refusal_needs_a_reason(journey):
    declaration = journey.at(State.UNDER_CONTROL)
    officer = journey.users["inspektor"]
    with pytest.raises(GomrukError) as error:
        services.declaration_refuse(officer=officer, declaration_id=declaration.pk, reason="")
    assert error.value.code == "reason_required"
    refused = services.declaration_refuse(officer=officer, declaration_id=declaration.pk, reason="Sanksiya siyahısı")
    assert refused.state == State.REFUSED
    assert StatusEvent.objects.filter(declaration=declaration).last().reason == "Sanksiya siyahısı"


def test_return_reasons_per_box_are_shown_to_the_declarant(journey):
    declaration = journey.at(State.UNDER_CONTROL)
    officer = journey.users["inspektor"]
    goods = len(declaration.document["goods"])
    for bad in ({}, {"99": "x"}, {"33/0": "x"}, {f"33/{goods + 1}": "x"}, {"14/1": "x"}, {"33": " "}):
        with pytest.raises(GomrukError):
            services.declaration_return(officer=officer, declaration_id=declaration.pk, reasons=bad)
    returned = services.declaration_return(
        officer=officer,
        declaration_id=declaration.pk,
        reasons={"33/1": "Kod səhvdir", "a": "Məzənnə tarixi yoxdur", "15a": "Ölkə kodu"},
        reason="Düzəliş lazımdır",
    )
    assert returned.state == State.RETURNED
    seen = selectors.return_reasons(user=journey.users["deklarant"], declaration_id=declaration.pk)
    assert {(r.box, r.item, r.text) for r in seen} == {
        ("33", 1, "Kod səhvdir"), ("A", None, "Məzənnə tarixi yoxdur"), ("15a", None, "Ölkə kodu"),
    }
    assert ReturnReason.objects.filter(declaration=declaration).count() == 3


def test_release(journey):
    released = journey.at(State.RELEASED)
    event = StatusEvent.objects.filter(declaration=released).last()
    assert (event.from_state, event.to_state, event.actor) == (
        State.UNDER_CONTROL, State.RELEASED, journey.users["inspektor"],
    )


def test_queue_lists_work_of_the_office_oldest_first_and_is_audited(journey):
    first, second = journey.at(State.SENT), journey.at(State.SENT)
    journey.at(State.CONFIRMED)  # not sent: not customs' business yet
    journey.send(journey.at(State.CONFIRMED), office="00200")  # another office
    released = journey.at(State.RELEASED)
    officer = journey.users["inspektor"]
    assert list(queue(officer=officer, filters=QueueFilters())) == [first, second]
    assert list(queue(officer=officer, filters=QueueFilters(state=State.RELEASED))) == [released]
    with pytest.raises(GomrukError):
        queue(officer=officer, filters=QueueFilters(state=State.DRAFT))
    entry = AuditEntry.objects.filter(action="customs.queue.read").first()
    assert (entry.actor, entry.object_id, entry.details) == (officer, "00100", {"sort": "age"})


def test_officer_reads_of_a_declaration_are_audited(journey):
    sent = journey.at(State.SENT)
    selectors.declaration_for_officer(officer=journey.users["inspektor"], declaration_id=sent.pk)
    entry = AuditEntry.objects.filter(action="declaration.read.document").last()
    assert entry.actor == journey.users["inspektor"] and entry.object_id == str(sent.pk)
    # The owner reading its own events is not a read of another party's data.
    from gomruk.declarations.lifecycle import declaration_events

    before = AuditEntry.objects.filter(action="declaration.read.events").count()
    declaration_events(user=journey.users["deklarant"], declaration_id=sent.pk)
    assert AuditEntry.objects.filter(action="declaration.read.events").count() == before
    declaration_events(user=journey.users["broker"], declaration_id=sent.pk)
    assert AuditEntry.objects.filter(action="declaration.read.events").count() == before + 1
