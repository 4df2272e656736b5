"""Every way a complaint (or a decision on one) can be refused: one code per case, with its
message in az and en. Codes are part of the API contract."""

from __future__ import annotations

from typing import Any

from gomruk.core.errors import Catalogue, GomrukError

MESSAGES: dict[str, tuple[str, str]] = {
    "complaint_not_found": ("Şikayət tapılmadı.", "Complaint not found."),
    "decision_not_found": (
        "Bəyannamə üzrə belə qərar yoxdur.",
        "The declaration has no such decision.",
    ),
    "not_a_decision": (
        "Bu addım şikayət edilə bilən gömrük qərarı deyil (buraxılışdan imtina, qaytarılma, dəhliz, "
        "ödənişlərin hesablanması, düzəliş və ya ləğv sorğusunun rəddi).",
        "This step is not a customs decision open to complaint (refusal, return, channel, payment "
        "assessment, refused amendment or cancellation).",
    ),
    "no_superior_body": (
        "«{office}» orqanının yuxarı orqanı müəyyən edilmədi.",
        "No superior body could be found for office '{office}'.",
    ),
    "complaint_exists": (
        "Bu qərardan artıq şikayət verilib.",
        "A complaint against this decision has already been made.",
    ),
    "grounds_required": ("Şikayətin əsaslarını yazın.", "State the grounds of the complaint."),
    "complaint_not_draft": (
        "Şikayət artıq verilib; onu dəyişmək olmaz.",
        "The complaint has already been lodged; it cannot be changed.",
    ),
    "complaint_step_not_allowed": (
        "«{step}» addımı şikayətin «{state}» vəziyyətində mümkün deyil.",
        "'{step}' is not allowed while the complaint is '{state}'.",
    ),
    "too_many_attachments": (
        "Şikayətə ən çox {limit} fayl əlavə etmək olar.",
        "At most {limit} files may be attached to a complaint.",
    ),
    "not_reviewing_office": (
        "Bu şikayətə yalnız yuxarı orqan ({office}) baxa bilər.",
        "Only the superior body ({office}) may review this complaint.",
    ),
    "decision_text_required": ("Qərarın mətnini yazın.", "Write the decision's text."),
    "unknown_outcome": (
        "Qərar «upheld», «rejected» və ya «partly_upheld» olmalıdır.",
        "The outcome must be 'upheld', 'rejected' or 'partly_upheld'.",
    ),
    "reversal_impossible": (
        "Şikayət edilən qərar artıq ləğv edilə bilməz: bəyannamə «{state}» mərhələsindədir.",
        "The contested decision can no longer be reversed: the declaration is '{state}'.",
    ),
    "reversal_unavailable": (
        "Bu növ qərar avtomatik ləğv edilmir; qərarın mətnində gömrük orqanına göstəriş verin.",
        "This kind of decision is not reversed automatically; instruct the office in the decision's text.",
    ),
    "channel_required": (
        "Yeni nəzarət dəhlizini seçin (yaşıl, sarı, qırmızı, mavi).",
        "Choose the new control channel (green, yellow, red, blue).",
    ),
    "attachment_type": (
        "Yalnız PDF, JPEG və PNG faylları qəbul edilir (faylın məzmununa görə yoxlanılır).",
        "Only PDF, JPEG and PNG files are accepted (checked by their content).",
    ),
    "attachment_corrupt": (
        "Əlavə edilmiş «{filename}» faylı dəyişdirilib.",
        "The attached file '{filename}' has changed.",
    ),
    "unknown_provider": (
        "«{provider}» imza üsulu bu əməliyyat üçün deyil.",
        "Signing provider '{provider}' cannot be used here.",
    ),
}

ERRORS = Catalogue("complaints", MESSAGES)


def complaint_error(code: str, *, status: int = 409, **details: Any) -> GomrukError:
    return ERRORS.error(code, status=status, details=details, **details)
