"""The agent console: a small web app where people work handed-over conversations.

Server-rendered pages (Jinja2, autoescaped) plus a JSON API the pages poll
every few seconds, so new buyer messages appear without a reload. Every
page needs a login; every change needs the session's CSRF token (a form
field or the ``X-CSRF-Token`` header) on top of a ``SameSite=Strict``
cookie. The work itself is ``HandoffDesk``'s; blocking calls (database,
Rasa's HTTP API) run in a thread so one slow call does not stall the rest.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.bootstrap import Settings, Store, build_store
from actions.domain.handoff import TicketError, TicketNotFound, TicketTaken
from actions.service.agents import Login
from actions.service.errors import ReturnNotFound, ServiceError
from actions.service.handoff import ConversationUnreachable, ticket_payload
from bot.console.throttle import LoginThrottle

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "returnbot_console"
LOGIN_CSRF_COOKIE = "returnbot_console_login"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


def create_app(store: Store | None = None, *, secure_cookies: bool = False) -> Sanic:
    """The console, on ``store`` (built from the environment when not given)."""
    app = Sanic("returnbot_console")
    app.config.FALLBACK_ERROR_FORMAT = "json"
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
    )
    app.ctx.store = store
    throttle = LoginThrottle()

    def the_store() -> Store:
        if app.ctx.store is None:
            app.ctx.store = build_store(Settings.from_env())
        return app.ctx.store

    async def blocking(function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(function, *args)

    def page(template: str, **context: Any) -> HTTPResponse:
        return response.html(templates.get_template(template).render(**context))

    async def current_login(request: Request) -> Login | None:
        token = request.cookies.get(SESSION_COOKIE, "")
        return await blocking(the_store().agents.session, token) if token else None

    def csrf_ok(request: Request, login: Login) -> bool:
        given = request.headers.get("X-CSRF-Token") or (request.form or {}).get("csrf_token", "")
        return bool(given) and secrets.compare_digest(str(given), login.csrf_token)

    @app.middleware("response")
    async def security_headers(_: Request, reply: HTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            reply.headers.setdefault(name, value)

    app.static("/static", str(HERE / "static"), name="static")

    @app.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        token = secrets.token_urlsafe(24)
        reply = page("login.html", csrf_token=token, error=request.args.get("error"))
        _cookie(reply, LOGIN_CSRF_COOKIE, token, secure_cookies, max_age=3600)
        return reply

    @app.post("/login")
    async def log_in(request: Request) -> HTTPResponse:
        form = request.form or {}
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not secrets.compare_digest(form.get("csrf_token", ""), expected):
            return response.redirect("/login?error=expired")
        username, address = form.get("username", "").strip(), request.remote_addr or request.ip
        if throttle.blocked(username, address):
            return response.redirect("/login?error=throttled")
        login = await blocking(the_store().agents.log_in, username, form.get("password", ""))
        if login is None:
            throttle.failed(username, address)
            return response.redirect("/login?error=wrong")
        throttle.succeeded(username)
        reply = response.redirect("/")
        _cookie(reply, SESSION_COOKIE, login.token, secure_cookies)
        del reply.cookies[LOGIN_CSRF_COOKIE]
        return reply

    @app.post("/logout")
    async def log_out(request: Request) -> HTTPResponse:
        login = await current_login(request)
        if login is not None and csrf_ok(request, login):
            await blocking(the_store().agents.log_out, login.token)
        reply = response.redirect("/login")
        del reply.cookies[SESSION_COOKIE]
        return reply

    @app.get("/")
    async def queue_page(request: Request) -> HTTPResponse:
        login = await current_login(request)
        if login is None:
            return response.redirect("/login")
        name = await blocking(the_store().agents.display_name, login.username)
        return page("queue.html", me=login.username, name=name, csrf_token=login.csrf_token)

    @app.get("/tickets/<ticket_id:int>")
    async def ticket_page(request: Request, ticket_id: int) -> HTTPResponse:
        login = await current_login(request)
        if login is None:
            return response.redirect("/login")
        try:
            ticket = await blocking(the_store().handoff.get, ticket_id)
        except TicketNotFound:
            return response.html("<h1>No such ticket</h1>", status=404)
        return page("ticket.html", me=login.username, ticket=ticket_payload(ticket),
                    csrf_token=login.csrf_token)  # fmt: skip

    def api(needs_csrf: bool) -> Callable[[Handler], Handler]:
        """JSON endpoints: 401 without a login, 403 without the CSRF token, errors as JSON."""

        def wrap(handler: Handler) -> Handler:
            async def wrapped(request: Request, **kwargs: Any) -> HTTPResponse:
                login = await current_login(request)
                if login is None:
                    return response.json({"error": "log in first"}, status=401)
                if needs_csrf and not csrf_ok(request, login):
                    return response.json({"error": "missing or wrong CSRF token"}, status=403)
                try:
                    return await handler(request, login, **kwargs)
                except TicketTaken as error:
                    return response.json({"error": str(error), "agent": error.agent}, 409)
                except TicketNotFound as error:
                    return response.json({"error": str(error)}, status=404)
                except (TicketError, ReturnNotFound) as error:
                    return response.json({"error": str(error)}, status=409)
                except ConversationUnreachable as error:
                    return response.json({"error": f"the buyer was not reached: {error}"}, 502)
                except ServiceError as error:
                    return response.json({"error": str(error) or type(error).__name__}, 409)

            wrapped.__name__ = handler.__name__
            return wrapped

        return wrap

    @app.get("/api/queue")
    @api(needs_csrf=False)
    async def queue(request: Request, login: Login) -> HTTPResponse:
        store = the_store()
        tickets = await blocking(store.handoff.queue)
        now = store.clock.now()
        return response.json({"me": login.username, "tickets": [
            {**ticket_payload(t), "waiting_seconds": int(t.waiting_seconds(now))} for t in tickets
        ]})  # fmt: skip

    @app.get("/api/tickets/<ticket_id:int>")
    @api(needs_csrf=False)
    async def ticket(request: Request, login: Login, ticket_id: int) -> HTTPResponse:
        desk = the_store().handoff
        found = await blocking(desk.get, ticket_id)
        try:
            lines = [asdict(line) for line in await blocking(desk.transcript, ticket_id)]
            transcript_error = None
        except ConversationUnreachable as error:
            lines, transcript_error = [], str(error)
        return response.json(
            {"me": login.username, "ticket": ticket_payload(found), "transcript": lines,
             "transcript_error": transcript_error}
        )  # fmt: skip

    @app.post("/api/tickets/<ticket_id:int>/take")
    @api(needs_csrf=True)
    async def take(request: Request, login: Login, ticket_id: int) -> HTTPResponse:
        taken = await blocking(the_store().handoff.take, ticket_id, login.username)
        return response.json({"ticket": ticket_payload(taken)})

    @app.post("/api/tickets/<ticket_id:int>/reply")
    @api(needs_csrf=True)
    async def reply(request: Request, login: Login, ticket_id: int) -> HTTPResponse:
        text = str((request.json or {}).get("text") or "")
        delivered = await blocking(the_store().handoff.reply, ticket_id, login.username, text)
        return response.json({"sent": True, "delivered": delivered})

    @app.post("/api/tickets/<ticket_id:int>/decide")
    @api(needs_csrf=True)
    async def decide(request: Request, login: Login, ticket_id: int) -> HTTPResponse:
        body = request.json or {}
        if body.get("decision") not in ("approve", "deny"):
            return response.json({"error": "decision: 'approve' or 'deny'"}, status=400)
        status = await blocking(
            the_store().handoff.decide, ticket_id, login.username,
            body["decision"] == "approve", str(body.get("note") or ""),
        )  # fmt: skip
        return response.json({"status": status.value})

    @app.post("/api/tickets/<ticket_id:int>/hand-back")
    @api(needs_csrf=True)
    async def hand_back(request: Request, login: Login, ticket_id: int) -> HTTPResponse:
        done = await blocking(the_store().handoff.hand_back, ticket_id, login.username)
        return response.json({"ticket": ticket_payload(done)})

    @app.post("/api/tickets/<ticket_id:int>/close")
    @api(needs_csrf=True)
    async def close(request: Request, login: Login, ticket_id: int) -> HTTPResponse:
        note = str((request.json or {}).get("note") or "")
        done = await blocking(the_store().handoff.close, ticket_id, login.username, note)
        return response.json({"ticket": ticket_payload(done)})

    return app


def _cookie(
    reply: HTTPResponse, name: str, value: str, secure: bool, max_age: int | None = None
) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    if secure:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age
