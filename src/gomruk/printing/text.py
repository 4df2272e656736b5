"""Fitting text into a box: wrap at word boundaries, shrink a little, or give up (the caller
then moves the text to an attachment sheet, G-13)."""

from __future__ import annotations

from functools import lru_cache

from gomruk.printing.fonts import text_width

VALUE_SIZES = (7.0, 6.3, 5.6)  # below 5.6 pt a printed form is no longer readable
LEADING = 1.17


def leading(size: float) -> float:
    return size * LEADING


@lru_cache(maxsize=65536)
def width(text: str, size: float, bold: bool = False) -> float:
    return text_width(text, size, bold=bold)


def _split_word(word: str, room: float, size: float) -> list[str]:
    """Break a word wider than the box (a long number list) at character boundaries."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and width(current + char, size) > room:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(lines: list[str], room: float, size: float, limit: int) -> list[str]:
    """Wrapped lines; stops early once more than ``limit`` lines are known to be needed."""
    out: list[str] = []
    space = width(" ", size)
    for line in lines:
        if width(line, size) <= room:
            out.append(line)
            if len(out) > limit:
                return out
            continue
        current, current_w = "", 0.0
        for word in line.split():
            word_w = width(word, size)
            if word_w > room:
                if current:
                    out.append(current)
                pieces = _split_word(word, room, size)
                out.extend(pieces[:-1])
                current, current_w = pieces[-1], width(pieces[-1], size)
            elif not current:
                current, current_w = word, word_w
            elif current_w + space + word_w <= room:
                current, current_w = f"{current} {word}", current_w + space + word_w
            else:
                out.append(current)
                current, current_w = word, word_w
            if len(out) > limit:
                return out
        if current:
            out.append(current)
        if len(out) > limit:
            return out
    return out


def capacity(height: float, size: float) -> int:
    """Lines of ``size`` that fit in ``height`` (the first line needs the font size, the
    others one leading each)."""
    if height < size:
        return 0
    return int((height - size) // leading(size)) + 1


def fit(
    lines: list[str], room: float, height: float, sizes: tuple[float, ...] = VALUE_SIZES
) -> tuple[float, list[str]] | None:
    """The largest size at which all lines fit, with the wrapped lines; None if none does."""
    for size in sizes:
        limit = capacity(height, size)
        if limit == 0:
            continue
        wrapped = wrap(lines, room, size, limit)
        if len(wrapped) <= limit:
            return size, wrapped
    return None
