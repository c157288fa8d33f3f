"""JWT verification every service does itself, and the auth dependencies routes declare.

Tokens are EdDSA-signed by auth. We pin the algorithm, require ``exp iat iss aud
sub jti typ``, and never accept a refresh token where an access token is due.
Public keys come from configuration or from auth's JWKS (cached; an unknown
``kid`` triggers one refetch, at most once per interval).

Three token types: ``access`` (a person), ``refresh`` (auth's own business) and
``service`` (another service acting as itself: ``sub`` is its client name,
``scopes`` what auth granted it). Routes for people (``CurrentUser``,
``require_roles``) refuse a service token with 403; a route a service may call
says so with ``require_scopes("users:create", or_roles=[Role.system_admin])``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jwt import PyJWK, PyJWKSet
from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from common.errors import PermissionDenied, Unauthenticated
from common.roles import Caller, Principal, Role, ServicePrincipal

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti", "typ"]
ACCESS = "access"
REFRESH = "refresh"
SERVICE = "service"


class InvalidToken(Exception):
    """The token is not one we accept; the message says why (safe to show)."""


class KeyStore:
    """Verification keys by ``kid``: static PEM/JWKS from config, or fetched from a JWKS URL."""

    def __init__(
        self,
        *,
        jwks_url: str | None = None,
        static_keys: dict[str, PyJWK] | None = None,
        refetch_interval: float = 30.0,
    ) -> None:
        self.jwks_url = jwks_url
        self._keys: dict[str, PyJWK] = dict(static_keys or {})
        self._refetch_interval = refetch_interval
        self._last_fetch = float("-inf")
        self._lock = asyncio.Lock()

    @classmethod
    def from_config(
        cls, *, jwks_url: str | None, public_keys: str | None, refetch_interval: float = 30.0
    ) -> KeyStore:
        static: dict[str, PyJWK] = {}
        if public_keys:
            static = parse_public_keys(public_keys)
        return cls(jwks_url=jwks_url, static_keys=static, refetch_interval=refetch_interval)

    def add_jwks(self, jwks: dict[str, Any]) -> None:
        for key in PyJWKSet.from_dict(jwks).keys:
            if key.key_id:
                self._keys[key.key_id] = key

    async def get(self, kid: str | None) -> PyJWK:
        if kid and kid in self._keys:
            return self._keys[kid]
        if kid is None and len(self._keys) == 1 and not self.jwks_url:
            return next(iter(self._keys.values()))
        await self._refetch()
        if kid and kid in self._keys:
            return self._keys[kid]
        raise InvalidToken("token signed with an unknown key")

    async def _refetch(self) -> None:
        if not self.jwks_url:
            return
        async with self._lock:
            if time.monotonic() - self._last_fetch < self._refetch_interval:
                return
            self._last_fetch = time.monotonic()
            try:
                async for attempt in AsyncRetrying(
                    stop=stop_after_attempt(3),
                    wait=wait_exponential(multiplier=0.1, max=1),
                    reraise=True,
                ):
                    with attempt:
                        async with httpx.AsyncClient(timeout=3.0) as client:
                            response = await client.get(self.jwks_url)
                            response.raise_for_status()
                self.add_jwks(response.json())
            except (httpx.HTTPError, ValueError, jwt.PyJWTError):
                # Keys we had stay valid; a token with a new kid is refused until auth answers.
                return


def parse_public_keys(value: str) -> dict[str, PyJWK]:
    """``JWT_PUBLIC_KEYS``: a JWKS JSON document, or one or more PEM public keys."""
    value = value.strip()
    if value.startswith("{"):
        keys = PyJWKSet.from_dict(json.loads(value)).keys
        return {key.key_id or f"key-{index}": key for index, key in enumerate(keys)}
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from common.jwk import public_jwk

    found: dict[str, PyJWK] = {}
    for block in value.split("-----END PUBLIC KEY-----"):
        if "BEGIN PUBLIC KEY" not in block:
            continue
        pem = (block.strip() + "\n-----END PUBLIC KEY-----\n").encode()
        jwk = public_jwk(load_pem_public_key(pem))
        found[jwk["kid"]] = PyJWK.from_dict(jwk)
    return found


class TokenVerifier:
    """Checks signature, algorithm, required claims, issuer, audience and token type.

    The callers of bearer tokens already verified are kept (``cache_size`` of the
    most recent, each until its ``exp``): a client sends the same token on every
    request, and its signature, once good, stays good. Revocation is not cached;
    the app's ``principal_check`` runs on every request."""

    LEEWAY_SECONDS = 5

    def __init__(
        self,
        keys: KeyStore,
        *,
        issuer: str,
        audience: str,
        algorithm: str = "EdDSA",
        cache_size: int = 4096,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.algorithm = algorithm
        self.cache_size = cache_size
        self._verified: OrderedDict[str, Caller] = OrderedDict()

    async def decode(
        self, token: str, *, expected_type: str | tuple[str, ...] = ACCESS
    ) -> dict[str, Any]:
        """The verified claims; ``InvalidToken`` (saying why) unless ``typ`` is one expected."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed token") from exc
        if header.get("alg") != self.algorithm:
            raise InvalidToken("token algorithm not accepted")
        key = await self.keys.get(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
                leeway=self.LEEWAY_SECONDS,
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("token has expired") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"token is invalid: {exc}") from exc
        expected = (expected_type,) if isinstance(expected_type, str) else expected_type
        if claims.get("typ") not in expected:
            others = "".join(f" (or a {other} token)" for other in expected[1:])
            raise InvalidToken(f"an {expected[0]} token is required{others}")
        return claims

    async def principal(self, token: str) -> Principal:
        """The person an access token names (a service token is refused)."""
        caller = self.caller_from(await self.decode(token, expected_type=ACCESS))
        if not isinstance(caller, Principal):
            raise InvalidToken("an access token is required")
        return caller

    async def caller(self, token: str) -> Caller:
        """The person (access token) or service (service token) a bearer token names."""
        known = self._verified.get(token)
        if known is not None and known.expires_at is not None:
            if known.expires_at.timestamp() + self.LEEWAY_SECONDS >= time.time():
                self._verified.move_to_end(token)
                return known
            del self._verified[token]
        caller = self.caller_from(await self.decode(token, expected_type=(ACCESS, SERVICE)))
        self._verified[token] = caller
        if len(self._verified) > self.cache_size:
            self._verified.popitem(last=False)
        return caller

    @staticmethod
    def caller_from(claims: dict[str, Any]) -> Caller:
        expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
        issued_at = float(claims["iat"])
        if claims["typ"] == SERVICE:
            scopes = claims.get("scopes", [])
            if not isinstance(scopes, list):
                raise InvalidToken("token scopes must be a list")
            return ServicePrincipal(
                client=str(claims["sub"]),
                scopes=frozenset(str(scope) for scope in scopes),
                token_id=str(claims["jti"]),
                expires_at=expires_at,
                issued_at=issued_at,
            )
        try:
            role = Role(str(claims.get("role")))
        except ValueError as exc:
            raise InvalidToken("token carries an unknown role") from exc
        family = claims.get("fam")
        return Principal(
            user_id=str(claims["sub"]),
            role=role,
            store_ids=frozenset(str(store) for store in claims.get("stores", [])),
            email=claims.get("email"),
            token_id=str(claims["jti"]),
            expires_at=expires_at,
            issued_at=issued_at,
            session_id=str(family) if family else None,
        )


_bearer = HTTPBearer(auto_error=False)


def get_verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


async def optional_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller | None:
    """Whoever the bearer token names (person or service), checked by the app's
    ``principal_check`` (revocations); None without a token, 401 for a bad one."""
    if credentials is None:
        return None
    try:
        caller = await get_verifier(request).caller(credentials.credentials)
    except InvalidToken as exc:
        raise Unauthenticated(str(exc)) from exc
    check = getattr(request.app.state, "principal_check", None)
    if check is not None:
        await check(request, caller)
    request.state.principal = caller
    return caller


def _person(caller: Caller | None) -> Principal | None:
    if isinstance(caller, ServicePrincipal):
        raise PermissionDenied("This route is for people: a service token is not accepted here.")
    return caller


async def optional_user(
    caller: Annotated[Caller | None, Depends(optional_caller)],
) -> Principal | None:
    return _person(caller)


async def current_user(principal: Annotated[Principal | None, Depends(optional_user)]) -> Principal:
    if principal is None:
        raise Unauthenticated()
    return principal


async def current_caller(caller: Annotated[Caller | None, Depends(optional_caller)]) -> Caller:
    if caller is None:
        raise Unauthenticated()
    return caller


OptionalUser = Annotated[Principal | None, Depends(optional_user)]
CurrentUser = Annotated[Principal, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """Dependency: the caller holds one of ``roles`` or a role above it (401 anonymous, 403 below).

    A service token is refused (403): declare the route's scope with ``require_scopes``."""

    async def dependency(principal: CurrentUser) -> Principal:
        if not principal.has_role(*roles):
            raise PermissionDenied()
        return principal

    dependency.__name__ = "require_" + "_or_".join(role.value for role in roles)
    return dependency


def require_scopes(
    *scopes: str, or_roles: Sequence[Role] = ()
) -> Callable[[Caller], Coroutine[Any, Any, Caller]]:
    """Dependency: a service granted every one of ``scopes``, or a person holding one of
    ``or_roles`` (none given: services only). 401 anonymous, 403 otherwise."""
    if not scopes:
        raise ValueError("require_scopes needs at least one scope")

    async def dependency(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
        if isinstance(caller, ServicePrincipal):
            if not caller.has_scopes(*scopes):
                raise PermissionDenied(
                    f"This service token lacks the scope {' and '.join(scopes)}."
                )
            return caller
        if or_roles and caller.has_role(*or_roles):
            return caller
        raise PermissionDenied()

    dependency.__name__ = "require_scopes_" + "_".join(scopes).replace(":", "_")
    return dependency


AdminUser = Annotated[Principal, Depends(require_roles(Role.system_admin))]
BranchHeadUser = Annotated[Principal, Depends(require_roles(Role.branch_head))]
StaffUser = Annotated[Principal, Depends(require_roles(Role.advisor))]
