"""The declaration document as XML, and its XSD — both derived from the Pydantic model.

Element names are the JSON field names; a list is its element repeated; absent (null) values
are left out. Because the mapping and the XSD are read from the model, neither can drift from
the JSON representation: XML → dict → the same ``Declaration`` model as JSON.

Parsing is hardened: the size is capped before parsing, defusedxml refuses DTDs (so no
entity expansion, billion laughs or external entities) and never touches the network, and
``core.xmlsafe`` stops at 32 levels or 100,000 elements while reading.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET  # noqa: S405 — only to build and serialise, never to parse
from decimal import Decimal
from functools import cache
from typing import Any, Literal, get_args, get_origin

import annotated_types
from defusedxml import DefusedXmlException
from pydantic import BaseModel

from gomruk.core import xmlsafe
from gomruk.core.errors import Bilingual, GomrukError
from gomruk.declarations.errors import ERRORS
from gomruk.document.model import Declaration
from gomruk.document.shape import FieldShape, field_shapes

NAMESPACE = "https://gomruk.customs.gov.az/schema/declaration/1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XS = "http://www.w3.org/2001/XMLSchema"
ROOT = "declaration"
MAX_XML_BYTES = 5 * 1024 * 1024
# Characters XML 1.0 cannot carry, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


# --- JSON data → XML ------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _NOT_XML.search(text):
        raise ERRORS.error("not_representable_as_xml", status=406)
    return text


def _fill(parent: ET.Element, model: type[BaseModel], data: dict[str, Any]) -> None:
    for name, shape in field_shapes(model).items():
        if data.get(name) is None:
            continue
        values = data[name] if shape.many else [data[name]]
        for value in values:
            child = ET.SubElement(parent, f"{{{NAMESPACE}}}{name}")
            if _is_model(shape.kind):
                _fill(child, shape.kind, value)
            else:
                child.text = _text(value)


def document_to_xml(document: Declaration) -> bytes:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}{ROOT}")
    _fill(root, Declaration, document.to_data())
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- XML → JSON data ------------------------------------------------------------------------


def _invalid(reason_az: str, reason_en: str, **details: Any) -> GomrukError:
    return ERRORS.error("invalid_xml", status=422, details=details, reason=Bilingual(reason_az, reason_en))


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        raise _invalid("şərhlər və emal təlimatları qəbul edilmir.", "comments and processing instructions are not accepted.")
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        if namespace != NAMESPACE:
            raise _invalid(f"naməlum ad sahəsi {namespace}.", f"unknown namespace {namespace}.", element=name)
        return name
    return tag


def _check_attributes(element: Any) -> None:
    for attribute in element.attrib:
        if not str(attribute).startswith(f"{{{XSI}}}"):
            raise _invalid(f"atributlar qəbul edilmir ({attribute}).", f"attributes are not accepted ({attribute}).")


def _read(element: Any, model: type[BaseModel]) -> dict[str, Any]:
    _check_attributes(element)
    if (element.text or "").strip():
        raise _invalid("mətn və elementlər qarışıq verilib.", "text is mixed with elements.", element=_local(element.tag))
    shapes = field_shapes(model)
    data: dict[str, Any] = {}
    for child in element:
        name = _local(child.tag)
        shape = shapes.get(name)
        if shape is not None and _is_model(shape.kind):
            value: Any = _read(child, shape.kind)
        else:
            _check_attributes(child)
            if len(child):
                raise _invalid(f"«{name}» sadə dəyər olmalıdır.", f"'{name}' must be a simple value.", element=name)
            value = child.text or ""
        if shape is not None and shape.many:
            data.setdefault(name, []).append(value)
        elif name in data:
            raise _invalid(f"«{name}» təkrarlanır.", f"'{name}' occurs more than once.", element=name)
        else:
            # An unknown element is passed on so that the model reports it with its path.
            data[name] = value
    return data


def xml_to_data(raw: bytes) -> dict[str, Any]:
    """The JSON-shaped data of a declaration document sent as XML (not yet validated)."""
    if len(raw) > MAX_XML_BYTES:
        raise ERRORS.error("payload_too_large", status=413, limit=MAX_XML_BYTES)
    try:
        root = xmlsafe.parse(raw)
    except DefusedXmlException as exc:
        raise _invalid("DTD və entity-lər qadağandır.", "DTDs and entities are forbidden.", reason=type(exc).__name__)
    except xmlsafe.XmlTooComplex as exc:
        raise _invalid(
            f"{exc.limit}-dən çox {'səviyyə' if exc.what == 'levels' else 'element'} var.",
            f"it has more than {exc.limit} {exc.what}.",
            limit=exc.limit,
        )
    except xmlsafe.ParseError as exc:
        raise _invalid("sintaksis xətası.", "syntax error.", reason=str(exc)[:200])
    if _local(root.tag) != ROOT:
        raise _invalid(f"kök element «{ROOT}» olmalıdır.", f"the root element must be '{ROOT}'.")
    return _read(root, Declaration)


# --- XSD ------------------------------------------------------------------------------------


def _qualified(tag: str) -> str:
    return f"{{{XS}}}{tag}"


def _simple_type(parent: ET.Element, shape: FieldShape) -> str | None:
    """The XSD type name of a scalar, or None after writing an anonymous restricted type."""
    kind = shape.kind
    if get_origin(kind) is Literal:
        simple = ET.SubElement(parent, _qualified("simpleType"))
        restriction = ET.SubElement(simple, _qualified("restriction"), base="xs:string")
        for value in get_args(kind):
            ET.SubElement(restriction, _qualified("enumeration"), value=str(value))
        return None
    base = {
        bool: "xs:boolean",
        int: "xs:integer",
        Decimal: "xs:decimal",
        dt.date: "xs:date",
        str: "xs:string",
    }.get(kind, "xs:string")
    facets: list[tuple[str, Any]] = []
    for constraint in shape.constraints:
        if isinstance(constraint, annotated_types.MaxLen) and base == "xs:string":
            facets.append(("maxLength", constraint.max_length))
        elif isinstance(constraint, annotated_types.Ge) and base in ("xs:integer", "xs:decimal"):
            facets.append(("minInclusive", constraint.ge))
    if not facets:
        return base
    simple = ET.SubElement(parent, _qualified("simpleType"))
    restriction = ET.SubElement(simple, _qualified("restriction"), base=base)
    for facet, value in facets:
        ET.SubElement(restriction, _qualified(facet), value=str(value))
    return None


def _complex_type(schema: ET.Element, model: type[BaseModel], done: set[str]) -> None:
    if model.__name__ in done:
        return
    done.add(model.__name__)
    complex_type = ET.SubElement(schema, _qualified("complexType"), name=model.__name__)
    if model.__doc__:
        annotation = ET.SubElement(complex_type, _qualified("annotation"))
        ET.SubElement(annotation, _qualified("documentation")).text = " ".join(model.__doc__.split())
    sequence = ET.SubElement(complex_type, _qualified("sequence"))
    nested = []
    for name, shape in field_shapes(model).items():
        attributes = {"name": name, "minOccurs": "1" if shape.required and not shape.many else "0"}
        if shape.many:
            limit = next((c.max_length for c in shape.list_constraints if isinstance(c, annotated_types.MaxLen)), None)
            attributes["maxOccurs"] = str(limit) if limit else "unbounded"
        element = ET.SubElement(sequence, _qualified("element"), attributes)
        if _is_model(shape.kind):
            element.set("type", shape.kind.__name__)
            nested.append(shape.kind)
        else:
            type_name = _simple_type(element, shape)
            if type_name:
                element.set("type", type_name)
    for kind in nested:
        _complex_type(schema, kind, done)


@cache
def declaration_xsd() -> bytes:
    ET.register_namespace("xs", XS)
    schema = ET.Element(
        _qualified("schema"),
        {"targetNamespace": NAMESPACE, "elementFormDefault": "qualified", "version": "1"},
    )
    # ElementTree writes xmlns declarations only for namespaces it uses in tags; the default
    # namespace for the type references is declared by hand.
    schema.set("xmlns", NAMESPACE)
    ET.SubElement(schema, _qualified("element"), name=ROOT, type=Declaration.__name__)
    _complex_type(schema, Declaration, set())
    ET.indent(schema)
    return ET.tostring(schema, encoding="utf-8", xml_declaration=True)
