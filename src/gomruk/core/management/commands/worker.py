"""``gomruk worker``: run background tasks (django-tasks, database backend) from every queue.

The worker of django_tasks_db, with two differences: it takes tasks from all queues unless told
otherwise (audit sealing, rate imports, notifications … each have their own queue), and it makes
sure every periodic task (``GOMRUK_PERIODIC_TASKS``) has a run waiting before it starts.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from gomruk.core.memory import long_lived_process
from gomruk.core.periodic import periodic_schedule_all


class Command(DatabaseWorker):
    help = (
        "Run background tasks from every queue (audit sealing and checkpoints, CBAR rate imports, "
        "…); several workers may run at once, on any node."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduled = periodic_schedule_all()
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Periodic tasks scheduled: {', '.join(scheduled) or 'none'}.")
        if not options.get("batch"):  # a batch drains the queue and exits: not long-running
            long_lived_process()
        super().handle(*args, **options)
