"""Every way a signature (or a sign-in with one) can be refused, each with its own code and a
message in az and en.

Codes are part of the API contract (clients branch on them), so they live in one table.
"""

from __future__ import annotations

from typing import Any

from gomruk.core.errors import Catalogue, GomrukError

MESSAGES: dict[str, tuple[str, str]] = {
    "signature_garbage": (
        "İmza oxuna bilmədi: bu, düzgün CMS (PKCS#7) imzası deyil.",
        "The signature could not be read: it is not a valid CMS (PKCS#7) signature.",
    ),
    "signature_mismatch": (
        "İmza təqdim olunan məzmuna uyğun gəlmir: imzalanmış baytlar fərqlidir "
        "(məzmun dəyişdirilib və ya imza başqa sənədə/versiyaya aiddir).",
        "The signature does not match the content: the signed bytes differ "
        "(the content was changed or the signature belongs to another document or version).",
    ),
    "signature_untrusted": (
        "İmza sertifikatı etibarlı sertifikat mərkəzinə bağlanmır.",
        "The signing certificate does not chain to a trusted certification authority.",
    ),
    "certificate_expired": (
        "İmza sertifikatının müddəti bitib.",
        "The signing certificate has expired.",
    ),
    "certificate_not_yet_valid": (
        "İmza sertifikatı hələ qüvvəyə minməyib.",
        "The signing certificate is not yet valid.",
    ),
    "certificate_revoked": (
        "İmza sertifikatı ləğv edilib (sertifikatların ləğvi siyahısında var).",
        "The signing certificate has been revoked (it is on a certificate revocation list).",
    ),
    "certificate_revocation_unknown": (
        "İmza sertifikatının ləğv statusu yoxlanıla bilmədi: aktual ləğv siyahısı yoxdur.",
        "The revocation status of the signing certificate could not be checked: no current revocation list.",
    ),
    "certificate_key_usage": (
        "Sertifikatın açarı elektron imza üçün nəzərdə tutulmayıb (key usage).",
        "The certificate's key is not meant for electronic signatures (key usage).",
    ),
    "signature_weak_algorithm": (
        "İmzada zəif heş alqoritmi istifadə olunub; SHA-256 və ya daha güclüsü tələb olunur.",
        "The signature uses a weak hash algorithm; SHA-256 or stronger is required.",
    ),
    "signature_weak_key": (
        "İmza açarı çox zəifdir; ən azı RSA 2048 bit və ya EC P-256 tələb olunur.",
        "The signing key is too weak; at least RSA 2048 bits or EC P-256 is required.",
    ),
    "signature_time_invalid": (
        "İmzada göstərilən imzalanma vaxtı gələcəkdədir.",
        "The signing time stated in the signature lies in the future.",
    ),
    "signature_wrong_voen": (
        "Sertifikatdakı VÖEN/FİN bəyannaməçiyə və ya onun səlahiyyətli təmsilçisinə aid deyil.",
        "The VÖEN/FIN in the certificate belongs neither to the declarant nor to a representative authorised for it.",
    ),
    "signature_mismatch#asan": (
        "Asan İmza sorğusu başqa məzmun üçün açılıb.",
        "The Asan İmza request was opened for other content.",
    ),
    "signature_required": ("İmza (CMS) göndərilməyib.", "No signature (CMS) was sent."),
    "signature_provider_unknown": ("Naməlum imza üsulu.", "Unknown signing method."),
    "asan_transaction_required": ("Asan İmza sorğusu göstərilməyib.", "No Asan İmza request was given."),
    "asan_rejected": ("İmza telefonda rədd edildi.", "The signature was rejected on the phone."),
    "asan_expired": (
        "Asan İmza sorğusunun müddəti bitdi; yenidən imzalayın.",
        "The Asan İmza request expired; sign again.",
    ),
    "asan_phone_invalid": (
        "Telefon nömrəsi +994XXXXXXXXX formatında olmalıdır.",
        "The phone number must have the form +994XXXXXXXXX.",
    ),
    "asan_unknown_phone": (
        "Bu telefon nömrəsi üçün simulyatorda SIM sertifikatı yoxdur (gomruk init --demo).",
        "The simulator has no SIM certificate for this phone number (run gomruk init --demo).",
    ),
    "asan_user_id_invalid": (
        "Asan İmza istifadəçi ID-si yalnız rəqəmlərdən ibarət olmalıdır.",
        "The Asan İmza user ID must consist of digits only.",
    ),
    "asan_simulator_disabled": (
        "Asan İmza simulyatoru bu mühitdə söndürülüb.",
        "The Asan İmza simulator is disabled in this environment.",
    ),
    "asan_not_pending": (
        "Bu sorğu artıq cavablandırılıb və ya müddəti bitib.",
        "This request has already been answered or has expired.",
    ),
    # Sign-in with a certificate
    "credentials_missing": (
        "Ya nonce, sertifikat və imza, ya da istifadəçi adı və parol göndərin.",
        "Send either nonce, certificate and signature, or username and password.",
    ),
    # A binary field of a request that is not base64 (the API's general code for a bad request).
    "invalid_request": ("{what} base64 formatında deyil.", "The {what} is not valid base64."),
}

ERRORS = Catalogue("signatures", MESSAGES)


def signature_error(code: str, *, status: int = 422, **details: Any) -> GomrukError:
    return ERRORS.error(code, status=status, details=details)
