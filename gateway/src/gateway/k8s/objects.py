"""What every Kubernetes renderer shares: names, labels, ports and multi-document YAML output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from gateway.containers import GENERATED_NOTICE, SERVICE_CONTAINER_PORT

# Where Shopfloor runs, and where the operators and the gateway it relies on run.
NAMESPACE = "shopfloor"
TRAEFIK_NAMESPACE = "traefik"  # `helm install traefik traefik/traefik -n traefik`
CNPG_NAMESPACE = "cnpg-system"  # CloudNativePG's operator (and the Barman Cloud plugin)
NATS_RELEASE = "nats"  # `helm install nats nats/nats -n shopfloor`: Service `nats`, as in compose

PART_OF = "shopfloor"
API = "api"
PORT_NAME = "http"
PORT = (
    SERVICE_CONTAINER_PORT  # the image's port, the Service's port: http://auth:8000 as in compose
)
POSTGRES_PORT = 5432
NATS_CLIENT_PORT = 4222
NATS_ROUTE_PORT = 6222

# Labels the pods of the charts and operators carry (their own templates set them).
TRAEFIK_POD = {"app.kubernetes.io/name": "traefik"}
NATS_POD = {"app.kubernetes.io/name": "nats", "app.kubernetes.io/component": "nats"}
NATS_BOX_POD = {"app.kubernetes.io/name": "nats", "app.kubernetes.io/component": "nats-box"}
CNPG_OPERATOR_POD = {"app.kubernetes.io/name": "cloudnative-pg"}
DNS_POD = {"k8s-app": "kube-dns"}
API_PODS = {"app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/component": API}


def selector(name: str) -> dict[str, str]:
    """The label that picks a service's pods (stable: a Deployment's selector is immutable)."""
    return {"app.kubernetes.io/name": name}


def labels(name: str, component: str = API) -> dict[str, str]:
    return {
        **selector(name),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
    }


def metadata(
    name: str, *, component: str = API, annotations: dict[str, str] | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": labels(name, component)}
    if annotations:
        meta["annotations"] = annotations
    return meta


def database_cluster(service: str) -> str:
    """The CloudNativePG ``Cluster`` of ``service``; its pods carry ``cnpg.io/cluster: <it>``."""
    return f"{service}-db"


def database_secret(service: str) -> str:
    """The Secret CloudNativePG writes for the cluster's owner: ``uri`` is the DATABASE_URL."""
    return f"{database_cluster(service)}-app"


def in_namespace(namespace: str, pods: dict[str, str]) -> dict[str, Any]:
    """A NetworkPolicy peer: these pods of that namespace."""
    return {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
        "podSelector": {"matchLabels": pods},
    }


def tcp(*ports: int | str) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port} for port in ports]


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no types
    """Block YAML with no anchors (objects share dicts) and multi-line strings as ``|`` blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def dump(data: Any) -> str:
    text: str = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=10_000
    )
    return text


def documents(objects: Sequence[dict[str, Any]], notes: str = "") -> str:
    """Several objects in one file, ``---`` between them, after the generated notice."""
    return GENERATED_NOTICE + notes + "---\n".join(dump(obj) for obj in objects)


def document(data: dict[str, Any], notes: str = "") -> str:
    return GENERATED_NOTICE + notes + dump(data)
