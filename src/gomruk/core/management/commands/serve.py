from __future__ import annotations

from django.core.management.base import BaseCommand

from gomruk.core.serve_worker import worker_alongside
from gomruk.core.server import serve


class Command(BaseCommand):
    help = "Serve Gömrük over HTTP (gunicorn; static files by WhiteNoise)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        self.stdout.write(f"Gömrük: http://{options['host']}:{options['port']}/  (Ctrl+C to stop)")
        self.stdout.flush()
        worker_alongside()
        serve(options["host"], options["port"], options["workers"])
