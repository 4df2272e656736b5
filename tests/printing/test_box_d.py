"""Issue 16.8: box D's values stand clear of their labels (the long seals label used to run
under the value)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from gomruk.demo.print_samples import sample_document
from gomruk.document.model import CustomsControl
from gomruk.printing.render import render_declaration


@pytest.fixture
def pdftotext(request):
    from pathlib import Path

    root = request.config.pluginmanager.get_plugin(str(Path(request.config.rootpath) / "tests" / "conftest.py"))
    return root.require_tool("pdftotext", "Debian package poppler-utils")


def words(pdf: bytes, tmp_path, tool: str) -> dict[str, tuple[float, float, float, float]]:
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    html = subprocess.run([tool, "-bbox", "-f", "1", "-l", "1", str(source), "-"], check=True,
                          capture_output=True, text=True).stdout
    found = {}
    for x0, y0, x1, y1, text in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
    ):
        found.setdefault(text, (float(x0), float(y0), float(x1), float(y1)))
    return found


def test_box_d_values_start_after_their_labels(tmp_path, pdftotext):
    control = CustomsControl(result="Uyğundur", seals="Plomb-QX-11", conformity="Bəli", date=dt.date(2026, 12, 3),
                             officer="Əliyeva-L.")
    document = sample_document(1).model_copy(update={"customs_control": control})
    found = words(render_declaration(document), tmp_path, pdftotext)
    for label, value in (("nömrələri", "Plomb-QX-11"), ("Nəticə", "Uyğundur"), ("Uyğunluq", "Bəli"),
                         ("Tarix", "03.12.2026"), ("İmza", "Əliyeva-L.")):
        label_box, value_box = found[label], found[value]
        same_line = abs(label_box[3] - value_box[3]) < 4
        assert same_line and value_box[0] > label_box[2] + 1, (label, value, label_box, value_box)
