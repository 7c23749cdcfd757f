"""Per-user state re-read from the database before each update (several instances).

python-telegram-bot loads the states of persistent ConversationHandlers once, at start-up, into
``ConversationHandler._conversations`` (a ``TrackingDict``) and offers no hook to refresh them.
This module is the one place that touches those private parts:

* ``ConversationHandler._conversations`` - the key -> state mapping PTB consults;
* ``ConversationHandler._get_key(update)`` - the key of an update (chat, user, message);
* ``TrackingDict.update_no_track`` and ``TrackingDict.data`` - change the mapping without
  marking the key for the next ``Application.update_persistence`` (the value came from there).

(:class:`bot.shared_app.SharedStateApplication` also overrides the private
``Application._mark_for_persistence_update``.) ``tests/test_shared_state.py`` checks all of
these against the installed PTB and fails loudly when PTB changes them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler
from telegram.ext._handlers.conversationhandler import PendingState
from telegram.ext._utils.trackingdict import TrackingDict

from bot.persistence import SQLPersistence

ConversationKey = tuple[int | str, ...]


def persistent_conversations(app: Application) -> list[ConversationHandler]:
    """The named persistent ConversationHandlers of ``app``, nested ones included."""
    return [
        handler
        for group in app.handlers.values()
        for handler in _with_children(group)
        if isinstance(handler, ConversationHandler) and handler.persistent and handler.name
    ]


def _with_children(handlers: Iterable[BaseHandler]) -> Iterator[BaseHandler]:
    for handler in handlers:
        yield handler
        if isinstance(handler, ConversationHandler):
            for step in handler.states.values():
                yield from _with_children(step)


def states_of(handler: ConversationHandler) -> TrackingDict[ConversationKey, object]:
    """The handler's live key -> state mapping (a TrackingDict once persistence is set up)."""
    states = handler._conversations  # noqa: SLF001 - see the module docstring
    if not isinstance(states, TrackingDict):
        raise TypeError(
            f"conversation {handler.name!r} is not initialised for persistence "
            f"(got {type(states).__name__}); call Application.initialize() first"
        )
    return states


def conversation_key(handler: ConversationHandler, update: object) -> ConversationKey | None:
    """The key under which ``handler`` keeps the state of ``update``'s conversation, if any."""
    if not isinstance(update, Update):
        return None
    try:
        return handler._get_key(update)  # noqa: SLF001 - see the module docstring
    except RuntimeError:  # no chat, user or message to build it from
        return None


def set_state(handler: ConversationHandler, key: ConversationKey, state: object | None) -> None:
    """Make ``state`` (None: no conversation) the handler's state for ``key``, untracked.

    A state still being resolved by a non-blocking callback of this instance is left alone.
    """
    states = states_of(handler)
    if isinstance(states.get(key), PendingState):
        return
    if state is None or state == ConversationHandler.END:
        states.data.pop(key, None)
    else:
        states.update_no_track({key: state})


@dataclass(frozen=True)
class ReloadOutcome:
    refreshed: int  # conversation states set from the database
    processed: bool  # the update was handled (and its state written) before
    also: Any = None  # what the ``also`` reader returned


async def reload_user_state(
    app: Application,
    update: object,
    *,
    check_processed: bool = False,
    also: Callable[[AsyncSession], Awaitable[Any]] | None = None,
) -> ReloadOutcome:
    """Load what ``update``'s user and chat have stored into ``app``: the states of their
    persistent conversations, and ``user_data``/``chat_data`` when another instance changed
    them (one read transaction per distinct conversation key, usually one). With
    ``check_processed``, the first read also tells whether the update was processed already;
    ``also(session)`` reads more in that transaction (e.g. the sender's person row).
    """
    persistence = app.persistence
    if not isinstance(persistence, SQLPersistence) or not isinstance(update, Update):
        return ReloadOutcome(0, False)
    by_key: dict[ConversationKey, list[ConversationHandler]] = {}
    for handler in persistent_conversations(app):
        key = conversation_key(handler, update)
        if key is not None:
            by_key.setdefault(key, []).append(handler)
    user, chat = update.effective_user, update.effective_chat
    data: dict[str, Any] = {
        "user": (user.id, app.user_data[user.id])
        if user is not None and persistence.store_data.user_data else None,
        "chat": (chat.id, app.chat_data[chat.id])
        if chat is not None and persistence.store_data.chat_data else None,
    }
    update_id = update.update_id if check_processed else None
    refreshed, processed, extra = 0, False, None
    for key, handlers in (by_key or {(): []}).items():
        reloaded = await persistence.reload(
            key, [h.name for h in handlers], update_id=update_id, also=also, **data)
        processed = processed or reloaded.processed
        extra = extra if also is None else reloaded.also
        data, update_id, also = {}, None, None  # the rest once, with the first key
        for handler in handlers:
            if handler.name in reloaded.states:
                set_state(handler, key, reloaded.states[handler.name])
                refreshed += 1
    return ReloadOutcome(refreshed, processed, extra)
