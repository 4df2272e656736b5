"""The two manuals of the service page (S000 step 4): "İstifadə təlimatı" opens the Methodology
of filling in customs declarations, "Reqlament" the regulation of the service (issue 16 item 4).

The texts are package data (``data/manuals/<name>.<language>.md``): the Azerbaijani ones
transcribed from the source documents, the English ones from the spec. They are written in a
small subset of Markdown, rendered here rather than by a library because the subset is all the
texts need and because everything is escaped first — nothing in a text can become markup
other than what this module makes:

* ``#`` … ``####`` headings; ``{#box-7}`` at the end of a heading gives it that anchor;
* paragraphs (consecutive lines), ``-``/``*`` bullets and ``1.`` numbered items;
* ``|`` tables (the second line ``|---|`` separates the header), `````` fenced blocks, ``---`` rules;
* inline ``**bold**``, ``*italic*`` and ```code```.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: The manuals and their titles (Azerbaijani msgids; the view translates them).
MANUALS = ("help", "reqlament")
LANGUAGES = ("az", "en")

_HEADING = re.compile(r"^(#{1,4})\s+(.*?)(?:\s+\{#([A-Za-z0-9_-]+)\})?\s*$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Manual:
    html: SafeString
    headings: tuple[Heading, ...]

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.anchor for h in self.headings)


def _inline(text: str) -> str:
    html = str(escape(text))
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    html = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"<strong>\1</strong>", html)
    return re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"<em>\1</em>", html)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    return slug


def render(text: str) -> Manual:
    """The text as HTML: every character of it escaped, the subset's structure as elements."""
    out: list[str] = []
    headings: list[Heading] = []
    used: set[str] = set()
    paragraph: list[str] = []
    list_kind = ""
    nested = False  # inside a second-level list (items indented by two or more spaces)
    lines = text.splitlines()

    def close_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_nested() -> None:
        nonlocal nested
        if nested:
            out.append("</ul></li>")
            nested = False

    def close_list() -> None:
        nonlocal list_kind
        close_nested()
        if list_kind:
            out.append(f"</{list_kind}>")
            list_kind = ""

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if not line.strip():
            close_paragraph()
            close_list()
        elif line.strip().startswith("```"):
            close_paragraph()
            close_list()
            block = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                block.append(escape(lines[i]))
                i += 1
            out.append("<pre><code>" + "\n".join(block) + "</code></pre>")
        elif re.fullmatch(r"-{3,}", line.strip()):
            close_paragraph()
            close_list()
            out.append("<hr>")
        elif heading:
            close_paragraph()
            close_list()
            level = len(heading.group(1)) + 1  # the page's own title is the h1
            anchor = heading.group(3) or _slug(heading.group(2), used)
            used.add(anchor)
            headings.append(Heading(level, heading.group(2), anchor))
            out.append(f'<h{level} id="{escape(anchor)}">{_inline(heading.group(2))}</h{level}>')
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1].strip()):
            close_paragraph()
            close_list()
            head = "".join(f'<th scope="col">{_inline(c)}</th>' for c in _cells(line))
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _cells(lines[i])) + "</tr>")
                i += 1
            out.append(
                f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            )
            continue
        elif bullet and list_kind and len(line) - len(line.lstrip()) >= 2 and (nested or out[-1].endswith("</li>")):
            if not nested:
                out[-1] = out[-1][: -len("</li>")] + "<ul>"
                nested = True
            out.append(f"<li>{_inline(bullet.group(1))}</li>")
        elif bullet or numbered:
            close_paragraph()
            close_nested()
            kind = "ul" if bullet else "ol"
            if list_kind != kind:
                close_list()
                start = f' start="{int(numbered.group(1))}"' if numbered and int(numbered.group(1)) != 1 else ""
                out.append(f"<{kind}{start}>")
                list_kind = kind
            item = bullet.group(1) if bullet else numbered.group(2)  # type: ignore[union-attr]
            out.append(f"<li>{_inline(item)}</li>")
        elif list_kind and lines[i].startswith(("  ", "\t")) and out[-1].endswith("</li>") and not nested:
            # A wrapped line of the list item above.
            out[-1] = out[-1][: -len("</li>")] + " " + _inline(line.strip()) + "</li>"
        else:
            close_list()
            paragraph.append(line.strip())
        i += 1
    close_paragraph()
    close_list()
    return Manual(html=mark_safe("\n".join(out)), headings=tuple(headings))  # noqa: S308 — built from escaped text


@cache
def manual(name: str, language: str) -> Manual:
    """The manual ``name`` ("help" or "reqlament") in ``language`` ("az" or "en")."""
    if name not in MANUALS:
        raise KeyError(name)
    language = language if language in LANGUAGES else "az"
    text = files("gomruk.portal").joinpath(f"data/manuals/{name}.{language}.md").read_text(encoding="utf-8")
    return render(text)


def box_anchor(box_id: str) -> str:
    """The anchor of a box's paragraph in the Methodology (``help``)."""
    return f"box-{box_id}"
