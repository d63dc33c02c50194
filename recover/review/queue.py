"""The review queue: one SQLite database per output folder (``OUT/review.sqlite``).

Items are the cells a person should look at (flagged, low-confidence, repaired as a lighter
"confirm" item), unmapped header columns and tables whose grid contradicts their content
(built in :mod:`recover.review.items`). Item keys start with the input file's hash, so
re-extracting the same file rebuilds its items and keeps every decision already taken.
Decisions are appended, never overwritten (the latest one for an item counts), each in its
own transaction in WAL mode, so killing the server loses nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from recover.model import Flag

DB_NAME = "review.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    doc TEXT NOT NULL,
    page INTEGER NOT NULL,
    table_no INTEGER NOT NULL,
    row INTEGER NOT NULL,
    col INTEGER NOT NULL,
    kind TEXT NOT NULL,
    doubt REAL NOT NULL,
    printed TEXT NOT NULL,
    suggestions TEXT NOT NULL,
    reason TEXT NOT NULL,
    row_label TEXT NOT NULL,
    code TEXT NOT NULL,
    header_path TEXT NOT NULL,
    crop TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS items_by_doubt ON items (doubt DESC);
CREATE INDEX IF NOT EXISTS items_by_table ON items (sha256, table_no);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    action TEXT NOT NULL,
    text TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_key ON decisions (key, seq);
CREATE TABLE IF NOT EXISTS resolved (
    key TEXT PRIMARY KEY,
    by_key TEXT NOT NULL
);
"""

ACTIONS = ("accept", "correct", "skip")


class ItemKind(StrEnum):
    """What a review item asks of the reviewer."""

    AMOUNT = "amount"  # a flagged amount: is this what is printed?
    TEXT = "text"  # a low-confidence text cell
    HEADER = "header"  # an unmapped column: its canonical id
    CONFIRM = "confirm"  # a repair to confirm
    STRUCTURE = "structure"  # a table whose grid contradicts its content: look at it whole


KIND_AMOUNT, KIND_TEXT, KIND_HEADER, KIND_CONFIRM = (
    ItemKind.AMOUNT,
    ItemKind.TEXT,
    ItemKind.HEADER,
    ItemKind.CONFIRM,
)


@dataclass(frozen=True)
class Item:
    """One thing to review, with everything the page shows about it."""

    key: str
    sha256: str
    doc: str
    page: int
    table_no: int  # 1-based, as in tables/NN.csv
    row: int
    col: int
    kind: ItemKind
    doubt: float
    printed: str
    suggestions: list[dict[str, str]]
    reason: str
    row_label: str
    code: str
    header_path: str
    crop: str  # file name under OUT/<doc>/crops/
    flags: list[Flag] = field(default_factory=list)  # the cell's flags, by kind

    @property
    def across_tables(self) -> bool:
        """Flagged by a rule between tables or against the text: its own totals cannot settle it."""
        return any(f.across_tables for f in self.flags)

    @property
    def suggestion(self) -> str:
        """What Enter accepts: the first suggested reading, else the printed one."""
        return self.suggestions[0]["text"] if self.suggestions else self.printed


@dataclass(frozen=True)
class Decision:
    """The latest decision on an item."""

    key: str
    action: str
    text: str
    reviewer: str
    at: str
    seq: int


def item_key(
    sha256: str, page: int, table_index: int, row: int, col: int, header: bool = False, structure: str = ""
) -> str:
    """Stable key of an item: same file, same cell → same key across re-extractions (a
    table's structure item is keyed by what contradicts: ``structure``)."""
    slot = f"h{col}" if header else f"s-{structure}" if structure else f"r{row}-c{col}"
    return f"{sha256[:16]}-p{page}-t{table_index}-{slot}"


