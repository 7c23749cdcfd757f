"""One structured log line and a few metrics per handled update.

The line is ``key=value`` pairs on the ``bot.updates`` logger, for example::

    update id=812 type=message user=3f9a0c2b71d4 handler=qa.question_message ms=14.2 outcome=ok

``user`` is a salted SHA-256 (HMAC) of the Telegram user id, truncated: lines of one user
can be correlated across instances sharing the salt, but the id itself never appears.
Message text, report contents and the token are never logged here.

How it fits together: the update processor wraps each update in :class:`UpdateLog` (a
context manager that times it and writes the line); :func:`instrument_handlers` makes every
handler callback record its name in the current :class:`UpdateTrace`, and
:func:`record_error` (an error handler) marks the trace as failed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, BaseHandler, ConversationHandler

from bot.settings import Settings
from kernel.metrics import ERRORS, UPDATE_LATENCY, UPDATES_IN_PROGRESS, UPDATES_RECEIVED

log = logging.getLogger("bot.updates")

USER_HASH_LENGTH = 12
NO_HANDLER = "none"
_UPDATE_TYPES = tuple(str(kind.value) for kind in Update.ALL_TYPES)
_TRACE: ContextVar[UpdateTrace | None] = ContextVar("update_trace", default=None)
_TRACED_NAME = "__traced_handler_name__"


class UpdateTrace:
    """What is known about the update being handled (mutable, shared with child tasks)."""

    __slots__ = ("handler", "outcome", "provisional")

    def __init__(self) -> None:
        self.handler = NO_HANDLER
        self.outcome = "ok"
        self.provisional = True  # handler unset, or set by a pre-processing (group < 0) one

    def ran(self, name: str, *, pre: bool) -> None:
        """A handler callback started: the first main one (group >= 0) names the update."""
        if not self.provisional:
            return
        if not pre:
            self.handler, self.provisional = name, False
        elif self.handler == NO_HANDLER:
            self.handler = name


def hash_user(salt: bytes, user_id: int) -> str:
    """A short, salted, one-way pseudonym of a Telegram user id."""
    digest = hmac.new(salt, str(user_id).encode(), hashlib.sha256).hexdigest()
    return digest[:USER_HASH_LENGTH]


def salt_for(settings: Settings) -> bytes:
    """``LOG_HASH_SALT`` if set; otherwise derived from the token (same on every instance)."""
    if settings.log_hash_salt:
        return settings.log_hash_salt.encode()
    secret = settings.token or "offline"
    return hashlib.sha256(f"user-hash-salt:{secret}".encode()).digest()


def update_type(update: object) -> str:
    if not isinstance(update, Update):
        return "other"
    for kind in _UPDATE_TYPES:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class UpdateLog:
    """``with UpdateLog(salt)(update): ...`` times the block, logs the line, updates metrics."""

    __slots__ = ("_salt",)

    def __init__(self, salt: bytes) -> None:
        self._salt = salt

    def __call__(self, update: object) -> _TrackedUpdate:
        return _TrackedUpdate(self._salt, update)


class _TrackedUpdate:
    __slots__ = ("_kind", "_salt", "_start", "_token", "trace", "update")

    def __init__(self, salt: bytes, update: object) -> None:
        self._salt = salt
        self.update = update
        self.trace = UpdateTrace()
        self._token: Token[UpdateTrace | None] | None = None
        self._start = 0.0
        self._kind = "other"

    def __enter__(self) -> UpdateTrace:
        self._kind = update_type(self.update)
        UPDATES_RECEIVED.labels(self._kind).inc()
        self._token = _TRACE.set(self.trace)
        UPDATES_IN_PROGRESS.inc()
        self._start = time.perf_counter()
        return self.trace

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        elapsed = time.perf_counter() - self._start
        UPDATES_IN_PROGRESS.dec()
        if self._token is not None:
            _TRACE.reset(self._token)
        trace = self.trace
        if exc_type is not None:
            trace.outcome = "error"
        UPDATE_LATENCY.labels(trace.handler).observe(elapsed)
        if log.isEnabledFor(logging.INFO):
            log.info(
                "update id=%s type=%s user=%s handler=%s ms=%.1f outcome=%s",
                getattr(self.update, "update_id", "-"),
                self._kind,
                self._user(),
                trace.handler,
                elapsed * 1000,
                trace.outcome,
            )

    def _user(self) -> str:
        user = self.update.effective_user if isinstance(self.update, Update) else None
        return hash_user(self._salt, user.id) if user is not None else "-"


# ---------------------------------------------------------------- handler names and errors

Callback = Callable[[Any, Any], Awaitable[Any]]


def handler_name(callback: Callable[..., Any]) -> str:
    """``handlers.qa.ask_command`` -> ``qa.ask_command`` (stable, low-cardinality label)."""
    module = getattr(callback, "__module__", None) or ""
    name = getattr(callback, "__qualname__", None) or type(callback).__name__
    module = module.removeprefix("handlers.")
    return f"{module}.{name}" if module else name


def instrument_handlers(app: Application) -> None:
    """Make every registered handler note its name in the current trace when it runs.

    Handlers in negative groups (pre-processing such as dropping repeated updates) name the
    update only if no main handler runs. Call after all handlers are added; calling again is
    harmless.
    """
    for group, handlers in app.handlers.items():
        for handler in handlers:
            _instrument(handler, pre=group < 0)
    if record_error not in app.error_handlers:
        app.add_error_handler(record_error)


def _instrument(handler: BaseHandler[Any, Any, Any], *, pre: bool) -> None:
    if isinstance(handler, ConversationHandler):
        nested = [*handler.entry_points, *handler.fallbacks]
        for state_handlers in handler.states.values():
            nested.extend(state_handlers)
        for inner in nested:
            _instrument(inner, pre=pre)
        return
    callback = getattr(handler, "callback", None)
    if callback is None or hasattr(callback, _TRACED_NAME):
        return
    handler.callback = _named(callback, handler_name(callback), pre=pre)


def _named(callback: Callback, name: str, *, pre: bool) -> Callback:
    async def traced(update: Any, context: Any) -> Any:
        trace = _TRACE.get()
        if trace is not None:
            trace.ran(name, pre=pre)
        return await callback(update, context)

    setattr(traced, _TRACED_NAME, name)
    traced.__wrapped__ = callback  # type: ignore[attr-defined]
    return traced


async def record_error(update: object, context: Any) -> None:
    """Error handler: count the error and mark the current update as failed."""
    if isinstance(context.error, ApplicationHandlerStop):
        return
    if update is not None:
        source = "update"
    else:
        source = "job" if getattr(context, "job", None) is not None else "other"
    ERRORS.labels(source).inc()
    trace = _TRACE.get()
    if trace is not None:
        trace.outcome = "error"
