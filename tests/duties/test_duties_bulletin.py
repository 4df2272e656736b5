"""Reading and fetching CBAR bulletins (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gomruk.core.errors import GomrukError
from gomruk.duties.bulletin import cbar_url, fetch, parse_bulletin


def test_bulletin_is_read_with_nominals_metals_and_sdr(data_dir):
    bulletin = parse_bulletin((data_dir / "cbar_02.02.2024.xml").read_bytes())
    rates = {r.code: r for r in bulletin.rates}
    assert bulletin.date == date(2024, 2, 2)
    assert rates["USD"].rate_per_unit == Decimal("1.7")
    # 100 yen = 1.1525 AZN → one yen = 0.011525 AZN, exactly
    assert rates["JPY"].nominal == 100
    assert rates["JPY"].rate_per_unit == Decimal("0.011525")
    # metals: nominal '1 t.u.' (troy ounce) is read as 1 and kept as printed
    assert rates["XAU"].nominal == 1 and rates["XAU"].nominal_text == "1 t.u."
    assert rates["XAU"].rate_per_unit == Decimal("3440.3845")
    assert rates["SDR"].value == Decimal("2.2633")


def test_bulletin_with_empty_values_skips_them(data_dir):
    bulletin = parse_bulletin((data_dir / "cbar_02.02.2024.xml").read_bytes())
    codes = [r.code for r in bulletin.rates]
    assert "IRR" not in codes and "XPD" not in codes
    assert set(bulletin.skipped) == {"IRR", "XPD"}
    assert len(codes) == 6


def test_same_content_same_fingerprint_whatever_the_whitespace(data_dir):
    raw = (data_dir / "cbar_05.02.2024.xml").read_bytes()
    again = raw.replace(b"><", b">\n  <")
    assert parse_bulletin(raw).content_sha256() == parse_bulletin(again).content_sha256()
    changed = raw.replace(b"1.8300", b"1.8301")
    assert parse_bulletin(raw).content_sha256() != parse_bulletin(changed).content_sha256()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ValCurs Date="02.02.2024"><ValType><Valute Code="USD"><Nominal>1</Nominal><Name>&lol2;</Name><Value>1.7</Value></Valute></ValType></ValCurs>"""


@pytest.mark.parametrize(
    "content",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE ValCurs SYSTEM "http://127.0.0.1:1/x.dtd"><ValCurs Date="02.02.2024"/>',
        b"<ValCurs Date='02.02.2024'><ValType>",
        b"<Other Date='02.02.2024'/>",
        b"<ValCurs Date='2024-02-02'><ValType><Valute Code='USD'><Nominal>1</Nominal><Value>1.7</Value></Valute></ValType></ValCurs>",
        b"<ValCurs Date='02.02.2024'><ValType><Valute Code='USD'><Nominal>1</Nominal><Value>abc</Value></Valute></ValType></ValCurs>",
        b"<ValCurs Date='02.02.2024'><ValType><Valute Code='USD'><Nominal>x</Nominal><Value>1.7</Value></Valute></ValType></ValCurs>",
        b"<ValCurs Date='02.02.2024'><ValType><Valute Code='USD'><Nominal>1</Nominal><Value></Value></Valute></ValType></ValCurs>",
    ],
    ids=["entities", "external-dtd", "truncated", "wrong-root", "iso-date", "bad-value", "bad-nominal", "no-rates"],
)
def test_bad_or_dangerous_bulletins_are_refused(content):
    with pytest.raises(GomrukError) as caught:
        parse_bulletin(content)
    assert caught.value.code == "invalid_bulletin"
    assert caught.value.message_az and caught.value.message_en


def test_size_is_capped_before_parsing():
    big = b"<ValCurs Date='02.02.2024'>" + b" " * (1024 * 1024) + b"</ValCurs>"
    with pytest.raises(GomrukError) as caught:
        parse_bulletin(big)
    assert "too large" in caught.value.message_en


def test_cbar_url_for_a_date():
    assert cbar_url(date(2024, 2, 4)) == "https://www.cbar.az/currencies/04.02.2024.xml"


def test_fetch_reads_from_http(bulletin_server, data_dir):
    body = (data_dir / "cbar_05.02.2024.xml").read_bytes()
    bulletin_server.routes["/b.xml"] = (200, body)
    assert fetch(f"{bulletin_server.base}/b.xml") == body


def test_fetch_refuses_oversized_answers(bulletin_server):
    bulletin_server.routes["/big.xml"] = (200, b"x" * 5000)
    with pytest.raises(GomrukError) as caught:
        fetch(f"{bulletin_server.base}/big.xml", max_bytes=1000)
    assert caught.value.code == "invalid_bulletin"


def test_fetch_reports_http_errors_and_unreachable_hosts(bulletin_server):
    with pytest.raises(GomrukError) as caught:
        fetch(f"{bulletin_server.base}/missing.xml")
    assert caught.value.code == "bulletin_unavailable" and caught.value.details["status"] == 404
    with pytest.raises(GomrukError) as caught:
        fetch("http://127.0.0.1:1/x.xml", timeout=2)
    assert caught.value.code == "bulletin_unavailable"


def test_fetch_only_http(tmp_path):
    with pytest.raises(GomrukError):
        fetch(f"file://{tmp_path}/x.xml")


def test_a_deeply_nested_bulletin_is_refused_while_it_is_read():
    from gomruk.core.errors import GomrukError
    from gomruk.duties.bulletin import parse_bulletin

    deep = b'<ValCurs Date="03.01.2025">' + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</ValCurs>"
    with pytest.raises(GomrukError) as error:
        parse_bulletin(deep)
    assert error.value.code == "invalid_bulletin" and error.value.details["limit"] == 32
