"""Build the python-telegram-bot Application: handlers, persistence, rate limiter, start-up."""

from __future__ import annotations

import contextlib
import logging

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    PersistenceInput,
)
from telegram.request import BaseRequest

from bot.http_request import MeteredRequest
from bot.jobs.scheduler import schedule_nudges, send_in_background
from bot.persistence import SQLPersistence
from bot.settings import Settings
from bot.shared_app import SharedStateApplication
from bot.structured_log import UpdateLog, instrument_handlers, salt_for
from bot.update_processor import PerUserUpdateProcessor
from handlers import outbox
from kernel.clock import OffsetClock, SystemClock
from kernel.i18n import translator
from kernel.reply import Reply
from knowledge.loader import default_plans
from knowledge.qa import QAEngine
from storage.db import Database
from usecases.screening import UNITS_TTL_S
from usecases.services import SERVICES_KEY, Services

log = logging.getLogger(__name__)

#: Syntactically valid placeholder used by the offline console (never sent anywhere).
OFFLINE_TOKEN = "123456:offline-console-token-0000000000"
#: Update types the bot asks Telegram for (polling and webhook alike).
ALLOWED_UPDATES = ("message", "callback_query")
#: How often conversation state and user data are flushed to the database (also at shutdown).
PERSIST_EVERY_S = 1.0


def _pool_size(settings: Settings) -> int | None:
    """DB_POOL_SIZE for PostgreSQL; SQLite keeps room for every concurrent update."""
    return settings.db_pool_size if settings.database_url.startswith("postgres") else None


def build_services(settings: Settings) -> Services:
    plans = default_plans()
    clock = OffsetClock(settings.bot_now) if settings.bot_now else SystemClock()
    return Services(
        settings=settings,
        plans=plans,
        qa=QAEngine(plans),
        db=Database(settings.database_url, pool_size=_pool_size(settings),
                    fast=settings.fast_paths),
        clock=clock,
    )

#: Conversation states and user_data (drafts, choices); chat_data is unused, bot_data is live.
_STORED = PersistenceInput(bot_data=False, chat_data=False)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    services: Services | None = None,
) -> Application:
    """The bot's Application; ``request`` replaces HTTP (the offline console uses it)."""
    svc = services or build_services(settings)
    builder = (
        ApplicationBuilder()
        .token(settings.token or OFFLINE_TOKEN)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .persistence(SQLPersistence(
            svc.db, store_data=_STORED, update_interval=PERSIST_EVERY_S))
        .concurrent_updates(
            PerUserUpdateProcessor(
                settings.concurrent_updates, observer=UpdateLog(salt_for(settings))
            )
        )
    )
    if settings.shared_state:  # several instances: per-user state re-read and written per update
        builder = builder.application_class(SharedStateApplication)
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")  # python-telegram-bot's base_url, e.g. .../bot
        root = base[: -len("/bot")] if base.endswith("/bot") else base
        builder = builder.base_url(base).base_file_url(f"{root}/file/bot")
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        limiter = AIORateLimiter(overall_max_rate=settings.send_rate_limit, max_retries=3)
        builder = builder.request(MeteredRequest()).rate_limiter(limiter)
    app = builder.build()
    outbox.configure(app.bot, fast=settings.fast_paths)
    app.bot_data[SERVICES_KEY] = svc
    svc.send_reminders = lambda items: send_in_background(app, list(items))
    _add_handlers(app)
    app.add_error_handler(_on_error)
    instrument_handlers(app)  # handler names and errors for logs and metrics
    return app


def _add_handlers(app: Application) -> None:
    """Group -2 drops repeated updates and group -1 keeps unit data out of group chats; in
    group 0 the first matching handler wins, so commands and conversations come first and the
    catch-alls (unknown command, a stray /cancel) last; plain text no handler took becomes a
    question (group 1)."""
    from bot import duplicates
    from handlers import admin, deadlines, private_only, qa, reports, start, stats
    from handlers import settings as settings_handlers

    app.add_handler(duplicates.handler(), group=duplicates.GROUP)
    app.add_handler(private_only.handler(), group=private_only.GROUP)
    for handler in (
        start.handlers()
        + reports.handlers()
        + admin.handlers()
        + stats.handlers()
        + deadlines.handlers()
        + settings_handlers.handlers()
        + qa.handlers()
        + qa.command_fallbacks()
    ):
        app.add_handler(handler)
    for handler in qa.fallback_handlers():
        app.add_handler(handler, group=1)


async def _post_init(app: Application) -> None:
    svc: Services = app.bot_data[SERVICES_KEY]
    await svc.db.migrate()
    schedule_nudges(app)
    await svc.refresh_units()
    if app.job_queue is not None:  # other instances add and rename units too
        app.job_queue.run_repeating(
            _refresh_screen, interval=UNITS_TTL_S, first=UNITS_TTL_S, name="privacy-screen"
        )
    if not svc.settings.offline:
        await _set_commands(app)
    settings = svc.settings
    if isinstance(settings, Settings) and settings.webapp_url and not settings.webhook:
        from bot import webapp  # the dashboard on its own port (polling mode, console)

        stack = contextlib.AsyncExitStack()
        await stack.enter_async_context(webapp.serving(app, settings))
        app.bot_data[_WEBAPP_STACK] = stack
    log.info("bot ready: %d plans, database %s", len(svc.plans), svc.db.safe_url)


async def _set_commands(app: Application) -> None:
    for code in ("vi", "en"):
        tr = translator(code)
        commands = [
            BotCommand("report", tr.gettext("send the monthly case report")),
            BotCommand("ask", tr.gettext("ask about the plan")),
            BotCommand("deadline", tr.gettext("your next deadlines")),
            BotCommand("myreports", tr.gettext("recent reports of your unit")),
            BotCommand("stats", tr.gettext("statistics, chart and exports")),
            BotCommand("plan", tr.gettext("choose your plan")),
            BotCommand("lang", tr.gettext("change language")),
            BotCommand("remind", tr.gettext("reminders on or off")),
            BotCommand("help", tr.gettext("help and examples")),
        ]
        await app.bot.set_my_commands(commands, language_code=code)


async def _refresh_screen(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The units' names (privacy screen) and plans (questions), read again (never raises)."""
    await context.application.bot_data[SERVICES_KEY].refresh_units()


async def _post_shutdown(app: Application) -> None:
    svc: Services = app.bot_data[SERVICES_KEY]
    stack = app.bot_data.pop(_WEBAPP_STACK, None)
    if stack is not None:
        await stack.aclose()
    await svc.db.dispose()


_WEBAPP_STACK = "webapp_server"


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (never the token) and tell the user something went wrong."""
    log.error("update failed: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    tr = translator(user.language_code if user else None)
    sorry = Reply(tr.gettext("Sorry, something went wrong. Please try again."))
    try:
        await outbox.send_message(context.bot, update.effective_chat.id, sorry)
    except Exception:  # noqa: BLE001 - the error path must never raise
        log.warning("could not send the error reply")
