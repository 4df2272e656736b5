from __future__ import annotations

import http.server
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FRIDAY = date(2024, 2, 2)
SUNDAY = date(2024, 2, 4)
MONDAY = date(2024, 2, 5)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def tariff():
    from gomruk.duties.tariff import sample_snapshot

    return sample_snapshot()


@pytest.fixture
def rates():
    """USD 1.7, EUR 2 (round figures so the worked examples can be checked by hand)."""
    from gomruk.duties.rates import static_rates

    return static_rates({"USD": Decimal("1.7"), "EUR": Decimal("2"), "JPY": Decimal("0.011525")}, FRIDAY)


@pytest.fixture
def make_doc():
    from gomruk.document.model import Declaration

    def build(*goods: dict, **header) -> Declaration:
        data = {"declaration_type": "01", "direction": "İD", "procedure": "40", "invoice_currency": "840"}
        data.update(header)
        data["goods"] = [{"item_number": i, **g} for i, g in enumerate(goods, start=1)]
        return Declaration.model_validate(data)

    return build


@pytest.fixture
def calc(tariff, rates):
    """calculate() with the SAMPLE tariff and the fixed rates, on Monday 05.02.2024."""
    from gomruk.duties.calculation import CalcOptions, calculate

    def run(document, on=MONDAY, **options):
        return calculate(document, tariff=tariff, rates=rates, on=on, options=CalcOptions(**options))

    return run


class _Server:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.default: tuple[int, bytes] | None = None
        self.requests: list[str] = []
        routes = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                routes.requests.append(self.path)
                status, body = routes.routes.get(self.path) or routes.default or (404, b"not found")
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def bulletin_server():
    """A local HTTP server playing www.cbar.az (these machines have no internet)."""
    server = _Server()
    yield server
    server.close()
