"""The time limit to answer a complaint: a dated setting, so a change of the law applies to the
complaints lodged from its date while older ones keep the limit they were lodged under.

``settings.GOMRUK_COMPLAINT_TIME_LIMITS``: entries ``{"from", "months", "days", "article_az",
"article_en"}``; the entry with the latest ``from`` on or before the lodging day applies. The
deadline is the lodging day plus the months (the same day of the month, or the month's last
day when it has fewer) plus the days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class TimeLimit:
    valid_from: date
    months: int
    days: int
    article_az: str
    article_en: str

    def data(self) -> dict[str, Any]:
        return {
            "from": self.valid_from.isoformat(),
            "months": self.months,
            "days": self.days,
            "article_az": self.article_az,
            "article_en": self.article_en,
        }


def _limit(entry: Any) -> TimeLimit:
    try:
        limit = TimeLimit(
            valid_from=date.fromisoformat(str(entry["from"])),
            months=int(entry.get("months", 0)),
            days=int(entry.get("days", 0)),
            article_az=str(entry.get("article_az", "")),
            article_en=str(entry.get("article_en", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ImproperlyConfigured(f"GOMRUK_COMPLAINT_TIME_LIMITS: bad entry {entry!r}") from exc
    if limit.months < 0 or limit.days < 0 or (limit.months == 0 and limit.days == 0):
        raise ImproperlyConfigured(f"GOMRUK_COMPLAINT_TIME_LIMITS: no positive period in {entry!r}")
    return limit


def time_limits() -> list[TimeLimit]:
    return sorted((_limit(e) for e in settings.GOMRUK_COMPLAINT_TIME_LIMITS), key=lambda t: t.valid_from)


def time_limit_on(day: date) -> TimeLimit:
    """The time limit in force on ``day``."""
    applicable = [limit for limit in time_limits() if limit.valid_from <= day]
    if not applicable:
        raise ImproperlyConfigured(f"GOMRUK_COMPLAINT_TIME_LIMITS: no time limit in force on {day.isoformat()}")
    return applicable[-1]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_for(lodged_on: date) -> tuple[date, TimeLimit]:
    """The last day to answer a complaint lodged on ``lodged_on``, and the limit applied."""
    limit = time_limit_on(lodged_on)
    return add_months(lodged_on, limit.months) + timedelta(days=limit.days), limit
