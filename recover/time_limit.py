"""A per-page time limit: a page that runs past it is stopped with a clear error.

Why a timer signal in the main thread, not a worker process per page: a worker would have to
load the OCR models again (seconds) and receive every page image, and forking after
onnxruntime has started its threads can deadlock; the page, its stages and the engine run
where they are. ``setitimer(ITIMER_REAL)`` delivers SIGALRM, and the handler raises
:class:`PageTimeout` in the running Python code. It derives from ``BaseException`` (like
``KeyboardInterrupt``) so that no ``except Exception`` inside a library swallows it.

What it cannot do: interrupt one call into native code that never returns (Python runs the
handler when the call comes back). Such a hang is left to the process that runs the batch
(a supervisor, ``benchmarks/fuzz.py``'s per-file watchdog); checkpoints let a rerun go on.
Signals reach only the main thread, so a limit asked for elsewhere is refused, not ignored.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from recover.errors import RecoverError

DEFAULT_PAGE_TIMEOUT = 300.0
"""Seconds one page may take; generous: a dense page at 300 dpi takes well under a minute."""


class PageTimeout(BaseException):
    """A page ran past its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"stopped after {seconds:g} s (the per-page time limit); "
            "raise it with --page-timeout, or lower --dpi"
        )
        self.seconds = seconds


def can_limit_time() -> bool:
    """Whether a time limit can be enforced here (POSIX timer signals, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def require_time_limit(seconds: float | None) -> None:
    """Refuse a limit that cannot be enforced in this thread or on this system."""
    if seconds is not None and not can_limit_time():
        raise RecoverError(
            "--page-timeout needs POSIX timer signals and the main thread; "
            "run without a limit (--page-timeout 0) here"
        )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`PageTimeout` in this block after ``seconds`` (None: no limit).

    An outer timer (another limit, a test runner's) is put back afterwards, less the time
    spent here.
    """
    if seconds is None:
        yield
        return
    require_time_limit(seconds)
    active = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if active:
            raise PageTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    outer, outer_interval = 0.0, 0.0
    started = time.monotonic()
    try:
        # Armed inside the try: however early it fires, the handler and timer are put back.
        outer, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        # None: a handler installed from C, which Python cannot put back; the default is.
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if outer > 0:
            # The outer timer keeps its deadline; if it has passed, it fires at once.
            left = max(outer - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
