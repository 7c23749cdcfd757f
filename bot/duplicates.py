"""Drop updates Telegram delivers twice (same update_id) before any handler sees them."""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.update_processor import ordering_key
from handlers.common import Context, services
from storage import updates

log = logging.getLogger(__name__)

#: Handler group that runs before every other one.
GROUP = -2
#: Forget old update ids on every this-many-th update.
PRUNE_EVERY = 500


_RECENT_MAX = 10_000


def _seen_here(recent: OrderedDict[int, None], update_id: int) -> bool:
    """True if this Application saw ``update_id`` recently; remembers it otherwise."""
    if update_id in recent:
        return True
    recent[update_id] = None
    if len(recent) > _RECENT_MAX:
        recent.popitem(last=False)
    return False


async def drop_repeated_update(update: Update, context: Context) -> None:
    """Stop all further handling of an update id seen before.

    One process (SQLite) remembers recent ids in memory. Several instances sharing
    PostgreSQL record every id in the database, so a re-delivery that reaches another
    instance is dropped too. Saving a report is idempotent on its own (client token).
    """
    svc = services(context)
    if svc.settings.offline:  # the console numbers its updates from 1 on every run
        return
    if svc.settings.shared_state and ordering_key(update) is not None:
        return  # bot.shared_app checks, and records the id with the state the update left
    if _seen_here(svc.recent_update_ids, update.update_id):
        log.info("dropped a repeated update (id %s)", update.update_id)
        raise ApplicationHandlerStop
    if svc.db.is_sqlite:
        return
    async with svc.db.session() as session:
        first = await updates.mark_processed(session, update.update_id)
        if first and update.update_id % PRUNE_EVERY == 0:
            await updates.prune_processed(session)
        await session.commit()
    if not first:
        log.info("dropped a repeated update (id %s)", update.update_id)
        raise ApplicationHandlerStop


def handler() -> TypeHandler:
    return TypeHandler(Update, drop_repeated_update)
