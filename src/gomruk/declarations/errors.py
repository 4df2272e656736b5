"""Every code the declarations app refuses with, and its message in az and en.

Codes are part of the API contract (clients branch on them); the messages are what people
read. Services build their errors with ``ERRORS.error(code, status=..., **fields)``.
"""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "declarations",
    {
        # Documents, drafts and sending
        "invalid_document": (
            "Sənəd oxuna bilmədi: sahələrin tipləri səhvdir.",
            "The document could not be read: some fields have the wrong type.",
        ),
        "invalid_document#empty": ("Sənəd göndərilməyib.", "No document was sent."),
        "unsupported_media_type": (
            "Sənəd JSON (application/json) və ya XML (application/xml) olmalıdır.",
            "Send the document as JSON (application/json) or XML (application/xml).",
        ),
        "invalid_xml": ("XML oxuna bilmədi: {reason}", "The XML could not be read: {reason}"),
        "not_representable_as_xml": (
            "Sənəddə XML-də göstərilə bilməyən simvollar var; JSON istifadə edin.",
            "The document holds characters XML cannot carry; use JSON.",
        ),
        "payload_too_large": (
            "XML sənədi {limit} baytdan böyük ola bilməz.",
            "The XML document may not exceed {limit} bytes.",
        ),
        "voen_required": ("Hansı VÖEN adından bəyan etdiyinizi seçin.", "Choose the VÖEN you are declaring for."),
        "not_editable": (
            "Bəyannaməni «{state}» mərhələsində dəyişmək olmaz.",
            "The declaration cannot be changed while it is '{state}'.",
        ),
        "not_editable#attachments": (
            "Bu mərhələdə bəyannaməyə fayl əlavə etmək olmaz.",
            "Files cannot be attached to the declaration in its current state.",
        ),
        "illegal_transition": (
            "«{action}» əməliyyatı bəyannamənin «{state}» mərhələsində mümkün deyil{target}.",
            "'{action}' is not allowed while the declaration is '{state}'{target}.",
        ),
        "not_a_list": ("Bu sahə sətirlərdən ibarət deyil.", "This field has no rows."),
        "not_a_picker": (
            "Bu sahə təsnifatdan seçilmir: {field}.",
            "This field is not chosen from a classifier: {field}.",
        ),
        "unknown_section": ("Naməlum bölmə: {section}.", "Unknown section: {section}."),
        "party_not_authorised": (
            "Bəyannamə başqasının adından verilə bilməz. {finding}",
            "A declaration cannot be made in someone else's name. {finding}",
        ),
        "number_format_invalid": (
            "Qeydiyyat nömrəsinin formatı (GOMRUK_NUMBER_FORMAT) səhvdir.",
            "The registration number format (GOMRUK_NUMBER_FORMAT) is invalid.",
        ),
        "terms_not_accepted": (
            "Təsdiq etmək üçün təqdimetmə şərtləri ilə razılaşmalısınız.",
            "You must accept the submission terms to confirm.",
        ),
        "terms_outdated": (
            "Qəbul etdiyiniz şərtlər cari təqdimetmə şərtləri deyil.",
            "The terms you accepted are not the current submission terms.",
        ),
        "unknown_office": (
            "«{office_code}» gömrük orqanı təsnifatda (əlavə 11) yoxdur.",
            "Customs office '{office_code}' is not in the classifier (appendix 11).",
        ),
        "office_fixed": (
            "Düzəldilmiş bəyannamə yalnız {office_code} gömrük orqanına göndərilə bilər.",
            "A corrected declaration can only be sent to office {office_code}.",
        ),
        # Goods lists and attachments
        # (the reason names what failed: the file, its sheet, its size or its rows)
        "goods_import_failed": ("{reason}", "{reason}"),
        "attachment_too_large": ("Fayl {megabytes} MB-dan böyük ola bilməz.", "A file may not exceed {megabytes} MB."),
        "attachment_line_unknown": (
            "{item_number} nömrəli malın 44-cü qrafasında {document_index}-ci sənəd yoxdur.",
            "Goods item {item_number} has no document {document_index} in box 44.",
        ),
        "attachment_item_unknown": (
            "Bəyannamədə {item_number} nömrəli mal yoxdur.", "The declaration has no goods item {item_number}."
        ),
        "attachment_share_unnamed": (
            "Sənəd bir neçə mala aid edilmək üçün 44-cü qrafada nömrəsi olmalıdır.",
            "A document covers several goods items only once box 44 gives its number.",
        ),
        "attachment_type": (
            "Yalnız PDF, JPEG və PNG faylları qəbul edilir (faylın məzmununa görə yoxlanılır).",
            "Only PDF, JPEG and PNG files are accepted (checked by their content).",
        ),
        "attachment_corrupt": (
            "Əlavə edilmiş «{filename}» faylı oxunmadı və ya dəyişdirilib.",
            "The attached file '{filename}' cannot be read or has changed.",
        ),
        # Signing
        "validation_failed": (
            "Bəyannamədə səhvlər var; düzəldilməmiş imzalamaq olmaz.",
            "The declaration has errors; it cannot be signed until they are fixed.",
        ),
        "stale_version": (
            "İmza bəyannamənin {signed}-ci versiyasına aiddir, cari versiya {current}-dir. Yenidən imzalayın.",
            "The signature is for version {signed} of the declaration; the current version is {current}. "
            "Sign again.",
        ),
        "unknown_provider": (
            "«{provider}» imza üsulu bu əməliyyat üçün deyil.",
            "Signing provider '{provider}' cannot be used here.",
        ),
        "asan_no_signature": (
            "Asan İmza əməliyyatı imza qaytarmadı.",
            "The Asan İmza transaction returned no signature.",
        ),
        "signature_missing": (
            "Bəyannamənin cari versiyası imzalanmayıb.",
            "The current version of the declaration is not signed.",
        ),
        "signature_invalid": ("İmzalanmış məzmun dəyişdirilib.", "The signed content has been altered."),
        # Amendment and cancellation requests, and customs' answers to them
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
    },
)
