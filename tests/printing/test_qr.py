"""The QR code on the main sheet is the QR code of "<number> <verification address>"."""

from __future__ import annotations

import subprocess

import qrcode
from PIL import Image

from gomruk.demo.print_samples import sample_document
from gomruk.printing import layout
from gomruk.printing.render import QR_SIZE, plan_pages, qr_runs, render_declaration

DPI = 288  # 4 pixels a point


def matrix_of(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def test_runs_rebuild_the_qr_matrix(registered):
    payload = registered.qr_payload(registered.registration_number)
    matrix = matrix_of(payload)
    count, runs = qr_runs(payload)
    rebuilt = [[False] * count for _ in range(count)]
    for row, column, length in runs:
        for c in range(column, column + length):
            rebuilt[row][c] = True
    assert count == len(matrix) and rebuilt == matrix


def test_printed_modules_match_the_payload(registered, reference, tmp_path, pdftoppm):
    document = sample_document(1)
    pages, _ = plan_pages(document, registered, reference)
    x, y, payload = pages[0].qr
    assert payload == f"{registered.registration_number} {registered.verification_url}"
    source = tmp_path / "form.pdf"
    source.write_bytes(render_declaration(document, context=registered, reference=reference))
    scale = DPI / 72
    left, top = round(x * scale), round((layout.PAGE_HEIGHT - y - QR_SIZE) * scale)
    side = round(QR_SIZE * scale)
    subprocess.run(
        [
            pdftoppm,
            "-r",
            str(DPI),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            str(left),
            "-y",
            str(top),
            "-W",
            str(side),
            "-H",
            str(side),
            str(source),
            str(tmp_path / "qr"),
        ],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "qr.png") as image:
        pixels = image.convert("L")
        matrix = matrix_of(payload)
        module = side / len(matrix)
        printed = [
            [
                pixels.getpixel((int((c + 0.5) * module), int((r + 0.5) * module))) < 128
                for c in range(len(matrix))
            ]
            for r in range(len(matrix))
        ]
    assert printed == matrix
