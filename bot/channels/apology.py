"""What a channel says when the assistant itself could not answer.

Lives in the channel, not in domain.yml: it is sent exactly when Rasa or the
action server failed, so it cannot depend on either of them.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.components.language_id import served_locale

TECHNICAL_PROBLEM = {
    "en": (
        "Sorry, I'm having a technical problem right now. Please try again in a few "
        'minutes, or write "talk to a person" and someone from our team will help you.'
    ),
    "es": (
        "Lo siento, ahora mismo tengo un problema técnico. Vuelve a intentarlo en unos "
        "minutos o escribe «hablar con una persona» y alguien de nuestro equipo te "
        "ayudará."
    ),
    "fr": (
        "Désolé, je rencontre actuellement un problème technique. Merci de réessayer "
        "dans quelques minutes, ou écrivez « parler à un conseiller » et un membre de "
        "notre équipe vous aidera."
    ),
    "de": (
        "Entschuldigung, ich habe gerade ein technisches Problem. Bitte versuchen Sie es "
        "in ein paar Minuten noch einmal oder schreiben Sie „mit einem Menschen "
        "sprechen“, dann hilft Ihnen jemand aus unserem Team weiter."
    ),
    "it": (
        "Scusa, al momento ho un problema tecnico. Riprova tra qualche minuto oppure "
        "scrivi «voglio parlare con una persona» e qualcuno del nostro team ti aiuterà."
    ),
    "pt": (
        "Desculpe, estou com um problema técnico no momento. Tente de novo em alguns "
        "minutos ou escreva \"falar com uma pessoa\" e alguém da nossa equipe vai ajudar "
        "você."
    ),
    "nl": (
        "Sorry, ik heb op dit moment een technisch probleem. Probeer het over een paar "
        "minuten opnieuw, of typ \"medewerker spreken\" en iemand van ons team helpt je "
        "verder."
    ),
    "zh": "抱歉，系统暂时出现技术问题。请过几分钟再试，或者发送“转人工”，我们团队会有人来帮您。",
}


def technical_problem(language: str | None) -> str:
    """The apology in the channel's locale hint ("es-MX" -> Spanish), else English."""
    return TECHNICAL_PROBLEM[served_locale(language, TECHNICAL_PROBLEM) or "en"]


async def conversation_is_paused(app: Any, sender_id: str) -> bool:
    """True while a person has the conversation: then silence is right, not an apology."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    if agent is None or agent.tracker_store is None:
        return False
    try:
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:
        return False
    return bool(tracker is not None and tracker.is_paused())


async def apologise_if_silent(
    output: OutputChannel, replies: int, app: Any, sender_id: str, metadata: dict[str, Any]
) -> None:
    """Every channel's rule: a turn with no reply gets the apology, unless a person has it."""
    if replies or await conversation_is_paused(app, sender_id):
        return
    await output.send_text_message(sender_id, technical_problem(metadata.get("language")))
