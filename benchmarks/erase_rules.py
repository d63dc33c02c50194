"""Make rule-less digital tables: the cn_budget PDFs with their vertical (or all) rules erased.

    python -m benchmarks.erase_rules OUT_DIR [--all]

Each page's content stream is rewritten with pikepdf: a stroked segment or a thin filled
rectangle that is vertical on the page (after the current transformation matrix) is dropped;
a stroked rectangle keeps only its horizontal edges. ``--all`` drops horizontal rules too
(borderless tables). Text, clipping paths and cell shading are kept untouched, so the text
layer and the ground truth stay exactly those of the original.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import pikepdf

from benchmarks.run import EVAL

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
_STROKE = {"S", "s", "B", "B*", "b", "b*"}
_THIN = 3.0  # points: a filled rectangle this narrow is a drawn rule, not shading


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2)  # fmt: skip


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _is_rule(p: Point, q: Point, drop_all: bool) -> bool:
    dx, dy = abs(p[0] - q[0]), abs(p[1] - q[1])
    return drop_all or dy > dx


def _segments_kept(points: list[Point], ctm: Matrix, drop_all: bool) -> list[tuple[Point, Point]]:
    kept = []
    for p, q in itertools.pairwise(points):
        if not _is_rule(_apply(ctm, *p), _apply(ctm, *q), drop_all):
            kept.append((p, q))
    return kept


Instruction = tuple[list[object], "str | pikepdf.Operator"]


def _rewrite_path(path: list[Instruction], paint: str, ctm: Matrix, drop_all: bool) -> list[Instruction]:
    """The path's operators with vertical rules removed (or the path unchanged)."""
    ops = [op for _, op in path]
    if paint == "n" or any(op in ("c", "v", "y") for op in ops):
        return path  # clipping paths and curves are no rules
    out: list[Instruction] = []
    points: list[Point] = []
    for operands, op in [*path, ([], "end")]:
        if op in ("m", "re", "end") and len(points) > 1:
            for p, q in _segments_kept(points, ctm, drop_all):
                out += [([p[0], p[1]], pikepdf.Operator("m")), ([q[0], q[1]], pikepdf.Operator("l"))]
            points = []
        if op == "m":
            points = [(float(operands[0]), float(operands[1]))]  # type: ignore[arg-type]
        elif op == "l":
            points.append((float(operands[0]), float(operands[1])))  # type: ignore[arg-type]
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)  # type: ignore[arg-type]
            corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
            if paint in _STROKE:
                points = corners
                continue
            dev = [_apply(ctm, *c) for c in corners]
            width = abs(dev[1][0] - dev[0][0]) + abs(dev[1][1] - dev[0][1])
            height = abs(dev[2][0] - dev[1][0]) + abs(dev[2][1] - dev[1][1])
            thin = min(width, height) <= _THIN
            vertical = height > width
            if not (thin and (drop_all or vertical)):
                out.append((operands, pikepdf.Operator("re")))
        elif op == "h" and points:
            points.append(points[0])
    if not out:
        return []
    fill_only = paint in ("f", "F", "f*")
    stroke_op = "S" if paint in _STROKE else paint
    return [*out, ([], pikepdf.Operator(paint if fill_only else stroke_op))]


def erase_page(pdf: pikepdf.Pdf, page: pikepdf.Page, drop_all: bool) -> None:
    """Rewrite one page's content stream without its vertical (or all) rules."""
    stack: list[Matrix] = []
    ctm = _IDENTITY
    path: list[Instruction] = []
    out: list[Instruction] = []
    for operands, operator in pikepdf.parse_content_stream(page):  # type: ignore[misc]
        op = str(operator)
        if op in ("m", "l", "c", "v", "y", "h", "re"):
            path.append((list(operands), op))
            continue
        if op in ("W", "W*"):
            out += [(o, pikepdf.Operator(str(p))) for o, p in path]
            path = [([], "clip")]
            out.append((operands, operator))
            continue
        if op in _PAINT:
            if path and path[0][1] == "clip":
                out.append((operands, operator))  # the clip's own end
            else:
                rewritten = _rewrite_path(path, op, ctm, drop_all)
                out += [(o, pikepdf.Operator(p) if isinstance(p, str) else p) for o, p in rewritten]
                if rewritten is path:
                    out.append((operands, operator))
            path = []
            continue
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else _IDENTITY
        elif op == "cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        out.append((operands, operator))
    instructions = [(operands, pikepdf.Operator(str(op))) for operands, op in out]
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))  # type: ignore[arg-type]


def main() -> None:
    """Write every cn_budget PDF with its rules erased into OUT_DIR."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--all", action="store_true", help="erase horizontal rules too (borderless)")
    args = ap.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for src in sorted((EVAL / "cn_budget" / "pdf").glob("*.pdf")):
        with pikepdf.open(src) as pdf:
            for page in pdf.pages:
                erase_page(pdf, page, args.all)
            pdf.save(args.out_dir / src.name)
        print(args.out_dir / src.name)


if __name__ == "__main__":
    main()
