"""Errors a buyer or an outage can cause, in one place.

The conversation maps each to a response in the buyer's language
(``actions.conversation.errors``); the CLI maps them to messages.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the errors the service layer raises on purpose."""


class MalformedOrderId(ServiceError):
    """The text cannot be an order id; nothing was looked up."""


class MalformedEmail(ServiceError):
    """The text is not an email address; nothing was looked up."""


class OrderNotVerified(ServiceError):
    """No order with this id and this email.

    Deliberately the same for an unknown order and a wrong email, so a
    stranger learns nothing about which orders exist.
    """


class OrderLookupUnavailable(ServiceError):
    """The order source did not answer; the buyer is asked to retry or offered a person."""


class RecordStoreUnavailable(ServiceError):
    """The database failed; nothing was written."""


class ReturnNotFound(ServiceError):
    """No return with this RMA for this buyer (same answer for both cases)."""
