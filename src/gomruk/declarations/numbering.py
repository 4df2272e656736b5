"""Box 7: the request/registration number given when a declaration is sent.

Sequence per customs office per calendar year, taken from a counter row that is locked
(an ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, or ``SELECT … FOR UPDATE`` where the
database cannot return from an upsert) inside the sending transaction: two senders to one office queue on
the row, and a send that rolls back rolls its number back too, so numbers are never reused
and have no gaps. The printed form comes from ``settings.GOMRUK_NUMBER_FORMAT`` (Q-01); it may
use ``{office}``, ``{date}`` (a ``datetime.date``), ``{year}`` and ``{sequence}``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F

from gomruk.declarations.errors import ERRORS
from gomruk.declarations.models import RegistrationCounter


def format_number(*, office_code: str, on: date, sequence: int) -> str:
    pattern = str(settings.GOMRUK_NUMBER_FORMAT)
    try:
        return pattern.format(office=office_code, date=on, year=on.year, sequence=sequence)
    except (KeyError, IndexError, ValueError) as exc:
        raise ERRORS.error("number_format_invalid", status=500, details={"format": pattern}) from exc


def next_sequence(*, office_code: str, year: int) -> int:
    """Take the next sequence number; must run inside the caller's transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_sequence must run inside the sending transaction")
    if connection.features.can_return_columns_from_insert:
        # One upsert takes the row's lock and the number together (one round trip per send
        # instead of three): a concurrent sender to the same office waits on the row until
        # this transaction ends, and a rollback returns the number.
        table = connection.ops.quote_name(RegistrationCounter._meta.db_table)
        with connection.cursor() as cursor:
            # Our own table's name, quoted by the backend; the values are parameters.
            cursor.execute(
                f"INSERT INTO {table} (office_code, year, last_sequence) VALUES (%s, %s, 1) "  # noqa: S608
                "ON CONFLICT (office_code, year) DO UPDATE SET last_sequence = "
                f"{table}.last_sequence + 1 RETURNING last_sequence",
                [office_code, year],
            )
            (sequence,) = cursor.fetchone()
        return int(sequence)
    # Insert-if-absent cannot race into an IntegrityError: a concurrent insert of the same
    # key waits for the other transaction and then does nothing.
    RegistrationCounter.objects.bulk_create(
        [RegistrationCounter(office_code=office_code, year=year, last_sequence=0)],
        ignore_conflicts=True,
    )
    counter = RegistrationCounter.objects.select_for_update().get(office_code=office_code, year=year)
    RegistrationCounter.objects.filter(pk=counter.pk).update(last_sequence=F("last_sequence") + 1)
    return counter.last_sequence + 1


def registration_number_take(*, office_code: str, on: date) -> str:
    sequence = next_sequence(office_code=office_code, year=on.year)
    return format_number(office_code=office_code, on=on, sequence=sequence)
