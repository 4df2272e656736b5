"""The dashboards' figures, aggregated in SQL over a date range, for one office or the whole
service. Each figure is a :class:`Table` (columns and rows): the chart, the accessible table
beside it and the CSV/XLSX download are all drawn from the same one.

Who sees what: an officer its own office only; a risk analyst or an administrator any office
or the whole service.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from gomruk.accounts.models import Role, User
from gomruk.accounts.selectors import officer_office
from gomruk.core.audit import audit_record
from gomruk.core.errors import Bilingual, GomrukError, PermissionDenied
from gomruk.customs.models import ChannelAssignment, Registration, ReturnReason
from gomruk.declarations.models import State, StatusEvent
from gomruk.reports.errors import ERRORS

MAX_DAYS = 366
DEFAULT_DAYS = 30
DAY_STATES = (State.SENT, State.REGISTERED, State.UNDER_CONTROL, State.RELEASED, State.REFUSED, State.RETURNED)
CHANNELS = ("green", "blue", "yellow", "red")


@dataclass(frozen=True)
class Scope:
    office: str | None
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min,
                                   tzinfo=timezone.get_current_timezone())

    def days(self) -> list[dt.date]:
        return [self.date_from + dt.timedelta(days=n) for n in range((self.date_to - self.date_from).days + 1)]


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    kind: str = "columns"  # how it is charted: columns | lines | bars
    unit: str = ""


def _invalid(field_name: str, message_az: str, message_en: str) -> GomrukError:
    return ERRORS.error(
        "invalid_filter", status=422, details={"field": field_name}, reason=Bilingual(message_az, message_en)
    )


def _date(value: Any, field_name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(field_name, f"«{value}» tarix deyil (İİİİ-AA-GG).", f"'{value}' is not a date (YYYY-MM-DD).")


def dashboard_scope(*, user: User, office: str | None = None, date_from: Any = None, date_to: Any = None) -> Scope:
    own = officer_office(user)
    if own is not None:
        if office not in (None, "", own):
            raise PermissionDenied("Yalnız öz gömrük orqanınızın göstəricilərini görə bilərsiniz.",
                                   "You may see only your own customs office's figures.")
        office = own
    elif getattr(user, "role", None) not in (Role.RISK_ANALYST, Role.ADMINISTRATOR) and not getattr(
        user, "is_superuser", False
    ):
        raise PermissionDenied("Göstəriciləri yalnız gömrük əməkdaşları görə bilər.",
                               "Only customs staff may see the dashboards.")
    if office and (not str(office).isdigit() or len(str(office)) != 5):
        raise _invalid("office", "Gömrük orqanının kodu 5 rəqəmdir.", "The customs office code is 5 digits.")
    end = _date(date_to, "to") or timezone.localdate()
    start = _date(date_from, "from") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise _invalid("from", "Başlanğıc tarixi son tarixdən sonra ola bilməz.", "The start date is after the end date.")
    if (end - start).days + 1 > MAX_DAYS:
        raise _invalid("from", f"Dövr ən çox {MAX_DAYS} gün ola bilər.", f"The period can be at most {MAX_DAYS} days.")
    return Scope(office=office or None, date_from=start, date_to=end)


def _office(rows: QuerySet[Any], scope: Scope, path: str = "declaration__office_code") -> QuerySet[Any]:
    return rows.filter(**{path: scope.office}) if scope.office else rows


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def declarations_per_day(scope: Scope) -> Table:
    rows = _office(StatusEvent.objects.filter(at__gte=scope.start, at__lt=scope.end, to_state__in=DAY_STATES), scope)
    counts: dict[tuple[dt.date, str], int] = {}
    for day, state, n in (
        rows.annotate(day=TruncDate("at")).values("day", "to_state").annotate(n=Count("id"))
        .values_list("day", "to_state", "n")
    ):
        counts[(_day(day), state)] = counts.get((_day(day), state), 0) + n
    table = Table("per_day", _("Gün üzrə bəyannamələr (mərhələyə keçid)"),
                  [_("Gün")] + [str(State(s).label) for s in DAY_STATES], kind="lines")
    table.rows = [[day] + [counts.get((day, s), 0) for s in DAY_STATES] for day in scope.days()]
    return table


def channel_mix(scope: Scope) -> Table:
    rows = _office(ChannelAssignment.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end), scope)
    counts = dict(rows.values("channel").annotate(n=Count("id")).values_list("channel", "n"))
    names = {"green": _("yaşıl"), "blue": _("mavi"), "yellow": _("sarı"), "red": _("qırmızı")}
    table = Table("channels", _("Nəzarət dəhlizləri"), [_("Dəhliz"), _("Bəyannamələr")])
    table.rows = [[names[c], counts.get(c, 0)] for c in CHANNELS]
    return table


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (the value at rank ⌈share·n⌉)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class _Percentile(Aggregate):
    """PostgreSQL's nearest-rank percentile (``percentile_disc``) of hours from send to release."""

    template = "percentile_disc(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, share: float) -> None:
        super().__init__(expression, share=share)


