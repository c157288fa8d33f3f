"""A step's answer: the step's own body when it ran in the request, else 202 with the job and
where to poll it (``Location`` too)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from inventory.queued.schemas import QueuedOut, StepJobOut

M = TypeVar("M", bound=BaseModel)
STATUS_PATH = "/api/inventory/orders/{order_id}/job-status"


@dataclass(frozen=True)
class Queued:
    """A step left to the background worker (the job row is written, not yet run)."""

    order_id: uuid.UUID
    job: Any


def accepted(queued: Queued) -> JSONResponse:
    url = STATUS_PATH.format(order_id=queued.order_id)
    body = QueuedOut(job=StepJobOut.model_validate(queued.job), status_url=url)
    return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Location": url})


ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {
        "model": QueuedOut,
        "description": "Over INTAKE_BACKGROUND_ROWS rows: queued as a background job; poll "
        "status_url (also the Location header)",
    }
}


def answer(model: type[M], value: object) -> M | JSONResponse:
    """The step's body (``model``) when it ran, the 202 when it was queued."""
    if isinstance(value, Queued):
        return accepted(value)
    return model.model_validate(value)
