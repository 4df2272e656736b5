from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gomruk.core.serve_worker import worker_alongside
from gomruk.core.server import serve
from gomruk.demo.setup import initialise
from gomruk.env import env_export, env_is_set


class Command(BaseCommand):
    help = "Set up the database with classifiers and demo data, then serve on http://127.0.0.1:8000."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up only (same as init --demo)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        # The local demo may send webhooks to a receiver on this machine (refused elsewhere).
        if not env_is_set("GOMRUK_WEBHOOK_ALLOW_PRIVATE"):
            env_export("GOMRUK_WEBHOOK_ALLOW_PRIVATE", "1")
            settings.GOMRUK_WEBHOOK_ALLOW_PRIVATE = True
        call_command("migrate", interactive=False, verbosity=0)
        for line in initialise(demo=True):
            self.stdout.write(line)
        if options["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Gömrük: http://{options['host']}:{options['port']}/  (Ctrl+C to stop)")
        self.stdout.flush()
        worker_alongside()
        serve(options["host"], options["port"], 2)
