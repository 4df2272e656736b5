"""The main sheet compared, as a picture, with a stored reference rendering.

Regenerate the reference after an intended layout change with
``REGENERATE_REFERENCE=1 .venv/bin/pytest tests/printing/test_main_sheet_image.py``
and look at ``tests/printing/reference/main_sheet.png`` before committing it.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from gomruk.demo.print_samples import sample_document
from gomruk.printing.render import render_declaration

REFERENCE = Path(__file__).parent / "reference" / "main_sheet.png"
DPI = 75
MEAN_TOLERANCE = 0.5  # mean absolute grey-level difference, of 255
CHANGED_TOLERANCE = 0.0001  # share of pixels allowed to differ by more than a quarter of the range

pytestmark = pytest.mark.usefixtures("pdftoppm")


def main_sheet_png(pdf: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-gray",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "page.png") as image:
        return image.convert("L")


def difference(left: Image.Image, right: Image.Image) -> tuple[float, float]:
    assert left.size == right.size
    diff = ImageChops.difference(left, right)
    mean = ImageStat.Stat(diff).mean[0]
    histogram = diff.histogram()
    changed = sum(histogram[64:]) / (left.size[0] * left.size[1])
    return mean, changed


def within_tolerance(left: Image.Image, right: Image.Image) -> bool:
    mean, changed = difference(left, right)
    return mean <= MEAN_TOLERANCE and changed <= CHANGED_TOLERANCE


def test_main_sheet_matches_the_reference_image(registered, reference, tmp_path):
    image = main_sheet_png(
        render_declaration(sample_document(4), context=registered, reference=reference), tmp_path
    )
    if os.environ.get("REGENERATE_REFERENCE") == "1":
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        REFERENCE.write_bytes(buffer.getvalue())
    with Image.open(REFERENCE) as stored:
        expected = stored.convert("L")
    mean, changed = difference(image, expected)
    assert mean <= MEAN_TOLERANCE and changed <= CHANGED_TOLERANCE, (mean, changed)


def test_the_comparison_notices_a_changed_box(registered, reference, tmp_path):
    document = sample_document(4)
    consignee = document.consignee.model_copy(update={"name": "«Gəncə Üzüm Bağları» ASC"})
    changed = document.model_copy(update={"consignee": consignee})
    image = main_sheet_png(
        render_declaration(changed, context=registered, reference=reference), tmp_path
    )
    with Image.open(REFERENCE) as stored:
        assert not within_tolerance(image, stored.convert("L"))
