from __future__ import annotations

from django.db.models import Q, QuerySet

from gomruk.reference.models import Classifier, ClassifierEntry


def classifier_list() -> QuerySet[Classifier]:
    return Classifier.objects.order_by("name")


def classifier_get(name: str) -> Classifier | None:
    return Classifier.objects.filter(name=name).first()


def classifier_entries(classifier: Classifier, query: str | None = None) -> QuerySet[ClassifierEntry]:
    rows = classifier.entries.order_by("position", "code")
    if query:
        rows = rows.filter(
            Q(code__icontains=query) | Q(name_az__icontains=query) | Q(name_en__icontains=query) | Q(key__iexact=query)
        )
    return rows
