"""What a dashboard figure is (a :class:`Table` over a :class:`Scope`), shared by the figures
read from the daily summaries (``selectors``) and the same figures aggregated from the history
(``history``, the oracle of ``gomruk reports check``): one title, one set of columns, one way
to round, so the two can only differ in their numbers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Field
from django.utils import timezone
from django.utils.translation import gettext as _

from gomruk.declarations.models import State

MAX_DAYS = 366
DEFAULT_DAYS = 30
DAY_STATES = (State.SENT, State.REGISTERED, State.UNDER_CONTROL, State.RELEASED, State.REFUSED, State.RETURNED)
CHANNELS = ("green", "blue", "yellow", "red")
TOP_BOXES = 20
MICROSECONDS_PER_HOUR = 3_600_000_000


@dataclass(frozen=True)
class Scope:
    office: str | None
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return day_start(self.date_from)

    @property
    def end(self) -> dt.datetime:
        return day_start(self.date_to + dt.timedelta(days=1))

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


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of a local day (the dashboards count by the service's time zone)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def local_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def nearest_rank(values: list[Any], share: float) -> Any:
    """Nearest-rank percentile (the value at rank ⌈share·n⌉), as PostgreSQL's percentile_disc."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def hours(value: float) -> float:
    return round(value, 1)


def money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


# --- The figures' tables, filled by either source ----------------------------------------------


def per_day_table(scope: Scope, counts: dict[tuple[dt.date, str], int]) -> Table:
    table = Table("per_day", _("Gün üzrə bəyannamələr (mərhələyə keçid)"),
                  [_("Gün")] + [str(State(s).label) for s in DAY_STATES], kind="lines")
    table.rows = [[day] + [counts.get((day, s), 0) for s in DAY_STATES] for day in scope.days()]
    return table


def channels_table(counts: dict[str, int]) -> Table:
    names = {"green": _("yaşıl"), "blue": _("mavi"), "yellow": _("sarı"), "red": _("qırmızı")}
    table = Table("channels", _("Nəzarət dəhlizləri"), [_("Dəhliz"), _("Bəyannamələr")])
    table.rows = [[names[c], counts.get(c, 0)] for c in CHANNELS]
    return table


def release_table(scope: Scope, found: dict[dt.date, list[Any]]) -> Table:
    """``found``: day → [median hours, p90 hours, releases] (already rounded)."""
    table = Table("release_time", _("Göndərilmədən buraxılışa qədər vaxt (saat)"),
                  [_("Gün"), _("Median"), _("p90"), _("Buraxılıb")], kind="lines", unit="h")
    table.rows = [[day, *found.get(day, [None, None, 0])] for day in scope.days()]
    return table


def returns_table(counts: list[tuple[str, int]]) -> Table:
    """``counts``: the boxes, most reasons first (then by box), at most :data:`TOP_BOXES`."""
    table = Table("returns", _("Qaytarılma səbəbləri qrafalar üzrə"), [_("Qrafa"), _("Səbəblər")], kind="bars")
    table.rows = [[box, n] for box, n in counts]
    return table


def payments_table(scope: Scope, sums: dict[dt.date, Any]) -> Table:
    table = Table("payments", _("Hesablanmış ödənişlər (B qrafası, AZN)"), [_("Gün"), _("AZN")], unit="AZN")
    table.rows = [[day, money(sums.get(day))] for day in scope.days()]
    return table


FigureBuilder = Callable[[Scope], Table]


class Percentile(Aggregate):
    """PostgreSQL's nearest-rank percentile (``percentile_disc``), for the release times of the
    summaries and of the history they are checked against."""

    template = "percentile_disc(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, share: float, *, output_field: Field[Any, Any]) -> None:
        super().__init__(expression, share=share, output_field=output_field)
