"""Webhook documentation, generated from the catalogue: the envelope, and per event type who
can receive it and the fields of its `data`.

`python -m cbec_alliance.notifications.docs > docs/webhooks.md` writes the reference; a test
fails while the file differs from what the catalogue says.
"""

from __future__ import annotations

import json
import sys

# The envelope of every delivery: field -> meaning.
ENVELOPE_FIELDS = {
    "id": "the delivery's id (UUID), also sent as `X-Alliance-Delivery`: the same on every "
    "retry, so a receiver can drop duplicates",
    "type": "the event type, also sent as `X-Alliance-Event`",
    "occurred_at": "when the event happened (ISO 8601, UTC)",
    "organization_id": "the receiving organization (the webhook's)",
    "data": "the event's payload: its fields per event type are listed by "
    "`GET /api/v1/webhooks/events` and in `docs/webhooks.md`",
    "event_id": "the event: the deliveries of one event to several organizations share it",
    "created_at": "the same as `occurred_at` (kept for receivers written before it)",
}

ENVELOPE_MARKDOWN = (
    """\
### Webhooks

An organization's admins register webhooks (`POST /api/v1/organizations/{id}/webhooks`,
`{url, events, secret?}`) for event types of the catalogue (`GET /api/v1/webhooks/events`,
`?kind=` for those an organization of one kind may subscribe to; any other is refused with
422 naming `events`). Each delivery is a `POST` of a JSON body (UTF-8):

| field | meaning |
|---|---|
"""
    + "".join(f"| `{name}` | {meaning} |\n" for name, meaning in ENVELOPE_FIELDS.items())
    + """
`X-Alliance-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's
secret>` signs the body. Answer with a 2xx status; anything else (or no answer within the
timeout) is retried with exponential backoff and jitter until `NOTIFY_MAX_ATTEMPTS`, and every
attempt is listed at `GET /api/v1/organizations/{id}/webhooks/{webhook_id}/deliveries`. Fields
may be added to the envelope and to `data`; none is removed or renamed. Targets must resolve
to public addresses: loopback, private, link-local, reserved and IPv6 forms that embed an
IPv4 address (mapped, compatible, NAT64, Teredo, 6to4 around a refused one) are refused when
the webhook is created and again before every attempt.
"""
)

EVENTS_EXAMPLE = {
    "items": [
        {
            "type": "application.submitted",
            "description": "A student applied to an internship",
            "organization_kinds": ["enterprise", "university"],
            "organizations": "the internship's enterprise and the student's university",
            "payload": [
                {"name": "internship_id", "type": "integer", "description": "the internship"},
                {"name": "application_id", "type": "integer", "description": "the application"},
                {"name": "student_name", "type": "string", "description": "the student's name"},
            ],
        }
    ],
    "total": 1,
    "page": 1,
    "per_page": 20,
}


BODY_EXAMPLE = {
    "id": "5f0c7c1e-3b8a-4c61-9d1e-2a7b6c0e9f14",
    "type": "application.submitted",
    "occurred_at": "2027-03-01T02:15:42Z",
    "organization_id": 12,
    "data": {
        "internship_id": 340,
        "title": "跨境电商运营实习生",
        "enterprise_name": "广州某某贸易有限公司",
        "enterprise_name_en": "Guangzhou Trading Co.",
        "category": "marketing",
        "district": "tianhe",
        "competencies": ["platform-operation"],
        "kind": "internship",
        "kind_zh": "实习",
        "kind_en": "internship",
        "application_id": 5120,
        "student_id": 901,
        "student_name": "王芳",
        "status": "submitted",
        "university_id": 3,
    },
    "event_id": 77031,
    "created_at": "2027-03-01T02:15:42Z",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The webhook reference, from the catalogue as this process has it."""
    from cbec_alliance.notifications.catalogue import ORG_KINDS, SPECS

    lines = [
        "# Webhooks",
        "",
        "<!-- Generated from cbec_alliance/notifications/catalogue.py and each domain's",
        "events.py: python -m cbec_alliance.notifications.docs > docs/webhooks.md -->",
        "",
        ENVELOPE_MARKDOWN.replace("### Webhooks\n\n", "## The delivery\n\n"),
        "For example, to the enterprise (12) whose internship a student applied to:",
        "",
        "```json",
        json.dumps(BODY_EXAMPLE, ensure_ascii=False, indent=2),
        "```",
        "",
        "## Who receives what",
        "",
        "An event reaches the webhooks subscribed to it of the organizations it concerns, "
        "when their kind is among the kinds listed for it. Unless its catalogue entry says "
        "otherwise, an event concerns its own organization and every organization its "
        "payload names (`organization_id`, `enterprise_id`, `university_id`, "
        "`university_ids`, `organization_ids`, ...), so a new event type reaches webhooks "
        "without code of its own. Events for people only (students, coordinators) reach no "
        "webhook, and subscribing to one is refused with 422.",
        "",
        "| event type | organization kinds | which organizations | what it says |",
        "|---|---|---|---|",
    ]
    for type_, spec in sorted(SPECS.items()):
        kinds = spec.webhook_kinds
        shown = "any" if kinds == ORG_KINDS else ", ".join(kinds) or "none (people only)"
        link = f"[`{type_}`](#{type_.replace('.', '')})"
        lines.append(f"| {link} | {shown} | {_cell(spec.audience)} | {_cell(spec.about)} |")
    lines += ["", "## Payloads (`data`)", ""]
    for type_, spec in sorted(SPECS.items()):
        lines += [f"### {type_}", "", _cell(spec.about) + ".", ""]
        if not spec.webhook_kinds:
            lines += ["Not delivered to webhooks (people only); the inbox item's `data`:", ""]
        lines += ["| field | type | meaning |", "|---|---|---|"]
        lines += [
            f"| `{name}` | {json_type} | {_cell(meaning)} |"
            for name, (json_type, meaning) in spec.payload.items()
        ]
        lines.append("")
    return "\n".join(lines)


def load_catalogue() -> None:
    """Import every domain's events, as the app does, so the catalogue is complete."""
    from cbec_alliance import DOMAINS, domain_modules

    for domain in DOMAINS:
        domain_modules(domain, "events")


if __name__ == "__main__":
    load_catalogue()
    sys.stdout.write(markdown())
