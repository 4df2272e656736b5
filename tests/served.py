"""A served Gömrük for fault tests and ``bench/faults.py``: its own database (an SQLite file
or a PostgreSQL database of its own), ``gomruk init --demo``, ``gomruk serve`` as a
subprocess, and a declarant's steps over HTTP signed with the demo keys.

The server is treated as "a master process with worker children": workers are found in the
process tree (``/proc``), so nothing here depends on which WSGI server ``gomruk serve`` runs.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PORTS = range(9400, 9500)  # this branch's range (docs: TEAM.md)
GOMRUK = str(Path(sys.executable).with_name("gomruk"))


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def processes() -> Iterator[tuple[int, str, list[str]]]:
    """Every live process: its pid, its name (``comm``) and the fields of /proc/<pid>/stat after
    the name (``fields[0]`` is the state, ``fields[1]`` the parent's pid)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses.
        yield int(entry.name), stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid``, from /proc."""
    return sorted(child for child, _, fields in processes() if int(fields[1]) == pid)


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Served:
    """One database, one GOMRUK_HOME, one server process (restartable)."""

    database: str  # "sqlite" or "postgres"
    name: str = "gomruk_trust_served"
    workers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    cpus: str | None = None  # ``taskset -c`` list the server's process tree is pinned to
    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gomruk-served-")))
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        if self.database == "postgres":
            return f"{PG_SERVER}/{self.name}"
        return f"sqlite:///{self.home / 'gomruk.sqlite3'}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GOMRUK_", "DJANGO_", "DATABASE_"))}
        env.update(
            {
                "GOMRUK_HOME": str(self.home),
                "DATABASE_URL": self.database_url,
                "GOMRUK_API_RATE": "1000000/minute",
                "GOMRUK_API_AUTH_RATE": "100000/minute",
                "GOMRUK_PUBLIC_URL": self.base_url,
            }
        )
        env.update(self.extra_env)
        return env

    # --- Database ---

    def create(self) -> None:
        """A fresh database with the demo users, keys and classifiers (``gomruk init --demo``)."""
        if self.database == "postgres":
            pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{self.name}"')
        subprocess.run([GOMRUK, "init", "--demo"], env=self.env(), check=True, capture_output=True, timeout=600)

    def destroy(self) -> None:
        self.stop()
        if self.database == "postgres":
            pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.home, ignore_errors=True)

    # --- Server ---

    def start(self, timeout: float = 120) -> None:
        self.port = self.port or free_port()
        log = (self.home / "server.log").open("ab")
        pinned = ["taskset", "-c", self.cpus] if self.cpus else []
        self.process = subprocess.Popen(
            [*pinned, GOMRUK, "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 120) -> float:
        """Seconds until the server answers a request."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/schema/declaration.json", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not ready after {timeout} s: {self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        path = self.home / "server.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    @property
    def master_pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children(self.master_pid)

    def kill_workers(self) -> list[int]:
        pids = self.worker_pids()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return pids

    def kill_master(self) -> None:
        """kill -9 the master, then its orphaned workers (what a machine crash leaves: nothing)."""
        workers = self.worker_pids()
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        for pid in workers:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        self.process = None

    # --- What a client does ---

    def token(self, username: str = "deklarant") -> str:
        response = httpx.post(
            f"{self.base_url}/api/v1/auth/token", json={"username": username, "password": "gomruk-demo"}, timeout=30
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def client(self, token: str, timeout: float = 60) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.base_url}/api/v1",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
            timeout=timeout,
        )

    def sign(self, payload: bytes, username: str = "deklarant") -> bytes:
        from gomruk.signatures.local import sign_payload

        directory = self.home / "demo"
        return sign_payload(
            payload,
            key_pem=(directory / f"{username}-key.pem").read_bytes(),
            cert_pem=(directory / f"{username}.pem").read_bytes(),
        )

    def confirmed(self, client: httpx.Client, document: dict[str, Any], username: str = "deklarant") -> str:
        """A declaration created, signed and confirmed over HTTP: its id."""
        created = client.post("/declarations", json=document)
        created.raise_for_status()
        declaration_id = str(created.json()["id"])
        payload = client.get(f"/declarations/{declaration_id}/signing-payload")
        payload.raise_for_status()
        body = payload.json()
        signature = self.sign(base64.b64decode(body["payload"]), username)
        signed = client.post(
            f"/declarations/{declaration_id}/signature",
            json={"provider": "certificate", "signature": base64.b64encode(signature).decode(), "version": body["version"]},
        )
        signed.raise_for_status()
        terms = client.get("/declarations/terms").json()
        confirmed = client.post(
            f"/declarations/{declaration_id}/confirm", json={"terms_version": terms["version"], "accepted": True}
        )
        confirmed.raise_for_status()
        return declaration_id


@contextmanager
def served(database: str, **options: Any) -> Iterator[Served]:
    instance = Served(database, **options)
    try:
        instance.create()
        instance.start()
        yield instance
    finally:
        instance.destroy()


def node_secrets() -> dict[str, str]:
    """What every node of one deployment shares besides the database: the keys that sign
    sessions and authenticate the audit trail (README: "the same on every node")."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GOMRUK_AUDIT_KEY": secrets.token_urlsafe(32),
        "GOMRUK_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
    }


@contextmanager
def nodes(
    count: int, name: str, *, env: dict[str, str] | None = None, ports: range = PORTS,
    workers: int = 1, cpus: list[str | None] | None = None,
) -> Iterator[list[Served]]:
    """``count`` stateless web nodes on one PostgreSQL database, each with a GOMRUK_HOME of its
    own: the first runs ``gomruk init --demo``; the others get the shared keys and the demo CA
    (trust anchors, CRLs) through the environment, as nodes of a deployment get them from
    their configuration. Clients sign with the first node's demo keys."""
    shared = {**node_secrets(), **(env or {})}
    pins = cpus or [None] * count
    first = Served("postgres", name=name, workers=workers, extra_env=dict(shared), cpus=pins[0])
    started: list[Served] = []
    try:
        first.create()
        demo = first.home / "demo"
        shared["GOMRUK_TRUST_ANCHORS"] = str(demo / "ca.pem")
        shared["GOMRUK_CRLS"] = ",".join(str(path) for path in sorted(demo.glob("*crl.pem")))
        first.extra_env = dict(shared)
        started = [first] + [
            Served("postgres", name=name, workers=workers, extra_env=dict(shared), cpus=pins[i])
            for i in range(1, count)
        ]
        for node in started:
            node.port = free_port(ports)
            node.start()
        yield started
    finally:
        for node in reversed(started):
            node.stop()
            if node is not first:
                shutil.rmtree(node.home, ignore_errors=True)
        first.destroy()
