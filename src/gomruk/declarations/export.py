"""The declarant's list as a spreadsheet (``/declarations.xlsx``, issue 16.9): the rows and
words of the home page, for the same search."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gomruk.declarations.models import Declaration, State

#: A spreadsheet for people, not a backup: the same cap as the officer's queue export.
EXPORT_LIMIT = 20000


def home_xlsx(rows: Iterable[Declaration]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Bəyannamələrim"))
    sheet.append([
        _("Nömrə"), _("Növ"), _("İstiqamət"), _("Rejim"), _("VÖEN"), _("XİFİ"),
        _("Təyinat gömrük orqanı"), _("Mərhələ"), _("Yaradılıb"), _("Son dəyişiklik"),
    ])
    for count, d in enumerate(rows):
        if count >= EXPORT_LIMIT:
            break
        sheet.append([
            d.registration_number or "", d.declaration_type, d.direction or "", d.procedure or "",
            d.trader_voen, getattr(d, "trader_name", None) or "", d.office_code or "",
            str(State(d.state).label) if d.state in State.values else "",
            timezone.localtime(d.created_at).replace(tzinfo=None),
            timezone.localtime(d.updated_at).replace(tzinfo=None),
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
