"""shopfloor-gateway: each render command writes what the renderers produce."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gateway.caddy import local_upstreams, render_caddyfile
from gateway.cli import app
from gateway.compose import render_compose
from gateway.table import service_names
from gateway.traefik import render_traefik_dynamic, render_traefik_static

runner = CliRunner()


def test_render_caddy_with_the_running_services(tmp_path: Path) -> None:
    out = tmp_path / "Caddyfile"
    result = runner.invoke(
        app,
        [
            "render", "caddy", "--port", "9000", "--service-port-base", "9100",
            "--running", "auth,catalog", "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = render_caddyfile(port=9000, upstreams=local_upstreams(["auth", "catalog"], 9100))
    assert out.read_text() == expected
    assert "reverse_proxy 127.0.0.1:9101" in expected
    assert "service bookings is not available" in expected


def test_render_caddy_refuses_an_unknown_service(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["render", "caddy", "--running", "auth,shop", "--out", str(tmp_path / "C")]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "C").exists()


def test_render_traefik_writes_both_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "traefik", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "traefik.yml").read_text() == render_traefik_static()
    assert (tmp_path / "dynamic.yml").read_text() == render_traefik_dynamic()


def test_render_compose_all_or_existing(tmp_path: Path) -> None:
    (tmp_path / "gateway" / "src" / "gateway").mkdir(parents=True)
    (tmp_path / "services" / "auth").mkdir(parents=True)
    (tmp_path / "services" / "auth" / "pyproject.toml").write_text("")
    out = tmp_path / "compose.yaml"
    result = runner.invoke(app, ["render", "compose", "--root", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == render_compose(["auth"])
    result = runner.invoke(app, ["render", "compose", "--no-only-existing", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == render_compose(service_names())


def test_render_deploy_check_passes_on_the_checkout(repo_root: Path) -> None:
    result = runner.invoke(app, ["render", "deploy", "--root", str(repo_root), "--check"])
    assert result.exit_code == 0, result.output


def test_routes_lists_every_service_with_its_port() -> None:
    result = runner.invoke(app, ["routes", "--service-port-base", "7000"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[:2] for line in lines] == [
        [name, str(7000 + index)] for index, name in enumerate(service_names(), start=1)
    ]
