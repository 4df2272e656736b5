"""docs/api.md's worked example, run as written against a live server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _python_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worked_example_runs(live_server, loaded_classifiers, pki, tmp_path, monkeypatch, capsys):
    from gomruk.declarations.models import Declaration
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    leaf = pki.leaves["deklarant"]
    (tmp_path / "deklarant-key.pem").write_bytes(leaf.key_pem)
    (tmp_path / "deklarant.pem").write_bytes(leaf.cert_pem)
    monkeypatch.setenv("GOMRUK_URL", live_server.url)
    monkeypatch.setenv("GOMRUK_DEMO_DIR", str(tmp_path))
    monkeypatch.setattr("time.sleep", lambda seconds: None)

    exec(compile(_python_example(), str(DOC), "exec"), {"__name__": "docs_example"})  # noqa: S102

    output = capsys.readouterr().out
    declaration = Declaration.objects.get()
    assert declaration.state == "sent"
    assert f"registration number: {declaration.registration_number}" in output
    assert "['draft', 'signed', 'confirmed', 'sent']" in output


def test_openssl_cms_signature_is_accepted(walk, pki, tmp_path):
    """The docs' `openssl cms -sign` recipe, over the raw payload bytes."""
    import subprocess

    from tests.api.api_helpers import b64
    from tests.conftest import require_tool

    openssl = require_tool("openssl", "the docs' signing recipe")
    declaration_id = walk.create()["id"]
    raw = walk.api.get(f"/declarations/{declaration_id}/signing-payload", headers={"Accept": "application/octet-stream"})
    (tmp_path / "payload.bin").write_bytes(raw.content)
    (tmp_path / "cert.pem").write_bytes(pki.leaves["deklarant"].cert_pem)
    (tmp_path / "key.pem").write_bytes(pki.leaves["deklarant"].key_pem)
    subprocess.run(
        [openssl, "cms", "-sign", "-binary", "-in", "payload.bin", "-signer", "cert.pem", "-inkey", "key.pem",
         "-md", "sha256", "-outform", "DER", "-out", "payload.p7s"],
        cwd=tmp_path, check=True, capture_output=True,
    )
    response = walk.api.post(f"/declarations/{declaration_id}/signature", {
        "provider": "certificate", "signature": b64((tmp_path / "payload.p7s").read_bytes()),
        "version": int(raw["X-Declaration-Version"]),
    })
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "signed"
