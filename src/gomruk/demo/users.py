"""Demo users, one for each role, with the traders they act for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from gomruk.accounts.models import BrokerLicence, Representation, Role, Trader, TraderBinding, User

DEMO_PASSWORD = "gomruk-demo"  # noqa: S105 — printed to the operator; demo users only

TRADERS = [
    ("1401555071", "Xəzər Ticarət MMC", "Bakı ş., Nizami küç. 12", True),
    ("1500420091", "Gəncə Aqro Logistika ASC", "Gəncə ş., Atatürk pr. 3", False),
    ("1700120051", "Sərhəd Broker MMC", "Bakı ş., Neftçilər pr. 88", False),
    ("1900310041", "Naxçıvan İnşaat MMC", "Naxçıvan ş., Heydər Əliyev pr. 1", False),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    voens: tuple[str, ...] = ()
    office_code: str = ""
    is_supervisor: bool = False
    fin: str = ""
    phone_number: str = ""
    asan_user_id: str = ""


DEMO_USERS = [
    DemoUser("deklarant", Role.DECLARANT, "Aygün", "Məmmədova", ("1401555071",), fin="5ABCD12",
             phone_number="+994501234567", asan_user_id="123456"),
    DemoUser("deklarant2", Role.DECLARANT, "Rəşad", "Quliyev", ("1900310041",), fin="6BCDE23",
             phone_number="+994502345678", asan_user_id="234567"),
    DemoUser("broker", Role.REPRESENTATIVE, "Elvin", "Həsənov", ("1700120051",), fin="7CDEF34",
             phone_number="+994503456789", asan_user_id="345678"),
    DemoUser("inspektor", Role.OFFICER, "Leyla", "Əliyeva", office_code="00100", fin="8DEFG45"),
    DemoUser("rehber", Role.OFFICER, "Kamran", "Nəbiyev", office_code="00100", is_supervisor=True, fin="3GHJK67"),
    DemoUser("analitik", Role.RISK_ANALYST, "Səbinə", "Hüseynova", fin="4HJKL78"),
    DemoUser("admin", Role.ADMINISTRATOR, "Orxan", "Rzayev", fin="9EFGH56"),
]


@transaction.atomic
def demo_users_create() -> list[User]:
    traders = {}
    for voen, name, address, aeo in TRADERS:
        traders[voen], _ = Trader.objects.update_or_create(
            voen=voen, defaults={"name": name, "address": address, "is_aeo": aeo}
        )
    users = []
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(username=spec.username)
        user.role = spec.role
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.office_code = spec.office_code
        user.is_supervisor = spec.is_supervisor
        user.fin = spec.fin
        user.phone_number = spec.phone_number
        user.asan_user_id = spec.asan_user_id
        user.is_demo = True
        user.is_staff = user.is_superuser = spec.role == Role.ADMINISTRATOR
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        for voen in spec.voens:
            TraderBinding.objects.get_or_create(user=user, trader=traders[voen])
        users.append(user)
    broker = User.objects.get(username="broker")
    BrokerLicence.objects.update_or_create(
        representative=broker,
        defaults={"firm": traders["1700120051"], "number": "GB-0417", "issued_on": date(2024, 3, 1)},
    )
    for principal in ("1401555071", "1500420091"):
        Representation.objects.get_or_create(
            representative=broker, principal=traders[principal], defaults={"document": "Müqavilə 2026/11"}
        )
    return users
