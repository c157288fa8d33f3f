"""Seed 002 /api/ai (staff): a chat proxy to the configured provider, and its models."""

from __future__ import annotations

from fastapi import APIRouter

from common.openapi import described
from common.security import StaffUser
from inventory.ai.schemas import ChatIn, ChatOut, ModelOut
from inventory.deps import ChatServiceDep

router = APIRouter(prefix="/api/ai", tags=["ai"])
AI_ERRORS = described(
    r429="Over the caller's AI_CHAT_RATE",
    r502="The provider refused or did not answer",
    r503="AI is not configured",
)


@router.post(
    "/chat", summary="Send a chat to the AI provider (Messages API shape)", responses=AI_ERRORS
)
async def chat(body: ChatIn, caller: StaffUser, ai: ChatServiceDep) -> ChatOut:
    return ChatOut.model_validate(await ai.chat(body, caller))


@router.get(
    "/models",
    summary="The provider's models (display names, the default, the cap)",
    responses=AI_ERRORS,
)
async def models(_: StaffUser, ai: ChatServiceDep) -> list[ModelOut]:
    return await ai.models()
