"""One validation for every door (issue 15): ``gomruk validate``, the API, the portal's checks
and the signing gate give the same verdict for the same document on the same date with the
same facts; every valid example passes ``validate`` and is signable on its own date."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gomruk.core.errors import GomrukError
from gomruk.declarations.validation import payload_check
from gomruk.demo.rule_examples import EARLIER_DECLARATIONS, example_document
from gomruk.document.model import Declaration as Document
from gomruk.rules.profiles import profile_for, profile_keys

ON = dt.date(2025, 1, 15)  # the examples' own date (box 54, box A's rate date)
VOEN = "1401555071"
DATA = Path(__file__).resolve().parents[1] / "data" / "declarations"
VALID = sorted((DATA / "valid").glob("*.json"))


def _bulletin(day: dt.date) -> bytes:
    from importlib import resources

    text = (resources.files("gomruk.demo") / "data" / "sample_bulletin.xml").read_text(encoding="utf-8")
    return text.replace('Date="03.01.2025"', f'Date="{day:%d.%m.%Y}"').encode()


@pytest.fixture
def facts(db):
    """Every fact the signing gate uses: the CBAR bulletin of the date, the SAMPLE tariff and the
    default fee schedule, the traders and users, the earlier declarations box 40 names."""
    from gomruk.accounts.models import User
    from gomruk.declarations.models import Declaration, State
    from gomruk.demo.users import demo_users_create
    from gomruk.duties.services import (
        fee_schedule_load_default,
        rate_bulletin_import,
        tariff_import,
    )

    rate_bulletin_import(content=_bulletin(ON), source="test")
    tariff_import()
    fee_schedule_load_default()
    demo_users_create()
    user = User.objects.get(username="deklarant")
    for number, (dtype, direction, procedure, accepted) in EARLIER_DECLARATIONS.items():
        Declaration.objects.create(
            created_by=user, trader_voen=VOEN, declaration_type=dtype, direction=direction, procedure=procedure,
            state=State.RELEASED, registration_number=number, acceptance_date=dt.date.fromisoformat(accepted),
        )
    return user


@pytest.fixture
def on_the_date(monkeypatch):
    """The clock at noon of the examples' date (the signing gate reads today's date)."""
    noon = timezone.make_aware(dt.datetime.combine(ON, dt.time(12)))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    return ON


def gate(user: Any, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The signing gate's findings: [] when it lets the declaration be signed."""
    from gomruk.declarations.services import declaration_create
    from gomruk.declarations.signing import signing_payload

    declaration = declaration_create(user=user, document=Document.model_validate(document), voen=VOEN)
    try:
        signing_payload(user=user, declaration_id=declaration.pk)
    except GomrukError as exc:
        assert exc.code == "validation_failed", exc.code
        return list(exc.details["errors"])
    return []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_example_passes_validate_and_is_signable_on_its_date(path, facts, on_the_date):
    document = json.loads(path.read_text(encoding="utf-8"))
    verdict = payload_check(path.read_bytes(), on=ON, trader_voen=VOEN)
    assert [e.as_dict() for e in verdict.errors if e.severity == "error"] == []
    used = {f.name for f in verdict.used}
    assert {"rates", "nomenclature", "earlier_declarations", "aeo_status", "signing_date"} <= used
    if (document.get("declaration_type") or "01") in ("01", "06", "10") and document.get("procedure") not in ("80", "81"):
        assert "calculation" in used, [f.as_dict() for f in verdict.missing]
    assert [e for e in gate(facts, document) if e["severity"] == "error"] == []


def test_validate_command_uses_the_facts_and_names_the_missing_ones(facts):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate", str(DATA / "valid" / "01-ix-10.json"), "--on", ON.isoformat(), "--json", stdout=out)
    verdict = json.loads(out.getvalue())
    assert exit_info.value.code == 0 and verdict["valid"] is True
    assert "calculation" in {f["fact"] for f in verdict["facts"]["used"]}
    assert {f["fact"] for f in verdict["facts"]["missing"]} == {"national_list", "quotas"}
    # The fee the example used to declare (0.15 %) is refused by validate as by the gate.
    document = json.loads((DATA / "valid" / "01-ix-10.json").read_text(encoding="utf-8"))
    document["goods"][0]["payments"][0].update(rate="0.15%", amount="2.55")
    document["accounting"] = {"lines": [{"payment_type": "01", "amount": "2.55", "currency": "944"}], "total": "2.55"}
    rules = {e.rule for e in payload_check(json.dumps(document), on=ON).errors}
    assert {"D-47-1", "D-B-1"} <= rules


