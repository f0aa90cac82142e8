"""iCalendar (RFC 5545) files built with the `icalendar` library.

Domains describe what goes in a calendar as `Entry` values; this module only renders them,
so a feed mixing events, competitions and exam sittings is one function call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Response
from icalendar import Calendar, Event

PRODID = "-//CBEC Alliance//cbec-alliance//ZH"
DOMAIN = "cbec-alliance"


@dataclass(frozen=True)
class Entry:
    """One calendar item. `starts` is a date for all-day items (an exam day), else an aware
    datetime; `ends` may be None for an all-day item (one day)."""

    uid: str
    summary: str
    starts: dt.date | dt.datetime
    ends: dt.date | dt.datetime | None = None
    location: str | None = None
    description: str | None = None
    url: str | None = None
    cancelled: bool = False
    updated: dt.datetime | None = None


def render(entries: list[Entry], name: str) -> bytes:
    """A VCALENDAR with one VEVENT per entry (UTF-8: Chinese titles stay as they are)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.starts)
        if entry.ends is not None:
            event.add("dtend", entry.ends)
        elif not isinstance(entry.starts, dt.datetime):
            event.add("dtend", entry.starts + dt.timedelta(days=1))
        for key, value in (
            ("location", entry.location),
            ("description", entry.description),
            ("url", entry.url),
        ):
            if value:
                event.add(key, value)
        if entry.updated is not None:
            event.add("last-modified", entry.updated)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def ics_response(entries: list[Entry], name: str, filename: str | None = None) -> Response:
    """`text/calendar`; an attachment named `filename` when given (a download), else inline
    (a feed a calendar program subscribes to)."""
    headers = {"Cache-Control": "private, max-age=300"}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(
        render(entries, name), content_type="text/calendar; charset=utf-8", headers=headers
    )
