"""The event catalog generated from the contracts, so the docs cannot drift from the code.

``fragment(service, published, subscriptions)`` describes one service: the payload schema
of each subject it publishes, and for each subscription the subject pattern and the
fields its own copy reads. ``merge(fragments)`` turns every service's fragment into one
AsyncAPI 3.0 document (``docs/asyncapi.yaml``); ``markdown(fragment)`` is the generated
payload tables of a service's section of ``docs/events.md``. ``shopfloor-local docs``
writes both; each service's standard tests fail when its part is stale, and when a
field its consumers require is missing from the publisher's schema.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from typing import Any

from common.events.consumer import Subscription
from common.events.contracts import Published
from common.events.envelope import Envelope

ASYNCAPI_VERSION = "3.0.0"
MARK_BEGIN = "<!-- generated from the contracts of {service} by `shopfloor-local docs` -->"
MARK_END = "<!-- end of generated {service} -->"


def _hoist(schema: dict[str, Any], prefix: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A pydantic schema without its ``$defs``, and those defs as named components."""
    defs = schema.pop("$defs", {})
    return schema, {f"{prefix}.{name}": definition for name, definition in defs.items()}


def _schema(contract: type[Any], service: str, mode: str) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = contract.model_json_schema(
        ref_template=f"#/components/schemas/{service}.{{model}}", mode=mode
    )
    return _hoist(schema, service)


def _first_paragraph(doc: str | None) -> str:
    """A docstring's first paragraph on one line (its indentation gone)."""
    return " ".join((doc or "").strip().split("\n\n")[0].split())


def fragment(
    service: str,
    published: Iterable[type[Published]],
    subscriptions: Sequence[Subscription[Any]],
) -> dict[str, Any]:
    """What one service publishes and consumes, in a form ``merge`` and the tests read."""
    sent: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for contract in published:
        schema, defs = _schema(contract, service, "serialization")
        name = f"{service}.{contract.__name__}"
        schemas[name] = schema
        schemas.update(defs)
        for subject in contract.subjects:
            sent[subject] = {
                "contract": name,
                "summary": _first_paragraph(contract.__doc__),
            }
    received = []
    for subscription in subscriptions:
        entry: dict[str, Any] = {"subscription": subscription.name, "subject": subscription.subject}
        if subscription.contract is not None:
            schema = subscription.contract.model_json_schema(mode="validation")
            entry["contract"] = subscription.contract.__name__
            entry["fields"] = sorted(schema.get("properties", {}))
            entry["required"] = sorted(schema.get("required", []))
        received.append(entry)
    return {
        "service": service,
        "publishes": dict(sorted(sent.items())),
        "consumes": sorted(received, key=lambda item: item["subscription"]),
        "schemas": dict(sorted(schemas.items())),
    }


def channel_id(subject: str) -> str:
    return re.sub(
        r"[^A-Za-z0-9_-]", "_", subject.replace(".", "_").replace("*", "any").replace(">", "all")
    )


def matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: ``*`` one token, ``>`` the rest."""
    tokens, wanted = subject.split("."), pattern.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > index
        if index >= len(tokens) or (token != "*" and not fnmatch.fnmatchcase(tokens[index], token)):
            return False
    return len(tokens) == len(wanted)


def _envelope_schema() -> dict[str, Any]:
    schema = Envelope.model_json_schema(mode="serialization")
    schema["properties"]["data"] = {"type": "object", "description": "the payload (per subject)"}
    schema["description"] = "Every event travels in this envelope; `type` is the subject."
    return schema


def merge(fragments: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One AsyncAPI document for every service's fragment."""
    fragments = sorted(fragments, key=lambda item: item["service"])
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Envelope": _envelope_schema(),
        "Headers": {
            "type": "object",
            "properties": {
                "Nats-Msg-Id": {"type": "string", "format": "uuid"},
                "traceparent": {"type": "string"},
            },
        },
    }
    publishers: dict[str, str] = {}
    for item in fragments:
        schemas.update(item["schemas"])
        for subject, sent in item["publishes"].items():
            publishers[subject] = item["service"]
            name = sent["contract"]
            messages[name] = {
                "name": name,
                "summary": sent["summary"],
                "headers": {"$ref": "#/components/schemas/Headers"},
                "payload": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Envelope"},
                        {
                            "type": "object",
                            "properties": {"data": {"$ref": f"#/components/schemas/{name}"}},
                        },
                    ]
                },
            }
            cid = channel_id(subject)
            channels[cid] = {
                "address": subject,
                "messages": {name.replace(".", "_"): {"$ref": f"#/components/messages/{name}"}},
            }
            operations[f"{item['service']}__sends__{cid}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{cid}"},
            }
    for item in fragments:
        for received in item["consumes"]:
            targets = sorted(
                subject for subject in publishers if matches(received["subject"], subject)
            )
            if not targets:  # its publisher is not built (yet): the channel still exists
                cid = channel_id(received["subject"])
                channels.setdefault(cid, {"address": received["subject"], "messages": {}})
                targets = [received["subject"]]
            for subject in targets:
                cid = channel_id(subject)
                operation: dict[str, Any] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{cid}"},
                    "x-subscription": received["subscription"],
                }
                if "contract" in received:
                    operation["x-reads"] = {
                        "contract": received["contract"],
                        "fields": received["fields"],
                        "required": received["required"],
                    }
                operations[f"{item['service']}__{received['subscription']}__{cid}"] = operation
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Shopfloor events",
            "version": "1.0.0",
            "description": (
                "Domain events on NATS JetStream, generated from each service's contracts "
                "(`shopfloor-local docs`). One stream per publishing service; every message "
                "is an Envelope with a Nats-Msg-Id header equal to its id and a W3C "
                "traceparent header."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {"local": {"host": "127.0.0.1:4222", "protocol": "nats"}},
        "channels": dict(sorted(channels.items())),
        "operations": dict(sorted(operations.items())),
        "components": {"messages": dict(sorted(messages.items())), "schemas": schemas},
    }


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1].split(".", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_of(option) for option in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def markdown(item: dict[str, Any]) -> str:
    """The payload tables of one service, between the markers of its events.md section."""
    service = item["service"]
    lines = [MARK_BEGIN.format(service=service), ""]
    by_contract: dict[str, list[str]] = {}
    for subject, sent in item["publishes"].items():
        by_contract.setdefault(sent["contract"], []).append(subject)
    for name, subjects in by_contract.items():
        schema = item["schemas"][name]
        lines.append(f"#### {', '.join(f'`{subject}`' for subject in subjects)}")
        lines.append("")
        summary = item["publishes"][subjects[0]]["summary"]
        if summary:
            lines += [summary, ""]
        lines += ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
        required = set(schema.get("required", []))
        for field, prop in schema.get("properties", {}).items():
            meaning = str(prop.get("description", "")).replace("\n", " ").replace("|", "\\|")
            lines.append(
                f"| `{field}` | {_type_of(prop)} | {'yes' if field in required else 'no'} | {meaning} |"
            )
        lines.append("")
    if item["consumes"]:
        lines += ["Consumes:", "", "| subscription | subject | reads |", "| --- | --- | --- |"]
        for received in item["consumes"]:
            reads = (
                ", ".join(f"`{field}`" for field in received.get("fields", [])) or "the envelope"
            )
            lines.append(f"| `{received['subscription']}` | `{received['subject']}` | {reads} |")
        lines.append("")
    lines.append(MARK_END.format(service=service))
    return "\n".join(lines)


def replace_block(document: str, item: dict[str, Any]) -> str:
    """``document`` with the service's generated block replaced; a missing block goes at the
    end of the service's ``## <service>`` section (or of the document when it has none)."""
    service = item["service"]
    begin, end = MARK_BEGIN.format(service=service), MARK_END.format(service=service)
    block = markdown(item)
    if begin in document and end in document:
        head, rest = document.split(begin, 1)
        _, tail = rest.split(end, 1)
        return head + block + tail
    heading = f"\n## {service}\n"
    if heading in document:
        start = document.index(heading) + len(heading)
        following = document.find("\n## ", start)
        if following != -1:
            return document[:following].rstrip("\n") + "\n\n" + block + "\n" + document[following:]
    return document.rstrip("\n") + "\n\n" + block + "\n"


def consumer_gaps(document: dict[str, Any], service: str) -> list[str]:
    """Fields ``service``'s consumers require that the publisher's schema does not promise."""
    schemas = document["components"]["schemas"]
    gaps: list[str] = []
    for key, operation in document["operations"].items():
        if not key.startswith(f"{service}__") or operation["action"] != "receive":
            continue
        reads = operation.get("x-reads")
        channel = document["channels"][operation["channel"]["$ref"].rsplit("/", 1)[-1]]
        for message in channel["messages"].values():
            name = message["$ref"].rsplit("/", 1)[-1]
            schema = schemas[name]
            promised = set(schema.get("properties", {}))
            always = set(schema.get("required", []))
            for field in (reads or {}).get("required", []):
                if field not in promised:
                    gaps.append(f"{key}: {channel['address']} has no field {field!r}")
                elif field not in always:
                    gaps.append(
                        f"{key}: {channel['address']} may omit {field!r}, which it requires"
                    )
    return gaps
