"""The review queue and its web API: items, decisions, re-checks, export, safety.

The output folder comes from a real extraction of a sample page whose OCR misreads two
amounts (one the checks repair, one they cannot read as a number).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES
from misreading_reader import MisreadingReader
from starlette.testclient import TestClient

from recover.extract import extract_file
from recover.model import Document, DocumentRule
from recover.pipeline import ExtractOptions
from recover.review.build import build_queue
from recover.review.queue import Item, ReviewQueue
from recover.review.server import TOKEN_COOKIE, create_app

SAMPLE = SAMPLES / "wanli_2024_budget_p10-12.pdf"
MISREADINGS = {"257,700": ("257,100", 0.62), "1,106,000": ("1,106,0", 0.55)}
UNREADABLE = "-p2-t0-r10-c4"  # the "1,106,0" cell: 合计 of 宣传事务
REPAIRED = "-p2-t0-r4-c4"  # the "257,100" cell, repaired to 257,700


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory, reader) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("review") / "out"
    extract_file(SAMPLE, out, MisreadingReader(reader, MISREADINGS), ExtractOptions(dpi=200, pages={2}))
    return out


@pytest.fixture
def out(extracted: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(extracted, copy)
    return copy


def _items(out: Path) -> dict[str, Item]:
    queue = ReviewQueue(out)
    try:
        rows = queue.conn.execute("SELECT key FROM items").fetchall()
        return {r["key"][16:]: item for r in rows if (item := queue.item(r["key"])) is not None}
    finally:
        queue.close()


def _csv(out: Path) -> list[list[str]]:
    text = (out / SAMPLE.stem / "tables" / "01.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(text.splitlines()))


def test_items_carry_crop_context_candidates_and_reason(out: Path) -> None:
    items = _items(out)
    unreadable, repaired = items[UNREADABLE], items[REPAIRED]
    assert unreadable.kind == "amount" and unreadable.printed == "1,106,0"
    assert "does not read as a number" in unreadable.reason
    assert unreadable.code == "20133" and unreadable.row_label == "宣传事务"
    assert "total" in unreadable.header_path and "合计" in unreadable.header_path
    assert repaired.kind == "confirm" and repaired.suggestion == "257,700"
    assert "makes" in repaired.suggestions[0]["reason"] and "hold" in repaired.suggestions[0]["reason"]
    for item in (unreadable, repaired):
        assert (out / SAMPLE.stem / "crops" / item.crop).stat().st_size > 1000
    # Largest doubt first: the unreadable total before the repair to confirm.
    assert unreadable.doubt > repaired.doubt


def test_correction_settles_the_items_its_totals_prove(out: Path) -> None:
    client = TestClient(create_app(out))
    first = client.get("/next", follow_redirects=False).headers["location"]
    assert first.endswith(UNREADABLE)
    before = ReviewQueue(out).counts()
    reply = client.post(
        f"{first}/decide", data={"action": "correct", "text": "1,106,000"}, follow_redirects=False
    )
    assert reply.status_code == 303
    after = ReviewQueue(out).counts()
    # The row's other cells and the 款 row above were never items: a total that cannot be
    # evaluated flags only the cell that did not read.
    assert not any(key.endswith("-p2-t0-r10-c5") for key in _items(out))
    assert after["decided"] == 1
    assert after["open"] == before["open"] - 1 - after["resolved"]
    assert client.get("/next", follow_redirects=False).headers["location"].endswith(REPAIRED)


def test_bad_correction_is_refused_with_a_reason(out: Path) -> None:
    client = TestClient(create_app(out))
    key = next(
        k for k in ReviewQueue(out).conn.execute("SELECT key FROM items") if k[0].endswith(UNREADABLE)
    )[0]
    reply = client.post(f"/item/{key}/decide", data={"action": "correct", "text": "12x4"})
    assert reply.status_code == 400 and "is not an amount" in reply.text
    assert ReviewQueue(out).counts()["decided"] == 0


def test_reextraction_of_the_same_file_keeps_decisions(out: Path) -> None:
    queue = ReviewQueue(out)
    key = next(r["key"] for r in queue.conn.execute("SELECT key FROM items") if r["key"].endswith(UNREADABLE))
    queue.decide(key, "correct", "1,106,000", "tester")
    doc_dir = out / SAMPLE.stem
    doc = Document.from_dict(json.loads((doc_dir / "result.json").read_text(encoding="utf-8")))
    build_queue(out, doc_dir, doc)  # what a rerun of `recover extract` does at its end
    again = ReviewQueue(out)
    assert again.decisions()[key].text == "1,106,000"
    assert again.counts()["decided"] == 1  # re-checked with the kept decision


def test_export_applies_decisions_and_marks_them_reviewed(out: Path) -> None:
    client = TestClient(create_app(out))
    assert _csv(out)[10][4] == "1,106,0"
    item = client.get("/next", follow_redirects=False).headers["location"]
    client.post(f"{item}/decide", data={"action": "correct", "text": "1,106,000", "reviewer": "ann"})
    item = client.get("/next", follow_redirects=False).headers["location"]
    client.post(f"{item}/decide", data={"action": "accept"})
    client.post("/export")
    assert _csv(out)[10][4] == "1,106,000"
    result = json.loads((out / SAMPLE.stem / "result.json").read_text(encoding="utf-8"))
    cells = {(c["row"], c["col"]): c for c in result["pages"][0]["tables"][0]["cells"]}
    assert cells[(10, 4)]["status"] == "reviewed" and cells[(10, 4)]["review"]["reviewer"] == "ann"
    assert cells[(10, 4)]["review"]["printed"] == "1,106,0"
    assert cells[(4, 4)]["status"] == "reviewed" and cells[(4, 4)]["text"] == "257,700"
    assert cells[(10, 5)]["status"] == "proven"  # the corrected total's rule holds: it proves the row


def test_crops_are_served_only_from_the_output_folder(out: Path) -> None:
    client = TestClient(create_app(out))
    item = next(iter(_items(out).values()))
    assert client.get(f"/crops/{SAMPLE.stem}/{item.crop}").status_code == 200
    for bad in ("../result.json", "..%2Fresult.json", "%2e%2e%2f%2e%2e%2freview.sqlite", "x.png"):
        assert client.get(f"/crops/{SAMPLE.stem}/{bad}").status_code == 404
    assert client.get(f"/crops/..%2F..%2Fetc/{item.crop}").status_code == 404


def test_cell_text_is_escaped_in_the_page(out: Path) -> None:
    queue = ReviewQueue(out)
    key = next(r["key"] for r in queue.conn.execute("SELECT key FROM items"))
    queue.conn.execute("UPDATE items SET printed = ? WHERE key = ?", ("<script>alert(1)</script>", key))
    page = TestClient(create_app(out)).get(f"/item/{key}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_token_is_required_when_served_beyond_this_machine(out: Path) -> None:
    client = TestClient(create_app(out, token="s3cret"))
    assert client.get("/next", follow_redirects=False).status_code == 403
    assert client.get("/next?token=wrong", follow_redirects=False).status_code == 403
    reply = client.get("/next?token=s3cret", follow_redirects=False)
    assert reply.status_code == 303 and TOKEN_COOKIE in reply.cookies
    assert client.get("/next", follow_redirects=False).status_code == 303  # cookie from now on


def test_skip_sends_an_item_behind_the_others_and_back_returns(out: Path) -> None:
    client = TestClient(create_app(out))
    first = client.get("/next", follow_redirects=False).headers["location"]
    client.post(f"{first}/decide", data={"action": "skip"})
    second = client.get("/next", follow_redirects=False).headers["location"]
    assert second != first
    client.post(f"{second}/decide", data={"action": "accept"})
    back = client.get(f"/back?current={first.rsplit('/', 1)[1]}", follow_redirects=False)
    assert back.headers["location"] == second


def test_findings_page_lists_the_filings_own_problems_escaped(out: Path) -> None:
    from recover.model import DocumentChecks

    path = out / SAMPLE.stem / "result.json"
    doc = Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
    text_term = {"form": "text", "label": "本年支出合计<script>x()</script>", "page": 9, "text": "1.00"}
    table_term = {
        "form": "revenue_summary",
        "label": "合计",
        "page": 2,
        "table": 1,
        "row": 3,
        "col": 4,
        "text": "2.00",
    }
    doc.checks = DocumentChecks(
        publication="部门预算",
        rules=[
            DocumentRule.from_dict(
                {
                    "rule": "statement:本年支出合计",
                    "kind": "statement",
                    "says": "the text states 1.00万元",
                    "status": "source inconsistency",
                    "left": [text_term],
                    "right": [table_term],
                }
            )
        ],
        missing_forms=["支出预算总表"],
    )
    path.write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
    reply = TestClient(create_app(out)).get("/findings")
    assert reply.status_code == 200
    assert "支出预算总表" in reply.text and "the text states 1.00万元" in reply.text
    assert "<script>x()" not in reply.text and "&lt;script&gt;" in reply.text
    assert f'href="/table/{SAMPLE.stem}/1"' in reply.text  # the table the text contradicts
