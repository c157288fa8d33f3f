"""Every service of the route table that exists has, in each rendered overlay, what it needs to
run alone on a cluster — Deployment (migrate first, probes, non-root, read-only, no
capabilities, sized), Service, autoscaler, disruption budget, network policy, its own
database cluster, its routes — and the same image, port and environment as compose."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.compose import compose_config
from gateway.databases import database_name
from gateway.k8s import service_version
from gateway.table import DEFAULT_MAX_BODY_BYTES, route_for
from gateway.traefik import cors_rule, dynamic_config, origins_pattern
from gateway.workspace import existing_services

OVERLAYS = ("dev", "production")
NO_ORIGIN = origins_pattern(())  # matches no Origin at all
Objects = list[dict[str, Any]]


def find(objects: Objects, kind: str, name: str) -> dict[str, Any]:
    matches = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"{len(matches)} {kind}/{name}"
    return matches[0]


def of_kind(objects: Objects, kind: str) -> Objects:
    return [obj for obj in objects if obj["kind"] == kind]


@pytest.fixture(scope="module")
def services(repo_root: Path) -> tuple[str, ...]:
    names = existing_services(repo_root)
    assert names, "no service exists"
    return names


@pytest.fixture(scope="module")
def compose(services: tuple[str, ...]) -> dict[str, Any]:
    return dict(compose_config(services)["services"])


def config_map(objects: Objects) -> dict[str, str]:
    [found] = [
        o
        for o in of_kind(objects, "ConfigMap")
        if o["metadata"]["name"].startswith("shopfloor-config")
    ]
    data: dict[str, str] = found["data"]
    return data


def resolved_env(container: dict[str, Any], objects: Objects) -> dict[str, str]:
    """Each variable's value; from a ConfigMap its data, from a Secret ``secret:<name>/<key>``."""
    config = config_map(objects)
    values: dict[str, str] = {}
    for variable in container["env"]:
        source = variable.get("valueFrom", {})
        if "value" in variable:
            values[variable["name"]] = variable["value"]
        elif "configMapKeyRef" in source:
            values[variable["name"]] = config[source["configMapKeyRef"]["key"]]
        else:
            ref = source["secretKeyRef"]
            values[variable["name"]] = f"secret:{ref['name']}/{ref['key']}"
    return values


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_exactly_the_existing_services_are_deployed(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str
) -> None:
    objects = rendered[overlay]
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        assert sorted(o["metadata"]["name"] for o in of_kind(objects, kind)) == sorted(services)
    assert {o["metadata"]["namespace"] for o in objects if o["kind"] != "Namespace"} == {
        "shopfloor"
    }
    assert of_kind(objects, "Secret") == [], "secrets are never committed"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_pod_migrates_first_then_serves_with_probes(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str
) -> None:
    for name in services:
        deployment = find(rendered[overlay], "Deployment", name)
        pod = deployment["spec"]["template"]["spec"]
        assert deployment["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        [migrate] = pod["initContainers"]
        [server] = pod["containers"]
        assert migrate["command"] == [f"shopfloor-{name}", "prestart"]
        assert server["command"] == [
            f"shopfloor-{name}",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "8000",
        ]
        assert migrate["image"] == server["image"]
        assert [e["name"] for e in migrate["env"]] == [e["name"] for e in server["env"]]
        assert server["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
        probes = {
            kind: server[f"{kind}Probe"]["httpGet"] for kind in ("startup", "liveness", "readiness")
        }
        assert probes == {
            "startup": {"path": "/healthz", "port": "http"},
            "liveness": {"path": "/healthz", "port": "http"},
            "readiness": {"path": "/readyz", "port": "http"},
        }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_that_store_files_write_them_to_a_shared_claim_not_the_read_only_root(
    overlay: str, rendered: dict[str, Objects]
) -> None:
    """Inventory's attachments and attendance's selfies: a ReadWriteMany claim their replicas
    share, mounted where ATTACHMENTS_DIR points (the root filesystem is read-only)."""
    objects = rendered[overlay]
    for name in ("inventory", "attendance"):
        pod = find(objects, "Deployment", name)["spec"]["template"]["spec"]
        [server] = pod["containers"]
        env = {item["name"]: item.get("value") for item in server["env"]}
        mounts = {mount["name"]: mount["mountPath"] for mount in server["volumeMounts"]}
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        claim = volumes["attachments"]["persistentVolumeClaim"]["claimName"]
        assert mounts["attachments"] == env["ATTACHMENTS_DIR"], name
        assert (
            "ReadWriteMany" in find(objects, "PersistentVolumeClaim", claim)["spec"]["accessModes"]
        )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_pod_is_non_root_read_only_without_capabilities_and_sized(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str, repo_root: Path
) -> None:
    dockerfile = (repo_root / "deploy" / "docker" / "service.Dockerfile").read_text()
    image_uid = int(re.search(r"--uid (\d+)", dockerfile).group(1))  # type: ignore[union-attr]
    for name in services:
        pod = find(rendered[overlay], "Deployment", name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == image_uid
        assert pod["automountServiceAccountToken"] is False and pod["serviceAccountName"] == name
        find(rendered[overlay], "ServiceAccount", name)
        for container in pod["initContainers"] + pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"] == {"drop": ["ALL"]}
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        mounts = {m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
        assert "/tmp" in mounts  # the only writable places are volumes


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_ports_and_environment_match_compose(
    rendered: dict[str, Objects],
    services: tuple[str, ...],
    compose: dict[str, Any],
    overlay: str,
    repo_root: Path,
) -> None:
    objects = rendered[overlay]
    routed_to = {
        entry["loadBalancer"]["servers"][0]["url"]
        for entry in dynamic_config()["http"]["services"].values()
    }
    for name in services:
        server = find(objects, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]
        image, tag = server["image"].split(":")
        assert image == compose[name]["image"].split(":")[0] == f"shopfloor-{name}"
        assert tag == ("dev" if overlay == "dev" else service_version(repo_root, name))
        service = find(objects, "Service", name)
        assert service["spec"]["selector"] == {"app.kubernetes.io/name": name}
        [port] = service["spec"]["ports"]
        assert (port["port"], port["targetPort"]) == (8000, "http")
        assert f"http://{name}:{port['port']}" in routed_to  # compose's Traefik reaches it so
        env = resolved_env(server, objects)
        for variable, value in compose[name]["environment"].items():
            if variable == "JWT_PRIVATE_KEY":  # a mounted file here, an env var in compose
                assert env["JWT_PRIVATE_KEY_FILE"].endswith("/private-key.pem")
                continue
            assert variable in env, f"{name}: {variable} is in compose, not on Kubernetes"
            if variable in ("SHOPFLOOR_ENV", "NATS_URL", "JWT_JWKS_URL"):
                assert env[variable] == value, (name, variable)
        assert env["DATABASE_URL"] == f"secret:{name}-db-app/uri"
        assert env["NATS_STREAM_REPLICAS"] == ("1" if overlay == "dev" else "3")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_its_own_database_cluster(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str
) -> None:
    objects = rendered[overlay]
    for name in services:
        cluster = find(objects, "Cluster", f"{name}-db")
        assert cluster["spec"]["bootstrap"]["initdb"] == {
            "database": database_name(name),
            "owner": name,
        }
        assert cluster["spec"]["instances"] == (1 if overlay == "dev" else 3)
        plugins = cluster["spec"].get("plugins", [])
        assert bool(plugins) == (overlay == "production"), "production archives WAL"
    backups = {o["spec"]["cluster"]["name"] for o in of_kind(objects, "ScheduledBackup")}
    assert backups == ({f"{name}-db" for name in services} if overlay == "production" else set())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscaler_and_disruption_budget_cover_each_deployment(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str
) -> None:
    for name in services:
        hpa = find(rendered[overlay], "HorizontalPodAutoscaler", name)
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name,
        }
        assert hpa["spec"]["minReplicas"] == (1 if overlay == "dev" else 2)
        assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
        pdb = find(rendered[overlay], "PodDisruptionBudget", name)
        assert pdb["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        assert pdb["spec"]["maxUnavailable"] == 1


def peers(rules: list[dict[str, Any]], key: str) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(namespace or '', pods' labels, ports) of every peer of every rule."""
    found = []
    for rule in rules:
        ports = tuple(sorted((p["protocol"], p["port"]) for p in rule["ports"]))
        for peer in rule[key]:
            namespace = peer.get("namespaceSelector", {}).get("matchLabels", {})
            pods = peer.get("podSelector", {}).get("matchLabels", {})
            found.append(
                (namespace.get("kubernetes.io/metadata.name", ""), yaml.safe_dump(pods), ports)
            )
    return found


# Whom a service calls besides auth (POS: consignment; inventory: intake products); catalog
# (absent here) asks every service for its /healthz (its system/version).
SERVICE_CALLS = {
    **{name: () for name in ("auth", "bookings", "attendance", "invoicing", "audit")},
    "pos": ("inventory",),
    "inventory": ("catalog",),
}


def pod(service: str) -> tuple[str, str, tuple[tuple[str, int], ...]]:
    return ("", yaml.safe_dump({"app.kubernetes.io/name": service}), (("TCP", 8000),))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_gateway_and_callers_reach_a_service_and_it_reaches_only_its_own(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str
) -> None:
    traefik = ("traefik", yaml.safe_dump({"app.kubernetes.io/name": "traefik"}), (("TCP", 8000),))
    dns = ("kube-system", yaml.safe_dump({"k8s-app": "kube-dns"}), (("TCP", 53), ("UDP", 53)))
    nats = (
        "",
        yaml.safe_dump({"app.kubernetes.io/component": "nats", "app.kubernetes.io/name": "nats"}),
        (("TCP", 4222),),
    )
    jwks = ("", yaml.safe_dump({"app.kubernetes.io/name": "auth"}), (("TCP", 8000),))
    for name in services:
        policy = find(rendered[overlay], "NetworkPolicy", name)["spec"]
        assert policy["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
        callers = peers(policy["ingress"], "from")
        assert callers[0] == traefik
        others = [
            (
                "",
                yaml.safe_dump(
                    {"app.kubernetes.io/component": "api", "app.kubernetes.io/part-of": "shopfloor"}
                ),
                (("TCP", 8000),),
            )
        ]
        called_by = [o for o in services if o != name and name in SERVICE_CALLS.get(o, services)]
        assert callers[1:] == (others if name == "auth" else [pod(other) for other in called_by])
        database = ("", yaml.safe_dump({"cnpg.io/cluster": f"{name}-db"}), (("TCP", 5432),))
        calls = [pod(o) for o in SERVICE_CALLS.get(name, services) if o not in ("auth", name)]
        expected = [dns, database, nats] + ([] if name == "auth" else [jwks, *calls])
        assert sorted(peers(policy["egress"], "to")) == sorted(expected)
        db_policy = find(rendered[overlay], "NetworkPolicy", f"{name}-db")["spec"]
        assert db_policy["podSelector"]["matchLabels"] == {"cnpg.io/cluster": f"{name}-db"}
        assert peers(db_policy["ingress"], "from") == [
            ("", yaml.safe_dump({"app.kubernetes.io/name": name}), (("TCP", 5432),)),
            ("", yaml.safe_dump({"cnpg.io/cluster": f"{name}-db"}), (("TCP", 5432), ("TCP", 8000))),
            (
                "cnpg-system",
                yaml.safe_dump({"app.kubernetes.io/name": "cloudnative-pg"}),
                (("TCP", 5432), ("TCP", 8000)),
            ),
        ]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_prefix_is_routed_as_compose_routes_it(
    rendered: dict[str, Objects], services: tuple[str, ...], overlay: str
) -> None:
    compose_routers = dynamic_config()["http"]["routers"]
    for name in services:
        route = find(rendered[overlay], "IngressRoute", name)["spec"]
        api, docs, cors = route["routes"]
        assert api["match"] == compose_routers[name]["rule"]
        assert docs["match"] == compose_routers[f"{name}-docs"]["rule"]
        # compose's Traefik fills the origins in from its environment; here none are listed
        assert cors["match"] == cors_rule(route_for(name), NO_ORIGIN)
        for rule, router in ((api, name), (docs, f"{name}-docs"), (cors, f"{name}-cors")):
            assert [m["name"] for m in rule["middlewares"]] == compose_routers[router][
                "middlewares"
            ]
            upstream = rule["services"][0]
            assert (upstream["name"], upstream["port"]) == (name, "http")
        for prefix in route_for(name).prefixes:
            assert f"`{prefix.rstrip('/')}`" in api["match"]
    middlewares = {
        m["metadata"]["name"]: m["spec"] for m in of_kind(rendered[overlay], "Middleware")
    }
    assert middlewares["body-limit"] == {
        "buffering": {"maxRequestBodyBytes": DEFAULT_MAX_BODY_BYTES}
    }
    headers = middlewares["security-headers"]["headers"]
    assert headers["contentTypeNosniff"] and headers["frameDeny"]
    assert headers["referrerPolicy"] == "no-referrer"
    assert ("stsSeconds" in headers) == (overlay == "production"), "HSTS in production only"
    compose_middlewares = dynamic_config()["http"]["middlewares"]
    assert middlewares["vary-origin"] == compose_middlewares["vary-origin"]
    cors_headers = dict(middlewares["cors"]["headers"])
    assert cors_headers.pop("accessControlAllowOriginListRegex") == [NO_ORIGIN]
    compose_cors = dict(compose_middlewares["cors"]["headers"])
    compose_cors.pop("accessControlAllowOriginListRegex")
    assert cors_headers == compose_cors


def test_production_fetches_every_secret_it_mounts(rendered: dict[str, Objects]) -> None:
    objects = rendered["production"]
    fetched = {o["spec"]["target"]["name"] for o in of_kind(objects, "ExternalSecret")}
    needed = set()
    for deployment in of_kind(objects, "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        needed |= {  # an optional Secret (a key rotation's verify-only keys) is made by hand
            v["secret"]["secretName"]
            for v in pod["volumes"]
            if "secret" in v and not v["secret"].get("optional")
        }
        for container in pod["containers"]:
            needed |= {
                e["valueFrom"]["secretKeyRef"]["name"]
                for e in container["env"]
                if "secretKeyRef" in e.get("valueFrom", {})
            }
    store = find(objects, "ObjectStore", "shopfloor-backups")["spec"]["configuration"]
    needed.add(store["s3Credentials"]["accessKeyId"]["name"])
    written_by_cloudnative_pg = {name for name in needed if name.endswith("-db-app")}
    assert needed - written_by_cloudnative_pg == fetched


def test_the_dev_secrets_have_a_recipe(rendered: dict[str, Objects], repo_root: Path) -> None:
    operations = (repo_root / "docs" / "operations.md").read_text()
    for secret in of_kind(rendered["production"], "ExternalSecret"):
        name = secret["spec"]["target"]["name"]
        assert f"kubectl create secret generic {name}" in operations, name


def test_nats_runs_three_servers_for_three_replicas(repo_root: Path) -> None:
    helm = repo_root / "deploy" / "k8s" / "helm"
    production = yaml.safe_load((helm / "nats.values.yaml").read_text())["config"]
    development = yaml.safe_load((helm / "nats.dev.values.yaml").read_text())["config"]
    assert production["cluster"] == {"enabled": True, "replicas": 3}
    assert development["cluster"]["enabled"] is False
    assert production["jetstream"]["enabled"] and development["jetstream"]["enabled"]
