"""Builders of the bad input files the tool must refuse with a clear message, of files with a
damaged page that must fail alone, and of misnamed files it must still read."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
from PIL import Image


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


def misnamed(folder: Path, content: bytes, name: str) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def png_with_broken_header(folder: Path) -> Path:
    """A PNG whose IHDR checksum is wrong: nothing in it can be trusted."""
    path = folder / "broken_header.png"
    data = bytearray(_png(40, 40))
    data[29] ^= 0xFF  # first byte of the IHDR CRC
    path.write_bytes(bytes(data))
    return path


def png_with_damaged_pixels(folder: Path) -> Path:
    """A PNG whose header is sound and whose compressed pixel data is garbage."""
    path = folder / "damaged_pixels.png"
    path.write_bytes(_png(40, 40, idat=b"\x78\x9c" + b"\x00\x01junk" * 8))
    return path


def tiff_with_damaged_frame(folder: Path, frame: int = 2) -> Path:
    """A 3-frame TIFF whose ``frame`` (1-based) announces no width."""
    path = folder / "three_frames.tif"
    frames = [Image.new("L", (120, 80), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    data = bytearray(buf.getvalue())
    ifd = struct.unpack_from("<I", data, 4)[0]
    for _ in range(frame - 1):
        count = struct.unpack_from("<H", data, ifd)[0]
        ifd = struct.unpack_from("<I", data, ifd + 2 + 12 * count)[0]
    count = struct.unpack_from("<H", data, ifd)[0]
    for entry in range(count):
        at = ifd + 2 + 12 * entry
        if struct.unpack_from("<H", data, at)[0] == 256:  # ImageWidth
            struct.pack_into("<HHI", data, at + 2, 4, 1, 0)
    path.write_bytes(bytes(data))
    return path


def pdf_with_page_box(folder: Path, good: Path, box: list[float], name: str) -> Path:
    """``good`` with a first page whose MediaBox is ``box`` put before its own pages."""
    path = folder / name
    with pikepdf.open(good) as pdf:
        pdf.pages.insert(0, pdf.pages[0])
        pdf.pages[0].obj.MediaBox = pikepdf.Array(box)
        pdf.save(path)
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


def _png(width: int, height: int, idat: bytes | None = None) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(min(height, 4)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows) if idat is None else idat)
        + chunk(b"IEND", b"")
    )
