"""Issue 16 in a real browser: the 3-item import GB typed as facts only, from login to
'Göndərilib' (and the same in English, to 'Sent'). The journey is ``bench/journey.py``'s, which
also counts what the declarant types; here it runs against the live server and every box the
system computes is read back as a read-only value."""

from __future__ import annotations

import pytest
from bench.journey import COMPUTED, DERIVED, GOODS, journey, key_file_signer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_site(site):
    """The live server with what ``gomruk demo`` loads besides classifiers: the Harmonized
    System, the fee schedule, the demo CBAR rates and tariff (boxes 23, A, 45–47 follow them)."""
    from gomruk.demo.setup import demo_rates_and_tariff_load
    from gomruk.duties.services import fee_schedule_load_default
    from gomruk.reference.services import hs_load

    hs_load()
    fee_schedule_load_default()
    demo_rates_and_tariff_load()
    return site


def _typed_boxes(you) -> set[str]:
    return {line.split(" ")[1] for line in you.log if line.startswith(("type ", "select "))}


@pytest.mark.parametrize(("english", "stage"), [(False, "Göndərilib"), (True, "Sent")], ids=["az", "en"])
def test_import_typed_as_facts_only_from_login_to_sent(steps, demo_site, english, stage):
    from gomruk.declarations.models import Declaration

    result = journey(steps.page, demo_site["url"], key_file_signer(demo_site["pki"]), english=english)
    steps.shot("sent")
    assert result["stage"] == stage
    # Nothing the system computes was typed: every box below was read back from an <output>.
    typed = _typed_boxes(result["you"])
    assert not {f"#{dom_id}" for dom_id in COMPUTED.values()} & typed
    assert not any(selector.endswith(("-numeric", "customs_value", "statistical_value", "-payments")) for selector in typed)
    # Nor what follows from other boxes or is the Methodology's default (issue 16's measure).
    derived = {f"#f-goods-{i}-{name}" for i in range(len(GOODS)) for name in DERIVED.values()}
    assert not (derived | {"#f-dispatch_country_name", "#f-destination_country_name"}) & typed
    seen = result["seen"]
    declaration = Declaration.objects.get(pk=result["declaration"].rstrip("/").rsplit("/", 1)[1])
    document = declaration.document
    assert seen["5"] == "3" == str(document["total_items"])
    assert seen["11"] == "792"
    assert seen["12"] == document["total_customs_value"] == "7650.00"
    assert seen["22"] == "4500.00"  # 1250 + 1500 + 1750 USD
    assert seen["23"] == seen["A"] == "1.7000"
    assert [seen[f"45/{n}"] for n in (1, 2, 3)] == ["2125.00", "2550.00", "2975.00"]  # invoice × 1.7
    assert (seen["15"], seen["17"]) == ("Türkiyə", "Azərbaycan")  # from 15a / 17a
    for number, (_code, _description, _gross, net, _packages, _invoice) in enumerate(GOODS, start=1):
        derived_values = {box: seen[f"{box}/{number}"] for box in ("31", "34", "36", "37", "43a", "43b", "44.1", "44.2")}
        assert derived_values == {
            "31": net, "34": "TR", "36": "000", "37": "400000", "43a": "0", "43b": "01", "44.1": "2", "44.2": "8",
        }
    assert len(document["goods"]) == len(GOODS)
    assert all(item["payments"] for item in document["goods"])  # box 47 computed for every item
    assert declaration.registration_number
