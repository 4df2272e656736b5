"""Every code the saved-entries app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "saved",
    {
        "unknown_kind": (
            "Belə saxlanma növü yoxdur: {kind} (parties, routes, goods).",
            "There is no such kind of saved entry: {kind} (parties, routes, goods).",
        ),
        "limit_reached": (
            "Bu VÖEN üçün ən çox {limit} qeyd saxlamaq olar. Lazım olmayanları silin.",
            "At most {limit} entries can be saved for this VÖEN. Delete the ones you no longer need.",
        ),
        "invalid_entry": (
            "Saxlanılan məlumatda səhvlər var.",
            "The saved data has errors.",
        ),
        "empty_entry": (
            "Saxlanacaq heç nə yoxdur: qrafalar boşdur.",
            "There is nothing to save: the boxes are empty.",
        ),
        "name_required": ("Qeydin adını yazın.", "Give the entry a name."),
        "voen_required": (
            "Qeydin hansı VÖEN üçün saxlandığını seçin.",
            "Choose the VÖEN the entry is saved for.",
        ),
        "voen_not_yours": (
            "{voen} VÖEN-i üçün qeyd saxlamaq səlahiyyətiniz yoxdur.",
            "You may not save entries for VÖEN {voen}.",
        ),
        "wrong_target": (
            "Bu qeyd bu qrafaya yazıla bilməz: {target}.",
            "This entry cannot be written into {target}.",
        ),
        "no_such_item": (
            "Bəyannamədə {item} nömrəli mal yoxdur.",
            "The declaration has no goods item {item}.",
        ),
        "too_many_goods": (
            "Bəyannamədə artıq {limit} mal var.",
            "The declaration already has {limit} goods items.",
        ),
    },
)
