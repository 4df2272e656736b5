"""Example declarations for the demo users (idempotent)."""

from __future__ import annotations

from gomruk.accounts.models import User
from gomruk.declarations import examples
from gomruk.declarations.models import Declaration
from gomruk.declarations.services import declaration_create


def demo_declarations_create() -> list[Declaration]:
    owner = User.objects.get(username="deklarant")
    broker = User.objects.get(username="broker")
    if Declaration.objects.filter(created_by__in=[owner, broker]).exists():
        return list(Declaration.objects.filter(created_by__in=[owner, broker]))
    return [
        declaration_create(user=owner, document=examples.export_gb(), voen="1401555071"),
        declaration_create(user=owner, document=examples.import_gb(items=12), voen="1401555071"),
        declaration_create(user=broker, document=examples.transit_gb(), voen="1500420091"),
    ]
