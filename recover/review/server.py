"""``recover review OUT/``: a local web page that shows one queue item at a time.

Starlette with server-side Jinja2 templates (autoescaped) and a few lines of inline
JavaScript for the keyboard; no build step. Every decision is committed before the reply.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from recover.export.findings import finding_rows
from recover.label.vocabulary import Vocabulary, default_vocabulary
from recover.model import CellStatus, Document, Table, table_proof
from recover.review.crops import CROPS
from recover.review.decisions import apply_to_table, check_correction, export_reviewed, settled_by_totals
from recover.review.queue import Item, ReviewQueue

TOKEN_COOKIE = "recover_token"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+\.png$")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


class ReviewState:
    """What the page works on: the output folder, its queue, and the documents read once."""

    def __init__(self, out_root: Path, unit: str | None = None, vocab: Vocabulary | None = None) -> None:
        self.out_root = out_root.resolve()
        self.queue = ReviewQueue(self.out_root)
        self.unit = unit
        self.vocab = vocab or default_vocabulary()
        self._docs: dict[str, Document] = {}

    def document(self, doc: str) -> Document | None:
        """The recovered document of ``OUT/<doc>/`` (None when there is none)."""
        if doc not in self._docs:
            path = self.out_root / doc / "result.json"
            if not path.is_file() or path.parent.parent != self.out_root:
                return None
            self._docs[doc] = Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
        return self._docs[doc]

    def forget_documents(self) -> None:
        """Drop the documents read so far (after an export rewrote their result.json)."""
        self._docs.clear()

    def reviewed_table(self, doc: str, table_no: int) -> tuple[Table, list[Item]] | None:
        """A copy of a table with every decision on it applied, and its items."""
        document = self.document(doc)
        if document is None or not 1 <= table_no <= len(document.tables):
            return None
        table = copy.deepcopy(document.tables[table_no - 1])
        items = self.queue.items_of_table(document.sha256, table_no)
        apply_to_table(table, items, self.queue.decisions(document.sha256))
        return table, items

    def recheck(self, item: Item) -> None:
        """Re-evaluate the item's table: items the decisions settled leave the queue."""
        found = self.reviewed_table(item.doc, item.table_no)
        if found is None:
            return
        table, items = found
        decided = self.queue.decisions(item.sha256)
        self.queue.set_resolved(item.sha256, item.table_no, settled_by_totals(table, items, decided))


