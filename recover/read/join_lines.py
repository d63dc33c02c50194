"""Join the lines of a wrapped cell into one string."""

from __future__ import annotations


def join_lines(lines: list[str]) -> str:
    """Concatenate wrapped lines; a space only between two Latin words or numbers.

    Chinese text wraps mid-word, so "事业单位" + "经营收入" must read "事业单位经营收入".
    """
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out
