"""Partial updates (PUT/PATCH bodies): a field left out is unchanged, ``null`` only where
the field may be empty.

Subclass ``PartialUpdate`` and declare every field with ``None`` as its default. A client
sending ``"email": null`` for a field that cannot be empty gets a 422 naming the field
(never a NOT NULL failure at the database, reported as something else). Fields that
may be cleared say so with ``Nullable``::

    class StoreUpdate(PartialUpdate):
        name: str | None = Field(default=None, min_length=1)
        phone: Nullable[str] = None          # "phone": null clears it

``changes(body)`` is what the client sent; ``apply_changes(row, body)`` writes it onto a
row and returns the names of the fields whose value changed (``assign(row, values)`` the
same for values a service worked out from the body).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

T = TypeVar("T")


class _MayBeNull:
    """Marker: this field of a partial update accepts an explicit ``null`` (clears it)."""

    def __repr__(self) -> str:
        return "Nullable"


NULLABLE = _MayBeNull()
Nullable = Annotated[T | None, NULLABLE]


def _document_nulls(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """OpenAPI says what the validator does: ``null`` only on ``Nullable`` fields."""
    for name, prop in schema.get("properties", {}).items():
        field = model.model_fields.get(name)
        if field is None or _accepts_null(field.metadata):
            continue
        options = prop.get("anyOf")
        if isinstance(options, list):
            kept = [option for option in options if option.get("type") != "null"]
            if len(kept) == 1:
                prop.pop("anyOf")
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
        prop.pop("default", None)


def _accepts_null(metadata: list[Any]) -> bool:
    return any(isinstance(meta, _MayBeNull) for meta in metadata)


class PartialUpdate(BaseModel):
    """Base of PUT/PATCH bodies: unknown fields refused, explicit nulls only where allowed.

    The schema's documentation of nulls is applied after pydantic builds it, so a subclass
    may set its own ``json_schema_extra`` (examples) without losing it."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        _document_nulls(target, cls)
        return schema

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if (
            value is None
            and info.field_name is not None
            and not _accepts_null(cls.model_fields[info.field_name].metadata)
        ):
            raise PydanticCustomError(
                "null_not_allowed",
                "{field} cannot be null; leave it out to keep the current value",
                {"field": info.field_name},
            )
        return value


def changes(body: BaseModel) -> dict[str, Any]:
    """The fields the client sent (and only those), as Python values."""
    return body.model_dump(exclude_unset=True)


def assign(target: Any, values: dict[str, Any]) -> list[str]:
    """Set each of ``values`` on ``target``; the names of those whose value changed, sorted
    (what an ``updated`` event's ``changed`` says)."""
    changed = []
    for field, value in values.items():
        if getattr(target, field) != value:
            setattr(target, field, value)
            changed.append(field)
    return sorted(changed)


def apply_changes(target: Any, body: BaseModel, *, skip: frozenset[str] = frozenset()) -> set[str]:
    """Set each sent field on ``target``; the names of those whose value changed."""
    sent = {field: value for field, value in changes(body).items() if field not in skip}
    return set(assign(target, sent))
