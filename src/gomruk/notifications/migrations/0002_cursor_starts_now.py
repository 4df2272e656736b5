"""On an existing installation the outbox starts at the events already written: history is
not announced again."""

from django.db import migrations
from django.db.models import Max


def start_now(apps, schema_editor):
    cursor = apps.get_model("notifications", "OutboxCursor")
    status_event = apps.get_model("declarations", "StatusEvent")
    arrival_event = apps.get_model("border", "ArrivalEvent")
    for stream, model in (("status_events", status_event), ("arrival_events", arrival_event)):
        position = model.objects.aggregate(m=Max("id"))["m"] or 0
        cursor.objects.update_or_create(stream=stream, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("declarations", "0003_submission_terms"),
        ("border", "0001_initial"),
    ]

    operations = [migrations.RunPython(start_now, migrations.RunPython.noop)]
