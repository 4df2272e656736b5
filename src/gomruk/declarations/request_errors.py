"""Every way an amendment or cancellation request (and customs' answer to one) can be refused:
one code per case, with its message in az and en. Codes are part of the API contract."""

from __future__ import annotations

from typing import Any

from gomruk.core.errors import GomrukError

MESSAGES: dict[str, tuple[str, str]] = {
    "request_pending": (
        "Bəyannamə üzrə gömrükdə baxılan sorğu var ({kind} №{number}); əvvəlcə ona qərar verilməlidir.",
        "A request on this declaration is pending with customs ({kind} no. {number}); it must be decided first.",
    ),
    "amendment_open": (
        "Bu bəyannamə üçün hazırlanan düzəliş artıq var (№{number}); onu davam etdirin və ya ləğv edin.",
        "An amendment of this declaration is already being prepared (no. {number}); continue or discard it.",
    ),
    "amendment_not_draft": (
        "Düzəliş sorğusu №{number} artıq göndərilib; onu dəyişmək olmaz.",
        "Amendment request no. {number} has already been sent; it cannot be changed.",
    ),
    "amendment_not_requested": (
        "Düzəliş sorğusu №{number} gömrükdə baxılmır (vəziyyəti: {request_status}).",
        "Amendment request no. {number} is not pending with customs (its status: {request_status}).",
    ),
    "amendment_stale": (
        "Düzəliş {base}-ci versiyaya əsaslanır, lakin gömrükdə artıq {current}-ci versiya qüvvədədir. "
        "Yeni düzəliş başladın.",
        "The amendment is based on version {base}, but customs now holds version {current}. "
        "Start a new amendment.",
    ),
    "amendment_unchanged": (
        "Yeni versiya gömrükdəki versiyadan fərqlənmir: dəyişdiriləcək heç nə yoxdur.",
        "The new version does not differ from the one customs holds: there is nothing to amend.",
    ),
    "amendment_not_found": (
        "Düzəliş sorğusu №{number} tapılmadı.",
        "Amendment request no. {number} not found.",
    ),
    "cancellation_not_found": (
        "Ləğv sorğusu №{number} tapılmadı.",
        "Cancellation request no. {number} not found.",
    ),
    "cancellation_not_requested": (
        "Ləğv sorğusu №{number} gömrükdə baxılmır (vəziyyəti: {request_status}).",
        "Cancellation request no. {number} is not pending with customs (its status: {request_status}).",
    ),
    "goods_taken": (
        "Buraxılışdan sonra bəyannamə yalnız mallar gömrük nəzarətindən çıxarılmayıbsa ləğv edilə bilər; "
        "bunu təsdiq edin (goods_not_taken).",
        "After release a declaration may be cancelled only for goods that were not taken out of customs "
        "control; state so (goods_not_taken).",
    ),
    "reason_required": (
        "Səbəbi yazın.",
        "Give the reason.",
    ),
    "reasons_required": (
        "Ən azı bir qrafa üçün imtina səbəbini yazın.",
        "Give the reason for at least one box.",
    ),
    "version_not_found": (
        "Bəyannamənin {number}-ci versiyası yoxdur.",
        "The declaration has no version {number}.",
    ),
}

KINDS = {"amendment": ("düzəliş sorğusu", "amendment request"), "cancellation": ("ləğv sorğusu", "cancellation request")}


def request_error(code: str, *, status: int = 409, **details: Any) -> GomrukError:
    """The catalogue's error ``code``; ``details`` fill the message and go to the client."""
    message_az, message_en = MESSAGES[code]
    kind = KINDS.get(str(details.get("kind", "")), ("", ""))
    return GomrukError(
        code=code,
        message_az=message_az.format(**{**details, "kind": kind[0]}),
        message_en=message_en.format(**{**details, "kind": kind[1]}),
        status=status,
        details=details,
    )
