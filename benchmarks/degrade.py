"""Seeded, reproducible scan degradation of rendered pages.

Strengths mild / medium / harsh combine: skew, blur, noise, JPEG, uneven light, faint and
broken rules, a red seal over the grid on some pages, and a quarter turn on some pages.
Every random choice comes from ``numpy.random.default_rng(seed)``, so the same seed gives
the same pixels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Strength:
    """Parameters of one degradation strength."""

    name: str
    max_skew: float  # degrees
    blur_sigma: float  # at 200 dpi; scaled with resolution
    noise_std: float
    jpeg_quality: int
    light_drop: float  # darkest corner keeps (1 - light_drop) of the light
    rule_gray: int  # rules are lightened to this gray level (0 = untouched)
    rule_break: float  # share of rule length knocked out
    seal_share: float  # share of pages with a red seal
    rotate_share: float  # share of pages turned 90°


STRENGTHS = {
    "mild": Strength("mild", 1.0, 0.4, 3.0, 85, 0.05, 0, 0.0, 0.2, 0.0),
    "medium": Strength("medium", 2.5, 0.7, 6.0, 65, 0.15, 110, 0.03, 0.3, 0.1),
    "harsh": Strength("harsh", 5.0, 1.0, 10.0, 40, 0.30, 170, 0.10, 0.4, 0.2),
}


@dataclass(frozen=True)
class Degraded:
    """A degraded page image and what was done to it."""

    rgb: np.ndarray
    skew: float
    rotated: bool
    sealed: bool
    turned_cw: int = 0  # degrees the page was turned clockwise (0, 90 or 270)


def _rules_mask(gray: np.ndarray, dpi: int) -> np.ndarray:
    ink = (gray < 160).astype(np.uint8) * 255
    length = int(dpi * 0.6)
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return cv2.bitwise_or(h, v)


def _faint_broken_rules(rgb: np.ndarray, dpi: int, s: Strength, rng: np.random.Generator) -> np.ndarray:
    if not s.rule_gray and not s.rule_break:
        return rgb
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    rules = _rules_mask(gray, dpi) > 0
    out = rgb.copy()
    if s.rule_gray:
        out[rules] = np.maximum(out[rules], s.rule_gray)
    if s.rule_break:
        # Knock out short gaps (toner dropouts) until ``rule_break`` of the rule ink is gone.
        ys, xs = np.nonzero(rules)
        gap = max(2, dpi // 40)
        if len(ys):
            gaps = np.zeros(rules.shape, np.uint8)
            target = s.rule_break * len(ys)
            removed = 0
            while removed < target:
                for i in rng.choice(len(ys), size=16):
                    cv2.rectangle(
                        gaps,
                        (int(xs[i]) - gap, int(ys[i]) - gap),
                        (int(xs[i]) + gap, int(ys[i]) + gap),
                        1,
                        -1,
                    )
                removed = int((rules & (gaps > 0)).sum())
            out[(gaps > 0) & rules] = 255
    return out


def _red_seal(rgb: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """A 42 mm round red seal (ring, star, ring text) stamped multiplicatively."""
    h, w = rgb.shape[:2]
    radius = int(21 / 25.4 * dpi)
    cx = int(rng.uniform(0.3, 0.8) * w)
    cy = int(rng.uniform(0.25, 0.75) * h)
    stamp = np.zeros((h, w), np.uint8)
    cv2.circle(stamp, (cx, cy), radius, 255, max(2, dpi // 40))
    star = []
    for k in range(10):
        r = radius * (0.35 if k % 2 == 0 else 0.14)
        a = -np.pi / 2 + k * np.pi / 5
        star.append((int(cx + r * np.cos(a)), int(cy + r * np.sin(a))))
    cv2.fillPoly(stamp, [np.array(star, np.int32)], 255)
    for k in range(14):  # ring "characters" as short thick strokes
        a = np.pi * (0.8 + 1.4 * k / 13)
        x = int(cx + radius * 0.75 * np.cos(a))
        y = int(cy + radius * 0.75 * np.sin(a))
        cv2.rectangle(stamp, (x - dpi // 30, y - dpi // 30), (x + dpi // 30, y + dpi // 30), 255, -1)
    alpha = (stamp.astype(np.float32) / 255.0) * rng.uniform(0.6, 0.85)
    red = np.array([220, 30, 40], np.float32)
    out = rgb.astype(np.float32)
    # Multiply blend: ink under the seal stays dark, paper turns red.
    blended = out * (1 - alpha[..., None]) + (out * red / 255.0) * alpha[..., None]
    stamped: np.ndarray = np.clip(blended, 0, 255).astype(np.uint8)
    return stamped


def degrade(rgb: np.ndarray, dpi: int, strength: str, seed: int) -> Degraded:
    """Apply one strength of scan damage to an RGB page, reproducibly for ``seed``."""
    s = STRENGTHS[strength]
    rng = np.random.default_rng(seed)
    img = _faint_broken_rules(rgb, dpi, s, rng)
    sealed = bool(rng.random() < s.seal_share)
    if sealed:
        img = _red_seal(img, dpi, rng)
    h, w = img.shape[:2]
    # Uneven light: a linear falloff from a random corner.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.choice([-1, 1]), rng.choice([-1, 1])
    ramp = ((xx / w - 0.5) * gx + (yy / h - 0.5) * gy + 1) / 2
    lit: np.ndarray = img.astype(np.float32) * (1 - s.light_drop * ramp[..., None])
    skew = float(rng.uniform(-s.max_skew, s.max_skew))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    lit = cv2.warpAffine(lit, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    sigma = s.blur_sigma * dpi / 200
    if sigma > 0.2:
        lit = cv2.GaussianBlur(lit, (0, 0), sigma)
    lit = lit + rng.normal(0, s.noise_std, lit.shape).astype(np.float32)
    img8: np.ndarray = np.clip(lit, 0, 255).astype(np.uint8)
    rotated = bool(rng.random() < s.rotate_share)
    turned_cw = 0
    if rotated:
        turned_cw = 90 if rng.random() < 0.5 else 270
        img8 = cv2.rotate(
            img8, cv2.ROTATE_90_CLOCKWISE if turned_cw == 90 else cv2.ROTATE_90_COUNTERCLOCKWISE
        )
    buf = io.BytesIO()
    Image.fromarray(img8).save(buf, "JPEG", quality=s.jpeg_quality)
    jpeg = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return Degraded(jpeg, skew, rotated, sealed, turned_cw)


def save_image_pdf(pages: list[np.ndarray], dpi: int, path: str, quality: int = 90) -> None:
    """Write RGB pages as an image-only PDF (one JPEG per page, no text layer)."""
    images = [Image.fromarray(p) for p in pages]
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=quality)
