"""`Link` headers (RFC 8288) for list responses: first, prev, next and last pages.

A list producer notes its page (`note_page`) while it builds the envelope; one after-request
hook turns the note into the header, so no body is parsed again and a route that lists
nothing pays one `g` lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, g, request


@dataclass(frozen=True)
class PageNote:
    """What the header needs of a page: its number, size, the total and a cursor if any."""

    page: int
    per_page: int
    total: int
    next_after: str | None = None


def note_page(page: int, per_page: int, total: int, next_after: str | None = None) -> PageNote:
    """Remember the page being answered, for the `Link` header; returns the note."""
    note = PageNote(page, per_page, total, next_after)
    g.page_note = note
    return note


def envelope(items, total: int, page: int, per_page: int) -> dict:
    """The contract's list envelope `{items, total, page, per_page}`, noted for `Link`."""
    note_page(page, per_page, total)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def _url(**changes) -> str:
    args = request.args.copy()
    for name, value in changes.items():
        args.pop(name, None)
        if value is not None:
            args[name] = str(value)
    query = urlencode(list(args.items(multi=True)))
    # Relative to the request (RFC 8288 resolves it against the request URI), so it is right
    # behind a proxy whatever host or scheme the client used.
    return f"{request.path}?{query}" if query else request.path


def link_header(note: PageNote) -> str:
    """The header's value for `note` in the current request."""
    links = []
    if request.args.get("after"):
        # Cursor pages: only forward, from the cursor the body gives.
        if note.next_after:
            links.append((_url(after=note.next_after, page=None), "next"))
    else:
        last = max(1, -(-note.total // note.per_page))
        links.append((_url(page=1), "first"))
        if note.page > 1:
            links.append((_url(page=min(note.page - 1, last)), "prev"))
        if note.page < last:
            links.append((_url(page=note.page + 1), "next"))
        links.append((_url(page=last), "last"))
    return ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links)


def register_link_headers(app: Flask) -> None:
    """Add `Link` to every successful response whose producer noted a page."""

    @app.after_request
    def _links(response):
        note = g.get("page_note")
        if note is not None and response.status_code == 200:
            header = link_header(note)
            if header:
                response.headers["Link"] = header
        return response
