"""The form prints with a Unicode TrueType font shipped, with its licence, in the package."""

from __future__ import annotations

import io
from importlib import resources

from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile

from gomruk.demo.print_samples import sample_document
from gomruk.printing.render import render_declaration


def test_fonts_and_licence_are_package_data():
    folder = resources.files("gomruk.printing") / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert (folder / name).is_file()
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence


def test_font_has_every_azerbaijani_letter():
    folder = resources.files("gomruk.printing") / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        with resources.as_file(folder / name) as path:
            face = TTFontFile(str(path))
        for letter in "əğıİşçöüƏĞŞÇÖÜ":
            assert ord(letter) in face.charToGlyph, (name, letter)


def test_pdf_embeds_the_font_as_a_subset(reference):
    reader = PdfReader(io.BytesIO(render_declaration(sample_document(1), reference=reference)))
    fonts = reader.pages[0]["/Resources"]
    names = set()
    embedded = False

    def walk(resources_):
        nonlocal embedded
        for font in resources_.get("/Font", {}).values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                embedded = embedded or "/FontFile2" in descriptor
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                embedded = embedded or "/FontFile2" in descriptor.get_object()
        for xobject in resources_.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                walk(xobject["/Resources"].get_object())

    walk(fonts.get_object())
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= {name.split("+")[-1] for name in names}, names
    assert embedded
    assert not any(base in name for name in names for base in ("Helvetica", "Times", "Courier"))
