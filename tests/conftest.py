"""Shared fixtures: paths to samples and evaluation data, and one OCR engine per session."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EVAL = ROOT.parent / "shared" / "evaldata"


@pytest.fixture(scope="session")
def reader():  # type: ignore[no-untyped-def]
    """The default OCR engine (loaded once: model start-up is the slow part)."""
    from recover.read.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine()


def need_eval() -> None:
    """Skip when ../shared/evaldata is not beside the checkout."""
    if not EVAL.is_dir():
        pytest.skip("../shared/evaldata not present")


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every socket connection fail; returns the list the attempts are recorded in."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts
