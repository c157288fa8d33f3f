"""Seed 002 /api/pos/bank-transactions (Manager+, own stores): bank deposits and change
pickups; completing one moves the safe."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import BranchHeadUser
from pos.bank.schemas import (
    BankKind,
    BankStatus,
    BankTransactionIn,
    BankTransactionOut,
    BankTransactionUpdate,
)
from pos.bank.service import BankService
from pos.models import BankTransaction

router = APIRouter(prefix="/api/pos/bank-transactions", tags=["bank transactions"])
NOT_FOUND = described(r404="No such bank transaction", r403="Another store's")
COMPLETED = described(r409="The bank transaction is completed")


@router.get("", summary="List bank transactions of your stores: ?store=, ?status=, ?kind=")
async def list_bank_transactions(
    actor: BranchHeadUser,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    status: Annotated[BankStatus | None, Query()] = None,
    kind: Annotated[BankKind | None, Query()] = None,
    ordering: Annotated[str | None, Query(description="created_at, completed_at, amount")] = None,
) -> Page[BankTransactionOut]:
    statement = apply_ordering(
        BankService(session, actor).listing(store, status, kind),
        ordering,
        {
            "created_at": BankTransaction.created_at,
            "completed_at": BankTransaction.completed_at,
            "amount": BankTransaction.amount,
        },
        [BankTransaction.created_at.desc(), BankTransaction.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [BankTransactionOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Plan a bank deposit or change pickup (pending until completed)",
    responses=described(r403="Another store", r422="Unknown store"),
)
async def create_bank_transaction(
    body: BankTransactionIn, actor: BranchHeadUser, session: SessionDep
) -> BankTransactionOut:
    return BankTransactionOut.of(await BankService(session, actor).create(body))


@router.get("/{transaction_id}", summary="Retrieve a bank transaction", responses=NOT_FOUND)
async def get_bank_transaction(
    transaction_id: uuid.UUID, actor: BranchHeadUser, session: SessionDep
) -> BankTransactionOut:
    return BankTransactionOut.of(await BankService(session, actor).get(transaction_id))


async def update_bank_transaction(
    transaction_id: uuid.UUID,
    body: BankTransactionUpdate,
    actor: BranchHeadUser,
    session: SessionDep,
) -> BankTransactionOut:
    return BankTransactionOut.of(await BankService(session, actor).update(transaction_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{transaction_id}",
        update_bank_transaction,
        methods=[method],
        summary="Update a pending bank transaction",
        responses={**NOT_FOUND, **COMPLETED},
        operation_id=f"{method.lower()}_bank_transaction",
    )


@router.delete(
    "/{transaction_id}",
    status_code=204,
    summary="Delete a pending bank transaction",
    responses={**NOT_FOUND, **COMPLETED},
)
async def delete_bank_transaction(
    transaction_id: uuid.UUID, actor: BranchHeadUser, session: SessionDep
) -> Response:
    await BankService(session, actor).remove(transaction_id)
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
    transaction_id: uuid.UUID, actor: BranchHeadUser, session: SessionDep
) -> BankTransactionOut:
    return BankTransactionOut.of(await BankService(session, actor).complete(transaction_id))
