"""The staff console web app: server-rendered pages, no JavaScript, every form CSRF-checked.

Pages are Jinja2 templates with autoescaping, so whatever a resident typed is
shown as text; the Content-Security-Policy allows no script at all. Database
work runs in a worker thread (``asyncio.to_thread``) so one slow query never
stalls the other staff members' pages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any, Callable, Coroutine, Dict, List, Sequence
from urllib.parse import urlencode

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.console import audit, auth, charts, exports, metrics, queries, review, schema
from bot.console.annotations import MarkupError, annotate
from bot.console.database import connect, migrate
from bot.console.indexer import Indexer, events
from bot.console.redaction import redact
from bot.console.settings import ROOT, ConsoleSettings
from bot.console.transcripts import (
    ActionTurn,
    BotTurn,
    SlotTurn,
    UserTurn,
    handoff_need,
    parse_event,
    tickets,
    turns,
)

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
INDEX_EVERY_SECONDS = 5.0
MAX_FORM_BYTES = 64 * 1024
CSV_LIMIT = 5000
CHOICES_SECONDS = 60.0
CITY_TIME = dt.timezone(dt.timedelta(hours=8))
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


def known_intents(domain: Path = ROOT / "domain.yml") -> List[str]:
    """The assistant's intents (a correction must name one of them)."""
    document = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}
    names = []
    for item in document.get("intents") or []:
        name = next(iter(item)) if isinstance(item, dict) else str(item)
        if not name.startswith("EXTERNAL_"):
            names.append(name)
    return sorted(names)


def when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return dt.datetime.fromtimestamp(epoch, CITY_TIME).strftime("%Y-%m-%d %H:%M")


