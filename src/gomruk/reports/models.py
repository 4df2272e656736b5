"""Daily summaries the dashboards read (ADR 0016-dashboard-daily-summaries).

They are kept up to date in the transaction of the work they count, by the hooks of
:mod:`gomruk.reports.summaries`, and recomputed from the history by ``gomruk reports rebuild``.
The history (status events, registrations, channels, return reasons) stays the truth:
``gomruk reports check`` compares the two.
"""

from __future__ import annotations

from django.db import models


class Measure(models.TextChoices):
    STATE = "state", "transitions into a state (key: the state)"
    CHANNEL = "channel", "channels assigned (key: the channel)"
    RETURN_BOX = "return_box", "return reasons (key: the box)"
    PAYMENTS = "payments", "registrations and their box B total (key: empty)"


class DailyFigure(models.Model):
    """How many of a measure an office had on a (local) day, and for payments their amount."""

    office_code = models.CharField(max_length=5)
    day = models.DateField()
    measure = models.CharField(max_length=12, choices=Measure.choices)
    key = models.CharField(max_length=20, blank=True)
    count = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office_code", "measure", "day", "key"], name="reports_daily_figure_key"),
        ]
        # The whole service's figures read one measure over a range of days.
        indexes = [models.Index(fields=["measure", "day"], include=["key", "count", "amount"],
                                name="reports_daily_figure_day")]

    def __str__(self) -> str:
        return f"{self.office_code} {self.day} {self.measure}:{self.key} = {self.count} / {self.amount}"


class ReleaseTime(models.Model):
    """One release: the time from sending to release, by the office and the (local) day of the
    release. One narrow row per release keeps the median and the p90 exact."""

    office_code = models.CharField(max_length=5)
    day = models.DateField()
    microseconds = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["office_code", "day"], include=["microseconds"], name="reports_release_office_day"),
            models.Index(fields=["day"], include=["microseconds"], name="reports_release_day"),
        ]

    def __str__(self) -> str:
        return f"{self.office_code} {self.day} {self.hours:.1f} h"

    @property
    def hours(self) -> float:
        return self.microseconds / 3_600_000_000
