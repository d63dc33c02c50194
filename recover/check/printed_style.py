"""How a table prints its amounts: the decimals most of them carry."""

from __future__ import annotations

from recover.read.amounts import parse_amount


def printed_decimals_of(text: str) -> int:
    """Decimals a reading prints ("1,234.50" → 2)."""
    return len(text.split(".")[1]) if "." in text else 0


def decimals_style_of(texts: list[str], share: float = 0.95) -> int | None:
    """The number of decimals the table prints amounts with, when (nearly) all agree."""
    amounts = [t for t in texts if parse_amount(t) is not None]
    if len(amounts) < 5:
        return None
    counts: dict[int, int] = {}
    for t in amounts:
        counts[printed_decimals_of(t)] = counts.get(printed_decimals_of(t), 0) + 1
    places, n = max(counts.items(), key=lambda kv: kv[1])
    return places if n >= share * len(amounts) else None
