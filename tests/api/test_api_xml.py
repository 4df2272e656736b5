"""XML: round trip equal to JSON, a published XSD that validates what we write, hardened parsing."""

from __future__ import annotations

from lxml import etree

from gomruk.declarations.xmldoc import declaration_xsd, document_to_xml, xml_to_data
from gomruk.demo import factories as examples
from gomruk.document.model import Declaration as Document
from tests.api.api_helpers import assert_problem, document_json

XML = {"Content-Type": "application/xml"}


def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.XMLSchema(etree.fromstring(declaration_xsd(), parser))


def test_xsd_is_published_and_well_formed(walk):
    response = walk.api.get("/schema/declaration.xsd")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response.content == declaration_xsd()
    _schema()  # raises if the XSD is not a valid schema


def test_written_xml_is_valid_against_the_xsd():
    schema = _schema()
    for document in (examples.export_gb(), examples.import_gb(items=5), examples.transit_gb()):
        tree = etree.fromstring(document_to_xml(document))
        assert schema.validate(tree), schema.error_log


def test_round_trip_through_http_equals_json(walk):
    created = walk.create("import")
    declaration_id = created["id"]
    as_xml = walk.api.get(f"/declarations/{declaration_id}", headers={"Accept": "application/xml"})
    assert as_xml.status_code == 200
    assert as_xml["Content-Type"].startswith("application/xml")
    assert as_xml["X-Declaration-State"] == "draft"

    # Create a second declaration from that XML: its JSON equals the first one's.
    response = walk.api.request("POST", "/declarations", as_xml.content, content_type="application/xml")
    assert response.status_code == 201, response.content[:2000]
    assert response.json()["document"] == created["document"]
    assert Document.model_validate(xml_to_data(as_xml.content)).to_data() == Document.model_validate(created["document"]).to_data()


def test_update_as_xml_answers_as_xml(walk):
    declaration_id = walk.create()["id"]
    document = Document.model_validate(document_json())
    document.goods[0].description = "XML ilə dəyişdirildi"
    response = walk.api.request(
        "PUT", f"/declarations/{declaration_id}", document_to_xml(document),
        content_type="application/xml", headers={"Accept": "application/xml"},
    )
    assert response.status_code == 200, response.content[:1000]
    assert b"XML il\xc9\x99 d\xc9\x99yi\xc5\x9fdirildi" in response.content
    stored = walk.api.get(f"/declarations/{declaration_id}").json()
    assert stored["document"]["goods"][0]["description"] == "XML ilə dəyişdirildi"


def test_xml_type_errors_point_at_boxes(walk):
    xml = (b'<?xml version="1.0"?><declaration xmlns="https://gomruk.customs.gov.az/schema/declaration/1">'
           b"<goods><gross_mass>heavy</gross_mass></goods><unknown>1</unknown></declaration>")
    body = assert_problem(walk.api.request("POST", "/declarations", xml, content_type="application/xml"), 422, "invalid_document")
    paths = {error["path"]: error for error in body["errors"]}
    assert paths["/goods/0/gross_mass"]["box"] == "35"
    assert paths["/goods/0/gross_mass"]["item"] == 1
    assert "/unknown" in paths


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<declaration xmlns="https://gomruk.customs.gov.az/schema/declaration/1"><principal_statement>&lol9;</principal_statement></declaration>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE declaration [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<declaration xmlns="https://gomruk.customs.gov.az/schema/declaration/1"><principal_statement>&xxe;</principal_statement></declaration>"""

XXE_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE declaration SYSTEM "http://127.0.0.1:9/evil.dtd">
<declaration xmlns="https://gomruk.customs.gov.az/schema/declaration/1"/>"""


def test_billion_laughs_xxe_and_dtds_are_refused(walk):
    from gomruk.declarations.models import Declaration

    for attack in (BILLION_LAUGHS, XXE, XXE_NETWORK):
        response = walk.api.request("POST", "/declarations", attack, content_type="application/xml")
        body = assert_problem(response, 422, "invalid_xml")
        assert "root:" not in response.content.decode()
        assert body["reason"] == "DTDForbidden"
    assert Declaration.objects.count() == 0


def test_oversize_xml_is_413_before_parsing(walk):
    huge = b"<declaration>" + b" " * (5 * 1024 * 1024) + b"</declaration>"
    assert_problem(walk.api.request("POST", "/declarations", huge, content_type="application/xml"), 413, "payload_too_large")


def test_wrong_root_foreign_namespace_and_attributes(walk):
    for xml, in (
        (b"<invoice/>",),
        (b'<declaration xmlns="urn:other"/>',),
        (b'<declaration xmlns="https://gomruk.customs.gov.az/schema/declaration/1" id="1"/>',),
        (b"<declaration><goods>text<item_number>1</item_number></goods></declaration>",),
        (b"<declaration><procedure>1</procedure><procedure>2</procedure></declaration>",),
        (b"<declaration",),
    ):
        assert_problem(walk.api.request("POST", "/declarations", xml, content_type="application/xml"), 422, "invalid_xml")


def test_unsupported_media_type(walk):
    assert_problem(walk.api.request("POST", "/declarations", "a=b", content_type="text/plain"), 415)


def _nested(levels: int) -> bytes:
    return b"<declaration>" + b"<a>" * levels + b"</a>" * levels + b"</declaration>"


def test_deep_or_endless_xml_is_refused_while_it_is_read(walk):
    """Under the 5 MB limit, either shape once took seconds and hundreds of MB as a tree."""
    import tracemalloc

    from gomruk.declarations.models import Declaration

    limit = 5 * 1024 * 1024 - 100
    deep = _nested(limit // 7)
    wide = b"<declaration>" + b"<a/>" * (limit // 4) + b"</declaration>"
    for attack, reason in ((deep, "32 levels"), (wide, "100000 elements")):
        tracemalloc.start()
        try:
            response = walk.api.request("POST", "/declarations", attack, content_type="application/xml")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        body = assert_problem(response, 422, "invalid_xml")
        assert reason in body["detail"]
        assert peak < 64 * 1024 * 1024  # generous; the tree of the whole file took 136–221 MB
    # Twenty levels are read (and refused for what they say, not for their depth).
    shallow = assert_problem(walk.api.request("POST", "/declarations", _nested(20), content_type="application/xml"), 422)
    assert "levels" not in shallow["detail"]
    assert Declaration.objects.count() == 0
