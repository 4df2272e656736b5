"""Every way a signature can be refused, each with its own code and a message in az and en.

Codes are part of the API contract (clients branch on them), so they live in one table.
"""

from __future__ import annotations

from typing import Any

from gomruk.core.errors import GomrukError

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
}


def signature_error(code: str, *, status: int = 422, **details: Any) -> GomrukError:
    message_az, message_en = MESSAGES[code]
    return GomrukError(code=code, message_az=message_az, message_en=message_en, status=status, details=details)
