"""deploy/: the committed generated files are fresh, and compose, SQL, Traefik and Dockerfile agree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.artifacts import deploy_artifacts, stale_artifacts, write_artifacts
from gateway.compose import DOCKERFILE, compose_config
from gateway.containers import ATTACHMENTS_DIR, STORES_FILES
from gateway.databases import database_name
from gateway.table import service_names
from gateway.workspace import existing_services

INFRASTRUCTURE = {"traefik", "postgres", "nats"}


def load_yaml(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def test_the_committed_files_equal_a_fresh_render(repo_root: Path) -> None:
    stale = stale_artifacts(repo_root)
    assert not stale, (
        f"stale: {[str(p.relative_to(repo_root)) for p in stale]}; "
        "run `uv run shopfloor-gateway render deploy`"
    )


def test_a_changed_file_is_reported_stale(repo_root: Path, tmp_path: Path) -> None:
    for path in deploy_artifacts(repo_root):
        target = tmp_path / path.relative_to(repo_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    shutil.copytree(repo_root / "gateway" / "src", tmp_path / "gateway" / "src")
    for manifest in repo_root.glob("services/*/pyproject.toml"):  # compose lists existing services
        target = tmp_path / manifest.relative_to(repo_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(manifest, target)
    assert stale_artifacts(tmp_path) == []
    dynamic = tmp_path / "deploy" / "traefik" / "dynamic.yml"
    dynamic.write_text(dynamic.read_text().replace("auth:8000", "auth:9000"))
    assert stale_artifacts(tmp_path) == [dynamic]


def test_a_file_no_renderer_writes_under_deploy_k8s_is_stale_and_removed(
    repo_root: Path, tmp_path: Path
) -> None:
    """deploy/k8s is generated whole: a service's files outlive it only until the next render."""
    shutil.copytree(repo_root / "gateway" / "src", tmp_path / "gateway" / "src")
    for manifest in repo_root.glob("services/*/pyproject.toml"):
        target = tmp_path / manifest.relative_to(repo_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(manifest, target)
    write_artifacts(tmp_path)
    stray = tmp_path / "deploy" / "k8s" / "base" / "services" / "gone.yaml"
    stray.write_text("kind: Deployment\n")
    assert stale_artifacts(tmp_path) == [stray]
    write_artifacts(tmp_path)
    assert not stray.exists() and stale_artifacts(tmp_path) == []


def test_the_committed_compose_lists_the_existing_services(repo_root: Path) -> None:
    compose = load_yaml(repo_root / "deploy" / "compose.yaml")
    assert set(compose["services"]) - INFRASTRUCTURE == set(existing_services(repo_root))


def test_existing_services_are_those_with_a_package(tmp_path: Path) -> None:
    for name in ("pos", "auth"):
        (tmp_path / "services" / name).mkdir(parents=True)
        (tmp_path / "services" / name / "pyproject.toml").write_text("")
    (tmp_path / "services" / "catalog").mkdir()  # no pyproject.toml: not a service yet
    assert existing_services(tmp_path) == ("auth", "pos")


@pytest.fixture(scope="module")
def full_compose() -> dict[str, Any]:
    """Compose with every service of the table, as it will be once they all exist."""
    return compose_config(service_names())


def test_every_service_is_built_from_the_template_with_its_name(
    full_compose: dict[str, Any], repo_root: Path
) -> None:
    for name in service_names():
        build = full_compose["services"][name]["build"]
        assert build["args"]["SERVICE"] == name
        assert build["dockerfile"] == DOCKERFILE
        context = (repo_root / "deploy" / build["context"]).resolve()
        assert context == repo_root.resolve()
        assert (context / build["dockerfile"]).is_file()


def test_every_service_has_its_own_database_in_the_init_sql(
    full_compose: dict[str, Any], repo_root: Path
) -> None:
    sql = (repo_root / "deploy" / "postgres" / "init-databases.sql").read_text()
    created = set(re.findall(r"^CREATE DATABASE (\w+);$", sql, flags=re.MULTILINE))
    urls = set()
    for name in service_names():
        url = full_compose["services"][name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://") and "@postgres:5432/" in url
        database = url.rsplit("/", 1)[1]
        assert database == database_name(name)
        assert database in created
        urls.add(url)
    assert len(urls) == len(service_names())


def test_every_service_has_a_route_in_the_committed_traefik_config(
    full_compose: dict[str, Any], repo_root: Path
) -> None:
    dynamic = load_yaml(repo_root / "deploy" / "traefik" / "dynamic.yml")
    routed = {router["service"] for router in dynamic["http"]["routers"].values()}
    servers = {
        balancer["loadBalancer"]["servers"][0]["url"]
        for balancer in dynamic["http"]["services"].values()
    }
    for name in set(full_compose["services"]) - INFRASTRUCTURE:
        assert name in routed
        assert f"http://{name}:8000" in servers


def test_every_container_has_a_healthcheck_and_services_wait_for_their_engines(
    full_compose: dict[str, Any],
) -> None:
    for name, container in full_compose["services"].items():
        assert container["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name
    for name in service_names():
        service = full_compose["services"][name]
        assert "/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "nats": {"condition": "service_healthy"},
        }
        environment = service["environment"]
        assert environment["SHOPFLOOR_ENV"] == "production"
        assert environment["NATS_URL"] == "nats://nats:4222"
        assert environment["JWT_JWKS_URL"] == "http://auth:8000/api/auth/jwks/"
        assert "ports" not in service, "services are reached through Traefik only"


def test_secrets_are_required_from_the_environment(full_compose: dict[str, Any]) -> None:
    auth = full_compose["services"]["auth"]["environment"]
    for variable in ("JWT_PRIVATE_KEY", "SHOPFLOOR_ADMIN_EMAIL", "SHOPFLOOR_ADMIN_PASSWORD"):
        assert auth[variable].startswith(f"${{{variable}:?"), variable
    postgres = full_compose["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_services_trust_forwarded_headers_from_traefik_alone(full_compose: dict[str, Any]) -> None:
    traefik_ip = full_compose["services"]["traefik"]["networks"]["shopfloor"]["ipv4_address"]
    for name in service_names():
        assert full_compose["services"][name]["environment"]["FORWARDED_ALLOW_IPS"] == traefik_ip


def test_the_infrastructure_mounts_files_that_exist(
    full_compose: dict[str, Any], repo_root: Path
) -> None:
    services = full_compose["services"]
    assert services["traefik"]["image"].startswith("traefik:v3")
    assert services["traefik"]["ports"] == ["${SHOPFLOOR_GATEWAY_PORT:-8000}:80"]
    assert "./traefik:/etc/traefik:ro" in services["traefik"]["volumes"]
    assert (repo_root / "deploy" / "traefik" / "traefik.yml").is_file()
    assert services["postgres"]["image"] == "postgres:17"
    init = [v for v in services["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v]
    assert init and (repo_root / "deploy" / init[0].split(":")[0]).is_file()
    assert services["nats"]["image"].startswith("nats:2")
    assert "-js" in services["nats"]["command"]
    assert any(volume.endswith(":/data") for volume in services["nats"]["volumes"])


def dockerfile_stages(text: str) -> list[list[str]]:
    """Instructions (continuation lines joined) grouped by FROM stage."""
    joined = re.sub(r"\\\n", " ", text)
    instructions = [
        line.strip() for line in joined.splitlines() if line.strip() and not line.startswith("#")
    ]
    stages: list[list[str]] = []
    for instruction in instructions:
        if instruction.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def test_the_dockerfile_template_is_multi_stage_non_root_with_a_healthcheck(
    repo_root: Path,
) -> None:
    stages = dockerfile_stages((repo_root / DOCKERFILE).read_text())
    assert len(stages) >= 2
    builder = " ".join(next(stage for stage in stages if "AS builder" in stage[0]))
    assert 'uv sync --frozen --no-dev --package "shopfloor-${SERVICE}"' in builder
    runtime = stages[-1]
    assert runtime[0].startswith("FROM ${PYTHON_IMAGE}")
    assert "ARG SERVICE" in runtime
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    healthchecks = [line for line in runtime if line.startswith("HEALTHCHECK ")]
    assert healthchecks and "/healthz" in healthchecks[0] and "urllib" in healthchecks[0]
    command = next(line for line in runtime if line.startswith("CMD "))
    assert "shopfloor-${SERVICE} prestart && exec shopfloor-${SERVICE} serve" in command
    assert "--host 0.0.0.0 --port 8000" in command


def test_the_default_python_image_is_3_11_slim(repo_root: Path) -> None:
    text = (repo_root / DOCKERFILE).read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text


def services_with_stored_files(repo_root: Path) -> set[str]:
    """Services whose settings read ``ATTACHMENTS_DIR`` (their files live on disk)."""
    return {
        config.parts[-4]
        for config in repo_root.glob("services/*/src/*/config.py")
        if "attachments_dir" in config.read_text()
    }


def test_every_service_that_keeps_files_lists_itself_for_a_volume(repo_root: Path) -> None:
    """A service gaining an ``ATTACHMENTS_DIR`` must get a volume too, or its files die with
    its container."""
    assert services_with_stored_files(repo_root) <= set(STORES_FILES)


def test_stored_files_outlive_the_container_in_a_named_volume(
    full_compose: dict[str, Any],
) -> None:
    declared = full_compose["volumes"]
    for name in STORES_FILES:
        service = full_compose["services"][name]
        assert service["environment"]["ATTACHMENTS_DIR"] == ATTACHMENTS_DIR
        volume, _, target = service["volumes"][0].partition(":")
        assert target == ATTACHMENTS_DIR and volume in declared, name
    for name in set(service_names()) - set(STORES_FILES):
        assert "volumes" not in full_compose["services"][name], name


def test_the_image_owns_the_files_directory_so_a_new_volume_is_writable(repo_root: Path) -> None:
    """Docker seeds an empty named volume with the image directory's owner; without the
    directory the volume is root's and the service (uid 10001) cannot write to it."""
    runtime = " ".join(dockerfile_stages((repo_root / DOCKERFILE).read_text())[-1])
    assert f"install -d -o shopfloor -g shopfloor -m 0750 {ATTACHMENTS_DIR}" in runtime
