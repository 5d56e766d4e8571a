"""What a channel says when the assistant itself could not answer.

Lives in the channel, not in domain.yml: it is sent exactly when Rasa or the
action server failed, so it cannot depend on either of them.
"""

from __future__ import annotations

TECHNICAL_PROBLEM = {
    "en": (
        "Sorry, I'm having a technical problem right now. Please try again in a few "
        'minutes, or write "talk to a person" and someone from our team will help you.'
    ),
}


def technical_problem(language: str | None) -> str:
    return TECHNICAL_PROBLEM.get((language or "en")[:2].lower(), TECHNICAL_PROBLEM["en"])