def _hours(value: float) -> float:
    return round(value, 1)


def release_times(scope: Scope) -> Table:
    rows = _office(StatusEvent.objects.filter(at__gte=scope.start, at__lt=scope.end, to_state=State.RELEASED,
                                              declaration__sent_at__isnull=False), scope)
    table = Table("release_time", _("Göndərilmədən buraxılışa qədər vaxt (saat)"),
                  [_("Gün"), _("Median"), _("p90"), _("Buraxılıb")], kind="lines", unit="h")
    found: dict[dt.date, list[Any]] = {}
    if connection.vendor == "postgresql":
        # Aggregated in the database: one row per day whatever the number of releases.
        hours = RawSQL("GREATEST(0, EXTRACT(EPOCH FROM (declarations_statusevent.at - declarations_declaration.sent_at)) / 3600.0)", ())
        for day, median, p90, n in (
            rows.annotate(day=TruncDate("at")).values("day")
            .annotate(median=_Percentile(hours, 0.5), p90=_Percentile(hours, 0.9), n=Count("id"))
            .values_list("day", "median", "p90", "n")
        ):
            found[_day(day)] = [_hours(median), _hours(p90), n]
    else:
        per_day: dict[dt.date, list[float]] = defaultdict(list)
        for released, sent in rows.values_list("at", "declaration__sent_at"):
            per_day[_day(released)].append(max(0.0, (released - sent).total_seconds() / 3600))
        for day, values in per_day.items():
            found[day] = [_hours(_percentile(values, 0.5)), _hours(_percentile(values, 0.9)), len(values)]
    table.rows = [[day, *found.get(day, [None, None, 0])] for day in scope.days()]
    return table


def returns_by_box(scope: Scope) -> Table:
    rows = _office(ReturnReason.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end), scope)
    counts = list(rows.values("box").annotate(n=Count("id")).order_by("-n", "box").values_list("box", "n")[:20])
    table = Table("returns", _("Qaytarılma səbəbləri qrafalar üzrə"), [_("Qrafa"), _("Səbəblər")], kind="bars")
    table.rows = [[box, n] for box, n in counts]
    return table


def payments_per_day(scope: Scope) -> Table:
    rows = Registration.objects.filter(acceptance_date__gte=scope.date_from, acceptance_date__lte=scope.date_to)
    rows = _office(rows, scope, "office_code")
    sums = dict(rows.values("acceptance_date").annotate(s=Sum("payments_assessed")).values_list("acceptance_date", "s"))
    table = Table("payments", _("Hesablanmış ödənişlər (B qrafası, AZN)"), [_("Gün"), _("AZN")], unit="AZN")
    table.rows = [[day, Decimal(sums.get(day) or 0).quantize(Decimal("0.01"))] for day in scope.days()]
    return table


FIGURES = {
    "per_day": declarations_per_day,
    "channels": channel_mix,
    "release_time": release_times,
    "returns": returns_by_box,
    "payments": payments_per_day,
}


def figure(*, user: User, name: str, scope: Scope) -> Table:
    if name not in FIGURES:
        raise _invalid("name", f"«{name}» göstəricisi yoxdur.", f"There is no figure '{name}'.")
    return FIGURES[name](scope)


def dashboard(*, user: User, scope: Scope) -> list[Table]:
    audit_record(actor=user, action="reports.dashboard.read", object_type="office", object_id=scope.office or "*",
                 details={"from": scope.date_from.isoformat(), "to": scope.date_to.isoformat()})
    return [build(scope) for build in FIGURES.values()]
