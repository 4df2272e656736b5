"""CBAR bulletins imported by the task worker: queued by `gomruk rates import --enqueue`, and
daily when GOMRUK_RATES_IMPORT_AT is set."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gomruk.duties import bulletin as bulletin_module
from gomruk.duties import tasks as rate_tasks
from gomruk.duties.models import RateBulletin

pytestmark = pytest.mark.django_db



@pytest.fixture
def cbar(bulletin_server, data_dir, monkeypatch):
    monkeypatch.setattr(bulletin_module, "CBAR_URL", bulletin_server.base + "/currencies/{date:%d.%m.%Y}.xml")
    bulletin_server.default = (200, (data_dir / "cbar_02.02.2024.xml").read_bytes())
    return bulletin_server


def test_enqueue_leaves_the_download_to_the_worker(cbar, run_worker):
    out = StringIO()
    call_command("rates", "import", "--date", "02.02.2024", "--enqueue", stdout=out)
    assert "Queued the import of CBAR's bulletin of 02.02.2024" in out.getvalue()
    assert cbar.requests == [] and not RateBulletin.objects.exists()  # nothing fetched here
    queued = DBTaskResult.objects.get(task_path="gomruk.duties.tasks.rates_import")
    assert (queued.queue_name, queued.args_kwargs["kwargs"]) == ("rates", {"day": "2024-02-02"})
    run_worker()
    assert cbar.requests == ["/currencies/02.02.2024.xml"]
    assert RateBulletin.objects.get().date.isoformat() == "2024-02-02"
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == {"date": "2024-02-02", "outcome": "created", "rates": 6, "skipped": ["XPD", "IRR"]}


def test_enqueue_by_url_and_refusals(cbar, data_dir):
    call_command("rates", "import", f"{cbar.base}/rates.xml", "--enqueue", stdout=StringIO())
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"url": f"{cbar.base}/rates.xml"}
    with pytest.raises(CommandError, match="a file is read here"):
        call_command("rates", "import", str(data_dir / "cbar_02.02.2024.xml"), "--enqueue")
    with pytest.raises(CommandError, match="dd.mm.yyyy"):
        call_command("rates", "import", "--date", "2024-02-02", "--enqueue")


def test_the_daily_import_is_off_unless_a_time_is_set(settings):
    settings.GOMRUK_RATES_IMPORT_AT = ""
    assert rate_tasks.RATES_DAILY.next_run(timezone.now()) is None
    assert rate_tasks.RATES_DAILY.schedule() is False


def test_the_daily_import_runs_at_the_set_baku_time(settings):
    settings.GOMRUK_RATES_IMPORT_AT = "10:00"
    before = datetime(2024, 2, 2, 5, 0, tzinfo=UTC)  # 09:00 in Baku
    after = datetime(2024, 2, 2, 6, 30, tzinfo=UTC)  # 10:30 in Baku
    assert rate_tasks._next_run(before) == datetime(2024, 2, 2, 6, 0, tzinfo=UTC)
    assert rate_tasks._next_run(after) == datetime(2024, 2, 3, 6, 0, tzinfo=UTC)


def test_the_daily_import_fetches_today_and_schedules_tomorrow(cbar, settings, monkeypatch):
    settings.GOMRUK_RATES_IMPORT_AT = "10:00"
    rate_tasks.rates_import_daily.call()
    assert len(cbar.requests) == 1
    assert cbar.requests[0] == f"/currencies/{timezone.localdate():%d.%m.%Y}.xml"
    (waiting,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.task_path == "gomruk.duties.tasks.rates_import_daily"
    assert waiting.run_after == rate_tasks._next_run(timezone.now())


def test_a_failed_daily_import_is_retried_within_the_hour(cbar, settings):
    settings.GOMRUK_RATES_IMPORT_AT = "10:00"
    cbar.default = (503, b"")
    with pytest.raises(Exception, match="could not be downloaded"):
        rate_tasks.rates_import_daily.call()
    (waiting,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.run_after <= timezone.now() + rate_tasks.RETRY_AFTER
