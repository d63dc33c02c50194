"""What counts as Chinese in a reading: the CJK unified ideographs (one definition for every stage)."""

from __future__ import annotations

import re

CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds at least one Chinese character (a word, not a number or a mark)."""
    return CJK_CHAR.search(text) is not None


def chinese_count(text: str) -> int:
    """How many Chinese characters ``text`` holds."""
    return len(CJK_CHAR.findall(text))
