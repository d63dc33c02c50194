"""Damaged inputs for the fuzz benchmark: seeded, each one rebuilt from (seed, index) alone.

Seeds are small on purpose (a 4 × 2 inch ruled table with a text layer and an embedded
image; its renderings as PNG, JPEG and a 3-frame TIFF) so that what still decodes runs the
whole extraction in well under a second. Mutations: pikepdf object edits (page boxes,
rotation, contents, image dictionaries and data, fonts, the page tree, self-drawing forms,
encryption), byte damage (flips, truncation, inserted junk, zeroed, deleted or repeated
runs), image header edits (zero and huge dimensions, impossible bit depths, with valid
checksums so that the header is believed), and misnamed but intact files.
"""

from __future__ import annotations

import io
import math
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pikepdf
import pypdfium2 as pdfium
from PIL import Image

PDF_SUFFIX = ".pdf"


@dataclass(frozen=True)
class FuzzInput:
    """One generated input: its file name, bytes and what was done to make it."""

    name: str
    data: bytes
    mutation: str


@dataclass(frozen=True)
class Seeds:
    """The intact inputs every mutation starts from."""

    pdf: bytes
    png: bytes
    jpeg: bytes
    tiff: bytes


def _table_content() -> bytes:
    """A 4-row, 3-column ruled table with digits in Helvetica, and an image drawn in a corner."""
    ops = ["0.8 w"]
    xs, ys = [20, 110, 200, 280], [20, 45, 70, 95, 120]
    ops += [f"{xs[0]} {y} m {xs[-1]} {y} l S" for y in ys]
    ops += [f"{x} {ys[0]} m {x} {ys[-1]} l S" for x in xs]
    rows = [
        ("code", "2023", "2024"),
        ("201", "1,234.50", "1,300.00"),
        ("202", "765.50", "700.00"),
        ("total", "2,000.00", "2,000.00"),
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(f"BT /F1 9 Tf {xs[c] + 6} {ys[-1] - 18 - 25 * r} Td ({text}) Tj ET")
    ops.append("q 40 0 0 12 230 126 cm /Im1 Do Q")
    return "\n".join(ops).encode()


@cache
def make_seeds() -> Seeds:
    """Build the seed files (cached: every worker builds them once)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    pixels = bytes((x * 7 + y * 13) % 256 for y in range(12) for x in range(40))
    image = pdf.make_stream(
        zlib.compress(pixels),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=40,
        Height=12,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
        Filter=pikepdf.Name.FlateDecode,
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 288, 144],
        Resources=pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(Im1=pdf.make_indirect(image))
        ),
        Contents=pdf.make_indirect(pikepdf.Stream(pdf, _table_content())),
    )
    pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    pdf_bytes = buf.getvalue()
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        rendered = document[0].render(scale=100 / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return Seeds(
        pdf=pdf_bytes,
        png=_encode(rendered, "PNG"),
        jpeg=_encode(rendered, "JPEG", quality=85),
        tiff=_encode(
            rendered,
            "TIFF",
            compression="tiff_adobe_deflate",
            save_all=True,
            append_images=[rendered.rotate(90, expand=True)] * 2,
        ),
    )


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, dpi=(100, 100), **params)
    return buf.getvalue()


# --- byte damage -------------------------------------------------------------------------

_JUNK_TOKENS = [
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"/Length 99999999",
    b"%%EOF",
    b"xref",
    b"trailer",
    b"\x00" * 64,
    b"\xff" * 64,
    b"IDAT",
    b"\xff\xd9",
    b"\xff\xc0",
]


def damage_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One kind of byte damage, placed at random."""
    kind = rng.choice(
        ["flip", "flips", "truncate", "insert", "junk-token", "zero-run", "delete-run", "repeat"]
    )
    buf = bytearray(data)
    at = rng.randrange(len(buf))
    if kind == "flip":
        buf[at] ^= 1 << rng.randrange(8)
    elif kind == "flips":
        for _ in range(rng.randint(2, 64)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif kind == "truncate":
        del buf[at:]
    elif kind == "insert":
        buf[at:at] = rng.randbytes(rng.randint(1, 256))
    elif kind == "junk-token":
        buf[at:at] = rng.choice(_JUNK_TOKENS)
    elif kind == "zero-run":
        buf[at : at + rng.randint(1, 512)] = bytes(min(len(buf) - at, 512))[: rng.randint(1, 512)]
    elif kind == "delete-run":
        del buf[at : at + rng.randint(1, 512)]
    else:
        end = min(len(buf), at + rng.randint(1, 512))
        buf[end:end] = buf[at:end] * rng.randint(2, 20)
    return bytes(buf), kind


# --- PDF object edits --------------------------------------------------------------------

PdfEdit = Callable[[pikepdf.Pdf, random.Random], None]
_HUGE = [0, -1, 1, 1e-9, 14400, 1e6, 1e30, 2**31, float("nan")]


def _numbers(rng: random.Random, count: int) -> list[float]:
    return [rng.choice(_HUGE) if rng.random() < 0.5 else rng.uniform(-500, 20000) for _ in range(count)]


def _page(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.pages[0].obj


def _image(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return _page(pdf).Resources.XObject.Im1


def _box(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    box = rng.choice(["/MediaBox", "/CropBox"])
    values = _numbers(rng, 4)
    _page(pdf)[box] = pikepdf.Array([v if math.isfinite(v) else 0 for v in values])  # NaN has no PDF form


def _box_junk(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    _page(pdf).MediaBox = rng.choice(
        [pikepdf.Array([pikepdf.Name.a] * 4), pikepdf.Array([0, 0]), pikepdf.String("box"), pikepdf.Array([])]
    )


def _rotate(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    _page(pdf).Rotate = rng.choice([45, -90, 270, 360 * 10**6, 91, 2**31 - 1])


def _contents_junk(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    junk = rng.choice(
        [
            rng.randbytes(rng.randint(1, 2000)),
            b"q " * 5000,
            b"1e30 0 0 1e30 0 0 cm /Im1 Do",
            b"BT /F1 1e20 Tf (x) Tj ET",
            b"/Im1 Do " * 2000,
            b"0 0 m " + b"1 1 l " * 20000 + b"S",
        ]
    )
    _page(pdf).Contents = pdf.make_stream(junk)


def _contents_gone(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    del _page(pdf)["/" + rng.choice(["Contents", "Resources"])]


def _image_dict(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    image = _image(pdf)
    key = rng.choice(["/Width", "/Height", "/BitsPerComponent"])
    image[key] = rng.choice([0, -1, 3, 32, 65535, 2**31 - 1, 10**6])


def _image_filter(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    image = _image(pdf)
    image.Filter = rng.choice(
        [
            pikepdf.Name.DCTDecode,
            pikepdf.Name.JPXDecode,
            pikepdf.Name.CCITTFaxDecode,
            pikepdf.Name.JBIG2Decode,
            pikepdf.Name.LZWDecode,
            pikepdf.Name.Bogus,
        ]
    )


def _image_colorspace(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    _image(pdf).ColorSpace = rng.choice(
        [
            pikepdf.Name.DeviceCMYK,
            pikepdf.Name.Nonsense,
            pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 255, b""]),
        ]
    )


def _image_data(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    image = _image(pdf)
    raw = image.read_raw_bytes()
    image.write(
        raw[: rng.randrange(len(raw))] if rng.random() < 0.5 else rng.randbytes(len(raw)),
        filter=pikepdf.Name.FlateDecode,
    )


def _font(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    font = _page(pdf).Resources.Font
    if rng.random() < 0.5:
        del font["/F1"]
    else:
        font.F1.Subtype = pikepdf.Name.Type3
        font.F1.CharProcs = pikepdf.Dictionary()


def _page_tree(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    root = pdf.Root.Pages
    choice = rng.randrange(3)
    if choice == 0:
        root.Count = rng.choice([0, -5, 10**6])
    elif choice == 1:
        del _page(pdf)["/Type"]
    else:
        root.Kids.append(pikepdf.Dictionary(Type=pikepdf.Name.Page))  # a page with nothing


def _self_drawing_form(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    form = pdf.make_stream(
        b"/Fm1 Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10]
    )
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
    _page(pdf).Resources.XObject.Fm1 = form
    _page(pdf).Contents = pdf.make_stream(b"/Fm1 Do")


def _more_pages(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 3)):
        pdf.pages.append(pdf.pages[0])


PDF_EDITS: dict[str, PdfEdit] = {
    "page-box": _box,
    "page-box-junk": _box_junk,
    "rotate": _rotate,
    "contents-junk": _contents_junk,
    "contents-or-resources-gone": _contents_gone,
    "image-dict": _image_dict,
    "image-filter": _image_filter,
    "image-colorspace": _image_colorspace,
    "image-data": _image_data,
    "font": _font,
    "page-tree": _page_tree,
    "self-drawing-form": _self_drawing_form,
    "more-pages": _more_pages,
}


def edit_pdf(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One pikepdf-level edit (sometimes followed by byte damage), or encryption."""
    name = rng.choice([*PDF_EDITS, "encrypt"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        buf = io.BytesIO()
        if name == "encrypt":
            pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user=rng.choice(["", "secret"]), R=6))
        else:
            PDF_EDITS[name](pdf, rng)
            pdf.save(buf, compress_streams=rng.random() < 0.5)
    out = buf.getvalue()
    if rng.random() < 0.2:
        out, damage = damage_bytes(out, rng)
        name = f"{name}+{damage}"
    return out, name


# --- image header edits --------------------------------------------------------------------

_DIMENSIONS = [
    (0, 100),
    (100, 0),
    (1, 1),
    (1, 60000),
    (60000, 1),
    (30000, 30000),
    (65535, 65535),
    (10801, 10),
]


def png_header(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """IHDR rewritten (dimensions, bit depth, colour type) with a valid CRC."""
    width, height = rng.choice(_DIMENSIONS)
    body = bytearray(data[16:29])
    if rng.random() < 0.7:
        struct.pack_into(">II", body, 0, width, height)
        label = f"png-size-{width}x{height}"
    else:
        body[8], body[9] = rng.choice([1, 2, 4, 8, 16, 7]), rng.choice([0, 2, 3, 4, 6, 5])
        label = f"png-depth-{body[8]}-type-{body[9]}"
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(body)))
    return data[:16] + bytes(body) + crc + data[33:], label


def jpeg_header(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """The frame header's (SOF) dimensions or component count rewritten."""
    at = next(
        (i for i in range(2, len(data) - 9) if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC1, 0xC2)), -1
    )
    buf = bytearray(data)
    width, height = rng.choice(_DIMENSIONS)
    if rng.random() < 0.8:
        struct.pack_into(">HH", buf, at + 5, min(height, 65535), min(width, 65535))
        return bytes(buf), f"jpeg-size-{width}x{height}"
    buf[at + 9] = rng.choice([0, 2, 5, 255])
    return bytes(buf), f"jpeg-components-{buf[at + 9]}"


def tiff_header(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """ImageWidth / ImageLength of one of the frames (IFDs) rewritten."""
    buf = bytearray(data)
    offsets: list[int] = []
    ifd = struct.unpack_from("<I", buf, 4)[0]
    while ifd and ifd + 2 <= len(buf) and len(offsets) < 8:
        offsets.append(ifd)
        count = struct.unpack_from("<H", buf, ifd)[0]
        ifd = struct.unpack_from("<I", buf, ifd + 2 + 12 * count)[0]
    frame = rng.randrange(len(offsets))
    width, height = rng.choice(_DIMENSIONS)
    count = struct.unpack_from("<H", buf, offsets[frame])[0]
    for entry in range(count):
        at = offsets[frame] + 2 + 12 * entry
        tag = struct.unpack_from("<H", buf, at)[0]
        if tag in (256, 257):
            value = width if tag == 256 else height
            struct.pack_into("<HHI", buf, at + 2, 4, 1, value)  # as a LONG
    return bytes(buf), f"tiff-frame{frame + 1}-size-{width}x{height}"


# --- one input per index ------------------------------------------------------------------

_EXT = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "tiff": ".tif"}


def fuzz_input(seed: int, index: int) -> FuzzInput:
    """The ``index``-th input of the run seeded ``seed`` (the same on every machine)."""
    rng = random.Random(f"{seed}:{index}")
    seeds = make_seeds()
    family = rng.choices(
        ["pdf-object", "pdf-bytes", "image-header", "image-bytes", "misnamed", "tiny", "intact"],
        weights=[30, 25, 15, 20, 4, 3, 3],
    )[0]
    fmt = rng.choice(["pdf", "png", "jpeg", "tiff"])
    if family == "pdf-object":
        data, what = edit_pdf(seeds.pdf, rng)
        fmt = "pdf"
    elif family == "pdf-bytes":
        data, what = damage_bytes(seeds.pdf, rng)
        fmt = "pdf"
    elif family == "image-header":
        fmt = rng.choice(["png", "jpeg", "tiff"])
        edit = {"png": png_header, "jpeg": jpeg_header, "tiff": tiff_header}[fmt]
        data, what = edit(getattr(seeds, fmt), rng)
    elif family == "image-bytes":
        fmt = rng.choice(["png", "jpeg", "tiff"])
        data, what = damage_bytes(getattr(seeds, fmt), rng)
    elif family == "misnamed":
        data, what = getattr(seeds, fmt), "misnamed"
        fmt = rng.choice([f for f in _EXT if f != fmt])
    elif family == "tiny":
        data = rng.choice(
            [
                b"",
                b"%PDF",
                b"%PDF-1.7\n",
                b"\x89PNG\r\n\x1a\n",
                b"\xff\xd8\xff",
                b"II*\x00",
                b"MM\x00*\x00\x00\x00\x08",
                rng.randbytes(rng.randint(1, 64)),
            ]
        )
        what = f"{len(data)} bytes"
    else:
        data, what = getattr(seeds, fmt), "intact"
    return FuzzInput(f"{index:05d}{_EXT[fmt]}", data, f"{family}: {what}")
