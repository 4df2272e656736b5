"""Start from what you did before (issue 16 item 6): a new draft copied from an earlier
declaration of the caller's.

The copy keeps what the declarant typed and drops what the system or customs assigned: box 7
(the registration number), C and D (customs only). Box 54's date must be the day the new one is
signed (V-54-1): it becomes today, as for any draft, and moves with the declarant's edits. The registration, signatures, the destination office chosen at
sending and the dates of acceptance live on the stored declaration, not in the document, so a
new row starts without them. The computed boxes are recomputed for the new draft with today's
facts (rates, tariff), as on every save.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.accounts.selectors import acting_voens
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound
from gomruk.declarations.completion import draft_recompute
from gomruk.declarations.models import Declaration
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_create, parse_document
from gomruk.declarations.validation import SYSTEM_FIELDS  # boxes 7, C, D


def copyable_document(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The earlier document without what the system or customs assigned to it."""
    document = copy.deepcopy(data)
    for name in SYSTEM_FIELDS:
        document.pop(name, None)
    signature_box = document.get("place_and_signature")
    if isinstance(signature_box, dict) and signature_box.get("date"):
        signature_box["date"] = today.isoformat()
    return document


@transaction.atomic
def declaration_copy(*, user: User, declaration_id: Any) -> Declaration:
    """A new draft for the same trader, filled from ``declaration_id``. Only a declaration the
    caller declares for can be copied: anyone else's (even one an officer may read) is not found."""
    source = declaration_get(user=user, declaration_id=declaration_id)
    if source.trader_voen not in acting_voens(user):
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id))
    document = parse_document(copyable_document(source.document, timezone.localdate()))
    declaration = declaration_create(user=user, document=document, voen=source.trader_voen)
    audit_record(
        actor=user, action="declaration.copy", object_type="declaration", object_id=declaration.pk,
        details={"source": str(source.pk)},
    )
    return draft_recompute(user=user, declaration=declaration)
