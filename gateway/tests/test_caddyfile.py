"""The rendered Caddyfile: Caddy accepts it in every variant, and its inputs are checked."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gateway.caddy import local_upstreams, render_caddyfile
from gateway.policy import HSTS, UPSTREAM_IDLE_TIMEOUT_SECONDS
from gateway.table import service_names


def validate(caddy: Path, text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "Caddyfile"
    config.write_text(text)
    return subprocess.run(
        [str(caddy), "validate", "--adapter", "caddyfile", "--config", str(config)],
        capture_output=True,
        text=True,
        env={
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
            "HOME": str(tmp_path),
        },
        check=False,
    )


@pytest.mark.parametrize(
    "options",
    [
        {"upstreams": local_upstreams(service_names())},
        {"upstreams": {}},
        {"upstreams": local_upstreams(["auth", "catalog"]), "admin": "127.0.0.1:2999"},
        {"upstreams": {"auth": "127.0.0.1:9001"}, "access_log": Path("/tmp/a dir/access.log")},
        {"upstreams": {}, "max_body_bytes": 1024, "bind": "0.0.0.0"},
        {"upstreams": local_upstreams(service_names()), "production": True},
        {"upstreams": {}, "cors_origins": ("https://shop.example", "http://[::1]:5173")},
    ],
    ids=["all-running", "none-running", "admin-api", "log-file", "small-cap", "production", "cors"],
)
def test_caddy_validates_the_rendered_file(
    caddy_binary: Path, tmp_path: Path, options: dict[str, Any]
) -> None:
    result = validate(caddy_binary, render_caddyfile(port=18000, **options), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_a_broken_file_is_refused_by_the_same_check(caddy_binary: Path, tmp_path: Path) -> None:
    # Proves the check above can fail.
    text = render_caddyfile(port=18000, upstreams={}).replace(
        "handle_errors 413 {", "handle_errors 413"
    )
    assert validate(caddy_binary, text, tmp_path).returncode != 0


def test_local_upstreams_use_the_table_ports() -> None:
    assert local_upstreams(["auth", "pos"], 8100) == {
        "auth": "127.0.0.1:8101",
        "pos": "127.0.0.1:8106",
    }


def test_the_admin_api_is_off_unless_asked_for() -> None:
    assert "\tadmin off\n" in render_caddyfile(port=8000, upstreams={})
    assert "\tadmin 127.0.0.1:2999\n" in render_caddyfile(
        port=8000, upstreams={}, admin="127.0.0.1:2999"
    )


def test_no_certificates_are_requested() -> None:
    text = render_caddyfile(port=8000, upstreams={})
    assert "auto_https off" in text
    assert "http://:8000 {" in text


def test_an_upstream_for_a_service_outside_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the route table: shop"):
        render_caddyfile(port=8000, upstreams={"shop": "127.0.0.1:1"})


def test_the_access_log_goes_to_stdout_or_to_the_file_given() -> None:
    assert "output stdout" in render_caddyfile(port=8000, upstreams={})
    text = render_caddyfile(port=8000, upstreams={}, access_log=Path("/var/log/gw.log"))
    assert 'output file "/var/log/gw.log"' in text


def test_upstream_connections_idle_less_than_the_services_keep_alive() -> None:
    from common.cli import KEEP_ALIVE_SECONDS

    text = render_caddyfile(port=8000, upstreams={"auth": "127.0.0.1:8101"})
    assert f"keepalive {UPSTREAM_IDLE_TIMEOUT_SECONDS}s" in text
    assert UPSTREAM_IDLE_TIMEOUT_SECONDS < KEEP_ALIVE_SECONDS


def test_only_safe_methods_are_retried() -> None:
    text = render_caddyfile(port=8000, upstreams={"auth": "127.0.0.1:8101"})
    assert "lb_retry_match {\n\t\t\t\tmethod GET HEAD OPTIONS\n" in text
    assert "POST" not in text


def test_hsts_only_in_production() -> None:
    assert "Strict-Transport-Security" not in render_caddyfile(port=8000, upstreams={})
    assert HSTS in render_caddyfile(port=8000, upstreams={}, production=True)


def test_a_malformed_cors_origin_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=re.escape("'https://shop.example/'")):
        render_caddyfile(port=8000, upstreams={}, cors_origins=["https://shop.example/"])


def test_without_listed_origins_the_gateway_answers_no_preflight() -> None:
    text = render_caddyfile(port=8000, upstreams={})
    assert "@cors_preflight" not in text and "Access-Control-Allow-Origin" not in text
    assert "+Vary Origin" in text
