"""A broker's program against the Gömrük API: sign in with a certificate, create a draft,
validate it, sign the exact payload, accept the terms, send it and follow it.

It needs only what a broker has: Python 3.11+, the published package ``cryptography`` and its
own key and certificate. It imports nothing of Gömrük itself.

    pip install cryptography
    GOMRUK_URL=http://127.0.0.1:8000 GOMRUK_DEMO_DIR=$GOMRUK_HOME/demo python broker.py

``gomruk init --demo`` writes what the demo needs into GOMRUK_DEMO_DIR: the declarant's key and
certificate (``deklarant-key.pem``, ``deklarant.pem``) and an example document
(``export-gb.json``). A real broker passes its own files: ``--key``, ``--cert``, ``--document``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7


class Api:
    """JSON over HTTP with the standard library; a problem response (RFC 9457) is raised."""

    def __init__(self, base: str) -> None:
        if not base.startswith(("http://", "https://")):
            raise SystemExit(f"not an http(s) URL: {base}")
        self.base = base.rstrip("/") + "/api/v1"
        self.headers = {"Accept-Language": "en", "Accept": "application/json"}

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 (http(s) only)
        for name, value in {**self.headers, **(headers or {})}.items():
            request.add_header(name, value)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (http(s) only)
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            problem = error.read().decode("utf-8", errors="replace")
            raise SystemExit(f"{method} {path}: HTTP {error.code}: {problem}") from None


def sign(data: bytes, key_pem: bytes, cert_pem: bytes) -> str:
    """A detached CMS signature (SHA-256, DER), base64 — what ``openssl cms -sign`` makes."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    certificate = x509.load_pem_x509_certificate(cert_pem)
    signature = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(certificate, key, hashes.SHA256())  # type: ignore[arg-type]
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    )
    return base64.b64encode(signature).decode("ascii")


def main() -> None:
    demo = Path(os.environ.get("GOMRUK_DEMO_DIR", Path(os.environ.get("GOMRUK_HOME", ".")) / "demo"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("GOMRUK_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--key", type=Path, default=demo / "deklarant-key.pem")
    parser.add_argument("--cert", type=Path, default=demo / "deklarant.pem")
    parser.add_argument("--document", type=Path, default=demo / "export-gb.json")
    parser.add_argument("--office", default="00100", help="the customs office to send to (box A)")
    args = parser.parse_args()
    key, cert = args.key.read_bytes(), args.cert.read_bytes()
    document = json.loads(args.document.read_text(encoding="utf-8"))
    api = Api(args.url)

    # 1. A token: sign the server's one-time nonce with the certificate's key.
    nonce = api.call("POST", "/auth/challenge")["nonce"]
    token = api.call("POST", "/auth/token", {
        "nonce": nonce, "certificate": cert.decode("ascii"), "signature": sign(nonce.encode("ascii"), key, cert),
    })["access_token"]
    api.headers["Authorization"] = f"Bearer {token}"

    # 2. Create a draft (the Idempotency-Key makes a retry safe; return=minimal: the document we
    #    hold is not echoed back) and validate the document.
    created = api.call("POST", "/declarations", document, {
        "Idempotency-Key": f"create-{nonce[:16]}", "Prefer": "return=minimal",
    })
    declaration_id = created["id"]
    print("created:", declaration_id)
    report = api.call("POST", "/declarations/validate", document)
    print("validation:", report)

    # 3. The exact bytes to sign, and the version they belong to.
    frozen = api.call("GET", f"/declarations/{declaration_id}/signing-payload")
    payload = base64.b64decode(frozen["payload"])
    api.call("POST", f"/declarations/{declaration_id}/signature", {
        "provider": "certificate", "signature": sign(payload, key, cert), "version": frozen["version"],
    })

    # 4. Accept the current terms, then send.
    terms = api.call("GET", "/declarations/terms")
    api.call("POST", f"/declarations/{declaration_id}/confirm", {"terms_version": terms["version"], "accepted": True})
    sent = api.call("POST", f"/declarations/{declaration_id}/send", {"office": args.office},
                    {"Idempotency-Key": f"send-{declaration_id}"})
    print("registration number:", sent["registration_number"])

    # 5. Follow the declaration until customs has decided (a few polls here).
    for _ in range(3):
        events = api.call("GET", f"/declarations/{declaration_id}/events")
        print("states:", [event["to_state"] for event in events])
        if events[-1]["to_state"] in ("released", "refused", "returned"):
            break
        time.sleep(1)


if __name__ == "__main__":
    main()
