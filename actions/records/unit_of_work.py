"""A unit of work: everything inside commits together or not at all."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from actions.records.handoff import SqlAgentRepository, SqlTicketRepository
from actions.records.repository import SqlOrderRepository, SqlReturnRepository


class SqlUnitOfWork:
    """Opens a session; rolls back on exit unless ``commit`` was called.

    A crash between writing a return and writing its items therefore leaves
    nothing behind, which is what the buyer retrying needs.
    """

    orders: SqlOrderRepository
    returns: SqlReturnRepository
    tickets: SqlTicketRepository
    agents: SqlAgentRepository

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.orders = SqlOrderRepository(self.session)
        self.returns = SqlReturnRepository(self.session)
        self.tickets = SqlTicketRepository(self.session)
        self.agents = SqlAgentRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
