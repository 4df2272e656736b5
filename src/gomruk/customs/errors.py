"""Every code the customs app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "customs",
    {
        "reason_required": ("Səbəbi yazın.", "Give the reason."),
        "unknown_channel": (
            "«{channel}» nəzarət dəhlizi yoxdur (yaşıl, sarı, qırmızı, mavi).",
            "Unknown control channel '{channel}' (green, yellow, red, blue).",
        ),
        "invalid_box_d": ("D qrafasının sahələri səhvdir.", "Box D has invalid fields."),
        "nothing_to_record": ("C və ya D qrafası üçün məlumat verilməyib.", "Nothing given for box C or D."),
        "unknown_box": (
            "«{key}» qrafa deyil (nümunə: «33» və ya 2-ci mal üçün «33/2»).",
            "'{key}' is not a box (e.g. '33', or '33/2' for goods item 2).",
        ),
        "reasons_required": (
            "Ən azı bir qrafa üçün qaytarılma səbəbini yazın.",
            "Give the reason for at least one box.",
        ),
    },
)
