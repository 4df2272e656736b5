"""Parsing XML from outside with its work bounded.

defusedxml refuses DTDs, entities and external references (no billion laughs, no network),
but bounds neither the nesting nor the number of elements: five megabytes of ``<a>`` take
seconds and hundreds of MB as a tree. :func:`parse` stops at the first element past
``max_depth`` or ``max_elements``, while the document is being read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 — the tree builder only; defusedxml parses

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

__all__ = ["DefusedXmlException", "ParseError", "XmlTooComplex", "parse"]

ParseError = ET.ParseError
DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_ELEMENTS = 100_000


class XmlTooComplex(ValueError):
    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"more than {limit} {what}")
        self.what = what  # "levels" or "elements"
        self.limit = limit


class _BoundedTreeBuilder(ET.TreeBuilder):
    def __init__(self, max_depth: int, max_elements: int) -> None:
        super().__init__()
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.depth = 0
        self.count = 0

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.depth += 1
        self.count += 1
        if self.depth > self.max_depth:
            raise XmlTooComplex("levels", self.max_depth)
        if self.count > self.max_elements:
            raise XmlTooComplex("elements", self.max_elements)
        return super().start(tag, attrs)

    def end(self, tag):  # type: ignore[no-untyped-def]
        self.depth -= 1
        return super().end(tag)


def parse(
    raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH, max_elements: int = DEFAULT_MAX_ELEMENTS
) -> ET.Element:
    """The root element; raises ``DefusedXmlException`` (DTD, entity), ``ParseError`` or
    :class:`XmlTooComplex`."""
    parser = DefusedXMLParser(
        target=_BoundedTreeBuilder(max_depth, max_elements),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    parser.feed(raw)
    return parser.close()
