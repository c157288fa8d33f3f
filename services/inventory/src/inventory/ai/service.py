"""The AI proxy's rules: a configured provider (503 otherwise), a per-user rate limit, and a
``max_tokens`` cap (422 naming it); the provider's own failures are a 502 saying so."""

from __future__ import annotations

from common.errors import DomainError, field_error
from common.roles import Principal
from inventory.ai.provider import AIProvider, Completion, Message, ProviderError, configured
from inventory.ai.schemas import ChatIn, ModelOut
from inventory.ai.throttle import Throttle


class BadGateway(DomainError):
    status_code = 502


class ChatService:
    def __init__(
        self,
        provider: AIProvider | None,
        throttle: Throttle,
        *,
        max_tokens: int,
        timeout: float,
    ) -> None:
        self.provider = provider
        self.throttle = throttle
        self.max_tokens = max_tokens
        self.timeout = timeout

    async def chat(self, body: ChatIn, caller: Principal) -> Completion:
        provider = configured(self.provider)
        if body.max_tokens > self.max_tokens:
            raise field_error("max_tokens", f"At most {self.max_tokens} tokens (AI_MAX_TOKENS).")
        await self.throttle.hit("ai_chat", caller.user_id)
        try:
            return await provider.complete(
                model=body.model or provider.default_model,
                system=body.system,
                messages=[
                    Message(message.role.value, message.content) for message in body.messages
                ],
                max_tokens=body.max_tokens,
                timeout=self.timeout,
            )
        except ProviderError as exc:
            raise BadGateway(str(exc)) from exc

    async def models(self) -> list[ModelOut]:
        provider = configured(self.provider)
        try:
            found = await provider.models()
        except ProviderError as exc:
            raise BadGateway(str(exc)) from exc
        return [
            ModelOut(
                id=model.id,
                display_name=model.display_name,
                created_at=model.created_at,
                default=model.id == provider.default_model,
                max_tokens=self.max_tokens,
            )
            for model in found
        ]
