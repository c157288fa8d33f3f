"""Every object each overlay renders is valid: Kubernetes' own kinds against the API schemas
(kubernetes-validate, strict: an unknown field is an error), the operators' kinds against
their CRDs' schemas (vendored in schemas/, made as strict), and the Helm values against
the charts' own schema (Traefik) or default values (NATS)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

SCHEMAS = Path(__file__).parent / "schemas"
# The oldest Kubernetes these manifests claim (deploy/README.md), and the newest the wheel knows.
KUBERNETES_VERSIONS = ("1.31", kubernetes_validate.latest_version())
OVERLAYS = ("dev", "production")


def strict(schema: Any) -> Any:
    """An OpenAPI schema where an object with declared properties takes no others, as the
    API server's strict field validation does (unless the CRD keeps unknown fields)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    tightened = {key: strict(value) for key, value in schema.items()}
    if "properties" in schema:
        tightened["properties"] = {name: strict(sub) for name, sub in schema["properties"].items()}
        if "additionalProperties" not in schema and not schema.get(
            "x-kubernetes-preserve-unknown-fields"
        ):
            tightened["additionalProperties"] = False
    return tightened


@cache
def crd_validator(api_version: str, kind: str) -> jsonschema.Draft7Validator | None:
    group, _, version = api_version.partition("/")
    path = SCHEMAS / group / f"{kind.lower()}-{version}.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text())["schema"]
    return jsonschema.Draft7Validator(strict(schema))


def validate(obj: dict[str, Any], version: str) -> str:
    """Raise on an invalid object; say which schema judged it."""
    try:
        kubernetes_validate.validate(obj, version, strict=True)
        return "kubernetes"
    except kubernetes_validate.SchemaNotFoundError:
        pass
    validator = crd_validator(obj["apiVersion"], obj["kind"])
    if validator is None:
        raise AssertionError(f"no schema for {obj['apiVersion']} {obj['kind']}: vendor its CRD")
    validator.validate(obj)
    return "crd"


def describe(obj: dict[str, Any]) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_object_is_valid(
    rendered: dict[str, list[dict[str, Any]]], overlay: str, version: str
) -> None:
    judged: dict[str, list[str]] = {"kubernetes": [], "crd": []}
    for obj in rendered[overlay]:
        try:
            judged[validate(obj, version)].append(obj["kind"])
        except (kubernetes_validate.ValidationError, jsonschema.ValidationError) as error:
            path = ".".join(str(part) for part in error.path)
            raise AssertionError(f"{overlay}: {describe(obj)} at {path}: {error.message}") from None
    assert {"Deployment", "NetworkPolicy", "HorizontalPodAutoscaler"} <= set(judged["kubernetes"])
    assert {"Cluster", "IngressRoute", "Middleware"} <= set(judged["crd"])


def first(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return copy.deepcopy(next(obj for obj in objects if obj["kind"] == kind))


def test_a_misspelt_field_is_refused_by_both_validators(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    """The checks above can fail: strict validation finds a field no schema declares."""
    deployment = first(rendered["production"], "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolice"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment, KUBERNETES_VERSIONS[0])
    cluster = first(rendered["production"], "Cluster")
    cluster["spec"]["instance"] = 3
    with pytest.raises(jsonschema.ValidationError):
        validate(cluster, KUBERNETES_VERSIONS[0])
    route = first(rendered["production"], "IngressRoute")
    route["spec"]["routes"][0]["services"][0]["port"] = {"number": 8000}
    with pytest.raises(jsonschema.ValidationError):
        validate(route, KUBERNETES_VERSIONS[0])


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def merged(defaults: Any, values: Any) -> Any:
    """Helm's coalescing of a chart's defaults with the given values (maps merge, rest replace)."""
    if isinstance(defaults, dict) and isinstance(values, dict):
        result = dict(defaults)
        for key, value in values.items():
            result[key] = merged(defaults.get(key), value)
        return result
    return values


def test_traefik_values_pass_the_charts_schema(repo_root: Path) -> None:
    ours = load(repo_root / "deploy" / "k8s" / "helm" / "traefik.values.yaml")
    defaults = load(SCHEMAS / "helm" / "traefik.values.defaults.yaml")
    schema = json.loads((SCHEMAS / "helm" / "traefik.values.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(merged(defaults, ours))]
    assert errors == []
    misspelt = merged(defaults, {**ours, "providers": {"kubernetesCRDs": {"enabled": True}}})
    assert list(validator.iter_errors(misspelt)), "the chart's schema refuses an unknown provider"


def unknown_keys(values: Any, defaults: Any, at: str = "") -> list[str]:
    """Keys of ``values`` the chart does not have; under a free-form map ({} by default) any."""
    if not isinstance(values, dict):
        return []
    if defaults == {}:
        return []
    if not isinstance(defaults, dict):
        return [at or "/"]
    found: list[str] = []
    for key, value in values.items():
        if key not in defaults:
            found.append(f"{at}.{key}")
        else:
            found += unknown_keys(value, defaults[key], f"{at}.{key}")
    return found


@pytest.mark.parametrize("values", ["nats.values.yaml", "nats.dev.values.yaml"])
def test_nats_values_use_only_the_charts_keys(repo_root: Path, values: str) -> None:
    defaults = load(SCHEMAS / "helm" / "nats.values.defaults.yaml")
    ours = load(repo_root / "deploy" / "k8s" / "helm" / values)
    assert unknown_keys(ours, defaults) == []
    assert unknown_keys({"config": {"jetStream": {"enabled": True}}}, defaults) == [
        ".config.jetStream"
    ]
