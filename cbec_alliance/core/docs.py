"""Swagger UI, served by the app itself (no CDN) and with no inline script.

flask-smorest's own page starts Swagger UI from an inline `<script>`, which a
Content-Security-Policy of `script-src 'self'` forbids. This page (docs_static/) loads
Swagger UI's files and `cbec-swagger-init.js` from /api/docs/assets/, and hands the spec's
URL and the Swagger UI settings over in `data-` attributes.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

OWN_ASSETS = Path(__file__).parent / "docs_static"
INIT_SCRIPT = "cbec-swagger-init.js"

# Swagger UI settings (OPENAPI_SWAGGER_UI_CONFIG overrides them): the Authorize dialog's
# bearer token or CSRF token survives a reload, and operations show their operationId.
SWAGGER_UI_DEFAULTS = {
    "persistAuthorization": True,
    "displayOperationId": True,
    "displayRequestDuration": True,
}


class _DocsAssets(Blueprint):
    """Swagger UI's own files, and ours under the same prefix."""

    def send_static_file(self, filename: str):
        """Our initializer from docs_static/, anything else from swagger-ui-bundle."""
        if filename == INIT_SCRIPT:
            return send_from_directory(
                OWN_ASSETS, filename, max_age=self.get_send_file_max_age(filename)
            )
        return super().send_static_file(filename)


docs_assets = _DocsAssets(
    "docs_assets",
    __name__,
    static_folder=swagger_ui_path,
    static_url_path="/api/docs/assets",
    template_folder="docs_static",
)


def swagger_ui_page(*, title: str, spec_url: str, assets_url: str) -> str:
    """The /api/docs page."""
    config = {**SWAGGER_UI_DEFAULTS, **current_app.config.get("OPENAPI_SWAGGER_UI_CONFIG", {})}
    return render_template(
        "cbec_swagger_ui.html",
        title=title,
        spec_url=spec_url,
        assets_url=assets_url,
        init_script=INIT_SCRIPT,
        swagger_ui_config=config,
    )
