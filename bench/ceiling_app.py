"""The cheapest durable write a Flask app can answer with: the ceiling for the morning
check-in (issue 18), run under the same gunicorn as the bare hello-world.

No ORM, no Flask-Login, no schema: one psycopg connection per thread, and per request the
statements a check-in cannot do without, as plain SQL: `/insert` one INSERT and its COMMIT;
`/api/v1/placements/<id>/check-ins` the token's user by its hash, the placement (is it this
student's, active), the INSERT ... ON CONFLICT DO NOTHING and the COMMIT. Whatever the real
route costs above these is the platform's (auth, ORM, hooks); these no implementation avoids.
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg
from flask import Flask, jsonify, request

app = Flask(__name__)
URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/cbec_bench_placements")
URL = URL.replace("postgresql+psycopg://", "postgresql://")
_local = threading.local()
GUANGZHOU = ZoneInfo("Asia/Shanghai")


def _conn() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = psycopg.connect(URL, prepare_threshold=0)
    return conn


@app.get("/healthz")
def health():
    """For the harness's start-up probe."""
    return jsonify(status="ok")


@app.post("/insert")
def insert():
    """One INSERT and its COMMIT."""
    conn = _conn()
    with conn.cursor() as cur:
        cur.execute("INSERT INTO bench_ceiling (at) VALUES (now())")
    conn.commit()
    return jsonify(status="ok"), 201


# The real route's path, so the same wrk scripts drive both.
@app.post("/api/v1/placements/<int:placement_id>/check-ins")
def checkin(placement_id: int):
    """The check-in's unavoidable statements, by hand."""
    token = request.headers.get("Authorization", "").partition(" ")[2]
    digest = hashlib.sha256(token.encode()).hexdigest()
    conn = _conn()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.id FROM api_tokens t JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND t.expires_at > now() "
            "AND u.is_active",
            (digest,),
        )
        row = cur.fetchone()
        if row is None:
            conn.rollback()
            return jsonify(status="unauthorized"), 401
        cur.execute(
            "SELECT id FROM placements WHERE id = %s AND student_id = %s AND state = 'active'",
            (placement_id, row[0]),
        )
        if cur.fetchone() is None:
            conn.rollback()
            return jsonify(status="not found"), 404
        cur.execute(
            "INSERT INTO placement_check_ins (placement_id, day, checked_in_at) "
            "VALUES (%s, %s, now()) ON CONFLICT DO NOTHING RETURNING id",
            (placement_id, datetime.now(GUANGZHOU).date()),
        )
        created = cur.fetchone() is not None
    conn.commit()
    return jsonify(created=created), 201
