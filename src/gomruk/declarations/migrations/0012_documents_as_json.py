from django.db import migrations

import gomruk.core.json_text
from gomruk.core.compression import ColumnCompression
from gomruk.core.revisions import RevisionTrigger, RevisionTriggerDropped


class Migration(migrations.Migration):
    """A draft's and a version's document kept as PostgreSQL ``json`` instead of ``jsonb``
    (ADR 0054). The draft's revision trigger names the column, so it is dropped while the type
    changes; the lz4 compression (ADR 0039) is set again for the new type."""

    dependencies = [
        ('declarations', '0011_signature_trust_state'),
    ]

    operations = [
        RevisionTriggerDropped('declaration', 'document', 'document_revision'),
        migrations.AlterField(
            model_name='declaration',
            name='document',
            field=gomruk.core.json_text.JSONDocumentField(default=dict, verbose_name='sənəd'),
        ),
        migrations.AlterField(
            model_name='declarationversion',
            name='document',
            field=gomruk.core.json_text.JSONDocumentField(),
        ),
        RevisionTrigger('declaration', 'document', 'document_revision'),
        ColumnCompression('declaration', 'document'),
        ColumnCompression('declarationversion', 'document'),
    ]
