"""PostgreSQL on Kubernetes: one CloudNativePG ``Cluster`` per service, and its backups.

Each service owns a whole cluster (``<name>-db``: three instances in production, one
synchronous standby) holding one database, ``shopfloor_<name>``, owned by the role
``<name>``. CloudNativePG writes that role's credentials to the Secret ``<name>-db-app``,
whose ``uri`` is the service's ``DATABASE_URL``: no password is ever written by hand.
Backups (production): WAL archiving and a daily base backup through the Barman Cloud
plugin to one ``ObjectStore`` (each cluster in its own folder, named after it).
docs/architecture.md says why a cluster per service and not one shared cluster.
"""

from __future__ import annotations

from typing import Any

from gateway.databases import database_name
from gateway.k8s import sizing
from gateway.k8s.objects import database_cluster, metadata

CNPG_API = "postgresql.cnpg.io/v1"
BARMAN_API = "barmancloud.cnpg.io/v1"
BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io"
OBJECT_STORE = "shopfloor-backups"
BACKUP_CREDENTIALS = "backup-object-store"  # ACCESS_KEY_ID, ACCESS_SECRET_KEY
POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:17"  # compose runs postgres:17
INSTANCES = 3
BACKUP_SCHEDULE = "0 0 3 * * *"  # daily at 03:00 UTC (CloudNativePG's cron has seconds)

# At the autoscaler's maximum, every replica's pool full (DATABASE_POOL_SIZE 10 and as many
# again in overflow: common.db) plus the relay's LISTEN, and room for a migration and a psql.
POOL_SIZE = 10
MAX_CONNECTIONS = str(sizing.MAX_REPLICAS * (2 * POOL_SIZE + 1) + 20)


def cluster(service: str) -> dict[str, Any]:
    return {
        "apiVersion": CNPG_API,
        "kind": "Cluster",
        "metadata": metadata(
            database_cluster(service),
            component="database",
            annotations={"shopfloor.io/sizing": sizing.DATABASE.source},
        ),
        "spec": {
            "description": f"{service}'s own database: no other service reads it",
            "instances": INSTANCES,
            "imageName": POSTGRES_IMAGE,
            "primaryUpdateStrategy": "unsupervised",
            "enableSuperuserAccess": False,
            "bootstrap": {"initdb": {"database": database_name(service), "owner": service}},
            "storage": {"size": "10Gi"},
            "postgresql": {
                "parameters": {"max_connections": MAX_CONNECTIONS, "shared_buffers": "128MB"},
                # A committed sale is on two nodes before the till hears "done"; with the
                # standby gone, writes go on (preferred) rather than stopping every till.
                "synchronous": {"method": "any", "number": 1, "dataDurability": "preferred"},
            },
            "affinity": {
                "enablePodAntiAffinity": True,
                "topologyKey": "kubernetes.io/hostname",
                "podAntiAffinityType": "preferred",
            },
            "resources": sizing.DATABASE.resources(),
        },
    }


def object_store() -> dict[str, Any]:
    """Where every cluster's WAL and base backups go (production; the bucket is a site value)."""
    return {
        "apiVersion": BARMAN_API,
        "kind": "ObjectStore",
        "metadata": metadata(OBJECT_STORE, component="backup"),
        "spec": {
            "configuration": {
                "destinationPath": "s3://shopfloor-backups/",
                "s3Credentials": {
                    "accessKeyId": {"name": BACKUP_CREDENTIALS, "key": "ACCESS_KEY_ID"},
                    "secretAccessKey": {"name": BACKUP_CREDENTIALS, "key": "ACCESS_SECRET_KEY"},
                },
                "wal": {"compression": "gzip"},
                "data": {"compression": "gzip"},
            },
            "retentionPolicy": "30d",
        },
    }


def archiving_patch() -> list[dict[str, Any]]:
    """JSON patch for every Cluster: archive WAL through the plugin into the object store."""
    return [
        {
            "op": "add",
            "path": "/spec/plugins",
            "value": [
                {
                    "name": BARMAN_PLUGIN,
                    "isWALArchiver": True,
                    "parameters": {"barmanObjectName": OBJECT_STORE},
                }
            ],
        }
    ]


def scheduled_backup(service: str) -> dict[str, Any]:
    name = database_cluster(service)
    return {
        "apiVersion": CNPG_API,
        "kind": "ScheduledBackup",
        "metadata": metadata(name, component="backup"),
        "spec": {
            "schedule": BACKUP_SCHEDULE,
            "immediate": True,
            "backupOwnerReference": "self",
            "cluster": {"name": name},
            "method": "plugin",
            "pluginConfiguration": {"name": BARMAN_PLUGIN},
        },
    }


def development_patch() -> list[dict[str, Any]]:
    """One instance, a small volume, no synchronous standby, no PDB (it would block drains)."""
    return [
        {"op": "replace", "path": "/spec/instances", "value": 1},
        {"op": "replace", "path": "/spec/storage/size", "value": "1Gi"},
        {"op": "remove", "path": "/spec/postgresql/synchronous"},
        {"op": "add", "path": "/spec/enablePDB", "value": False},
    ]
