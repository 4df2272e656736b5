from django.db import migrations, models

from gomruk.core.revisions import RevisionTrigger


class Migration(migrations.Migration):
    """A draft's document revision, moved on by PostgreSQL, and the revision each version was
    frozen from (ADR 0045)."""

    dependencies = [
        ('declarations', '0008_documents_compressed_with_lz4'),
    ]

    operations = [
        migrations.AddField(
            model_name='declaration',
            name='document_revision',
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='declarationversion',
            name='draft_revision',
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        RevisionTrigger('declaration', 'document', 'document_revision'),
    ]
