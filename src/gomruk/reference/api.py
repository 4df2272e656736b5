from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.core.errors import NotFound
from gomruk.reference.selectors import classifier_entries, classifier_get, classifier_list

router = Router(tags=["reference"])


class ClassifierOut(Schema):
    name: str
    appendix: str
    title_az: str
    title_en: str
    boxes: list[str]
    url: str


class EntryOut(Schema):
    key: str
    code: str
    name_az: str
    name_en: str
    valid_from: str | None
    valid_to: str | None
    note: str
    attributes: dict[str, str]


class ClassifierRowsOut(Schema):
    name: str
    title_az: str
    title_en: str
    count: int
    rows: list[EntryOut]


@router.get("/", response=list[ClassifierOut], auth=None, summary="List the classifiers")
def list_classifiers(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "name": c.name,
            "appendix": c.appendix,
            "title_az": c.title_az,
            "title_en": c.title_en,
            "boxes": c.boxes,
            "url": f"/api/v1/reference/{c.name}",
        }
        for c in classifier_list()
    ]


@router.get("/{name}", response=ClassifierRowsOut, auth=None, summary="Rows of a classifier")
def classifier_rows(request: HttpRequest, name: str, q: str | None = None) -> dict[str, object]:
    classifier = classifier_get(name)
    if classifier is None:
        raise NotFound("Təsnifat", "Classifier", name=name)
    rows = [row.data() for row in classifier_entries(classifier, q)]
    return {
        "name": classifier.name,
        "title_az": classifier.title_az,
        "title_en": classifier.title_en,
        "count": len(rows),
        "rows": rows,
    }
