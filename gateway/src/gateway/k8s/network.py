"""Who may talk to whom: one NetworkPolicy per service, per database cluster, and for NATS.

A service's pods accept connections from the gateway (Traefik's pods in their namespace)
and from the services that call it (``gateway.service_calls``: POS → inventory, inventory →
catalog, catalog → every service's /healthz) — and auth's from every service, which fetch its
JWKS and service tokens. They may open connections to their own database cluster, to NATS,
to auth (not auth itself), to the services they call, and to the cluster DNS, nothing else. A database cluster's pods accept its service, each
other (replication) and the CloudNativePG operator; NATS accepts the services, its own
peers and nats-box. Kubelet probes are node traffic, which NetworkPolicies leave alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway import service_calls
from gateway.k8s.objects import (
    API_PODS,
    CNPG_NAMESPACE,
    CNPG_OPERATOR_POD,
    DNS_POD,
    NATS_BOX_POD,
    NATS_CLIENT_PORT,
    NATS_POD,
    NATS_ROUTE_PORT,
    PORT,
    POSTGRES_PORT,
    TRAEFIK_NAMESPACE,
    TRAEFIK_POD,
    database_cluster,
    in_namespace,
    metadata,
    selector,
    tcp,
)

CNPG_STATUS_PORT = 8000  # the instance manager's status endpoint the operator polls
JWKS_ISSUER = "auth"

DNS_EGRESS = {
    "to": [in_namespace("kube-system", DNS_POD)],
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}


def _policy(
    name: str, pods: dict[str, str], *, ingress: list[Any], egress: list[Any] | None = None
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "podSelector": {"matchLabels": pods},
        "policyTypes": ["Ingress"] if egress is None else ["Ingress", "Egress"],
        "ingress": ingress,
    }
    if egress is not None:
        spec["egress"] = egress
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(name, component="network-policy"),
        "spec": spec,
    }


def service_policy(name: str, services: Sequence[str]) -> dict[str, Any]:
    callers: list[dict[str, Any]] = [in_namespace(TRAEFIK_NAMESPACE, TRAEFIK_POD)]
    if name == JWKS_ISSUER:
        callers.append({"podSelector": {"matchLabels": API_PODS}})
    else:
        callers += [
            {"podSelector": {"matchLabels": selector(other)}}
            for other in services
            if name in service_calls.reaches(other, services)
        ]
    egress: list[dict[str, Any]] = [
        DNS_EGRESS,
        {
            "to": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": database_cluster(name)}}}],
            "ports": tcp(POSTGRES_PORT),
        },
        {"to": [{"podSelector": {"matchLabels": NATS_POD}}], "ports": tcp(NATS_CLIENT_PORT)},
    ]
    reached = [other for other in service_calls.reaches(name, services) if other != JWKS_ISSUER]
    if name != JWKS_ISSUER:
        reached.insert(0, JWKS_ISSUER)
    egress += [
        {"to": [{"podSelector": {"matchLabels": selector(other)}}], "ports": tcp(PORT)}
        for other in reached
    ]
    return _policy(
        name,
        selector(name),
        ingress=[{"from": callers, "ports": tcp(PORT)}],
        egress=egress,
    )


def database_policy(service: str) -> dict[str, Any]:
    """Only its service, its own instances and the operator reach a database cluster."""
    cluster = {"cnpg.io/cluster": database_cluster(service)}
    return _policy(
        database_cluster(service),
        cluster,
        ingress=[
            {
                "from": [{"podSelector": {"matchLabels": selector(service)}}],
                "ports": tcp(POSTGRES_PORT),
            },
            {
                "from": [{"podSelector": {"matchLabels": cluster}}],
                "ports": tcp(POSTGRES_PORT, CNPG_STATUS_PORT),
            },
            {
                "from": [in_namespace(CNPG_NAMESPACE, CNPG_OPERATOR_POD)],
                "ports": tcp(POSTGRES_PORT, CNPG_STATUS_PORT),
            },
        ],
    )


def nats_policy() -> dict[str, Any]:
    return _policy(
        "nats",
        NATS_POD,
        ingress=[
            {
                "from": [
                    {"podSelector": {"matchLabels": API_PODS}},
                    {"podSelector": {"matchLabels": NATS_BOX_POD}},
                ],
                "ports": tcp(NATS_CLIENT_PORT),
            },
            {
                "from": [{"podSelector": {"matchLabels": NATS_POD}}],
                "ports": tcp(NATS_CLIENT_PORT, NATS_ROUTE_PORT),
            },
        ],
    )
