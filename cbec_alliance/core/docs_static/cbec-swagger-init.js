// Starts Swagger UI on /api/docs. A file of its own, not an inline script, so a
// Content-Security-Policy of `script-src 'self'` allows it. The spec's URL and the
// Swagger UI settings come from the container's data- attributes.
//
// Writing with the session cookie needs the X-CSRF-Token header (the spec's `csrf`
// security scheme). Any response carrying a `csrf_token` (POST /api/v1/auth/login,
// GET /api/v1/auth/csrf, a password change) authorizes that scheme here, as if it had been
// pasted into Authorize → csrf; a bearer token pasted into Authorize → bearer needs none.
(function () {
  "use strict";

  function rememberCsrfToken(response) {
    var body = response && response.body;
    if (body && typeof body.csrf_token === "string" && window.ui) {
      window.ui.preauthorizeApiKey("csrf", body.csrf_token);
    }
    return response;
  }

  function start() {
    var node = document.getElementById("swagger-ui-container");
    var config = JSON.parse(node.getAttribute("data-config") || "{}");
    config.url = node.getAttribute("data-spec-url");
    config.dom_id = "#swagger-ui-container";
    config.responseInterceptor = rememberCsrfToken;
    window.ui = window.SwaggerUIBundle(config);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
