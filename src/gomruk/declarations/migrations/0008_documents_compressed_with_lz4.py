from django.db import migrations

from gomruk.core.compression import ColumnCompression


class Migration(migrations.Migration):
    """The ~100 KB documents and signing payloads compressed with lz4 on PostgreSQL (ADR 0039)."""

    dependencies = [
        ('declarations', '0007_version_verdict'),
    ]

    operations = [
        ColumnCompression('declaration', 'document'),
        ColumnCompression('declarationversion', 'document'),
        ColumnCompression('declarationversion', 'payload'),
        ColumnCompression('amendmentrequest', 'document'),
    ]
