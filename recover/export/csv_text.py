"""Text written to CSV files that spreadsheets open: formulas neutralised, numbers kept."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str, is_number: bool) -> str:
    """Neutralise spreadsheet formulas in text cells; amounts (even negative) stay numbers."""
    if not is_number and text.startswith(_FORMULA_START):
        return "'" + text
    return text
