"""The files of deploy/k8s: a Kustomize base, the ``dev`` and ``production`` overlays, Helm values.

::

    base/                      every service, its database, the gateway's routes, NATS's policy
      config.env               the shared ConfigMap (compose's environment, as data)
      services/<name>.yaml     ServiceAccount, Deployment, Service, HPA, PDB, NetworkPolicy
      databases/<name>-db.yaml CloudNativePG Cluster + its NetworkPolicy
      gateway.yaml             Traefik Middlewares, ServersTransport, IngressRoutes
      nats.yaml                NATS's NetworkPolicy
    overlays/dev/              one replica of everything, one NATS, no HSTS, local images
    overlays/production/       version tags, backups to object storage, ExternalSecrets
    helm/                      values for the Traefik, NATS (3 nodes) and NATS dev charts
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gateway import service_calls
from gateway.cors import ORIGINS_VARIABLE
from gateway.k8s import ingress, nats, network, postgres, secrets, workloads
from gateway.k8s.objects import NAMESPACE, NATS_RELEASE, PORT, document, documents, dump
from gateway.table import Route

KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1"
# uvicorn trusts X-Forwarded-For from these peers only; the NetworkPolicies let nothing but
# Traefik connect, and a site should narrow this to its pod network.
CLUSTER_NETWORKS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10"
JWKS_URL = f"http://auth:{PORT}/api/auth/jwks/"

CONFIG = {
    "SHOPFLOOR_ENV": "production",
    "NATS_URL": f"nats://{NATS_RELEASE}:4222",
    "NATS_STREAM_REPLICAS": str(nats.STREAM_REPLICAS),
    "JWT_JWKS_URL": JWKS_URL,
    "FORWARDED_ALLOW_IPS": CLUSTER_NETWORKS,
    "DOCS_ENABLED": "false",
    # The web clients' origins, for auth's refresh-cookie check; the gateway's own list is
    # written into base/gateway.yaml (none here: same origin only; docs/operations.md).
    ORIGINS_VARIABLE: "",
}
DEV_CONFIG = {"NATS_STREAM_REPLICAS": "1", "DOCS_ENABLED": "true"}
DEV_TAG = "dev"  # `docker build ... -t shopfloor-<name>:dev`, then load it into the dev cluster


def _kustomization(**fields: Any) -> dict[str, Any]:
    return {"apiVersion": KUSTOMIZE_API, "kind": "Kustomization", **fields}


def _namespace() -> dict[str, Any]:
    """Every pod of ours meets the ``restricted`` standard; the charts' pods ``baseline``."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": NAMESPACE,
            "labels": {
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            },
        },
    }


def _patch(target: dict[str, str], operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"target": target, "patch": dump(operations)}


def config(services: Sequence[str]) -> dict[str, str]:
    """The shared ConfigMap: CONFIG, and every service's cluster URL (SERVICE_URLS)."""
    urls = service_calls.service_urls(services, lambda name: f"http://{name}:{PORT}")
    return {**CONFIG, "SERVICE_URLS": urls}


def base_files(routes: Sequence[Route]) -> dict[str, str]:
    services = [route.service for route in routes]
    files = {
        "config.env": "".join(f"{key}={value}\n" for key, value in config(services).items()),
        "gateway.yaml": documents(ingress.gateway_objects(routes)),
        "nats.yaml": documents([network.nats_policy()]),
    }
    for name in services:
        objects = [
            *workloads.service_objects(name, services),
            network.service_policy(name, services),
        ]
        files[f"services/{name}.yaml"] = documents(objects)
        files[f"databases/{name}-db.yaml"] = documents(
            [postgres.cluster(name), network.database_policy(name)]
        )
    resources = [
        *(f"services/{name}.yaml" for name in services),
        *(f"databases/{name}-db.yaml" for name in services),
        "gateway.yaml",
        "nats.yaml",
    ]
    files["kustomization.yaml"] = document(
        _kustomization(
            resources=resources,
            configMapGenerator=[{"name": workloads.CONFIG_MAP, "envs": ["config.env"]}],
        )
    )
    return files


