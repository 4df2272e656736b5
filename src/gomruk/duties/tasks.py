"""Background tasks of payments: importing CBAR exchange-rate bulletins (``gomruk worker``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from gomruk.core.periodic import Periodic
from gomruk.duties.services import (
    BulletinImport,
    rate_bulletin_import_date,
    rate_bulletin_import_url,
)

RETRY_AFTER = timedelta(hours=1)  # a failed daily fetch (CBAR unreachable) is tried again


def _summary(report: BulletinImport) -> dict[str, Any]:
    return {"date": report.date.isoformat(), "outcome": report.outcome, "rates": report.rates,
            "skipped": list(report.skipped)}


@task(queue_name="rates")
def rates_import(*, day: str = "", url: str = "") -> dict[str, Any]:
    """Import one bulletin: CBAR's for ``day`` (ISO date) or the one at ``url``
    (``gomruk rates import --enqueue``)."""
    if bool(day) == bool(url):
        raise ValueError("rates_import needs exactly one of day and url")
    if day:
        return _summary(rate_bulletin_import_date(day=date.fromisoformat(day)))
    return _summary(rate_bulletin_import_url(url=url))


@task(queue_name="rates")
def rates_import_daily() -> dict[str, Any]:
    """Import today's CBAR bulletin, then schedule tomorrow's import (or a retry within the
    hour if CBAR could not be reached)."""
    now = timezone.now()
    try:
        report = rate_bulletin_import_date(day=timezone.localdate(now))
    except Exception:
        following = _next_run(now)
        if following is not None:
            RATES_DAILY.schedule(at=min(now + RETRY_AFTER, following))
        raise
    RATES_DAILY.schedule()
    return _summary(report)


def _next_run(now: datetime) -> datetime | None:
    """The next GOMRUK_RATES_IMPORT_AT (HH:MM, Baku time) after ``now``; None when switched off."""
    at = str(settings.GOMRUK_RATES_IMPORT_AT or "").strip()
    if not at:
        return None
    hour, minute = (int(part) for part in at.split(":"))
    local = timezone.localtime(now)
    due = timezone.make_aware(datetime.combine(local.date(), time(hour, minute)), local.tzinfo)
    return due if due > now else due + timedelta(days=1)


RATES_DAILY = Periodic(task=rates_import_daily, next_run=_next_run, keep=timedelta(days=30))
