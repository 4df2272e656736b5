"""Reads of signature data."""

from __future__ import annotations

from django.utils import timezone

from gomruk.signatures.asan import normalise_phone
from gomruk.signatures.models import AsanState, AsanTransaction


def asan_pending_for_phone(*, phone_number: str) -> list[AsanTransaction]:
    """What the simulated phone with this number still has to answer.

    Scoped by phone number, as a real phone sees only its own requests; only the simulator
    (off in production) calls this.
    """
    phone = normalise_phone(phone_number)
    return list(
        AsanTransaction.objects.filter(
            phone_number=phone, state=AsanState.PENDING, expires_at__gt=timezone.now()
        ).order_by("created_at")
    )
