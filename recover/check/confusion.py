"""The OCR digit-confusion model (``recover/data/digit_confusion.yaml``) and the readings it allows.

``alternatives(reading)`` lists every amount the printed cell could hold if the recogniser
made one of the modelled mistakes, each with the explanation and its cost. It proposes;
only arithmetic decides (see :mod:`recover.check.repair`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from recover.data import load_yaml, model_text
from recover.read.amounts import parse_amount


@dataclass(frozen=True)
class Alternative:
    """A value the printed amount may really be, and the misreading that explains it."""

    value: Decimal
    text: str
    explanation: str
    cost: float


@dataclass(frozen=True)
class ConfusionModel:
    """Parameters of the one-edit misreadings considered."""

    substitutions: dict[str, list[tuple[str, float]]]
    dropped_digit: float
    inserted_digit: float
    point_dropped: float
    point_moved: float
    point_inserted: float
    separator_as_point: float
    stray_mark: float = 1.0

    @classmethod
    def load(cls, path: Path | None = None) -> ConfusionModel:
        """Read the YAML model (``RECOVER_CONFUSION_MODEL`` overrides the default path)."""
        data = load_yaml(model_text("digit_confusion.yaml", "RECOVER_CONFUSION_MODEL", path))
        subs: dict[str, list[tuple[str, float]]] = {}
        for a, b, cost in data.get("substitutions", []):
            subs.setdefault(str(a), []).append((str(b), float(cost)))
            subs.setdefault(str(b), []).append((str(a), float(cost)))
        point = data.get("decimal_point", {})
        return cls(
            substitutions=subs,
            dropped_digit=float(data.get("dropped_digit", {}).get("cost", 2.0)),
            inserted_digit=float(data.get("inserted_digit", {}).get("cost", 2.5)),
            point_dropped=float(point.get("dropped_cost", 1.5)),
            point_moved=float(point.get("moved_cost", 2.0)),
            point_inserted=float(point.get("inserted_cost", 2.5)),
            separator_as_point=float(data.get("separator_as_point", {}).get("cost", 1.0)),
            stray_mark=float(data.get("stray_mark", {}).get("cost", 1.0)),
        )


@lru_cache(maxsize=4)
def default_model() -> ConfusionModel:
    """The model shipped in ``recover/data/`` (read once)."""
    return ConfusionModel.load()


_NUMERIC = re.compile(r"^-?[\d.,]+$")
_DIGIT_LOOKALIKES = set("OoDQlIi|SsBZzg")


def looks_like_amount(text: str) -> bool:
    """A reading that is, or may be a damaged, amount: mostly digits, with separators
    and only the letters a recogniser mistakes for digits (O for 0, l for 1, S for 5 …)."""
    body = text.replace(" ", "")
    digits = sum(ch.isdigit() for ch in body)
    if not digits or any(not (ch.isdigit() or ch in ",.-" or ch in _DIGIT_LOOKALIKES) for ch in body):
        return False
    return digits >= 2 * sum(ch in _DIGIT_LOOKALIKES for ch in body)


def _format(digits: str, decimals: int, grouped: bool, negative: bool) -> str | None:
    """Printed form of a digit string with ``decimals`` fractional digits."""
    if not digits or decimals >= len(digits) + 1:
        return None
    whole, frac = (digits[:-decimals], digits[-decimals:]) if decimals else (digits, "")
    whole = whole.lstrip("0") or "0"
    if grouped:
        whole = f"{int(whole):,}"
    text = whole + (f".{frac}" if frac else "")
    return ("-" if negative else "") + text


def _value(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_amount(text)
    except InvalidOperation:
        return None


# A candidate reading: its printed form (None when it has none), the misreading that
# explains it, and that misreading's cost.
_Candidate = tuple[str | None, str, float]


@dataclass(frozen=True)
class _Reading:
    """A numeric reading taken apart: its digits, decimals, sign and grouping."""

    digits: str
    decimals: int
    grouped: bool
    negative: bool

    def printed(self, digits: str, decimals: int) -> str | None:
        """``digits`` printed the way this reading prints (sign, separators)."""
        return _format(digits, decimals, self.grouped, self.negative)


def alternatives(
    reading: str, model: ConfusionModel | None = None, grouped_style: bool = False
) -> list[Alternative]:
    """Every amount one modelled misreading away from ``reading`` (the reading excluded).

    ``grouped_style``: the table prints thousands separators, so candidates do too.
    """
    model = model or default_model()
    text = reading.strip()
    stray = _stray_marks(text, model)
    if not _NUMERIC.match(text) or not any(ch.isdigit() for ch in text):
        # Letters in the reading: only the amount between stray marks, else a re-read.
        return _cheapest_first(None, stray)
    negative = text.startswith("-")
    body = text.lstrip("-")
    candidates = stray + list(_separators_as_points(body, negative, model))
    clean = body.replace(",", "")
    if clean.count(".") <= 1:
        parsed = _Reading(
            digits=clean.replace(".", ""),
            decimals=len(clean) - clean.index(".") - 1 if "." in clean else 0,
            grouped="," in body or grouped_style,
            negative=negative,
        )
        candidates += _substituted_digits(parsed, model)
        candidates += _dropped_digits(parsed, model)
        candidates += _inserted_digits(parsed, model)
        candidates += _decimal_point_misread(parsed, model)
    return _cheapest_first(parse_amount(text), candidates)


def _cheapest_first(current: Decimal | None, candidates: list[_Candidate]) -> list[Alternative]:
    """The candidates that parse to another value than ``current``, each printed form once
    at its cheapest explanation (the first one on a tie), cheapest first."""
    # Keyed by printed form: "300.00" and "300.000" are the same value but only one may
    # match how the table prints its amounts.
    found: dict[str, Alternative] = {}
    for candidate, explanation, cost in candidates:
        value = _value(candidate)
        if value is None or candidate is None or (current is not None and value == current):
            continue
        old = found.get(candidate)
        if old is None or cost < old.cost:
            found[candidate] = Alternative(value, candidate, explanation, cost)
    return sorted(found.values(), key=lambda a: a.cost)


_STRAY = re.compile(r"(\D*?)(\d(?:[\d.,:;]*\d)?)(\D*)")
_POINT_AS_MARK = re.compile(r"[:;](?=\d{1,3}$)")
_POINT_AS_COMMA = re.compile(r",(?=\d{1,2}$)")
_MAX_MARKS = 2


def damaged_reading(text: str) -> str | None:
    """The amount a reading damaged around or inside its digits prints: a stray mark beside
    it ("•930.42", "8.73日", ".105.00=", "175.00 I"), its decimal point read as a colon
    ("45:72") or a comma ("246,46"), its thousands separators as points ("1.359.91"); None
    when the reading holds no such amount with decimals, or is one."""
    body = text.replace(" ", "")
    found = _STRAY.fullmatch(body)
    # A mark or two beside the digits, not words ("205教育支出" is a code and its name).
    if found is None or len(found.group(1)) + len(found.group(3)) > _MAX_MARKS:
        return None
    core = _POINT_AS_COMMA.sub(".", _POINT_AS_MARK.sub(".", found.group(2)))
    if core.count(".") >= 2 and "," not in core:  # thousands separators read as points
        whole, _, fraction = core.rpartition(".")
        core = whole.replace(".", ",") + "." + fraction
    if core == body or "." not in core or parse_amount(core) is None:
        return None
    return core


def may_be_amount(text: str) -> bool:
    """An amount, a damaged one (:func:`looks_like_amount`), or one between stray marks."""
    return looks_like_amount(text) or damaged_reading(text) is not None


def _stray_marks(text: str, model: ConfusionModel) -> list[_Candidate]:
    """The amount between stray marks (a speck, a seal's edge, a rule's stub read as "•",
    "日", "-" or "."), or with its point read as ":" or ","."""
    core = damaged_reading(text)
    if core is None:
        return []
    return [(core, "stray marks or a misread point around the digits", model.stray_mark)]


def _separators_as_points(body: str, negative: bool, model: ConfusionModel) -> Iterator[_Candidate]:
    """Thousands separators read as points ("2.389.43") or swapped ("2.389,43")."""
    if not (body.count(".") >= 2 or ("." in body and "," in body and body.rfind(",") > body.rfind("."))):
        return
    parts = re.split(r"[.,]", body)
    last = parts[-1]
    head = "".join(parts[:-1])
    explanation = "thousands separators read as points"
    if len(last) == 3 and all(len(p) == 3 for p in parts[1:-1]):
        yield _format(head + last, 0, True, negative), explanation, model.separator_as_point
    yield _format(head + last, len(last), True, negative), explanation, model.separator_as_point


def _substituted_digits(reading: _Reading, model: ConfusionModel) -> Iterator[_Candidate]:
    """One digit read as a look-alike digit."""
    digits = reading.digits
    for i, ch in enumerate(digits):
        for other, cost in model.substitutions.get(ch, []):
            changed = digits[:i] + other + digits[i + 1 :]
            yield reading.printed(changed, reading.decimals), f"printed {other} read as {ch}", cost


def _shifts(reading: _Reading) -> tuple[int, ...]:
    """A digit dropped from or added to the fraction changes the number of decimals too."""
    return (0, 1) if reading.decimals else (0,)


def _dropped_digits(reading: _Reading, model: ConfusionModel) -> Iterator[_Candidate]:
    """A printed digit missing from the reading."""
    digits = reading.digits
    for i in range(len(digits) + 1):
        for d in "0123456789":
            grown = digits[:i] + d + digits[i:]
            for shift in _shifts(reading):
                grown_text = reading.printed(grown, reading.decimals + shift)
                yield grown_text, f"printed digit {d} missing from the reading", model.dropped_digit


def _inserted_digits(reading: _Reading, model: ConfusionModel) -> Iterator[_Candidate]:
    """A stray digit in the reading (a one-digit reading keeps its digit)."""
    digits = reading.digits
    if len(digits) <= 1:
        return
    for i in range(len(digits)):
        shrunk = digits[:i] + digits[i + 1 :]
        for shift in _shifts(reading):
            shrunk_text = reading.printed(shrunk, reading.decimals - shift)
            yield shrunk_text, f"stray {digits[i]} in the reading", model.inserted_digit


def _decimal_point_misread(reading: _Reading, model: ConfusionModel) -> Iterator[_Candidate]:
    """A decimal point stray, moved, or missing from the reading."""
    digits, decimals = reading.digits, reading.decimals
    if decimals:
        yield reading.printed(digits, 0), "stray decimal point in the reading", model.point_inserted
        for places in (1, 2, 3):
            if places != decimals:
                yield reading.printed(digits, places), "decimal point moved", model.point_moved
    else:
        for places in (1, 2):
            yield (
                reading.printed(digits, places),
                "printed decimal point missing from the reading",
                model.point_dropped,
            )