class ReviewQueue:
    """The queue database of one output folder."""

    def __init__(self, out_root: Path) -> None:
        self.path = out_root / DB_NAME
        out_root.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every write below opens its own explicit transaction.
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.executescript(_SCHEMA)
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(items)")}
        if "flags" not in columns:
            # A queue written before items carried their flags: its items are rebuilt on the
            # next extraction; the decisions are kept either way.
            self.conn.execute("ALTER TABLE items ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'")

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def replace_items(self, sha256: str, items: list[Item]) -> None:
        """Rebuild one file's items (decisions stay: they are keyed by item)."""
        with self._write() as db:
            db.execute("DELETE FROM items WHERE sha256 = ?", (sha256,))
            db.executemany(
                "INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        i.key, i.sha256, i.doc, i.page, i.table_no, i.row, i.col, i.kind, i.doubt,
                        i.printed, json.dumps(i.suggestions, ensure_ascii=False), i.reason,
                        i.row_label, i.code, i.header_path, i.crop,
                        json.dumps([f.to_dict() for f in i.flags], ensure_ascii=False),
                    )
                    for i in items
                ],
            )  # fmt: skip

    def decide(self, key: str, action: str, text: str, reviewer: str = "") -> Decision:
        """Record a decision at once (its own committed transaction)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        at = now_iso()
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO decisions (key, action, text, reviewer, at) VALUES (?,?,?,?,?)",
                (key, action, text, reviewer, at),
            )
        return Decision(key, action, text, reviewer, at, int(cur.lastrowid or 0))

    def set_resolved(self, sha256: str, table_no: int, resolved: dict[str, str]) -> None:
        """Replace which items of one table a decision has settled (key → deciding key)."""
        with self._write() as db:
            db.execute(
                "DELETE FROM resolved WHERE key IN (SELECT key FROM items WHERE sha256 = ? AND table_no = ?)",
                (sha256, table_no),
            )
            db.executemany("INSERT OR REPLACE INTO resolved VALUES (?, ?)", list(resolved.items()))

    def item(self, key: str) -> Item | None:
        """One item by key."""
        row = self.conn.execute("SELECT * FROM items WHERE key = ?", (key,)).fetchone()
        return None if row is None else _item(row)

    def items_of_table(self, sha256: str, table_no: int) -> list[Item]:
        """Every item of one table."""
        rows = self.conn.execute(
            "SELECT * FROM items WHERE sha256 = ? AND table_no = ?", (sha256, table_no)
        ).fetchall()
        return [_item(r) for r in rows]

    def decisions(self, sha256: str | None = None) -> dict[str, Decision]:
        """The latest accept/correct decision of each decided item."""
        query = (
            "SELECT d.* FROM decisions d JOIN (SELECT key, MAX(seq) AS seq FROM decisions "
            "WHERE action != 'skip' GROUP BY key) latest ON d.seq = latest.seq"
        )
        rows = self.conn.execute(query).fetchall()
        found = {
            r["key"]: Decision(r["key"], r["action"], r["text"], r["reviewer"], r["at"], r["seq"])
            for r in rows
        }
        if sha256 is not None:
            found = {k: d for k, d in found.items() if k.startswith(sha256[:16])}
        return found

    def resolved(self) -> dict[str, str]:
        """Items settled by a decision on another item (key → deciding key)."""
        return {r["key"]: r["by_key"] for r in self.conn.execute("SELECT * FROM resolved")}

    def next_open(self) -> Item | None:
        """The open item with the largest doubt; skipped items wait behind the others."""
        row = self.conn.execute(
            _OPEN + " ORDER BY COALESCE(s.seq, 0), i.doubt DESC, i.key LIMIT 1"
        ).fetchone()
        return None if row is None else _item(row)

    def previous_decided(self, current: str | None) -> str | None:
        """The item decided just before ``current`` (or the last one decided)."""
        rows = self.conn.execute(
            "SELECT key, MAX(seq) AS seq FROM decisions WHERE action != 'skip' GROUP BY key ORDER BY seq DESC"
        ).fetchall()
        keys = [r["key"] for r in rows]
        if current in keys:
            later = keys.index(current) + 1
            return keys[later] if later < len(keys) else None
        return keys[0] if keys else None

    def counts(self) -> dict[str, int]:
        """Progress: items in all, decided, settled by other decisions, still open."""
        total = self.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        open_ = self.conn.execute("SELECT COUNT(*) FROM (" + _OPEN + ")").fetchone()[0]
        decided = self.conn.execute(
            "SELECT COUNT(DISTINCT d.key) FROM decisions d JOIN items i ON i.key = d.key "
            "WHERE action != 'skip'"
        ).fetchone()[0]
        return {"total": total, "open": open_, "decided": decided, "resolved": total - open_ - decided}


_OPEN = (
    "SELECT i.* FROM items i "
    "LEFT JOIN (SELECT key, MAX(seq) AS seq FROM decisions WHERE action = 'skip' GROUP BY key) s "
    "ON s.key = i.key "
    "WHERE i.key NOT IN (SELECT key FROM decisions WHERE action != 'skip') "
    "AND i.key NOT IN (SELECT key FROM resolved)"
)


def _item(row: sqlite3.Row) -> Item:
    data: dict[str, Any] = dict(row)
    data["suggestions"] = json.loads(data["suggestions"])
    data["kind"] = ItemKind(data["kind"])
    data["flags"] = [Flag.from_dict(f) for f in json.loads(data["flags"])]
    return Item(**data)


def now_iso() -> str:
    """The current time as written into decisions and reviews."""
    return datetime.now(UTC).isoformat(timespec="seconds")
