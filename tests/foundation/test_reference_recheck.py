"""Snapshots of classifiers and the tariff trust their last freshness check for
GOMRUK_REFERENCE_RECHECK seconds (one COUNT/MAX less per validation), but a save or delete in
the same process is seen at once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gomruk.reference import snapshot
from gomruk.reference.models import ClassifierEntry
from gomruk.reference.snapshot import current_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def recheck(settings):
    settings.GOMRUK_REFERENCE_RECHECK = 3600
    snapshot._recent.clear()
    yield
    snapshot._recent.clear()


def _name(code: str) -> str:
    row = current_reference().lookup("units", code)
    assert row is not None
    return row.name_az


def test_a_bulk_change_from_elsewhere_waits_for_the_interval(loaded_classifiers, recheck, django_assert_num_queries):
    before = _name("166")
    # An UPDATE sends no signal: as if another process had changed the row.
    ClassifierEntry.objects.filter(classifier__name="units", code="166").update(name_az="dəyişdi", updated_at=timezone.now())
    with django_assert_num_queries(0):
        assert _name("166") == before
    snapshot._recent.clear()  # the interval has passed
    assert _name("166") == "dəyişdi"


def test_a_save_in_this_process_is_seen_at_once(loaded_classifiers, recheck):
    _name("166")
    row = ClassifierEntry.objects.get(classifier__name="units", code="166")
    row.name_az = "yeni ad"
    row.save()
    assert _name("166") == "yeni ad"


def test_zero_asks_every_time(loaded_classifiers, settings):
    settings.GOMRUK_REFERENCE_RECHECK = 0
    _name("166")
    ClassifierEntry.objects.filter(classifier__name="units", code="166").update(name_az="at once", updated_at=timezone.now())
    assert _name("166") == "at once"
