"""A process keeps the quotes it read while the bulletins' freshness stamp is unchanged (every
validation asks the USD rate and the invoice currency's): a bulletin imported or corrected in
this process is seen at once, one written by another process within GOMRUK_REFERENCE_RECHECK
seconds (the classifiers' and tariff's contract)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gomruk.duties.models import ExchangeRate, RateBulletin
from gomruk.duties.rates import latest_rate, rate_for
from gomruk.duties.services import rate_bulletin_import_file

FRIDAY = date(2024, 2, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings, data_dir):
    settings.GOMRUK_REFERENCE_RECHECK = 3600.0
    rate_bulletin_import_file(path=data_dir / "cbar_02.02.2024.xml")
    return data_dir


def test_a_quote_read_once_is_answered_again_without_the_database(kept):
    first = rate_for("USD", FRIDAY)
    with CaptureQueriesContext(connection) as captured:
        again = rate_for("USD", FRIDAY)
    assert again == first and not captured.captured_queries
    with CaptureQueriesContext(connection) as captured:
        by_number = rate_for("840", FRIDAY)  # a key of its own: read once
    assert by_number.rate == first.rate
    assert len([q for q in captured.captured_queries if "duties_exchangerate" in q["sql"]]) == 1


def test_a_corrected_bulletin_imported_here_is_seen_at_once(kept):
    assert rate_for("EUR", FRIDAY).rate != Decimal("1.84")
    rate_bulletin_import_file(path=kept / "cbar_02.02.2024_corrected.xml")
    assert rate_for("EUR", FRIDAY).rate == Decimal("1.84")
    assert rate_for("JPY", FRIDAY) is None


def test_another_processs_import_is_seen_once_the_stamp_is_asked_again(kept, settings):
    before = rate_for("EUR", FRIDAY)
    # What another process's import does, without this process's signals.
    bulletin = RateBulletin.objects.get(date=FRIDAY)
    ExchangeRate.objects.filter(bulletin=bulletin, code="EUR").update(rate_per_unit=Decimal("2.5"))
    RateBulletin.objects.filter(pk=bulletin.pk).update(updated_at=timezone.now() + timedelta(seconds=1))
    assert rate_for("EUR", FRIDAY) == before  # within the recheck interval: the kept quote
    settings.GOMRUK_REFERENCE_RECHECK = 0.0
    assert rate_for("EUR", FRIDAY).rate == Decimal("2.5")


def test_a_new_days_bulletin_moves_the_latest_rate(kept):
    assert latest_rate("USD").bulletin_date == FRIDAY
    rate_bulletin_import_file(path=kept / "cbar_05.02.2024.xml")
    assert latest_rate("USD").bulletin_date == date(2024, 2, 5)
    assert latest_rate("AZN").bulletin_date == date(2024, 2, 5)  # national: read each time
