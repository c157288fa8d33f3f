"""The LLM provider interface, and its first implementation: Anthropic's Messages API through
the official ``anthropic`` SDK (``AI_BASE_URL`` points it anywhere that speaks the API, a
local stub in the tests). Without ``AI_API_KEY`` there is no provider: the AI routes and
steps answer 503 "AI is not configured", the rest of intake works as before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import SecretStr

from inventory.errors import Unavailable

if TYPE_CHECKING:  # the SDK (~36 MiB) is imported when a provider first calls out
    import anthropic

NOT_CONFIGURED = "AI is not configured (set AI_API_KEY, and AI_BASE_URL for another endpoint)."


@dataclass(frozen=True)
class Message:
    role: str  # user or assistant
    content: str


@dataclass(frozen=True)
class TokenUsage:
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class Completion:
    id: str
    model: str
    content: str  # the answer's text blocks, joined
    stop_reason: str | None
    usage: TokenUsage


@dataclass(frozen=True)
class ModelInfo:
    id: str
    display_name: str
    created_at: datetime | None


class ProviderError(Exception):
    """The provider refused or did not answer; the message is safe to show."""


class AIProvider(Protocol):
    name: str
    default_model: str

    async def complete(
        self,
        *,
        model: str,
        system: str,
        messages: Sequence[Message],
        max_tokens: int,
        timeout: float,
    ) -> Completion: ...

    async def models(self) -> list[ModelInfo]: ...


class AnthropicProvider:
    name = "anthropic"

    def __init__(
        self, *, api_key: str, base_url: str | None, default_model: str, timeout: float
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.default_model = default_model
        self.timeout = timeout

    def _client(self, timeout: float) -> anthropic.AsyncAnthropic:
        import anthropic

        return anthropic.AsyncAnthropic(
            api_key=self.api_key, base_url=self.base_url, timeout=timeout, max_retries=1
        )

    async def complete(
        self,
        *,
        model: str,
        system: str,
        messages: Sequence[Message],
        max_tokens: int,
        timeout: float,
    ) -> Completion:
        import anthropic

        try:
            async with self._client(timeout) as client:
                answer = await client.messages.create(
                    model=model,
                    max_tokens=max_tokens,
                    system=system or anthropic.omit,
                    messages=[{"role": m.role, "content": m.content} for m in messages],  # type: ignore[misc]
                )
        except anthropic.APIStatusError as exc:
            raise ProviderError(
                f"The AI provider answered {exc.status_code}: {_reason(exc)}"
            ) from exc
        except anthropic.APIError as exc:  # connection, timeout, a malformed answer
            raise ProviderError(f"The AI provider did not answer ({type(exc).__name__}).") from exc
        text = "".join(
            block.text for block in answer.content if isinstance(block, anthropic.types.TextBlock)
        )
        return Completion(
            id=answer.id,
            model=answer.model,
            content=text,
            stop_reason=answer.stop_reason,
            usage=TokenUsage(answer.usage.input_tokens, answer.usage.output_tokens),
        )

    async def models(self) -> list[ModelInfo]:
        import anthropic

        try:
            async with self._client(self.timeout) as client:
                page = await client.models.list(limit=100)
                found = [
                    ModelInfo(model.id, model.display_name, model.created_at) for model in page.data
                ]
        except anthropic.APIStatusError as exc:
            raise ProviderError(
                f"The AI provider answered {exc.status_code}: {_reason(exc)}"
            ) from exc
        except anthropic.APIError as exc:
            raise ProviderError(f"The AI provider did not answer ({type(exc).__name__}).") from exc
        return found


def _reason(exc: anthropic.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(exc.message)[:300]


class AISettings(Protocol):
    @property
    def ai_api_key(self) -> SecretStr | None: ...

    @property
    def ai_base_url(self) -> str | None: ...

    @property
    def ai_model(self) -> str: ...

    @property
    def ai_timeout_seconds(self) -> float: ...


def provider_from(settings: AISettings) -> AIProvider | None:
    """The configured provider; None without ``AI_API_KEY``."""
    if settings.ai_api_key is None or not settings.ai_api_key.get_secret_value():
        return None
    return AnthropicProvider(
        api_key=settings.ai_api_key.get_secret_value(),
        base_url=settings.ai_base_url or None,
        default_model=settings.ai_model,
        timeout=settings.ai_timeout_seconds,
    )


def app_provider(state: Any, settings: AISettings) -> AIProvider | None:
    """The app's provider (a test may put its own on ``app.state.ai_provider``)."""
    if not hasattr(state, "ai_provider"):
        state.ai_provider = provider_from(settings)
    provider: AIProvider | None = state.ai_provider
    return provider


def configured(provider: AIProvider | None) -> AIProvider:
    """The provider, or 503 "AI is not configured"."""
    if provider is None:
        raise Unavailable(NOT_CONFIGURED)
    return provider
