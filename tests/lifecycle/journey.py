"""Test helpers shared by tests/lifecycle and tests/customs: a throw-away PKI with a
certificate per demo identity, and the declarant's and officer's steps through the real
services (no shortcut writes to the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gomruk.accounts.models import Role, User
from gomruk.declarations.models import Declaration, State
from gomruk.declarations.services import declaration_create
from gomruk.declarations.signing import declaration_sign, signing_payload
from gomruk.declarations.submission import current_terms, declaration_confirm, declaration_send
from gomruk.demo import factories as examples
from gomruk.demo.users import demo_users_create
from gomruk.signatures.local import sign_payload
from gomruk.signatures.pki import Issued, SubjectSpec, issue_leaf, make_ca, write_pem

IDENTITIES = {
    # name: (VÖEN in the certificate, FIN, common name)
    "deklarant": ("1401555071", "5ABCD12", "Aygün Məmmədova"),
    "deklarant2": ("1900310041", "6BCDE23", "Rəşad Quliyev"),
    "broker": ("1700120051", "7CDEF34", "Elvin Həsənov"),
}
OWNER_VOEN = "1401555071"


@dataclass
class TestPKI:
    __test__ = False
    directory: Path
    ca: Issued
    leaves: dict[str, Issued] = field(default_factory=dict)

    @classmethod
    def create(cls, directory: Path) -> TestPKI:
        ca = make_ca("Gömrük test CA")
        pki = cls(directory, ca)
        write_pem(directory / "ca.pem", ca.cert_pem)
        for name, (voen, fin, common_name) in IDENTITIES.items():
            pki.leaves[name] = issue_leaf(ca, SubjectSpec(common_name=common_name, voen=voen, fin=fin))
        return pki

    @property
    def anchor(self) -> Path:
        return self.directory / "ca.pem"

    def sign(self, identity: str, payload: bytes) -> bytes:
        leaf = self.leaves[identity]
        return sign_payload(payload, key_pem=leaf.key_pem, cert_pem=leaf.cert_pem)


def make_users() -> dict[str, User]:
    demo_users_create()
    User.objects.create(username="inspektor2", role=Role.OFFICER, office_code="00200")
    User.objects.create(username="inspektor0", role=Role.OFFICER, office_code="")
    return {u.username: u for u in User.objects.all()}


SIGNER = {"deklarant": "deklarant", "broker": "broker", "deklarant2": "deklarant2"}


@dataclass
class Journey:
    pki: TestPKI
    users: dict[str, User]

    def draft(self, owner: str = "deklarant", voen: str = OWNER_VOEN) -> Declaration:
        return declaration_create(user=self.users[owner], document=examples.export_gb(), voen=voen)

    def sign(self, declaration: Declaration, by: str = "deklarant", identity: str | None = None) -> Declaration:
        user = self.users[by]
        frozen = signing_payload(user=user, declaration_id=declaration.pk)
        signature = self.pki.sign(identity or SIGNER[by], frozen.payload)
        return declaration_sign(
            user=user, declaration_id=declaration.pk, provider="certificate", signature=signature,
            version=frozen.version,
        )

    def confirm(self, declaration: Declaration, by: str = "deklarant") -> Declaration:
        terms = current_terms()
        assert terms is not None
        return declaration_confirm(
            user=self.users[by], declaration_id=declaration.pk, terms_version=terms.version, accepted=True
        )

    def send(self, declaration: Declaration, by: str = "deklarant", office: str = "00100") -> Declaration:
        return declaration_send(user=self.users[by], declaration_id=declaration.pk, office_code=office)

    def officer_step(self, declaration: Declaration, action: str, officer: str = "inspektor") -> Declaration:
        from gomruk.customs import services

        who = self.users[officer]
        if action == "register":
            return services.declaration_register(officer=who, declaration_id=declaration.pk)
        if action == "assign_channel":
            return services.declaration_assign_channel(
                officer=who, declaration_id=declaration.pk, channel="yellow", reason="Risk profili R-12"
            )
        if action == "release":
            return services.declaration_release(officer=who, declaration_id=declaration.pk)
        if action == "refuse":
            return services.declaration_refuse(officer=who, declaration_id=declaration.pk, reason="Lisenziya yoxdur")
        if action == "return":
            return services.declaration_return(
                officer=who, declaration_id=declaration.pk, reasons={"33/1": "Kod səhvdir"}
            )
        raise ValueError(action)

    def cancel(self, declaration: Declaration, by: str = "deklarant", officer: str = "inspektor") -> Declaration:
        """Cancellation asked by the declarant and accepted by the office (issue 19)."""
        from gomruk.customs.requests import cancellation_accept
        from gomruk.declarations.cancellation import cancellation_request

        request = cancellation_request(
            user=self.users[by], declaration_id=declaration.pk, reason="Müqavilə ləğv edildi", goods_not_taken=True
        )
        cancellation_accept(officer=self.users[officer], declaration_id=declaration.pk, number=request.number)
        declaration.refresh_from_db()
        return declaration

    def amend_after_release(self, declaration: Declaration, by: str = "deklarant", officer: str = "inspektor") -> Declaration:
        """A post-clearance amendment (box 35 of item 1) asked, signed and accepted (issue 19)."""
        from gomruk.customs.requests import amendment_accept
        from gomruk.declarations import amendments
        from gomruk.document.model import Declaration as Document

        user = self.users[by]
        request = amendments.amendment_start(user=user, declaration_id=declaration.pk, reason="Brutto çəki")
        document = request.document
        document["goods"][0]["gross_mass"] = "2600.000"
        amendments.amendment_update(
            user=user, declaration_id=declaration.pk, number=request.number, document=Document.model_validate(document)
        )
        frozen = amendments.amendment_signing_payload(user=user, declaration_id=declaration.pk, number=request.number)
        amendments.amendment_sign(
            user=user, declaration_id=declaration.pk, number=request.number, provider="certificate",
            signature=self.pki.sign(SIGNER[by], frozen.payload), version=frozen.version,
        )
        amendment_accept(officer=self.users[officer], declaration_id=declaration.pk, number=request.number)
        declaration.refresh_from_db()
        return declaration

    def at(self, state: str, owner: str = "deklarant") -> Declaration:
        """A fresh declaration brought to ``state`` through the services."""
        declaration = self.draft(owner)
        path: list[Any] = {
            State.DRAFT: [],
            State.SIGNED: [self.sign],
            State.CONFIRMED: [self.sign, self.confirm],
            State.SENT: [self.sign, self.confirm, self.send],
            State.REGISTERED: [self.sign, self.confirm, self.send, "register"],
            State.UNDER_CONTROL: [self.sign, self.confirm, self.send, "register", "assign_channel"],
            State.RELEASED: [self.sign, self.confirm, self.send, "register", "assign_channel", "release"],
            State.REFUSED: [self.sign, self.confirm, self.send, "register", "assign_channel", "refuse"],
            State.RETURNED: [self.sign, self.confirm, self.send, "register", "assign_channel", "return"],
            State.WITHDRAWN: ["withdraw"],
            State.CANCELLED: [self.sign, self.confirm, self.send, self.cancel],
            State.AMENDED: [
                self.sign, self.confirm, self.send, "register", "assign_channel", "release", self.amend_after_release,
            ],
        }[State(state)]
        for step in path:
            if step == "withdraw":
                from gomruk.declarations.submission import declaration_withdraw

                declaration = declaration_withdraw(user=self.users[owner], declaration_id=declaration.pk)
            elif isinstance(step, str):
                declaration = self.officer_step(declaration, step)
            else:
                declaration = step(declaration)
        declaration.refresh_from_db()
        assert declaration.state == state
        return declaration
