"""Writing an output file so that a reader (or a rerun after a crash) never sees half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from recover.errors import OutputError

_TEMP_PREFIX = "."
_TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{_TEMP_PREFIX}{path.name}.", suffix=_TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            # A full disk must not leave half a file behind, even under a temporary name.
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
        raise OutputError(f"{path}: cannot write output ({exc.strerror or exc})") from None


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporaries a killed run left under ``folder`` (how many).

    A process killed between ``mkstemp`` and ``os.replace`` leaves ``.<name>.<random>.tmp``
    behind; the rerun that resumes the document sweeps them so its outputs equal a clean run's.
    """
    if not folder.is_dir():
        return 0
    removed = 0
    for stale in folder.rglob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}"):
        if stale.is_file():
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
                removed += 1
    return removed
