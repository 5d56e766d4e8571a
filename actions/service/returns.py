"""The returns desk: verify an order, decide a return, record it, move it along.

Everything that touches orders, the policy and the records goes through
here, so the conversation, the CLI and the agent console share one set of
rules (ownership first, idempotent submit, units never returned twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from actions.clock import Clock
from actions.domain.engine import Decision, decide
from actions.domain.orders import (
    Order,
    is_valid_email,
    mask_email,
    normalise_email,
    normalise_order_id,
)
from actions.domain.policy import Policy
from actions.domain.requests import BuyerHistory, Condition, Reason, Resolution, ReturnRequest
from actions.domain.returns import (
    ReturnEvent,
    ReturnRecord,
    ReturnStatus,
    check_transition,
    idempotency_key,
    new_rma,
    normalise_rma,
)
from actions.orders.source import OrderSource, OrderSourceError
from actions.records.unit_of_work import SqlUnitOfWork
from actions.service.errors import (
    MalformedEmail,
    MalformedOrderId,
    OrderLookupUnavailable,
    OrderNotVerified,
    RecordStoreUnavailable,
    ReturnNotFound,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

_STATUS_OF_DECISION = {
    "approve": ReturnStatus.APPROVED,
    "deny": ReturnStatus.DENIED,
    "escalate": ReturnStatus.ESCALATED,
}
_RMA_DRAWS = 5


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> SqlUnitOfWork: ...


@dataclass(frozen=True)
class SubmitReturn:
    """Everything the conversation collected, as plain values."""

    conversation_id: str
    channel: str
    language: str
    order_id: str
    email: str
    items: Mapping[str, int]
    reason: Reason
    condition: Condition | None
    resolution: Resolution


@dataclass(frozen=True)
class Submitted:
    record: ReturnRecord
    decision: Decision | None
    created: bool


class ReturnsDesk:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        orders: OrderSource,
        policy: Policy,
        clock: Clock,
        rma_factory: Callable[[], str] = new_rma,
    ) -> None:
        self._uow = unit_of_work
        self._orders = orders
        self.policy = policy
        self.clock = clock
        self._new_rma = rma_factory

    # --- ownership -----------------------------------------------------------

    def verify_order(self, order_id: str, email: str) -> Order:
        """The order, if and only if ``email`` is the one on it.

        Raises:
            MalformedOrderId: the text cannot be an order id.
            MalformedEmail: the text is not an email address.
            OrderNotVerified: unknown order or wrong email (one answer for both).
            OrderLookupUnavailable: the order source is down.
        """
        try:
            key = normalise_order_id(order_id)
        except ValueError as error:
            raise MalformedOrderId(str(error)) from None
        if not is_valid_email(email):
            raise MalformedEmail("not an email address")
        try:
            order = self._orders.find(key)
        except OrderSourceError as error:
            logger.warning("order lookup failed for %s: %s", key, error)
            raise OrderLookupUnavailable(str(error)) from error
        if order is None or not order.belongs_to(email):
            logger.info("ownership check failed: order %s, email %s", key, mask_email(email))
            raise OrderNotVerified(key)
        return order

    def returnable_units(self, order: Order) -> dict[str, int]:
        """Units of each item that are not yet in an open or approved return."""
        held = self._read(lambda uow: uow.returns.held_units(order.key))
        return {item.sku: max(item.quantity - held.get(item.sku, 0), 0) for item in order.items}

    # --- submitting ------------------------------------------------------------

    def submit(self, command: SubmitReturn) -> Submitted:
        """Decide and record a return, once.

        The same conversation submitting the same request again (a retry, a
        double click) gets the first record back. The order is verified again
        here: slots are the buyer's input, never proof.
        """
        order = self.verify_order(command.order_id, command.email)
        request = ReturnRequest(
            items=dict(command.items),
            reason=command.reason,
            condition=command.condition,
            resolution=command.resolution,
        )
        key = idempotency_key(
            command.conversation_id,
            order.key,
            request.items,
            request.reason.value,
            request.condition.value if request.condition else None,
            request.resolution.value,
        )
        for _ in range(_RMA_DRAWS):
            try:
                return self._decide_and_record(command, order, request, key)
            except IntegrityError as error:
                existing = self._read(lambda uow: uow.returns.get_by_idempotency_key(key))
                if existing is not None:
                    return Submitted(existing, None, created=False)
                logger.warning("RMA collision, drawing again: %s", type(error).__name__)
        raise RecordStoreUnavailable("could not allocate a unique RMA number")

    def _decide_and_record(
        self, command: SubmitReturn, order: Order, request: ReturnRequest, key: str
    ) -> Submitted:
        now = self.clock.now()
        email = normalise_email(command.email)
        try:
            with self._uow() as uow:
                existing = uow.returns.get_by_idempotency_key(key)
                if existing is not None:
                    return Submitted(existing, None, created=False)
                uow.returns.lock_order(order.key)
                history = BuyerHistory(
                    returned_units=uow.returns.held_units(order.key),
                    returns_last_12_months=uow.returns.count_returns_since(
                        email, now - timedelta(days=365)
                    ),
                )
                decision = decide(order, request, history, self.policy, now)
                status = _STATUS_OF_DECISION[decision.decision.value]
                record = ReturnRecord(
                    rma=self._new_rma(),
                    order_id=order.order_id,
                    order_key=order.key,
                    buyer_email=email,
                    created_at=now,
                    language=command.language,
                    channel=command.channel,
                    conversation_id=command.conversation_id,
                    reason=request.reason.value,
                    condition=request.condition.value if request.condition else None,
                    requested_resolution=request.resolution.value,
                    items=request.items,
                    decision=decision.decision.value,
                    resolution=decision.resolution.value if decision.resolution else None,
                    refund_total=decision.refund_total,
                    currency=decision.currency,
                    return_required=decision.return_required,
                    return_shipping_paid_by=(
                        decision.return_shipping_paid_by.value
                        if decision.return_shipping_paid_by
                        else None
                    ),
                    return_by=decision.return_by,
                    reasons=tuple(decision.reasons),
                    status=status,
                    events=(
                        ReturnEvent(
                            at=now,
                            actor=f"assistant:{command.channel}",
                            action="created",
                            to_status=status.value,
                            details={"reasons": list(decision.reasons)},
                        ),
                    ),
                )
                uow.returns.add(record, key)
                uow.commit()
        except IntegrityError:
            raise
        except SQLAlchemyError as error:
            logger.error("recording return for order %s failed: %s", order.key, error)
            raise RecordStoreUnavailable(type(error).__name__) from error
        logger.info("return %s recorded for order %s: %s", record.rma, order.key, status.value)
        return Submitted(record, decision, created=True)

    # --- looking up and moving along ----------------------------------------------

    def returns_of_buyer(
        self, email: str, rma: str | None, order_id: str | None
    ) -> list[ReturnRecord]:
        """The buyer's returns by RMA or order id; only ones whose email matches.

        Raises:
            ReturnNotFound: nothing matches (or it belongs to someone else).
        """
        buyer = normalise_email(email)
        if rma:
            code = normalise_rma(rma)
            record = self._read(lambda uow: uow.returns.get(code)) if code else None
            found = [record] if record is not None else []
        elif order_id:
            try:
                key = normalise_order_id(order_id)
            except ValueError as error:
                raise MalformedOrderId(str(error)) from None
            found = self._read(lambda uow: uow.returns.for_order(key))
        else:
            found = []
        mine = [record for record in found if record.buyer_email == buyer]
        if not mine:
            raise ReturnNotFound(rma or order_id or "")
        return mine

    def get(self, rma: str) -> ReturnRecord:
        code = normalise_rma(rma)
        record = self._read(lambda uow: uow.returns.get(code)) if code else None
        if record is None:
            raise ReturnNotFound(rma)
        return record

    def change_status(
        self, rma: str, status: ReturnStatus, actor: str, note: str = ""
    ) -> ReturnRecord:
        """Move a return along its lifecycle and log who did it.

        Raises:
            ReturnNotFound: no such RMA.
            InvalidTransition: the lifecycle does not allow it.
        """
        code = normalise_rma(rma) or rma
        try:
            with self._uow() as uow:
                current = uow.returns.get(code)
                if current is None:
                    raise ReturnNotFound(rma)
                check_transition(current.status, status)
                uow.returns.set_status(
                    code,
                    status,
                    ReturnEvent(
                        at=self.clock.now(),
                        actor=actor,
                        action="status_changed",
                        from_status=current.status.value,
                        to_status=status.value,
                        details={"note": note} if note else {},
                    ),
                )
                uow.commit()
                updated = uow.returns.get(code)
        except SQLAlchemyError as error:
            raise RecordStoreUnavailable(type(error).__name__) from error
        assert updated is not None
        return updated

    def all_returns(self) -> list[ReturnRecord]:
        return self._read(lambda uow: uow.returns.all())

    def _read(self, query: Callable[[SqlUnitOfWork], T]) -> T:
        try:
            with self._uow() as uow:
                return query(uow)
        except SQLAlchemyError as error:
            raise RecordStoreUnavailable(type(error).__name__) from error
