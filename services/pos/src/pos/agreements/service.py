"""Consignment agreements, versioned: the first version is active at once; editing an
active version writes the next one (version + 1, ``supersedes_id``) and supersedes the old,
so items taken in under the old keep its terms. Ending (DELETE) is soft: no new items."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import changes
from pos.agreements.repository import AgreementRepository
from pos.agreements.schemas import AgreementIn, AgreementUpdate
from pos.consignees.repository import ConsigneeRepository
from pos.consignment.models import Agreement, AgreementStatus, ConsigneeStatus
from pos.consignment.published import agreement_event
from pos.consignment.terms import tier_problem
from pos.events.outbox import outbox

TERMS = (
    "share_percent",
    "tiers",
    "category_shares",
    "starts_on",
    "expires_on",
    "minimum_payout",
    "fee_per_item",
    "notes",
)


class AgreementService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.agreements = AgreementRepository(session)
        self.consignees = ConsigneeRepository(session)
        self.session = session
        self.actor = actor

    async def listing(
        self,
        page: PageParams,
        *,
        consignee: str | None = None,
        status: AgreementStatus | None = None,
        number: uuid.UUID | None = None,
    ) -> tuple[int, list[Agreement]]:
        statement = self.agreements.listing(
            self.actor, consignee=consignee, status=status, number=number
        )
        return await self.agreements.page(statement, page)

    async def get(self, agreement_id: uuid.UUID, *, lock: bool = False) -> Agreement:
        agreement = await self.agreements.get(agreement_id, lock=lock)
        if agreement is None:
            raise NotFound("No such agreement.")
        check_store(self.actor, agreement.store_id)
        return agreement

    async def create(self, body: AgreementIn) -> Agreement:
        consignee = await self.consignees.get(body.consignee_id)
        if consignee is None:
            raise Unprocessable(f"consignee_id: no consignee account {body.consignee_id}.")
        check_store(self.actor, consignee.store_id)
        if consignee.status != ConsigneeStatus.active:
            raise Conflict(f"Consignee {consignee.user_id} is closed.")
        terms = body.model_dump(mode="json", include={"tiers", "category_shares"})
        values = body.model_dump(include=set(TERMS) - {"tiers", "category_shares"})
        agreement = await self.agreements.save(
            Agreement(
                number=uuid.uuid4(),
                version=1,
                consignee_id=consignee.user_id,
                store_id=consignee.store_id,
                **values,
                **terms,
            )
        )
        await self._publish(agreement, "created")
        return agreement

    async def update(self, agreement_id: uuid.UUID, body: AgreementUpdate) -> Agreement:
        """The new version (an edit of the active version), with the edit applied."""
        current = await self.get(agreement_id, lock=True)
        if current.status != AgreementStatus.active:
            raise Conflict(
                f"Agreement version {current.version} is {current.status}: only the active "
                "version can be edited."
            )
        sent = changes(body)
        if "tiers" in sent:
            sent["tiers"] = body.model_dump(mode="json", include={"tiers"})["tiers"]
        if "category_shares" in sent:
            shares = body.model_dump(mode="json", include={"category_shares"})
            sent["category_shares"] = shares["category_shares"]
        terms: dict[str, Any] = {name: getattr(current, name) for name in TERMS}
        if all(terms[name] == value for name, value in sent.items()):
            return current  # nothing changed: no new version
        terms.update(sent)
        self._check_terms(terms)
        current.status = AgreementStatus.superseded
        await self.agreements.save(current)  # before the new one: one active per agreement
        newer = await self.agreements.save(
            Agreement(
                number=current.number,
                version=current.version + 1,
                consignee_id=current.consignee_id,
                store_id=current.store_id,
                supersedes_id=current.id,
                **terms,
            )
        )
        await self._publish(newer, "versioned")
        return newer

    async def end(self, agreement_id: uuid.UUID) -> None:
        agreement = await self.get(agreement_id, lock=True)
        if agreement.status != AgreementStatus.active:
            raise Conflict(f"Agreement version {agreement.version} is {agreement.status} already.")
        agreement.status = AgreementStatus.ended
        await self.agreements.save(agreement)
        await self._publish(agreement, "ended")

    @staticmethod
    def _check_terms(terms: dict[str, Any]) -> None:
        problem = tier_problem(terms["tiers"])
        if problem:
            raise Unprocessable(problem)
        if terms["expires_on"] is not None and terms["expires_on"] < terms["starts_on"]:
            raise Unprocessable(
                f"expires_on: {terms['expires_on']} is before starts_on {terms['starts_on']}."
            )

    async def _publish(self, agreement: Agreement, what: str) -> None:
        await outbox.publish(
            self.session,
            agreement_event(agreement),
            subject=f"pos.consignment.agreement.{what}",
            actor=self.actor.user_id,
        )
