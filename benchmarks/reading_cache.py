"""A disk cache of an engine's line readings, for benchmark reruns (never used by ``recover``).

    reader = CachedReader(RapidOcrEngine(), Path("bench_out/readings.sqlite"))

A crop is keyed by its pixels (shape, dtype and bytes) and the reading kind (plain or
digits-only), so a rerun after a change to grids or checks re-reads only the crops that
changed. The readings are the engine's own: a cached answer equals what the engine gave for
exactly those pixels. SQLite in WAL mode, so several benchmark runs may share one file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from recover.read.ocr.engine import LineReading, LineRecognizer

Recognize = Callable[[Sequence[np.ndarray]], list[LineReading]]


def crop_key(kind: str, crop: np.ndarray) -> str:
    """The cache key of one crop read one way."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{kind}|{crop.shape}|{crop.dtype}|".encode())
    digest.update(np.ascontiguousarray(crop).tobytes())
    return digest.hexdigest()


class CachedReader:
    """Wraps an engine; readings of crops seen before come from ``path``."""

    def __init__(self, inner: LineRecognizer, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.digits_only = inner.digits_only
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS reading (key TEXT PRIMARY KEY, text TEXT, score REAL)")
        self.hits = self.misses = 0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Readings, from the cache where the crop was read before."""
        return self._cached(f"{self.name}:text", self.inner.recognize, crops)

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Digits-only readings, from the cache where the crop was read so before."""
        return self._cached(f"{self.name}:digits", self.inner.recognize_digits, crops)

    def _cached(self, kind: str, recognize: Recognize, crops: Sequence[np.ndarray]) -> list[LineReading]:
        keys = [crop_key(kind, c) for c in crops]
        found: dict[str, LineReading] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, text, score FROM reading WHERE key IN ({marks})", chunk)
            found.update({key: LineReading(text, score) for key, text, score in rows})
        missing = [i for i, key in enumerate(keys) if key not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            readings = recognize([crops[i] for i in missing])
            fresh = {keys[i]: r for i, r in zip(missing, readings, strict=True)}
            self._db.executemany(
                "INSERT OR REPLACE INTO reading VALUES (?, ?, ?)",
                [(key, r.text, float(r.score)) for key, r in fresh.items()],
            )
            self._db.commit()
            found.update(fresh)
        return [found[key] for key in keys]
