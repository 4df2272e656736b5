"""Declarations are dated by Baku's day, not the machine's clock zone (``gomruk.clock``): from
20:00 UTC it is already tomorrow in Baku, and a document built without Django settings (broker
tooling, the benches' clients) dated by a UTC machine declared the previous day's rate in box
A, which the signing gate refused (it did, for bench/submit.py, at 00:24 Baku time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from gomruk import clock
from gomruk.demo import factories

ROOT = Path(__file__).resolve().parents[2]


def _baku_today():
    return datetime.now(ZoneInfo("Asia/Baku")).date()


def test_the_service_zone_is_the_settings_zone(settings):
    assert settings.TIME_ZONE == clock.SERVICE_TIME_ZONE == "Asia/Baku"
    assert clock.service_today() == timezone.localdate()


def test_without_django_the_day_is_bakus_whatever_the_machines_zone():
    """A process without Django settings, its clock zone twelve hours behind UTC (a different
    day from Baku's for 16 hours of every 24): the demo's declaration is dated Baku's day."""
    script = (
        "import json; from gomruk.demo import factories; from gomruk.clock import service_today;"
        "print(json.dumps([service_today().isoformat(), str(factories.import_gb(items=1).place_and_signature.date)]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["TZ"] = "Etc/GMT+12"
    before = _baku_today()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    days = json.loads(done.stdout)
    assert days[0] == days[1]
    assert days[0] in {before.isoformat(), _baku_today().isoformat()}


def test_the_demo_declarations_are_dated_on_the_service_day():
    for document in (factories.export_gb(), factories.import_gb(items=2), factories.transit_gb()):
        assert document.place_and_signature is not None
        assert document.place_and_signature.date == clock.service_today()
