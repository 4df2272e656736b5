"""docs/api.md's worked example (docs/examples/broker.py), run as a broker would run it: a
separate program against a served demo instance, with only published dependencies."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.served import served

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "broker.py"
#: What a broker installs besides Python: nothing of Gömrük.
PUBLISHED = {"cryptography"}
#: Run the example with ``gomruk`` unimportable, whatever is installed in this environment.
WITHOUT_GOMRUK = (
    "import runpy, sys; sys.modules['gomruk'] = None; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def _imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - {"__future__"}


def test_the_example_imports_only_the_standard_library_and_cryptography():
    foreign = _imported_packages(EXAMPLE) - set(sys.stdlib_module_names) - PUBLISHED
    assert not foreign, f"a broker cannot install {sorted(foreign)}"
    assert "gomruk" not in _imported_packages(EXAMPLE)


def test_the_api_guide_points_at_the_example():
    guide = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert "docs/examples/broker.py" in guide or "examples/broker.py" in guide
    assert "from gomruk" not in guide


@pytest.mark.slow
def test_the_broker_example_runs_against_a_served_demo(tmp_path):
    with served("sqlite") as server:
        demo = server.home / "demo"
        assert (demo / "export-gb.json").exists() and (demo / "deklarant.pem").exists()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GOMRUK_", "DJANGO_", "DATABASE_"))}
        env.update({"GOMRUK_URL": server.base_url, "GOMRUK_DEMO_DIR": str(demo), "PYTHONPATH": ""})
        result = subprocess.run(
            [sys.executable, "-I", "-c", WITHOUT_GOMRUK, str(EXAMPLE)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr + server.log_tail()
        lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
        declaration_id = lines["created"]
        with server.client(server.token("deklarant")) as api:
            declaration = api.get(f"/declarations/{declaration_id}").json()
        assert declaration["state"] == "sent"
        assert lines["registration number"] == declaration["registration_number"]
        assert lines["states"].startswith("['draft', 'signed', 'confirmed', 'sent'")


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
