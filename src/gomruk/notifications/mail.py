"""E-mail of notifications through Django's mail (console backend unless SMTP is set)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gomruk.notifications.models import Notification

logger = logging.getLogger(__name__)


def notifications_email(notification_ids: list[int]) -> int:
    """Send each notification once to its user's address (both languages in one message)."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update().select_related("user")
                .filter(pk=pk, emailed_at__isnull=True).first()
            )
            if row is None or not row.user.email:
                continue
            link = f"{str(settings.GOMRUK_PUBLIC_URL or '').rstrip('/')}/notifications/"
            body = f"{row.title_az}\n{row.title_en}\n\n{link}\n"
            try:
                send_mail(f"Gömrük: {row.title_az}", body, None, [row.user.email])
            except OSError:
                logger.exception("E-mail of notification %s failed", pk)
                continue
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at"])
            sent += 1
    return sent
