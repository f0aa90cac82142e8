"""The bare Flask hello-world of ../shared/performance-baselines.md: the baseline every
throughput figure is a share of, run under the same gunicorn settings in the same run.

`/plain-file` and `/plain-upload` are the plain file routes bench/documents.py compares
document downloads and uploads with: the file named by BENCH_PLAIN_FILE sent as Flask sends
a static file, and a multipart upload saved under BENCH_PLAIN_DIR."""

import os
import uuid

from flask import Flask, jsonify, request, send_file

app = Flask(__name__)


@app.route("/")
def hello():
    """The cheapest JSON answer Flask gives."""
    return jsonify(status="ok")


@app.route("/plain-file")
def plain_file():
    """A file from disk, as a static file route serves it."""
    return send_file(os.environ["BENCH_PLAIN_FILE"], mimetype="application/pdf")


@app.route("/plain-upload", methods=["POST"])
def plain_upload():
    """A multipart upload saved to disk, nothing else."""
    path = os.path.join(os.environ["BENCH_PLAIN_DIR"], f"upload-{uuid.uuid4().hex}")
    request.files["file"].save(path)
    os.unlink(path)
    return jsonify(saved=True), 201
