"""A site lists its web clients' origins on Kubernetes: `render k8s-cors` + a site overlay, built
by the real `kubectl kustomize`, gives the gateway and auth exactly those origins."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import kustomize
from typer.testing import CliRunner

from gateway.cli import app
from gateway.cors import ORIGINS_VARIABLE
from gateway.k8s import deployed_routes
from gateway.traefik import cors_rule

ORIGINS = ("https://app.shop.example", "http://127.0.0.1:5173")
runner = CliRunner()


def _site(kubectl: Path, tmp_path: Path, repo_root: Path, origins: str) -> list[dict[str, Any]]:
    site = tmp_path / "my-site"
    production = repo_root / "deploy" / "k8s" / "overlays" / "production"
    out, root = str(site / "cors.yaml"), str(repo_root)
    result = runner.invoke(
        app, ["render", "k8s-cors", "--origins", origins, "--out", out, "--root", root]
    )
    assert result.exit_code == 0, result.output
    (site / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(production, site)],  # kustomize wants it relative
                "patches": [{"path": "cors.yaml"}],
                "configMapGenerator": [
                    {
                        "name": "shopfloor-config",
                        "behavior": "merge",
                        "literals": [f"{ORIGINS_VARIABLE}={origins}"],
                    }
                ],
            }
        )
    )
    return [o for o in yaml.safe_load_all(kustomize(kubectl, site)) if o]


def test_a_site_overlay_lists_its_origins_for_the_gateway_and_auth(
    kubectl: Path, tmp_path: Path, repo_root: Path
) -> None:
    objects = _site(kubectl, tmp_path, repo_root, " , ".join(ORIGINS))
    [cors] = [o for o in objects if o["kind"] == "Middleware" and o["metadata"]["name"] == "cors"]
    [pattern] = cors["spec"]["headers"]["accessControlAllowOriginListRegex"]
    for origin in ORIGINS:
        assert re.fullmatch(pattern, origin), (pattern, origin)
    for other in ("https://app.shop.example.evil", "https://app-shop.example", "null", ""):
        assert not re.fullmatch(pattern, other), (pattern, other)
    routes = {o["metadata"]["name"]: o for o in objects if o["kind"] == "IngressRoute"}
    assert sorted(routes) == sorted(route.service for route in deployed_routes(repo_root))
    for route in deployed_routes(repo_root):
        api, docs, from_origin = routes[route.service]["spec"]["routes"]
        assert from_origin["match"] == cors_rule(route, pattern)
        assert [m["name"] for m in from_origin["middlewares"]] == [
            "security-headers",
            "cors",
            "body-limit",
        ]
        assert "cors" not in {m["name"] for m in api["middlewares"] + docs["middlewares"]}
    [config] = [o for o in objects if o["kind"] == "ConfigMap"]
    assert config["data"][ORIGINS_VARIABLE] == " , ".join(ORIGINS)
    # the production overlay's HSTS survives the patch
    [headers] = [o for o in objects if o["metadata"]["name"] == "security-headers"]
    assert headers["spec"]["headers"]["stsSeconds"] > 0


@pytest.mark.parametrize("origins", ["*", "https://app.shop.example/", "HTTPS://APP.example"])
def test_a_malformed_origin_is_refused_naming_it(
    tmp_path: Path, repo_root: Path, origins: str
) -> None:
    result = runner.invoke(
        app, ["render", "k8s-cors", "--origins", origins, "--out", str(tmp_path / "cors.yaml")]
    )
    assert result.exit_code == 2
    assert ORIGINS_VARIABLE in result.output and "--origins" in result.output
    assert not (tmp_path / "cors.yaml").exists()
