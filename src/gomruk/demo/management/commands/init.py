from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gomruk.demo.setup import initialise


class Command(BaseCommand):
    help = (
        "Create or migrate the database and load every classifier (idempotent). "
        "With --demo also create demo users, keys and example declarations."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--demo", action="store_true", help="also load demo users, keys and declarations")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # the shared counters' table (no-op with Redis)
        for line in initialise(demo=options["demo"]):
            self.stdout.write(line)
