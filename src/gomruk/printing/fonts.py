"""The Unicode TrueType fonts the form is printed with, shipped inside the package.

PDF's standard 14 fonts cannot print ə, ğ, ı, İ, ş; DejaVu Sans can (licence in
``fonts/LICENSE``). Registering a TrueType font parses the whole file, so it happens once
per process; reportlab then embeds only the glyphs a document uses.
"""

from __future__ import annotations

import threading
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "GomrukSans"
BOLD = "GomrukSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = resources.files("gomruk.printing") / "fonts"
        for name, filename in _FILES.items():
            with resources.as_file(folder / filename) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        _registered = True


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)
