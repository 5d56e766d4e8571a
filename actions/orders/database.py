"""The built-in store database as an order source."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from actions.domain.orders import Order
from actions.orders.source import OrderSourceUnavailable
from actions.records.unit_of_work import SqlUnitOfWork


class DatabaseOrderSource:
    """Orders imported with ``returnbot orders import`` (or seeded by ``make run``)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def find(self, order_key: str) -> Order | None:
        try:
            with SqlUnitOfWork(self._sessions) as uow:
                return uow.orders.get(order_key)
        except SQLAlchemyError as error:
            raise OrderSourceUnavailable(f"store database: {type(error).__name__}") from error