class ReviewPages:
    """The route handlers of the review page, over one :class:`ReviewState` and its templates."""

    def __init__(self, state: ReviewState) -> None:
        self.state = state
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
        )
        self.templates = Jinja2Templates(env=env)

    def routes(self) -> list[Route]:
        """Every page and action, by path."""
        return [
            Route("/", self.home),
            Route("/next", self.next_item),
            Route("/item/{key}", self.item_page),
            Route("/item/{key}/decide", self.decide, methods=["POST"]),
            Route("/back", self.back),
            Route("/table/{doc}/{table_no:int}", self.table_page),
            Route("/findings", self.findings),
            Route("/crops/{doc}/{name}", self.crop),
            Route("/export", self.export, methods=["POST"]),
        ]

    def _page(self, request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
        """A rendered template, with the queue's progress counts."""
        context = {"counts": self.state.queue.counts(), **context}
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def _show_item(self, request: Request, item: Item, error: str = "", status: int = 200) -> Response:
        """The page of one item, with its decision so far and any error in the last one."""
        decision = self.state.queue.decisions(item.sha256).get(item.key)
        resolved_by = self.state.queue.resolved().get(item.key)
        return self._page(
            request,
            "item.html",
            {"item": item, "decision": decision, "resolved_by": resolved_by, "error": error},
            status,
        )

    async def home(self, request: Request) -> Response:
        """``/``: straight to the next open item."""
        return RedirectResponse("/next", status_code=303)

    async def next_item(self, request: Request) -> Response:
        """``/next``: the open item with the largest doubt, else the done page."""
        item = self.state.queue.next_open()
        if item is None:
            return self._page(request, "done.html", {"message": request.query_params.get("message", "")})
        return RedirectResponse(f"/item/{quote(item.key)}", status_code=303)

    async def item_page(self, request: Request) -> Response:
        """``/item/{key}``: one item."""
        item = self.state.queue.item(request.path_params["key"])
        if item is None:
            return PlainTextResponse("no such item", status_code=404)
        return self._show_item(request, item)

    async def decide(self, request: Request) -> Response:
        """``POST /item/{key}/decide``: record accept, correct or skip, then on to the next item."""
        item = self.state.queue.item(request.path_params["key"])
        if item is None:
            return PlainTextResponse("no such item", status_code=404)
        form = await request.form()
        action = str(form.get("action", ""))
        text = str(form.get("text", "")).strip()
        reviewer = str(form.get("reviewer", "")).strip()[:80]
        if action == "accept":
            text = item.suggestion
        elif action == "correct":
            problem = check_correction(item, text, self.state.vocab)
            if problem is not None:
                return self._show_item(request, item, problem, status=400)
        elif action != "skip":
            return PlainTextResponse(f"unknown action {action!r}", status_code=400)
        self.state.queue.decide(item.key, action, text, reviewer)
        if action != "skip":
            self.state.recheck(item)
        return RedirectResponse("/next", status_code=303)

    async def back(self, request: Request) -> Response:
        """``/back``: the item decided before the current one."""
        previous = self.state.queue.previous_decided(request.query_params.get("current"))
        target = f"/item/{quote(previous)}" if previous else "/next"
        return RedirectResponse(target, status_code=303)

    async def table_page(self, request: Request) -> Response:
        """``/table/{doc}/{table_no}``: the whole table with the decisions applied."""
        doc = request.path_params["doc"]
        found = self.state.reviewed_table(doc, int(request.path_params["table_no"]))
        if found is None:
            return PlainTextResponse("no such table", status_code=404)
        table, items = found
        rows = _table_rows(table, items, self.state.queue.resolved())
        proof = table_proof(table)
        context = {"doc": doc, "table": table, "rows": rows, "proof": proof, "flags": table.flags}
        return self._page(request, "table.html", context)

    async def findings(self, request: Request) -> Response:
        """``/findings``: the check findings of every document."""
        docs = []
        for result in sorted(self.state.out_root.glob("*/result.json")):
            doc = self.state.document(result.parent.name)
            if doc is not None:
                docs.append({"name": result.parent.name, "rows": finding_rows(doc)})
        return self._page(request, "findings.html", {"docs": docs})

    async def crop(self, request: Request) -> Response:
        """``/crops/{doc}/{name}``: one crop image of ``OUT/<doc>/crops/``."""
        path = _crop_path(self.state.out_root, request.path_params["doc"], request.path_params["name"])
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, media_type="image/png")

    async def export(self, request: Request) -> Response:
        """``POST /export``: rewrite the outputs with the decisions applied."""
        written = export_reviewed(self.state.out_root, self.state.queue, self.state.unit)
        self.state.forget_documents()
        message = f"exported {len(written)} document(s) with the decisions applied"
        return RedirectResponse(f"/next?message={quote(message)}", status_code=303)


def _table_rows(table: Table, items: list[Item], resolved: dict[str, str]) -> list[list[dict[str, object]]]:
    """The table's cells, row by row, as the table template draws them."""
    by_slot = {(i.row, i.col): i for i in items}
    rows: list[list[dict[str, object]]] = [[] for _ in range(table.n_rows)]
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        item = by_slot.get((cell.row, cell.col))
        mark = cell.status.value
        if item is not None and item.key in resolved:
            mark = "resolved"
        rows[cell.row].append(
            {
                "text": cell.text,
                "rowspan": cell.row_span,
                "colspan": cell.col_span,
                "mark": mark,
                "item": item.key if item is not None else "",
                "reviewed": cell.status is CellStatus.REVIEWED,
            }
        )
    return rows


def _crop_path(out_root: Path, doc: str, name: str) -> Path | None:
    """The crop file ``OUT/<doc>/crops/<name>``, or None unless it is a PNG inside that folder."""
    folder = (out_root / doc / CROPS).resolve()
    path = (folder / name).resolve()
    if (
        not _SAFE_NAME.match(name)
        or folder.parent.parent != out_root
        or not path.is_relative_to(folder)
        or not path.is_file()
    ):
        return None
    return path


def create_app(out_root: Path, token: str | None = None, unit: str | None = None) -> Starlette:
    """The review web app over ``out_root`` (``token``: required on every request when set)."""
    state = ReviewState(out_root, unit)
    middleware = [Middleware(_TokenGate, token=token)] if token else []
    app = Starlette(routes=ReviewPages(state).routes(), middleware=middleware)
    app.state.review = state
    return app


class _TokenGate(BaseHTTPMiddleware):
    """When the page is served beyond this machine, every request needs the access token
    (once in the URL, then from a same-site cookie)."""

    def __init__(self, app: Callable[..., Awaitable[None]], token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        offered = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE, "")
        if not secrets.compare_digest(offered.encode(), self.token.encode()):
            return PlainTextResponse("access token required: open the URL printed by `recover review`", 403)
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        return response


def new_token() -> str:
    """A random access token for a page served beyond 127.0.0.1."""
    return secrets.token_urlsafe(24)
