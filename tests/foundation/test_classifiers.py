from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from gomruk.reference.data import manifest, read_entries
from gomruk.reference.models import Classifier, ClassifierEntry, ClassifierEntryHistory
from gomruk.reference.services import classifiers_load

API_NAMES = [
    "procedures", "movement-features", "countries", "delivery-terms", "currencies",
    "transaction-natures", "transport-modes", "payment-types", "guarantee-types",
    "payment-methods", "customs-offices", "valuation-methods", "document-types",
    "privileges", "declaration-types", "units",
]
EXPECTED_COUNTS = {
    "countries": 251, "currencies": 162, "customs-offices": 78, "document-types": 74,
    "privileges": 76, "procedures": 14, "movement-features": 32, "declaration-types": 12,
    "units": 28, "delivery-terms": 11, "transport-modes": 13, "payment-types": 20,
    "guarantee-types": 7, "payment-methods": 5, "valuation-methods": 6, "transaction-natures": 17,
}


def test_every_named_classifier_is_packaged_with_its_rows(reference):
    names = {spec.name for spec in manifest()}
    assert set(API_NAMES) <= names
    for name, count in EXPECTED_COUNTS.items():
        assert len(reference.entries(name)) == count, name


def test_every_row_has_both_names(reference):
    for spec in manifest():
        for entry in read_entries(spec):
            assert entry.name_az and entry.name_en, (spec.name, entry.key)


def test_spot_rows(reference):
    az = reference.by_attribute("countries", "alpha2", "AZ")
    assert len(az) == 1
    assert (az[0].code, az[0].attributes["alpha3"], az[0].name_az) == ("031", "AZE", "Azərbaycan")
    assert reference.lookup("customs-offices", "00100").name_az == "Bakı Baş Gömrük İdarəsi"
    assert reference.lookup("document-types", "8001").attributes["box44_line"] == "8"
    assert reference.lookup("currencies", "840").attributes["alpha"] == "USD"
    assert reference.lookup("procedures", "40").name_az == "Sərbəst dövriyyə üçün buraxılış"
    assert reference.lookup("units", "166").name_az == "kq"


def test_country_oddities_are_kept_with_iso_mapping(reference):
    # 020 is both Andorra and Antarctica; the ISO mapping column says what ISO uses.
    rows = reference.lookup_all("countries", "020")
    assert {r.key for r in rows} == {"AD", "AQ"}
    antarctica = next(r for r in rows if r.key == "AQ")
    assert antarctica.attributes["iso_alpha3"] == "ATA"
    assert antarctica.attributes["iso_numeric"] == "010"
    assert reference.by_attribute("countries", "alpha3", "BES")[0].attributes["iso_alpha2"] == "BQ"


def test_time_limited_privileges_have_validity(reference):
    from datetime import date

    assert reference.has("privileges", "506", on=date(2024, 5, 31))
    assert not reference.has("privileges", "506", on=date(2024, 6, 1))


@pytest.mark.django_db
def test_init_twice_leaves_the_same_rows():
    call_command("init", verbosity=0)
    first = list(ClassifierEntry.objects.order_by("classifier__name", "key").values())
    report = classifiers_load()
    assert not report.changed
    assert report.unchanged == len(first)
    second = list(ClassifierEntry.objects.order_by("classifier__name", "key").values())
    assert first == second
    assert ClassifierEntryHistory.objects.count() == 0


@pytest.mark.django_db
def test_changed_data_file_updates_row_and_keeps_history(monkeypatch):
    classifiers_load()
    import gomruk.reference.services as services

    original = services.read_entries

    def renamed(spec):
        entries = original(spec)
        if spec.name != "units":
            return entries
        from dataclasses import replace

        return [replace(e, name_en="kilogramme") if e.code == "166" else e for e in entries]

    monkeypatch.setattr(services, "read_entries", renamed)
    report = classifiers_load()
    assert report.updated == 1 and report.created == 0
    row = ClassifierEntry.objects.get(classifier__name="units", code="166")
    assert row.name_en == "kilogramme"
    history = ClassifierEntryHistory.objects.get(entry=row)
    assert history.previous["name_en"] == "kilogram"
    assert history.source == "init"


@pytest.mark.django_db
def test_reference_api_lists_and_searches_without_login(client, loaded_classifiers):
    listing = client.get("/api/v1/reference/")
    assert listing.status_code == 200
    names = {c["name"] for c in listing.json()}
    assert set(API_NAMES) <= names

    offices = client.get("/api/v1/reference/customs-offices").json()
    assert offices["count"] == 78
    found = client.get("/api/v1/reference/countries", {"q": "Azərbaycan"}).json()
    assert [r["key"] for r in found["rows"]] == ["AZ"]
    by_code = client.get("/api/v1/reference/currencies", {"q": "840"}).json()
    assert by_code["rows"][0]["attributes"]["alpha"] == "USD"

    missing = client.get("/api/v1/reference/no-such", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert json.loads(missing.content)["code"] == "not_found"


@pytest.mark.django_db
def test_admin_edit_keeps_history(client, loaded_classifiers, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456789")
    client.force_login(admin)
    row = ClassifierEntry.objects.get(classifier__name="units", code="166")
    page = client.get(f"/admin/reference/classifierentry/{row.pk}/change/")
    assert page.status_code == 200
    form = {
        "classifier": row.classifier_id, "key": row.key, "code": row.code, "name_az": "kiloqram",
        "name_en": row.name_en, "valid_from": "", "valid_to": "", "note": "", "attributes": json.dumps(row.attributes),
        "position": row.position,
        "history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0", "history-MIN_NUM_FORMS": "0", "history-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/reference/classifierentry/{row.pk}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    row.refresh_from_db()
    assert row.name_az == "kiloqram"
    assert ClassifierEntryHistory.objects.get(entry=row).previous["name_az"] == "kq"
    assert Classifier.objects.count() == len(manifest())
