"""Who in the office is working a declaration (one officer at a time; history in the audit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gomruk.declarations.models import Declaration


class Assignment(models.Model):
    declaration = models.OneToOneField(
        Declaration, on_delete=models.CASCADE, primary_key=True, related_name="assignment"
    )
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["officer"], name="workbench_assignment_officer")]
        verbose_name = _("təyinat")
        verbose_name_plural = _("təyinatlar")
