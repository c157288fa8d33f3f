"""Seed 002 /api/pos/bank-transactions (Manager+, own stores): bank deposits and change
pickups; completing one moves the safe."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import BranchHeadUser
from pos.bank.models import BankKind, BankStatus
from pos.bank.schemas import BankTransactionIn, BankTransactionOut, BankTransactionUpdate
from pos.deps import BankServiceDep
from pos.pages import page_of

router = APIRouter(prefix="/api/pos/bank-transactions", tags=["bank transactions"])
NOT_FOUND = described(r404="No such bank transaction", r403="Another store's")
COMPLETED = described(r409="The bank transaction is completed")


@router.get("", summary="List bank transactions of your stores: ?store=, ?status=, ?kind=")
async def list_bank_transactions(
    _: BranchHeadUser,
    bank: BankServiceDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    status: Annotated[BankStatus | None, Query()] = None,
    kind: Annotated[BankKind | None, Query()] = None,
    ordering: Annotated[str | None, Query(description="created_at, completed_at, amount")] = None,
) -> Page[BankTransactionOut]:
    found = await bank.listing(page, store=store, status=status, kind=kind, ordering=ordering)
    return page_of(BankTransactionOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Plan a bank deposit or change pickup (pending until completed)",
    responses=described(r403="Another store", r422="Unknown store"),
)
async def create_bank_transaction(
    body: BankTransactionIn, _: BranchHeadUser, bank: BankServiceDep
) -> BankTransactionOut:
    return BankTransactionOut.model_validate(await bank.create(body))


@router.get("/{transaction_id}", summary="Retrieve a bank transaction", responses=NOT_FOUND)
async def get_bank_transaction(
    transaction_id: uuid.UUID, _: BranchHeadUser, bank: BankServiceDep
) -> BankTransactionOut:
    return BankTransactionOut.model_validate(await bank.get(transaction_id))


async def update_bank_transaction(
    transaction_id: uuid.UUID,
    body: BankTransactionUpdate,
    _: BranchHeadUser,
    bank: BankServiceDep,
) -> BankTransactionOut:
    return BankTransactionOut.model_validate(await bank.update(transaction_id, body))


put_and_patch(
    router,
    "/{transaction_id}",
    update_bank_transaction,
    summary="Update a pending bank transaction",
    responses={**NOT_FOUND, **COMPLETED},
)


@router.delete(
    "/{transaction_id}",
    status_code=204,
    summary="Delete a pending bank transaction",
    responses={**NOT_FOUND, **COMPLETED},
)
async def delete_bank_transaction(
    transaction_id: uuid.UUID, _: BranchHeadUser, bank: BankServiceDep
) -> Response:
    await bank.remove(transaction_id)
    return Response(status_code=204)


@router.patch(
    "/{transaction_id}/complete",
    summary="Complete a bank transaction: a deposit takes its amount out of the safe, a "
    "change pickup puts it in",
    responses={
        **NOT_FOUND,
        **described(r409="Completed already, or a deposit larger than the safe holds"),
    },
)
async def complete_bank_transaction(
    transaction_id: uuid.UUID, _: BranchHeadUser, bank: BankServiceDep
) -> BankTransactionOut:
    return BankTransactionOut.model_validate(await bank.complete(transaction_id))
