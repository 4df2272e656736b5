"""Border goods API (mounted at ``/api/v1/border``). Thin: parse, call a service, shape.

``GET /goods`` takes no VÖEN: the caller's VÖENs come from its certificate binding (and, for
a representative, its principals), narrowed to those the bearer token was issued for.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from pydantic import BaseModel, Field

from gomruk.accounts.bearer import bearer_auth
from gomruk.accounts.selectors import trader_names
from gomruk.api.rendering import rendered
from gomruk.border import declaring, services
from gomruk.border.presenters import arrival_out, goods_page_data
from gomruk.border.schemas import ArrivalIn, ArrivalOut, AttachIn, DeclarationRefOut, GoodsPageOut
from gomruk.border.selectors import PAGE_SIZE, arrivals_of_office, declaration_arrival_ids

router = Router(tags=["border"], auth=bearer_auth)

NO_STORE = "no-store"  # real time (S002 §3.3): no cache may keep cleared goods or hide new ones


def _token_scope(request: HttpRequest) -> tuple[list[str] | None, dict[str, str]]:
    token = getattr(request, "api_token", None)
    if token is None:
        return None, {}
    credential = {"method": token.method, "token": token.prefix, "certificate_serial": token.certificate_serial}
    return list(token.voens), credential


@router.get("/goods", response=GoodsPageOut, summary="My goods at the border, not yet cleared (S002)")
def goods_list(
    request: HttpRequest,
    response: HttpResponse,
    cursor: str | None = None,
    limit: int = Query(PAGE_SIZE, ge=1, le=PAGE_SIZE),
) -> HttpResponse:
    within, credential = _token_scope(request)
    page = services.goods_query(
        user=request.auth,  # type: ignore[attr-defined]
        cursor=cursor,
        limit=limit,
        channel="api",
        within=within,
        credential=credential,
    )
    response["Cache-Control"] = NO_STORE
    # Already in GoodsPageOut's shape: rendered as it is, not validated field by field (ADR 0032).
    return rendered(request, goods_page_data(page), response)


@router.get("/goods/{arrival_id}", response=ArrivalOut, summary="One of my arrivals")
def goods_detail(request: HttpRequest, response: HttpResponse, arrival_id: str) -> ArrivalOut:
    within, _credential = _token_scope(request)
    arrival = services.goods_detail(user=request.auth, arrival_id=arrival_id, within=within)  # type: ignore[attr-defined]
    response["Cache-Control"] = NO_STORE
    return arrival_out(arrival, trader_names([arrival.consignee_voen]))


class DeclarationCreatedOut(BaseModel):
    declaration_id: str
    state: str
    arrival_ids: list[str]


@router.post(
    "/goods/{arrival_id}/declare",
    response={201: DeclarationCreatedOut},
    summary="Declare these goods: a draft declaration pre-filled from the arrival",
)
def goods_declare(request: HttpRequest, arrival_id: str) -> Status:
    declaration = declaring.arrival_declare(user=request.auth, arrival_id=arrival_id)  # type: ignore[attr-defined]
    return Status(
        201,
        DeclarationCreatedOut(
            declaration_id=str(declaration.pk),
            state=declaration.state,
            arrival_ids=declaration_arrival_ids(declaration.pk),
        ),
    )


@router.post(
    "/declarations/{declaration_id}/arrivals",
    response=DeclarationRefOut,
    summary="The draft declaration covers these arrivals (box 40 / box 30)",
)
def declaration_attach(request: HttpRequest, declaration_id: str, body: AttachIn) -> DeclarationRefOut:
    links = declaring.arrivals_attach(
        user=request.auth, declaration_id=declaration_id, arrival_ids=body.arrival_ids  # type: ignore[attr-defined]
    )
    declaration = links[0].declaration
    return DeclarationRefOut(
        id=str(declaration.pk), state=declaration.state, arrival_ids=declaration_arrival_ids(declaration.pk)
    )


@router.get(
    "/declarations/{declaration_id}/arrivals",
    response=list[ArrivalOut],
    summary="The arrivals a declaration covers",
)
def declaration_arrivals(request: HttpRequest, declaration_id: str) -> list[ArrivalOut]:
    arrivals = declaring.declaration_arrivals(user=request.auth, declaration_id=declaration_id)  # type: ignore[attr-defined]
    names = trader_names({a.consignee_voen for a in arrivals})
    return [arrival_out(a, names) for a in arrivals]


# --- Officers of the border post --------------------------------------------------------------


@router.post("/arrivals", response={201: ArrivalOut}, summary="Register goods at a border post (officers)")
def arrival_create(request: HttpRequest, body: ArrivalIn) -> Status:
    arrival = services.arrival_register(officer=request.auth, data=body)  # type: ignore[attr-defined]
    return Status(201, arrival_out(arrival, {}))


@router.get("/arrivals", response=list[ArrivalOut], summary="Latest goods registered at my post (officers)")
def arrival_list(request: HttpRequest, limit: int = Query(PAGE_SIZE, ge=1, le=PAGE_SIZE)) -> list[ArrivalOut]:
    officer = request.auth  # type: ignore[attr-defined]
    services.require_border_officer(officer)
    rows = list(arrivals_of_office(officer=officer)[: max(1, min(limit, PAGE_SIZE))])
    return [arrival_out(a, {}) for a in rows]


class StorageIn(BaseModel):
    storage_place: str = Field(max_length=40)


@router.post(
    "/arrivals/{arrival_id}/storage", response=ArrivalOut, summary="Place goods in temporary storage (officers)"
)
def arrival_storage(request: HttpRequest, arrival_id: str, body: StorageIn) -> ArrivalOut:
    arrival = services.arrival_store(officer=request.auth, arrival_id=arrival_id, storage_place=body.storage_place)  # type: ignore[attr-defined]
    return arrival_out(arrival, {})

