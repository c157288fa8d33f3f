"""NATS on Kubernetes: values for the official chart (nats/nats), a JetStream cluster of three.

Released as ``nats`` in the services' namespace, its Service is ``nats``: the services'
``NATS_URL`` is ``nats://nats:4222``, as in compose. Three servers, one per node, each
with its file store on a volume; the services create their streams with
``NATS_STREAM_REPLICAS=3`` (``common.events.bus``), so a stream survives one server lost.
The development values run one server (and the dev overlay one replica per stream).
"""

from __future__ import annotations

from typing import Any

from gateway.k8s import sizing

CLUSTER_SIZE = 3
STREAM_REPLICAS = 3


def nats_values(*, servers: int = CLUSTER_SIZE) -> dict[str, Any]:
    clustered = servers > 1
    config: dict[str, Any] = {
        "cluster": {"enabled": clustered, "replicas": servers},
        "jetstream": {"enabled": True, "fileStore": {"enabled": True, "pvc": {"size": "10Gi"}}},
        "monitor": {"enabled": True},
    }
    values: dict[str, Any] = {
        "config": config,
        "container": {
            "resources": sizing.NATS.resources(),
            # The Go runtime collects before the container's memory limit is reached.
            "env": {"GOMEMLIMIT": "400MiB"},
        },
        "podDisruptionBudget": {"enabled": True},
        "natsBox": {"enabled": True},  # `kubectl exec deploy/nats-box -- nats stream ls`
    }
    if clustered:
        values["podTemplate"] = {
            "topologySpreadConstraints": {
                "kubernetes.io/hostname": {"maxSkew": 1, "whenUnsatisfiable": "DoNotSchedule"}
            }
        }
    return values
