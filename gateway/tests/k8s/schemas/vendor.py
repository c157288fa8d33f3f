"""Refresh the vendored schemas from git checkouts of their projects (run by hand, never in tests).

    python gateway/tests/k8s/schemas/vendor.py --traefik-chart DIR --cnpg DIR --barman-cloud DIR \\
        --external-secrets DIR --nats-k8s DIR

Each DIR is a git repository (a clone); the refs below are what the files were taken from.
Every CRD's served version becomes ``<group>/<kind>-<version>.json``: its openAPIV3Schema.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import yaml

HERE = Path(__file__).parent

# (project option, git ref, path of each CRD file in the repository)
CRDS = {
    "traefik_chart": (
        "v41.3.0",
        [
            "traefik/crds/traefik.io_ingressroutes.yaml",
            "traefik/crds/traefik.io_middlewares.yaml",
            "traefik/crds/traefik.io_serverstransports.yaml",
        ],
    ),
    "cnpg": (
        "v1.30.0",
        [
            "config/crd/bases/postgresql.cnpg.io_clusters.yaml",
            "config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml",
        ],
    ),
    "barman_cloud": ("v0.14.0", ["config/crd/bases/barmancloud.cnpg.io_objectstores.yaml"]),
    "external_secrets": ("v2.9.0", ["config/crds/bases/external-secrets.io_externalsecrets.yaml"]),
}
# Helm charts' default values (Helm validates defaults + ours), and Traefik's JSON schema.
VALUES = [
    ("traefik_chart", "v41.3.0", "traefik/values.schema.json", "helm/traefik.values.schema.json"),
    ("traefik_chart", "v41.3.0", "traefik/values.yaml", "helm/traefik.values.defaults.yaml"),
    ("nats_k8s", "nats-2.14.2", "helm/charts/nats/values.yaml", "helm/nats.values.defaults.yaml"),
]


def show(repo: Path, ref: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{ref}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    for option in sorted({*CRDS, *(entry[0] for entry in VALUES)}):
        parser.add_argument("--" + option.replace("_", "-"), type=Path, required=True)
    arguments = vars(parser.parse_args())
    for option, (ref, paths) in CRDS.items():
        for path in paths:
            crd = yaml.safe_load(show(arguments[option], ref, path))
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if not version.get("served"):
                    continue
                out = HERE / group / f"{kind.lower()}-{version['name']}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                schema = version["schema"]["openAPIV3Schema"]
                source = {"repository_path": path, "ref": ref}
                out.write_text(json.dumps({"source": source, "schema": schema}, sort_keys=True))
                print(f"wrote {out.relative_to(HERE)}")
    for option, ref, path, target in VALUES:
        out = HERE / target
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(show(arguments[option], ref, path))
        print(f"wrote {out.relative_to(HERE)}")


if __name__ == "__main__":
    main()