def test_a_box_54_date_other_than_the_validation_date_is_refused_by_both(facts, on_the_date):
    document = json.loads((DATA / "valid" / "01-ix-10.json").read_text(encoding="utf-8"))
    assert payload_check(json.dumps(document), on=ON + dt.timedelta(days=1)).valid is False
    document["place_and_signature"]["date"] = "2025-01-14"
    assert "V-54-1" in {e.rule for e in payload_check(json.dumps(document), on=ON).errors}
    assert "V-54-1" in {e["rule"] for e in gate(facts, document)}


def test_v_a_3_counts_the_printed_attachment_sheets(facts):
    """'Qoşma-SS' equals the number of attachment sheets the printed form has (the printing app
    lays the form out, through the ``declaration.attachment_sheets`` hook)."""
    document = json.loads((DATA / "valid" / "01-ix-10.json").read_text(encoding="utf-8"))
    # Too long for box 31: the rest goes to an attachment sheet.
    document["goods"][0]["description"] = "Pambıq parça, boyanmış, 200 q/m² " * 60 + " — qoşma vərəqə bax"
    document["office_of_dispatch"]["attachment_sheets"] = 7
    verdict = payload_check(json.dumps(document), on=ON)
    (error,) = [e for e in verdict.errors if e.rule == "V-A-3"]
    assert "(1)" in error.message_en
    assert "attachment_sheets" in {f.name for f in verdict.used}
    document["office_of_dispatch"]["attachment_sheets"] = 1
    assert not [e for e in payload_check(json.dumps(document), on=ON).errors if e.rule == "V-A-3"]


def test_v_33_2_with_and_without_the_national_list(facts):
    from gomruk.reference.services import national_list_import

    document = json.loads((DATA / "valid" / "01-ix-10.json").read_text(encoding="utf-8"))
    document["goods"][0]["commodity_code"] = "5208129999"  # a subheading that exists: passes on HS alone
    assert "V-33-2" not in {e.rule for e in payload_check(json.dumps(document), on=ON).errors}
    document["goods"][0]["commodity_code"] = "5299990000"
    assert "V-33-2" in {e.rule for e in payload_check(json.dumps(document), on=ON).errors}
    national_list_import(
        text="code,name_az,name_en,valid_from,valid_to\n"
        "5208120000,Pambıq parçalar,Cotton fabrics,2022-01-01,\n"
        "5208129999,Köhnə kod,Old code,2022-01-01,2024-12-31\n",
        source="test.csv",
    )
    document["goods"][0]["commodity_code"] = "5208129999"
    verdict = payload_check(json.dumps(document), on=ON)
    assert "national_list" in {f.name for f in verdict.used}
    (finding,) = [e for e in verdict.errors if e.rule == "V-33-2"]
    assert "national XİF MN list on 15.01.2025" in finding.message_en
    document["goods"][0]["commodity_code"] = "5208120000"
    assert payload_check(json.dumps(document), on=ON).valid


# --- Property: the validate door and the signing gate agree ----------------------------------

KEYS = sorted({profile_for(*k).column: (k[0], None, k[2]) for k in profile_keys()}.values(), key=str)


def _set(doc: dict[str, Any], path: str, value: Any) -> bool:
    """Write ``value`` at ``path``; False (nothing written) when the path goes through a list
    row the example does not have (e.g. box 47 lines of a declaration that pays nothing)."""
    node: Any = doc
    parts = path.strip("/").split("/")
    for position, part in enumerate(parts[:-1]):
        following = parts[position + 1]
        if isinstance(node, list):
            node = node[int(part)]
        elif following.isdigit() and len(node.get(part) or []) <= int(following):
            return False
        else:
            node = node.setdefault(part, {})
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value
    return True


MUTATIONS: list[tuple[str, Any]] = [
    ("", None),
    ("/goods/0/payments/0/amount", "2.55"),
    ("/exchange_rate", "1.7100"),
    ("/office_of_dispatch/usd_rate_date", "2025-01-10"),
    ("/place_and_signature/date", "2025-01-14"),
    ("/goods/0/commodity_code", "5299990000"),
    ("/goods/0/customs_value", "1.00"),
    ("/aeo_indicator", "1"),
    ("/goods/0/quota_remaining", "5"),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(key=st.sampled_from(KEYS), items=st.integers(min_value=1, max_value=4), mutation=st.sampled_from(MUTATIONS))
def test_validate_and_the_signing_gate_give_the_same_verdict(facts, on_the_date, key, items, mutation):
    dtype, direction, procedure = key
    document = copy.deepcopy(example_document(dtype, direction, procedure, items=items))
    path, value = mutation
    if path:
        assume(_set(document, path, value))
    verdict = payload_check(json.dumps(document), on=ON, trader_voen=VOEN)
    at_gate = gate(facts, document)
    assert verdict.valid == (not at_gate)
    if at_gate:  # the gate reports every finding when it refuses: the very same ones
        assert {(e.rule, e.box, e.item) for e in verdict.errors} == {(e["rule"], e["box"], e["item"]) for e in at_gate}
