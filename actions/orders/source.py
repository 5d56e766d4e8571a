"""The one interface every order source implements, and its errors."""

from __future__ import annotations

from typing import Protocol

from actions.domain.orders import Order


class OrderSourceError(Exception):
    """Base of the errors an order source raises."""


class OrderSourceUnavailable(OrderSourceError):
    """The source could not answer (timeout, connection refused, 5xx after retries).

    The conversation tells the buyer to try again later or offers a person;
    it never tells them the order does not exist.
    """


class OrderSourceMisconfigured(OrderSourceError):
    """The operator's settings are wrong (bad credentials, bad URL): 401/403/404 on the API root."""


class OrderSource(Protocol):
    """Looks an order up by its id.

    ``find`` takes a normalised id (``actions.domain.orders.normalise_order_id``)
    and returns None when there is no such order. It never checks ownership:
    that is the service layer's job, so every source gets it the same way.
    """

    def find(self, order_key: str) -> Order | None: ...
