"""What both gateways do on every request: security headers, upstream keep-alive, retries.

Caddy (local) and Traefik (containers) render these same values.

Keep-alive: a service's uvicorn keeps an idle connection for 75 s
(``common.cli.KEEP_ALIVE_SECONDS``); the gateways drop their idle upstream
connections after ``UPSTREAM_IDLE_TIMEOUT_SECONDS`` (60 s), sooner, so it is
always the proxy that closes an idle connection — never the service at the
moment the proxy sends a request on it, which the proxy could only answer with
502 (Caddy's defaults are 2 min, Traefik's 90 s, uvicorn's 5 s: both raced).

Retries: only safe methods are retried after a failed round trip
(``RETRY_METHODS``); a POST that may have reached the service is never sent
twice. A request whose connection could not even be opened never reached the
service, so Caddy retries that for every method.

Headers: no MIME sniffing, no referrer, no framing (``X-Frame-Options`` for old
browsers, CSP ``frame-ancestors`` for current ones), and HSTS in production
only (a developer's ``http://localhost`` must not be pinned to HTTPS).
"""

from __future__ import annotations

UPSTREAM_IDLE_TIMEOUT_SECONDS = 60
UPSTREAM_MAX_IDLE_CONNECTIONS = 32
RETRY_METHODS = ("GET", "HEAD", "OPTIONS")
RETRIES = 2
RETRY_INTERVAL_MS = 100
HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}
HSTS = f"max-age={HSTS_MAX_AGE_SECONDS}; includeSubDomains"


def security_headers(*, production: bool) -> dict[str, str]:
    """The headers every gateway response carries (HSTS only in production)."""
    headers = dict(SECURITY_HEADERS)
    if production:
        headers["Strict-Transport-Security"] = HSTS
    return headers
