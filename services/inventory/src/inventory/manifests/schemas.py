"""Manifest bodies: the upload's summary, raw rows, previews and the standardising request."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt
from pydantic.config import JsonDict

from inventory.orders.schemas import OrderOut
from inventory.templates.schemas import Mappings

PREVIEW_ROWS = 10
MAPPINGS_EXAMPLE: JsonDict = {
    "title": "[Item Description] | trim",
    "brand": "[Brand] | trim",
    "upc": "[UPC]",
    "quantity": "[Qty] | integer",
    "unit_cost": "[Unit Cost] | money",
    "condition": '[Grade] | lookup("A=like_new; B=good; C=fair", "good")',
    "spec.storage": 'regex_extract([Item Description], "(\\d+) ?GB", 1)',
}


class ManifestOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
                "order_id": "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716",
                "filename": "lot-4471.csv",
                "file_type": "csv",
                "encoding": "utf-8",
                "delimiter": ",",
                "size": 48211,
                "headers": ["Item Description", "Brand", "UPC", "Qty", "Unit Cost", "Grade"],
                "header_signature": "9c1a" + "0" * 60,
                "row_count": 412,
                "template_id": None,
                "preview": [["APPLE IPHONE 13 128GB", "Apple", "194252707722", "2", "210.00", "B"]],
                "mappings": {},
                "uploaded_by": "advisor-7",
                "uploaded_at": "2026-11-22T09:00:00Z",
                "standardized_at": None,
                "matched_at": None,
                "priced_at": None,
                "finalized_at": None,
                "items_created_at": None,
            }
        },
    )

    id: uuid.UUID
    order_id: uuid.UUID
    filename: str
    file_type: str = Field(description="csv or xlsx (by content)")
    encoding: str = Field(description="As sniffed: utf-8, utf-8-sig, utf-16, windows-1252, latin-1")
    delimiter: str
    size: int
    headers: list[str]
    header_signature: str
    row_count: int
    template_id: uuid.UUID | None = Field(description="The template recognised by the signature")
    preview: list[list[str]] = Field(description=f"The first {PREVIEW_ROWS} rows")
    mappings: dict[str, str] = Field(description="The mappings process-manifest used")
    uploaded_by: str | None
    uploaded_at: datetime
    standardized_at: datetime | None
    matched_at: datetime | None
    priced_at: datetime | None
    finalized_at: datetime | None
    items_created_at: datetime | None


class IntakeOrderOut(OrderOut):
    manifest: ManifestOut | None = None


class RawRowOut(BaseModel):
    row_no: int
    cells: list[str]


class StandardColumnOut(BaseModel):
    name: str
    kind: str
    description: str
    required: bool


class FunctionOut(BaseModel):
    name: str
    signature: str
    description: str
    example: str


class TemplateRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    mappings: dict[str, str]


class ManifestRowsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "headers": ["Item Description", "Brand", "UPC", "Qty", "Unit Cost", "Grade"],
                "header_signature": "9c1a" + "0" * 60,
                "total_rows": 412,
                "matching_rows": 3,
                "rows": [{"row_no": 1, "cells": ["APPLE IPHONE 13 128GB", "Apple", "194252707722", "2", "210.00", "B"]}],
                "template": None,
                "mappings": MAPPINGS_EXAMPLE,
                "standard_columns": [
                    {"name": "title", "kind": "text", "description": "What the unit is called on the shelf", "required": True}
                ],
                "functions": [
                    {"name": "trim", "signature": "trim(text)", "description": "Strip and collapse whitespace (empty → nothing).", "example": "[Item Description] | trim"}
                ],
            }
        }
    )  # fmt: skip

    headers: list[str]
    header_signature: str
    total_rows: int
    matching_rows: int = Field(description="Rows the search matched (all without one)")
    rows: list[RawRowOut]
    template: TemplateRef | None
    mappings: dict[str, str] = Field(description="The last mappings used, else the template's")
    standard_columns: list[StandardColumnOut]
    functions: list[FunctionOut]


class PreviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"mappings": MAPPINGS_EXAMPLE, "search_term": "iphone", "limit": 20}
        },
    )

    mappings: Mappings | None = Field(default=None, description="Default: the template's")
    search_term: str | None = Field(default=None, max_length=200)
    limit: StrictInt = Field(default=50, ge=1, le=500)


class StandardRowOut(BaseModel):
    row_no: int
    values: dict[str, Any]
    specs: dict[str, str]
    errors: dict[str, str] = Field(description="Standard column → why its value could not be read")


class PreviewOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total_rows": 412,
                "valid_rows": 410,
                "invalid_rows": 2,
                "matching_rows": 3,
                "errors_by_column": {"unit_cost": 2},
                "rows": [
                    {
                        "row_no": 1,
                        "values": {"title": "APPLE IPHONE 13 128GB", "quantity": 2, "unit_cost": "210.0000"},
                        "specs": {"storage": "128"},
                        "errors": {},
                    }
                ],
            }
        }
    )  # fmt: skip

    total_rows: int
    valid_rows: int
    invalid_rows: int
    matching_rows: int
    errors_by_column: dict[str, int]
    rows: list[StandardRowOut]


class SaveTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class ProcessIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"mappings": MAPPINGS_EXAMPLE, "skip_invalid": False, "save_template": {"name": "Lot layout"}}
        },
    )  # fmt: skip

    mappings: Mappings | None = Field(default=None, description="Default: the template's")
    skip_invalid: StrictBool = Field(
        default=False, description="Leave out rows that do not standardise (else 422 naming them)"
    )
    save_template: SaveTemplate | None = Field(
        default=None, description="Save these mappings as the template of this header layout"
    )


class ProcessOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {"rows_written": 410, "rows_skipped": 2, "units": 431, "template_id": None}
        },
    )

    rows_written: int
    rows_skipped: int
    units: int = Field(description="The sum of the rows' quantities")
    template_id: uuid.UUID | None


class ClearedOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"cleared": 410}})

    cleared: int = Field(description="Rows deleted or changed")


class SuggestIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"use_ai": True}})

    use_ai: StrictBool = Field(default=True, description="Ask the AI first when it is configured")


class SuggestOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "source": "headers",
                "mappings": {"title": "[Item Description] | trim", "quantity": "[Qty] | integer"},
                "unmapped": ["model", "retail_price"],
            }
        }
    )

    source: str = Field(description="ai, or headers (deterministic matching of header names)")
    mappings: dict[str, str]
    unmapped: list[str] = Field(description="Standard columns no header was found for")
