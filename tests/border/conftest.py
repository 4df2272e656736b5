from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.lifecycle import journey as journey_module

OWN = "1401555071"  # deklarant; also a principal of broker
PRINCIPAL2 = "1500420091"  # broker's other principal (no user of its own)
BROKER_OWN = "1700120051"  # broker's own firm
STRANGER = "1900310041"  # deklarant2: nobody else may see its goods


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return journey_module.TestPKI.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def _trust_test_ca(settings, pki):
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchor)]
    settings.GOMRUK_CRLS = []


@pytest.fixture(autouse=True)
def _border_urls(settings):
    # The border router and pages are mounted in gomruk/apiv1.py and gomruk/urls.py;
    # the tests mount them themselves so they run before and after that wiring alike.
    settings.ROOT_URLCONF = "tests.border.border_test_urls"


@pytest.fixture
def users(db):
    from gomruk.accounts.models import Role, User

    found = journey_module.make_users()
    found["post_officer"] = User.objects.create(username="post_officer", role=Role.OFFICER, office_code="00102")
    return found


@pytest.fixture
def journey(pki, users):
    return journey_module.Journey(pki, users)


def arrival_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "post_code": "00102",
        "consignee_voen": OWN,
        "consignee_name": "Xəzər Ticarət MMC",
        "arrived_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "transport_mode": "30",
        "vehicle_identifiers": "10-AB-123 / 10-XY-987",
        "vehicle_count": 1,
        "transport_country": "268",
        "consignor_name": "Georgian Tea LLC",
        "consignor_address": "Tbilisi, Rustaveli 1",
        "consignor_country": "GE",
        "description": "Qara çay, 20 000 qutu",
        "commodity_codes": ["0902300000"],
        "package_count": 40,
        "package_kind": "paletlər",
        "gross_mass": "12500.5",
        "documents": [
            {"kind": "transport", "code": "2015", "number": "CMR-44521", "issued_on": "2026-01-15"},
            {"kind": "commercial", "code": "8001", "number": "INV-2026/7", "issued_on": "2026-01-10"},
        ],
        "storage_place": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(users):
    """Register an arrival through the real service, as the post's officer."""
    from gomruk.border.schemas import ArrivalIn
    from gomruk.border.services import arrival_register

    def make(officer: str = "post_officer", **overrides: Any):
        return arrival_register(officer=users[officer], data=ArrivalIn.model_validate(arrival_data(**overrides)))

    return make


@pytest.fixture
def bulk(db):
    """Many arrivals straight into the table (for paging and the plan test)."""
    from gomruk.border.models import Arrival

    def make(voen: str, count: int, *, state: str = "registered", start: dt.datetime | None = None):
        start = start or timezone.now() - dt.timedelta(days=1)
        rows = [
            Arrival(
                post_code="00102", consignee_voen=voen, arrived_at=start + dt.timedelta(minutes=i),
                transport_mode="30", vehicle_identifiers=f"10-AB-{i:03d}", consignor_name="X",
                description="Mal", gross_mass=Decimal("1.000"), state=state,
            )
            for i in range(count)
        ]
        return Arrival.objects.bulk_create(rows)

    return make


@pytest.fixture
def token(users):
    from gomruk.accounts.auth import token_issue_password

    def issue(username: str) -> str:
        return token_issue_password(username=username, password="gomruk-demo").token

    return issue


@pytest.fixture
def api(token):
    """GET/POST to /api/v1/border as a user, with its bearer token."""
    from django.test import Client

    class Api:
        def __init__(self) -> None:
            self.client = Client()
            self.tokens: dict[str, str] = {}

        def _headers(self, user: str | None) -> dict[str, str]:
            if user is None:
                return {}
            if user not in self.tokens:
                self.tokens[user] = token(user)
            return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user]}"}

        def get(self, path: str, user: str | None, **params: Any):
            return self.client.get(f"/api/v1/border{path}", params, **self._headers(user))

        def post(self, path: str, user: str | None, body: Any = None):
            return self.client.post(
                f"/api/v1/border{path}", body or {}, content_type="application/json", **self._headers(user)
            )

    return Api()