def stamp(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(CITY_TIME).strftime("%Y-%m-%d %H:%M:%S")


class Console:
    """The console's state: settings, database engines, templates."""

    def __init__(self, settings: ConsoleSettings) -> None:
        self.settings = settings
        self.tracker: Engine = connect(settings.tracker_url)
        self.db: Engine = (
            self.tracker
            if settings.console_database_url == settings.tracker_url
            else connect(settings.console_database_url)
        )
        self.indexer = Indexer(self.tracker, self.db)
        self.intents = known_intents()
        self.templates = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._choices: tuple[float, Dict[str, List[str]]] | None = None
        self.templates.filters.update(when=when, stamp=stamp, redact=lambda text: redact(text).text)

    def choices(self, connection: Any) -> Dict[str, List[str]]:
        """The filter drop-downs' values, read at most once a minute.

        Listing distinct intents reads every intent row (no index can skip between
        distinct values on PostgreSQL 15): 45 ms at 100,000 conversations, so it is
        not paid on every page (docs/console-benchmarks.md).
        """
        if self._choices and time.monotonic() - self._choices[0] < CHOICES_SECONDS:
            return self._choices[1]
        values = queries.choices(connection)
        self._choices = (time.monotonic(), values)
        return values

    def forget_choices(self) -> None:
        self._choices = None

    def render(
        self, name: str, request: Request, status: int = 200, **context: Any
    ) -> HTTPResponse:
        session = request.ctx.session if hasattr(request.ctx, "session") else None
        page = self.templates.get_template(name).render(
            session=session, user=session.user if session else None, **context
        )
        return response.html(page, status=status, headers=HEADERS)


async def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(partial(function, *args, **kwargs))


def create_app(settings: ConsoleSettings, name: str | None = None) -> Sanic:
    """The console app; migrations run and the index is brought up to date at start-up."""
    console = Console(settings)
    app = Sanic(name or f"city_console_{uuid.uuid4().hex[:8]}")
    app.config.REQUEST_MAX_SIZE = MAX_FORM_BYTES
    app.ctx.console = console

    @app.listener("before_server_start")  # type: ignore[call-arg, arg-type]
    async def prepare(app: Sanic, _loop: Any) -> None:
        await in_thread(migrate, console.db)
        await in_thread(console.indexer.run)
        app.add_task(keep_indexing(console))

    @app.middleware("request")
    async def load_session(request: Request) -> None:
        request.ctx.session = None
        token = request.cookies.get(COOKIE)
        if token:
            request.ctx.session = await in_thread(_session, console, token)

    @app.middleware("response")
    async def security_headers(_: Request, reply: HTTPResponse) -> None:
        """Every answer carries the headers, Sanic's own 404 and 405 pages included."""
        for name, value in HEADERS.items():
            reply.headers.setdefault(name, value)

    add_routes(app, console)
    return app


def _session(console: Console, token: str) -> auth.Session | None:
    with console.db.connect() as connection:
        return auth.session_for(connection, token)


async def keep_indexing(console: Console) -> None:
    while True:
        await asyncio.sleep(INDEX_EVERY_SECONDS)
        try:
            await in_thread(console.indexer.run)
        except Exception:  # noqa: BLE001 - a failed round is retried at the next one
            logger.exception("indexing conversations failed")


def login_required(admin: bool = False) -> Callable[[Handler], Handler]:
    """Redirect to the login page without a session; 403 for a reviewer on an admin page."""

    def decorate(handler: Handler) -> Handler:
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            session = request.ctx.session
            if session is None:
                return response.redirect("/login?" + urlencode({"next": request.path}))
            if admin and not session.user.is_admin:
                return response.text("Admins only.", status=403, headers=HEADERS)
            if request.method == "POST" and not auth.csrf_ok(
                session, request.form.get("csrf_token")
            ):
                return response.text(
                    "The form expired or did not come from this console; reload and try again.",
                    status=403,
                    headers=HEADERS,
                )
            return await handler(request, *args, **kwargs)

        wrapped.__name__ = handler.__name__
        return wrapped

    return decorate


def add_routes(app: Sanic, console: Console) -> None:  # noqa: C901 - one place lists every page
    settings = console.settings

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/static/console.css")
    async def css(_: Request) -> HTTPResponse:
        return response.raw(
            (STATIC / "console.css").read_bytes(),
            content_type="text/css; charset=utf-8",
            headers={**HEADERS, "Cache-Control": "max-age=300"},
        )

    @app.get("/")
    async def home(_: Request) -> HTTPResponse:
        return response.redirect("/conversations")

    @app.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        token = request.cookies.get(LOGIN_COOKIE) or uuid.uuid4().hex
        page = console.render(
            "login.html", request, login_token=token, next=_safe_next(request.args.get("next"))
        )
        _set_cookie(page, LOGIN_COOKIE, token, settings, max_age=3600)
        return page

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        form = request.form
        cookie = request.cookies.get(LOGIN_COOKIE)
        if not cookie or form.get("login_token") != cookie:
            return console.render(
                "login.html", request, status=403, error="The form expired; please try again.",
                login_token=cookie or uuid.uuid4().hex, next="/conversations",
            )  # fmt: skip
        username = str(form.get("username") or "")
        password = str(form.get("password") or "")[:1024]
        client = request.ip or "unknown"

        def attempt() -> str | None:
            with console.db.connect() as connection:
                user = auth.authenticate(
                    connection, username, password, client, settings.login_attempts_per_15_minutes
                )
                if user is None:
                    return None
                with connection.begin():
                    return auth.open_session(connection, user, settings.session_hours)

        token = await in_thread(attempt)
        if token is None:
            return console.render(
                "login.html", request, status=401,
                error="Wrong username or password, or too many attempts: wait a few minutes "
                "or ask an admin to unlock the account.",
                login_token=cookie, next=_safe_next(form.get("next")),
            )  # fmt: skip
        page = response.redirect(_safe_next(form.get("next")), headers=HEADERS)
        _set_cookie(page, COOKIE, token, settings, max_age=int(settings.session_hours * 3600))
        return page

    @app.post("/logout")
    @login_required()
    async def logout(request: Request) -> HTTPResponse:
        def close() -> None:
            with console.db.begin() as connection:
                auth.close_session(connection, request.cookies.get(COOKIE))
                audit.record(connection, request.ctx.session.user.username, audit.LOGOUT)

        await in_thread(close)
        page = response.redirect("/login")
        del page.cookies[COOKIE]
        return page

    @app.get("/conversations")
    @login_required()
    async def conversation_list(request: Request) -> HTTPResponse:
        filters = queries.filters_from(request.args)

        def load() -> Dict[str, Any]:
            console.indexer.run_once()
            with console.db.connect() as connection:
                page = queries.list_conversations(connection, filters, settings.low_confidence)
                return {
                    "page": page,
                    "tags": queries.tags_of(connection, [row.sender_id for row in page.rows]),
                    "choices": console.choices(connection),
                }

        data = await in_thread(load)
        return console.render(
            "conversations.html", request, filters=filters, threshold=settings.low_confidence,
            link=lambda **change: "/conversations?" + urlencode({**filters.as_query(), **change}),
            export_query=urlencode(filters.as_query()), **data,
        )  # fmt: skip

    @app.get("/conversations/<sender_id:str>")
    @login_required()
    async def conversation(request: Request, sender_id: str) -> HTTPResponse:
        view = await in_thread(_conversation_view, console, request.ctx.session.user, sender_id)
        if view is None:
            return console.render("missing.html", request, status=404, sender_id=sender_id)
        return console.render(
            "conversation.html", request, intents=console.intents,
            error=request.args.get("error", ""), **view,
        )  # fmt: skip

    @app.post("/conversations/<sender_id:str>/<action:str>")
    @login_required()
    async def change(request: Request, sender_id: str, action: str) -> HTTPResponse:
        user = request.ctx.session.user
        form = request.form

        def apply() -> None:
            with console.db.begin() as connection:
                if action == "tag":
                    review.add_tag(connection, user, sender_id, str(form.get("tag") or ""))
                elif action == "untag":
                    review.remove_tag(connection, user, sender_id, str(form.get("tag") or ""))
                elif action == "note":
                    review.add_note(connection, user, sender_id, str(form.get("text") or ""))
                elif action == "review":
                    review.set_review_status(
                        connection, user, sender_id, str(form.get("status") or "")
                    )
                elif action == "correct":
                    message = _message(console, sender_id, form.get("event_id"))
                    if message is None:
                        raise review.ReviewError("That message is not in this conversation.")
                    review.correct(
                        connection, user, sender_id, message, str(form.get("intent") or ""),
                        str(form.get("annotated") or ""), console.intents,
                    )  # fmt: skip
                elif action == "unmask":
                    review.unmask(
                        connection, user, sender_id, str(form.get("reason") or ""),
                        settings.unmask_minutes,
                    )  # fmt: skip
                else:
                    raise review.ReviewError("Unknown action.")

        try:
            await in_thread(apply)
            if action in ("tag", "untag"):
                console.forget_choices()  # a new tag belongs in the drop-down at once
        except (review.ReviewError, MarkupError) as error:
            return response.redirect(
                f"/conversations/{_quote(sender_id)}?" + urlencode({"error": str(error)})
            )
        return response.redirect(f"/conversations/{_quote(sender_id)}")

    @app.get("/handoffs")
    @login_required()
    async def handoffs(request: Request) -> HTTPResponse:
        rows = await in_thread(_handoff_queue, console)
        return console.render("handoffs.html", request, rows=rows)

    @app.get("/metrics")
    @login_required()
    async def metrics_page(request: Request) -> HTTPResponse:
        try:
            days = max(7, min(int(request.args.get("days", 30)), 366))
        except ValueError:
            days = 30

        def load() -> metrics.Metrics:
            console.indexer.run_once()
            with console.db.connect() as connection:
                return metrics.compute(connection, metrics.period(days))

        figures = await in_thread(load)
        return console.render(
            "metrics.html", request, figures=figures, days=days, charts=_charts(figures)
        )

    @app.get("/corrections")
    @login_required()
    async def corrections(request: Request) -> HTTPResponse:
        def load() -> List[Any]:
            with console.db.connect() as connection:
                return review.corrections_of(connection)

        rows = await in_thread(load)
        return console.render("corrections.html", request, rows=rows)

    @app.get("/exports/nlu/<language:str>")
    @login_required()
    async def export_nlu(request: Request, language: str) -> HTTPResponse:
        if language not in ("en", "zh"):
            return response.text("Languages: en, zh.", status=404, headers=HEADERS)
        user = request.ctx.session.user

        def build() -> exports.NluExport:
            with console.db.begin() as connection:
                rows = review.corrections_of(connection)
                export = exports.nlu_yaml(
                    (
                        exports.Correction(r.text, r.language, r.intent, json.loads(r.entities))
                        for r in rows
                    ),
                    language,
                )
                audit.record(
                    connection, user.username, audit.EXPORT_NLU, language,
                    {"examples": export.examples, "left_out": export.left_out_personal_data},
                )  # fmt: skip
                return export

        export = await in_thread(build)
        return response.text(
            export.yaml,
            content_type="application/x-yaml; charset=utf-8",
            headers={
                **HEADERS,
                "Content-Disposition": f'attachment; filename="corrections_{language}.yml"',
                "X-Left-Out-Personal-Data": str(export.left_out_personal_data),
            },
        )

    @app.get("/exports/transcripts.csv")
    @login_required()
    async def export_csv(request: Request) -> HTTPResponse:
        filters = queries.filters_from(request.args)
        user = request.ctx.session.user

        def build() -> str:
            with console.db.connect() as connection:
                rows = connection.execute(
                    queries.conversation_query(filters, settings.low_confidence).limit(CSV_LIMIT)
                ).all()
            lines: List[List[str]] = []
            for row in rows:
                lines += exports.transcript_rows(
                    row.sender_id, turns(_events(console, row.sender_id)), row.channel
                )
            with console.db.begin() as connection:
                audit.record(
                    connection, user.username, audit.EXPORT_CSV, "transcripts",
                    {"conversations": len(rows), "filters": filters.as_query()},
                )  # fmt: skip
            return exports.csv_text(lines)

        text = await in_thread(build)
        return response.text(
            text,
            content_type="text/csv; charset=utf-8",
            headers={**HEADERS, "Content-Disposition": 'attachment; filename="transcripts.csv"'},
        )

    @app.get("/audit")
    @login_required(admin=True)
    async def audit_page(request: Request) -> HTTPResponse:
        action = str(request.args.get("action", ""))[:32]

        def load() -> Sequence[Any]:
            with console.db.connect() as connection:
                return audit.recent(connection, action=action)

        return console.render("audit.html", request, rows=await in_thread(load), action=action)

    @app.route("/users", methods=["GET", "POST"])
    @login_required(admin=True)
    async def users(request: Request) -> HTTPResponse:
        error = ""
        if request.method == "POST":
            form = request.form

            def add() -> None:
                with console.db.begin() as connection:
                    auth.create_user(
                        connection, str(form.get("username") or ""),
                        str(form.get("password") or ""), str(form.get("role") or ""),
                        created_by=request.ctx.session.user.username,
                    )  # fmt: skip

            try:
                await in_thread(add)
            except auth.AccountError as problem:
                error = str(problem)

        def load() -> List[Any]:
            with console.db.connect() as connection:
                table = schema.users
                return list(
                    connection.execute(
                        select(
                            table.c.username, table.c.role, table.c.disabled, table.c.created_at
                        ).order_by(table.c.username)
                    )
                )

        return console.render(
            "users.html", request, rows=await in_thread(load), error=error, roles=schema.ROLES
        )

    @app.post("/users/<username:str>/unlock")
    @login_required(admin=True)
    async def unlock_user(request: Request, username: str) -> HTTPResponse:
        def clear() -> None:
            with console.db.begin() as connection:
                auth.unlock(connection, username[:64], request.ctx.session.user.username)

        await in_thread(clear)
        return response.redirect("/users", status=303, headers=HEADERS)


def _conversation_view(
    console: Console, user: auth.StaffUser, sender_id: str
) -> Dict[str, Any] | None:
    found = _events(console, sender_id)
    if not found:
        return None
    with console.db.connect() as connection:
        summary = connection.execute(
            select(schema.conversations).where(schema.conversations.c.sender_id == sender_id)
        ).first()
        unmasked = review.unmasked_for(connection, user, sender_id)
        corrected = {row.event_id: row for row in review.corrections_of(connection, sender_id)}
        tag_list = queries.tags_of(connection, [sender_id])[sender_id]
        note_list = review.notes_of(connection, sender_id)

    def shown(text: str) -> str:
        return text if unmasked else redact(text).text

    items = []
    for turn in turns(found):
        if isinstance(turn, UserTurn):
            items.append(
                {
                    "kind": "user",
                    "turn": turn,
                    "text": shown(turn.text),
                    "annotated": shown(annotate(turn.text, turn.entities)),
                    "correction": corrected.get(turn.event_id),
                    "low": turn.confidence is not None
                    and turn.confidence < console.settings.low_confidence,
                    "typed": not turn.text.startswith("/"),
                }
            )
        elif isinstance(turn, BotTurn):
            items.append({"kind": "bot", "turn": turn, "text": shown(turn.text)})
        elif isinstance(turn, ActionTurn):
            items.append({"kind": "action", "turn": turn})
        elif isinstance(turn, SlotTurn):
            value = json.dumps(turn.value, ensure_ascii=False)
            items.append({"kind": "slot", "turn": turn, "value": shown(value)})
    touched = tickets(found)
    ticket_url = console.settings.ticket_url
    application_url = console.settings.application_url
    return {
        "sender_id": sender_id,
        "summary": summary,
        "items": items,
        "unmasked": unmasked,
        "tags": tag_list,
        "notes": note_list,
        "complaints": [
            (ticket, ticket_url.replace("{ticket}", ticket) if ticket_url else "")
            for ticket in touched["complaints"]
        ],
        "applications": [
            (number, application_url.replace("{application}", number) if application_url else "")
            for number in touched["applications"]
        ],
    }


def _events(console: Console, sender_id: str) -> List[Dict[str, Any]]:
    with console.tracker.connect() as connection:
        rows = connection.execute(
            select(events.c.id, events.c.data)
            .where(events.c.sender_id == sender_id)
            .order_by(events.c.id)
        ).all()
    return [event for event in (parse_event(row.data, row.id) for row in rows) if event]


def _message(console: Console, sender_id: str, event_id: Any) -> UserTurn | None:
    try:
        wanted = int(event_id)
    except (TypeError, ValueError):
        return None
    for turn in turns(_events(console, sender_id)):
        if isinstance(turn, UserTurn) and turn.event_id == wanted:
            return turn
    return None


def _handoff_queue(console: Console) -> List[Dict[str, Any]]:
    console.indexer.run_once()
    with console.db.connect() as connection:
        table = schema.conversations
        rows = connection.execute(
            select(table)
            .where(table.c.handoff_requested.is_(True))
            .order_by(table.c.handoff_at.desc())
            .limit(200)
        ).all()
    return [
        {"row": row, "need": redact(handoff_need(_events(console, row.sender_id))).text}
        for row in rows
    ]


def _charts(figures: metrics.Metrics) -> Dict[str, Markup]:
    labels = [day.strftime("%m-%d") for day in figures.days]

    def series(values: Dict[str, List[int]]) -> List[charts.Series]:
        return [charts.Series(name, values[name]) for name in sorted(values)]

    pictures = {
        "by_language": charts.stacked_bars(
            "Conversations per day by language", labels, series(figures.by_language)
        ),
        "by_channel": charts.stacked_bars(
            "Conversations per day by channel", labels, series(figures.by_channel)
        ),
        "rates": charts.line_chart(
            "Containment and fallback rate",
            labels,
            [
                charts.Series("containment", figures.containment),
                charts.Series("fallback", figures.fallback_rate),
            ],
            percent=True,
        ),
        "services": charts.stacked_bars(
            "Complaints filed and permit statuses looked up",
            labels,
            [
                charts.Series("complaints", figures.complaints),
                charts.Series("permit status", figures.permit_status),
            ],
        ),
        "intents": charts.horizontal_bars(
            "Top intents", [(name, float(count)) for name, count in figures.top_intents]
        ),
    }
    # The chart module escapes every label it is given; its output is trusted markup.
    return {name: Markup(svg) for name, svg in pictures.items()}


def _safe_next(value: Any) -> str:
    """Only a path on this site: never an open redirect."""
    text = str(value or "")
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text[:500]
    return "/conversations"


def _quote(sender_id: str) -> str:
    from urllib.parse import quote

    return quote(sender_id, safe="")


def _set_cookie(
    page: HTTPResponse, name: str, value: str, settings: ConsoleSettings, max_age: int
) -> None:
    page.cookies[name] = value
    cookie = page.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = max_age
    if settings.secure_cookies:
        cookie["secure"] = True
