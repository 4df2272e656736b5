"""The service's day is Baku's, whatever zone the machine's clock is set to.

Django sets the process's zone from ``TIME_ZONE``, so within the service the machine's date
and Baku's agree. Code run without Django settings (broker tooling that builds documents, the
benches' clients) would otherwise date a declaration by the machine's zone: from 20:00 UTC
that is the day before Baku's, and box A then declares the previous day's rate.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SERVICE_TIME_ZONE = "Asia/Baku"  # settings.TIME_ZONE


def service_today() -> date:
    try:
        from django.utils import timezone

        return timezone.localdate()
    except Exception:  # noqa: BLE001 (Django not configured)
        return datetime.now(ZoneInfo(SERVICE_TIME_ZONE)).date()
