"""Typed event contracts: the payload a service publishes, and its own trimmed copy of each
payload it consumes (DESIGN.md "Contracts between services").

A published contract names its subjects and forbids unknown fields, so a publisher cannot
send what it did not declare::

    class ItemSold(Published, subjects=("pos.item.sold",)):
        sale_id: uuid.UUID
        sku: str
        unit_price: Amount

A consumer declares only the fields it reads and ignores the rest, so a publisher may add
fields without breaking anyone::

    class ItemSold(Consumed):
        sale_id: uuid.UUID
        sku: str

No contract of any service lives in ``common``; only these bases and the machinery that
checks them (the outbox validates what is published, the consumer validates what arrives
before the handler runs and dead-letters a payload that does not validate, at once).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from common.events.envelope import Envelope


class Contract(BaseModel):
    """The payload (``data``) of an event."""

    model_config = ConfigDict(extra="ignore")


class Published(Contract):
    """What a service publishes: every field declared, unknown fields refused.

    ``subjects`` lists the subjects that carry this payload (one shape may serve several,
    e.g. ``auth.user.created`` and ``auth.user.updated``).
    """

    # Every field is always on the wire (defaults included): the schema says so.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)
    subjects: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, subjects: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if subjects:
            cls.subjects = tuple(subjects)

    def payload(self) -> dict[str, Any]:
        """The JSON form that goes on the wire (money as strings, ids as strings)."""
        return self.model_dump(mode="json")

    @classmethod
    def of(cls, record: Any, **values: Any) -> Self:
        """This event of ``record`` (a row): each declared field not in ``values`` is the
        record's attribute of that name; ``values`` give the rest (the record's id under
        the event's name for it, ``changed``). A column the contract does not declare
        stays off the wire."""
        read = {
            name: getattr(record, name)
            for name in cls.model_fields
            if name not in values and hasattr(record, name)
        }
        return cls.model_validate({**read, **values})


class Consumed(Contract):
    """A consumer's own copy of an event it reads: only the fields it uses; the rest ignored."""


class OpenPayload(Consumed):
    """Any payload, kept whole (for consumers that store events as they came, like audit)."""

    model_config = ConfigDict(extra="allow")


C = TypeVar("C", bound=Contract)


@dataclass(frozen=True)
class Event(Generic[C]):
    """A delivered event whose payload passed its contract: what a handler receives."""

    envelope: Envelope
    data: C

    @property
    def id(self) -> Any:
        return self.envelope.id

    @property
    def type(self) -> str:
        return self.envelope.type

    @property
    def actor(self) -> str | None:
        return self.envelope.actor

    @property
    def time(self) -> datetime:
        return self.envelope.time

    @property
    def verb(self) -> str:
        """The last part of the subject: ``created`` of ``catalog.store.created``."""
        return self.envelope.type.rsplit(".", 1)[-1]


class ContractViolation(Exception):
    """A payload does not match its contract; the message names every field at fault."""

    def __init__(self, subject: str, contract: type[Contract], error: ValidationError) -> None:
        self.subject = subject
        self.contract = contract
        self.errors = error.errors(include_url=False, include_input=False)
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(payload)'}: {item['msg']}"
            for item in self.errors
        )
        super().__init__(f"{subject} does not match {contract.__name__}: {problems}")


def parse(contract: type[C], subject: str, data: dict[str, Any]) -> C:
    """Validate ``data`` against ``contract`` or raise ``ContractViolation``."""
    try:
        return contract.model_validate(data)
    except ValidationError as exc:
        raise ContractViolation(subject, contract, exc) from exc


class PublishedContracts:
    """The contracts a service publishes, by subject (subjects may be shell-style patterns)."""

    def __init__(self, contracts: Iterable[type[Published]]) -> None:
        self.contracts = list(contracts)
        self._exact: dict[str, type[Published]] = {}
        for contract in self.contracts:
            if not contract.subjects:
                raise ValueError(f"{contract.__name__} declares no subjects")
            for subject in contract.subjects:
                if subject in self._exact:
                    raise ValueError(f"{subject} is declared by two contracts")
                self._exact[subject] = contract

    def subjects(self) -> list[str]:
        return sorted(self._exact)

    def for_subject(self, subject: str) -> type[Published]:
        found = self._exact.get(subject)
        if found is not None:
            return found
        for pattern, contract in self._exact.items():
            if fnmatch.fnmatchcase(subject, pattern):
                return contract
        raise ValueError(
            f"no published contract declares {subject!r}; declared: {', '.join(self.subjects())}"
        )

    def validate(self, subject: str, data: dict[str, Any] | Published) -> dict[str, Any]:
        """The wire payload of ``data`` once it has passed the contract of ``subject``."""
        contract = self.for_subject(subject)
        if isinstance(data, Published):
            if not isinstance(data, contract):
                raise ValueError(
                    f"{subject} carries {contract.__name__}, not {type(data).__name__}"
                )
            return data.payload()
        return parse(contract, subject, data).payload()
