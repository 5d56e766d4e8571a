"""Tickets and agent logins on SQLite and PostgreSQL; Rasa replaced by a recording gateway.

The real Rasa side is in tests/e2e/test_handoff.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from actions.bootstrap import Store
from actions.domain.handoff import (
    HandoffSummary,
    HandoffTrigger,
    TicketError,
    TicketStatus,
    TicketTaken,
)
from actions.service.agents import AccountError
from actions.service.handoff import HandoffDesk, TranscriptLine
from actions.service.notifications import Notice


@dataclass
class RecordingConversations:
    sent: list[tuple[str, str, str, str]] = field(default_factory=list)
    resumed: list[tuple[str, bool]] = field(default_factory=list)

    def send_agent_message(self, conversation_id: str, channel: str, text: str, agent: str) -> bool:
        self.sent.append((conversation_id, channel, text, agent))
        return True

    def resume(self, conversation_id: str, channel: str, announce: bool) -> None:
        self.resumed.append((conversation_id, announce))

    def transcript(self, conversation_id: str) -> list[TranscriptLine]:
        return []


@dataclass
class RecordingHelpdesk:
    tickets: list[dict] = field(default_factory=list)

    def ticket_opened(self, ticket: dict) -> Notice:
        self.tickets.append(dict(ticket))
        return Notice(True, "recorded")


def summary(conversation: str = "c-1", trigger: HandoffTrigger = HandoffTrigger.BUYER_ASKED):
    return HandoffSummary(conversation_id=conversation, channel="telegram", language="de",
                          trigger=trigger, order_id="100482", details={"email": "j@example.com"},
                          last_message="Ich möchte mit einem Menschen sprechen")  # fmt: skip


@pytest.fixture()
def desk(store: Store) -> tuple[HandoffDesk, RecordingConversations, RecordingHelpdesk]:
    conversations, helpdesk = RecordingConversations(), RecordingHelpdesk()
    return (
        HandoffDesk(
            store.unit_of_work,
            store.desk,
            conversations,
            store.clock,
            helpdesk,
            notify_in_background=False,
        ),
        conversations,
        helpdesk,
    )


def test_a_conversation_has_one_open_ticket_however_often_it_asks(desk):
    handoff, _, helpdesk = desk
    first, new = handoff.open_ticket(summary())
    again, new_again = handoff.open_ticket(summary())
    assert new and not new_again and again.id == first.id
    assert first.status is TicketStatus.WAITING
    assert first.summary.last_message == "Ich möchte mit einem Menschen sprechen"
    assert [t["id"] for t in helpdesk.tickets] == [first.id]  # the helpdesk hears once
    assert helpdesk.tickets[0]["trigger"] == "buyer_asked"


def test_the_queue_shows_waiting_tickets_first_longest_waiting_first(desk):
    handoff, _, _ = desk
    older, _ = handoff.open_ticket(summary("c-1"))
    newer, _ = handoff.open_ticket(summary("c-2"))
    taken, _ = handoff.open_ticket(summary("c-3"))
    handoff.take(taken.id, "ana")
    assert [t.id for t in handoff.queue()] == [older.id, newer.id, taken.id]


def test_only_the_holder_replies_and_hands_back(desk):
    handoff, conversations, _ = desk
    ticket, _ = handoff.open_ticket(summary())
    with pytest.raises(TicketError, match="take ticket"):
        handoff.reply(ticket.id, "ana", "hello")
    handoff.take(ticket.id, "ana")
    with pytest.raises(TicketTaken, match="taken by ana"):
        handoff.take(ticket.id, "ben")
    with pytest.raises(TicketTaken):
        handoff.reply(ticket.id, "ben", "hello")
    with pytest.raises(TicketError, match="empty"):
        handoff.reply(ticket.id, "ana", "   ")
    handoff.reply(ticket.id, "ana", "Hallo, hier ist Ana.")
    assert conversations.sent == [("c-1", "telegram", "Hallo, hier ist Ana.", "ana")]
    done = handoff.hand_back(ticket.id, "ana")
    assert done.status is TicketStatus.HANDED_BACK and conversations.resumed == [("c-1", True)]
    with pytest.raises(TicketError, match="handed_back"):
        handoff.reply(ticket.id, "ana", "still there?")
    reopened, new = handoff.open_ticket(summary())  # the next handoff is a new ticket
    assert new and reopened.id != ticket.id


def test_closing_resumes_the_conversation_quietly_and_keeps_the_note(desk):
    handoff, conversations, _ = desk
    ticket, _ = handoff.open_ticket(summary())
    handoff.take(ticket.id, "ana")
    closed = handoff.close(ticket.id, "ana", "refunded by bank transfer")
    assert closed.status is TicketStatus.CLOSED and closed.outcome == "refunded by bank transfer"
    assert conversations.resumed == [("c-1", False)]


def test_a_ticket_without_a_return_cannot_be_decided(desk):
    handoff, _, _ = desk
    ticket, _ = handoff.open_ticket(summary())
    handoff.take(ticket.id, "ana")
    with pytest.raises(TicketError, match="no return"):
        handoff.decide(ticket.id, "ana", approve=True, note="")


def test_of_agents_taking_one_ticket_at_the_same_moment_exactly_one_wins(desk):
    handoff, _, _ = desk
    ticket, _ = handoff.open_ticket(summary())
    start = threading.Barrier(4)
    outcomes: dict[str, str] = {}

    def take(agent: str) -> None:
        start.wait()
        try:
            handoff.take(ticket.id, agent)
            outcomes[agent] = "won"
        except TicketTaken as error:
            outcomes[agent] = f"told: {error.agent}"

    threads = [threading.Thread(target=take, args=(name,)) for name in ("a1", "a2", "a3", "a4")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [agent for agent, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1
    assert sorted(o for o in outcomes.values() if o != "won") == [f"told: {winners[0]}"] * 3
    assert handoff.get(ticket.id).agent == winners[0]


def test_agents_log_in_with_a_hashed_password_and_sessions_end(store: Store):
    accounts = store.agents
    accounts.add("ana", "Ana Pérez", "correct horse battery staple")
    with store.unit_of_work() as uow:
        stored = uow.agents.password_hash("ana")
    assert stored and stored.startswith("$argon2id$") and "staple" not in stored
    assert accounts.log_in("ana", "wrong password entirely") is None
    assert accounts.log_in("nobody", "correct horse battery staple") is None
    login = accounts.log_in("ana", "correct horse battery staple")
    assert login is not None and len(login.token) >= 40 and login.csrf_token != login.token
    assert accounts.session(login.token) == login
    accounts.log_out(login.token)
    assert accounts.session(login.token) is None
    assert accounts.display_name("ana") == "Ana Pérez"


@pytest.mark.parametrize(
    ("username", "password", "problem"),
    [("Ana", "correct horse battery staple", "username"), ("a", "long enough password", "username"),
     ("ben", "short", "at least 12"), ("ana", "correct horse battery staple", "exists")],
)  # fmt: skip
def test_bad_usernames_and_passwords_are_refused_with_the_reason(
    store: Store, username: str, password: str, problem: str
):
    if problem == "exists":
        store.agents.add("ana", "", "correct horse battery staple")
    with pytest.raises(AccountError, match=problem):
        store.agents.add(username, "", password)


def test_a_stuck_helpdesk_does_not_hold_up_opening_the_ticket(store: Store):
    release, reached = threading.Event(), threading.Event()

    class StuckHelpdesk:
        def ticket_opened(self, ticket: dict) -> Notice:
            reached.set()
            release.wait()  # as a helpdesk that never answers would
            return Notice(False, "timed out")

    handoff = HandoffDesk(store.unit_of_work, store.desk, RecordingConversations(), store.clock,
                          StuckHelpdesk())  # fmt: skip
    ticket, new = handoff.open_ticket(summary())  # returns while the helpdesk still hangs
    assert new and handoff.get(ticket.id).status is TicketStatus.WAITING
    assert reached.wait(10)
    release.set()
