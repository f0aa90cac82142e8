"""gunicorn settings; `gunicorn wsgi:app` reads this file from the working directory.

The request limits here sit above the app's own (cbec_alliance/core/guards.py: a URL of
8,000 bytes, 100 header fields, 8,000 bytes in one field), so a client that passes the app's
limits gets the API's problem+json 414 or 431 from the app. Past these limits gunicorn
refuses the request before any application code runs; its error page is HTML, so it is
replaced below with the same problem+json body the app sends.
"""

from __future__ import annotations

import json

from gunicorn import util

# The longest request line gunicorn accepts at all ("GET <url> HTTP/1.1").
limit_request_line = 8190
# Header fields per request and bytes per field: above the app's 100 and 8,000.
limit_request_fields = 150
limit_request_field_size = 16380
# An idle keep-alive connection is closed after `keepalive` seconds. gunicorn's 2 s is shorter
# than a user's pause between two requests, so a client reusing its connection raced the close
# and got a reset (0.4% of the requests in the mixed-load benchmark); 75 s is what load
# balancers and clients expect (nginx's default), and gthread workers hold idle connections
# without a thread.
keepalive = 75


def _problem_write_error(sock, status_int, reason, mesg):
    """gunicorn's own error answer (400, 414, 431, ...) as application/problem+json."""
    body = json.dumps(
        {
            "type": f"https://cbec-alliance.example/problems/{status_int}",
            "title": reason,
            "status": status_int,
            "detail": str(mesg),
        }
    ).encode("ascii")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


# Workers call `util.write_error(sock, status, reason, message)` for requests they refuse;
# the check keeps a gunicorn without it (or with another signature) on its own pages.
if callable(getattr(util, "write_error", None)) and callable(getattr(util, "write_nonblock", None)):
    util.write_error = _problem_write_error


def post_worker_init(worker):
    """Once the app is loaded in a worker: see `cbec_alliance.settle_process`."""
    from cbec_alliance import settle_process

    settle_process()


def child_exit(server, worker):
    """A worker has gone: with PROMETHEUS_MULTIPROC_DIR set, its live gauges stop counting
    (its counters and histograms stay in the sum, as prometheus-client's multiprocess mode
    requires)."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
