"""Printed text → cleaned text and exact Decimal amounts.

OCR of amounts yields "768. 04", "3，644.13", full-width digits and stray spaces; the
cleaned text keeps the printed form (thousands separators included) while the value is
parsed exactly. Text that is not plainly an amount gets no value: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"^[-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
_SPACE_IN_NUMBER = re.compile(r"(?<=[\d,.])\s+(?=[\d,.])")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；"}
_CJK_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff）)])[,:;](?=[\u4e00-\u9fff（(])")
_END_MARKS = re.compile(r"^[^\d\u4e00-\u9fff]+|[^\d\u4e00-\u9fff]+$")  # "464•"
# An amount printed with two decimals whose separators the recogniser confused: grouping
# points or colons ("4.297.58", "1:369.68"), a point read as a comma ("246,46"), or both
# swapped ("4.245,44"). Groups of three before the last mark and two digits after it fix
# which mark is which; a last group of three ("1.234.567") could be either and is left.
_CONFUSED_SEPARATORS = re.compile(r"^([-−]?\d{1,3})((?:[.,:;]\d{3})*)[.,:;](\d{2})$")
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "－", "/", "／", "…", "无", "0.00%"})
"""What filings print in an amount column for 'nothing'."""


def clean_text(raw: str) -> str:
    """Fold full-width digits/punctuation and drop spaces inside numbers.

    Chinese punctuation outside numbers (（）：) is kept as printed.
    """
    text = raw.strip()
    if not text:
        return ""
    folded = "".join(_fold_char(ch) for ch in text)
    if _looks_numeric(folded):
        folded = _SPACE_IN_NUMBER.sub("", folded)
        return folded.replace("，", ",").replace("。", ".")
    # Between Chinese characters the printed punctuation is full-width; OCR often
    # returns the ASCII look-alike.
    return _CJK_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(0)], folded)


def _fold_char(ch: str) -> str:
    # Full-width digits and Latin letters fold to ASCII; CJK punctuation such as
    # （）：、，stays as printed.
    if "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ" or ch in "．－＋％":
        return unicodedata.normalize("NFKC", ch)
    return ch


def _looks_numeric(text: str) -> bool:
    body = text.replace(" ", "")
    digits = sum(ch.isdigit() for ch in body)
    return digits > 0 and all(ch.isdigit() or ch in ",.，。-−%" for ch in body)


def parse_amount(text: str) -> Decimal | None:
    """Exact value of a printed amount ("1,633,000", "768.04", "-12.5"), else None.

    Percentages and placeholders ("—") have no amount value.
    """
    body = text.replace(" ", "")
    if not body or body in PLACEHOLDERS or body.endswith("%"):
        return None
    if not _AMOUNT.match(body):
        return None
    try:
        return Decimal(body.replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None


def regrouped(text: str) -> str | None:
    """The printed form of an amount whose separators were misread ("4.297.58" →
    "4,297.58", "246,46" → "246.46"); None when ``text`` parses as it is or is no such amount.

    Only the marks move, never a digit: the reading is still the recogniser's, so a total
    must confirm it before it counts as read (the caller lowers its confidence).
    """
    body = text.replace(" ", "")
    match = _CONFUSED_SEPARATORS.match(body)
    if match is None or parse_amount(body) is not None:
        return None
    head, groups, cents = match.groups()
    fixed = head + "".join("," + g[1:] for g in re.findall(r"[.,:;]\d{3}", groups)) + "." + cents
    return fixed if parse_amount(fixed) is not None else None


def strip_marks(text: str) -> str:
    """A code or number without the stray marks beside it ("464•" → "464")."""
    return _END_MARKS.sub("", text)
