"""A node's keep-alive connections spread evenly over its workers (ADR 0047).

Every worker of ``gomruk serve`` waits on the one listening socket, and asyncio accepts every
connection waiting when the socket wakes it: the worker that wakes first takes the lot. Broker
software and load balancers keep their connections open, so a connection stays with the worker
that took it: eight clients could be served six by one worker (one core, its request threads
queueing) and two by the other, half idle. Here each worker publishes how many connections it
holds in memory shared by the node's workers (mapped by the master before it forks them), and
a worker holding more than another live worker leaves a waiting connection to it for a moment;
whoever has the fewest takes it. A worker that cannot take it in time (its event loop busy) does
not hold anyone up: after :data:`LONGEST_DEFERRAL` the crowded worker takes the connection itself.
"""

from __future__ import annotations

import asyncio
import mmap
import socket
from typing import Any

from gunicorn.workers.gasgi import ASGIWorker

#: Workers a node can have at once (a replacement takes the slot its predecessor left).
SLOTS = 256
#: How long a crowded worker leaves a waiting connection to the others before it looks again,
#: and for how long at most before it takes the connection itself.
DEFERRAL_SECONDS = 0.002
LONGEST_DEFERRAL = 0.02
#: Deferrals further apart than this are of different connections.
EPISODE_SECONDS = 0.05


class ConnectionLedger:
    """Per worker slot: whether a live worker holds it, and the connections that worker holds.
    Anonymous shared memory, mapped before the fork: every worker sees every slot."""

    def __init__(self, slots: int = SLOTS) -> None:
        self._memory = mmap.mmap(-1, slots * 2 * 8)  # MAP_SHARED: the children write, all read
        self._cells = memoryview(self._memory).cast("q")
        self.slots = slots

    def assign(self, held: set[int]) -> int | None:
        """The master, before forking a worker: the first slot no live worker holds. The
        worker counts as a sibling once it listens (:meth:`listening`): one still starting is
        given no connections to wait for."""
        for slot in range(self.slots):
            if slot not in held:
                self.release(slot)
                return slot
        return None  # more workers than slots: that one does not take part

    def listening(self, slot: int) -> None:
        """The worker, once its event loop accepts connections."""
        self._cells[2 * slot] = 1

    def release(self, slot: int) -> None:
        """The master, once a worker has exited."""
        self._cells[2 * slot] = 0
        self._cells[2 * slot + 1] = 0

    def publish(self, slot: int, connections: int) -> None:
        self._cells[2 * slot + 1] = connections

    def fewest_elsewhere(self, slot: int) -> int | None:
        """The fewest connections any other live worker holds (None: there is no other)."""
        cells = self._cells
        fewest = None
        for other in range(self.slots):
            if other != slot and cells[2 * other]:
                held = cells[2 * other + 1]
                if fewest is None or held < fewest:
                    fewest = held
        return fewest


LEDGER: ConnectionLedger | None = None


def ledger() -> ConnectionLedger:
    """The node's ledger, made in the master (``gomruk serve``) before any worker is forked."""
    global LEDGER
    if LEDGER is None:
        LEDGER = ConnectionLedger()
    return LEDGER


def pre_fork(server: Any, worker: Any) -> None:
    """gunicorn's ``pre_fork``, in the master: the worker's slot."""
    held = {getattr(w, "slot", None) for w in server.WORKERS.values()}
    worker.slot = ledger().assign({s for s in held if s is not None})


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn's ``child_exit``, in the master: the slot is free again."""
    slot = getattr(worker, "slot", None)
    if slot is not None:
        ledger().release(slot)


class BalancedWorker(ASGIWorker):  # type: ignore[misc]
    """gunicorn's ASGI worker, taking a waiting connection only when it holds no more
    connections than every other live worker of the node (or has waited its turn)."""

    slot: int | None = None
    _connections = 0
    #: Accepted, not yet counted by gunicorn's protocol (its ``connection_made`` comes a loop
    #: turn or two later): counted meanwhile, or a burst would all go to one worker again.
    _arriving = 0

    @property
    def nr_conns(self) -> int:
        return self._connections

    @nr_conns.setter
    def nr_conns(self, value: int) -> None:
        # gunicorn's protocol counts the worker's connections here: the ledger learns at once.
        self._connections = value
        self._publish()

    def arriving(self, change: int) -> None:
        self._arriving += change
        self._publish()

    def _publish(self) -> None:
        if self.slot is not None and LEDGER is not None:
            LEDGER.publish(self.slot, self._connections + self._arriving)

    def crowded(self) -> bool:
        if self.slot is None or LEDGER is None:
            return False
        fewest = LEDGER.fewest_elsewhere(self.slot)
        return fewest is not None and self._connections + self._arriving > fewest

    def listening(self) -> None:
        if self.slot is not None and LEDGER is not None:
            LEDGER.listening(self.slot)

    def _setup_event_loop(self) -> None:
        self.loop = BalancedLoop(self)
        asyncio.set_event_loop(self.loop)


class BalancedLoop(asyncio.SelectorEventLoop):
    """asyncio's selector loop accepting one connection per wake-up, and none while its worker
    is crowded (for a few milliseconds at most)."""

    def __init__(self, worker: BalancedWorker) -> None:
        super().__init__()
        self._worker = worker
        self._deferring_since: float | None = None

    def _start_serving(self, *arguments: Any, **options: Any) -> None:  # type: ignore[override]
        super()._start_serving(*arguments, **options)  # type: ignore[misc]
        self._worker.listening()

    def _accept_connection(  # type: ignore[override]
        self, protocol_factory: Any, sock: socket.socket, sslcontext: Any = None, server: Any = None,
        backlog: int = 100, *timeouts: Any,
    ) -> None:
        # Registered by asyncio's _start_serving with these arguments, positional; timeouts: the
        # TLS handshake's and shutdown's.
        now = self.time()
        since = self._deferring_since
        if since is None or now - since > EPISODE_SECONDS:
            since = None
        if (since is None or now - since < LONGEST_DEFERRAL) and self._worker.crowded():
            self._deferring_since = now if since is None else since
            self._remove_reader(sock.fileno())  # type: ignore[attr-defined]
            self.call_later(DEFERRAL_SECONDS, self._accept_again, protocol_factory, sock,
                            (sslcontext, server, backlog, *timeouts))
            return
        self._deferring_since = None
        # One at a time: the next waiting connection is weighed again, once this one counts.
        try:
            conn, address = sock.accept()
            conn.setblocking(False)
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return  # a sibling took it
        except OSError:
            # Out of descriptors or memory: asyncio's own answer (it pauses accepting a while).
            super()._accept_connection(protocol_factory, sock, sslcontext, server, 1, *timeouts)  # type: ignore[misc]
            return
        self._worker.arriving(+1)
        self.create_task(self._arrive(protocol_factory, conn, {"peername": address}, sslcontext, server, *timeouts))

    async def _arrive(self, *arguments: Any) -> None:
        try:
            # Returns once the protocol's connection_made has run (gunicorn has counted it).
            await self._accept_connection2(*arguments)  # type: ignore[attr-defined]
        finally:
            self._worker.arriving(-1)

    def _accept_again(self, protocol_factory: Any, sock: socket.socket, rest: tuple[Any, ...]) -> None:
        server = rest[1]
        if sock.fileno() == -1 or (server is not None and not server.is_serving()):
            return  # the server has stopped listening meanwhile
        self._add_reader(sock.fileno(), self._accept_connection, protocol_factory, sock, *rest)  # type: ignore[attr-defined]
