"""Builders of the bad input files the tool must refuse with a clear message."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pikepdf


def empty_file(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def truncated_pdf(folder: Path, good: Path) -> Path:
    path = folder / "truncated.pdf"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def encrypted_pdf(folder: Path, good: Path) -> Path:
    path = folder / "encrypted.pdf"
    with pikepdf.open(good) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret", R=6))
    return path


def png_named_pdf(folder: Path) -> Path:
    path = folder / "really_a_png.pdf"
    path.write_bytes(_png(4, 4))
    return path


def zero_page_pdf(folder: Path) -> Path:
    path = folder / "zero_pages.pdf"
    pdf = pikepdf.new()
    pdf.save(path)
    return path


def huge_png(folder: Path) -> Path:
    """A valid PNG header announcing 30000×30000 px (the pixel data is never reached)."""
    path = folder / "huge.png"
    path.write_bytes(_png(30000, 30000))
    return path


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(min(height, 4)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
