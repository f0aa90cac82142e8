"""The bare Flask hello-world of ../shared/performance-baselines.md: the baseline every
throughput figure is a share of, run under the same gunicorn settings in the same run."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def hello():
    """The cheapest JSON answer Flask gives."""
    return jsonify(status="ok")
