"""``gomruk sign FILE --key K --cert C -o SIG``: a detached CMS signature, as broker software makes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from asn1crypto import pem
from cryptography.hazmat.primitives import hashes
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.signatures.local import sign_payload

HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


class Command(BaseCommand):
    # Local and offline, like the broker software it stands in for: no database, no URL checks.
    requires_system_checks: list[str] = []
    help = "Sign FILE's exact bytes with a PEM key and certificate; write a detached CMS (CAdES-BES) signature."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the bytes to sign (e.g. a declaration's signing payload)")
        parser.add_argument("--key", type=Path, required=True, help="private key, PEM (unencrypted)")
        parser.add_argument("--cert", type=Path, required=True, help="signer certificate, PEM")
        parser.add_argument("--chain", type=Path, help="intermediate CA certificates to include, PEM")
        parser.add_argument("-o", "--output", type=Path, required=True, help="where to write the signature")
        parser.add_argument("--md", choices=sorted(HASHES), default="sha256", help="digest algorithm")
        parser.add_argument("--pem", action="store_true", help="write PEM instead of DER")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            payload = options["file"].read_bytes()
            key_pem = options["key"].read_bytes()
            cert_pem = options["cert"].read_bytes()
            if options["chain"]:
                cert_pem += b"\n" + options["chain"].read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            signature = sign_payload(
                payload, key_pem=key_pem, cert_pem=cert_pem, hash_algorithm=HASHES[options["md"]]
            )
        except (ValueError, TypeError) as exc:
            raise CommandError(f"cannot sign: {exc}") from exc
        if options["pem"]:
            signature = pem.armor("CMS", signature)
        options["output"].write_bytes(signature)
        self.stdout.write(f"{options['output']} ({len(signature)} bytes, {options['md']}, {len(payload)} bytes signed)")