def dev_files(services: Sequence[str]) -> dict[str, str]:
    deployment_ops: list[dict[str, Any]] = [
        {
            "op": "replace",
            "path": f"/spec/template/spec/{kind}/0/imagePullPolicy",
            "value": "IfNotPresent",
        }
        for kind in ("containers", "initContainers")
    ]
    deployment_ops.append(
        {
            "op": "add",
            "path": "/metadata/annotations/checkov.io~1skip3",
            "value": "CKV_K8S_15=a dev cluster runs images loaded into it, not pulled",
        }
    )
    kustomization = _kustomization(
        namespace=NAMESPACE,
        resources=["../../base", "namespace.yaml"],
        configMapGenerator=[
            {
                "name": workloads.CONFIG_MAP,
                "behavior": "merge",
                "literals": [f"{key}={value}" for key, value in DEV_CONFIG.items()],
            }
        ],
        images=[{"name": f"shopfloor-{name}", "newTag": DEV_TAG} for name in services],
        patches=[
            _patch(
                {"kind": "HorizontalPodAutoscaler"},
                [
                    {"op": "replace", "path": "/spec/minReplicas", "value": 1},
                    {"op": "replace", "path": "/spec/maxReplicas", "value": 2},
                ],
            ),
            _patch({"kind": "Deployment"}, deployment_ops),
            _patch(
                {"group": "postgresql.cnpg.io", "kind": "Cluster"}, postgres.development_patch()
            ),
            _patch(
                {"group": "traefik.io", "kind": "Middleware", "name": "security-headers"},
                [
                    {
                        "op": "replace",
                        "path": "/spec/headers",
                        "value": ingress.development_headers(),
                    }
                ],
            ),
        ],
    )
    return {"kustomization.yaml": document(kustomization), "namespace.yaml": document(_namespace())}


def production_files(services: Sequence[str], versions: dict[str, str]) -> dict[str, str]:
    backups = [postgres.object_store(), *(postgres.scheduled_backup(name) for name in services)]
    kustomization = _kustomization(
        namespace=NAMESPACE,
        resources=["../../base", "namespace.yaml", "backups.yaml", "external-secrets.yaml"],
        images=[{"name": f"shopfloor-{name}", "newTag": versions[name]} for name in services],
        patches=[
            _patch({"group": "postgresql.cnpg.io", "kind": "Cluster"}, postgres.archiving_patch())
        ],
    )
    return {
        "kustomization.yaml": document(kustomization),
        "namespace.yaml": document(_namespace()),
        "backups.yaml": documents(backups, _BACKUP_NOTES),
        "external-secrets.yaml": documents(secrets.external_secrets()),
    }


_BACKUP_NOTES = """\
# The bucket, endpoint and retention are site values: patch the ObjectStore in your own
# overlay (docs/operations.md, "Backups"). Each cluster archives into its own folder.
"""

_HELM_NOTES = {
    "traefik.values.yaml": "# helm upgrade --install traefik traefik/traefik -n traefik --create-namespace -f deploy/k8s/helm/traefik.values.yaml\n",
    "nats.values.yaml": "# helm upgrade --install nats nats/nats -n shopfloor -f deploy/k8s/helm/nats.values.yaml\n",
    "nats.dev.values.yaml": "# helm upgrade --install nats nats/nats -n shopfloor -f deploy/k8s/helm/nats.dev.values.yaml\n",
}


def helm_files() -> dict[str, str]:
    values = {
        "traefik.values.yaml": ingress.traefik_values(),
        "nats.values.yaml": nats.nats_values(),
        "nats.dev.values.yaml": nats.nats_values(servers=1),
    }
    return {name: document(data, _HELM_NOTES[name]) for name, data in values.items()}


def k8s_files(routes: Sequence[Route], versions: dict[str, str]) -> dict[Path, str]:
    """Every file under deploy/k8s, by its path relative to deploy/k8s."""
    services = [route.service for route in routes]
    trees = {
        "base": base_files(routes),
        "overlays/dev": dev_files(services),
        "overlays/production": production_files(services, versions),
        "helm": helm_files(),
    }
    return {
        Path(tree) / name: text for tree, files in trees.items() for name, text in files.items()
    }
