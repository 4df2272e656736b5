from __future__ import annotations

from datetime import date

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


class CommodityCodeOut(Schema):
    code: str
    level: int
    parent: str
    name_az: str
    name_en: str
    valid_from: str | None
    valid_to: str | None
    source: str
    path: list[dict[str, str]]


class CommodityCodesOut(Schema):
    query: str
    on: str | None
    national_list_loaded: bool
    count: int
    rows: list[CommodityCodeOut]


@router.get(
    "/commodity-codes",
    response=CommodityCodesOut,
    auth=None,
    summary="Search the commodity nomenclature (box 33)",
    description=(
        "The Harmonized System (HS 2022 chapters, headings, 6-digit subheadings, English) and the "
        "national 10-digit XİF MN list (Azerbaijani names, validity dates). `q`: a code prefix "
        "(digits; dots and blanks are ignored) or words, each of which must occur in the "
        "Azerbaijani or English name. `on`: only codes valid on that date. `limit`: 1–200 (50)."
    ),
)
def commodity_codes(
    request: HttpRequest, q: str = "", on: date | None = None, limit: int = 50
) -> dict[str, object]:
    from gomruk.reference.nomenclature import current_nomenclature

    nomenclature = current_nomenclature()
    rows = nomenclature.search(q[:200], on=on, limit=max(1, min(limit, 200)))
    return {
        "query": q,
        "on": on.isoformat() if on else None,
        "national_list_loaded": nomenclature.national_loaded,
        "count": len(rows),
        "rows": [
            {
                **row.data(),
                "path": [{"code": p.code, "name_en": p.name_en} for p in nomenclature.path(row.code) if p.code != row.code],
            }
            for row in rows
        ],
    }


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
