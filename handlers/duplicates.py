"""Drop updates Telegram delivers twice (same update_id) before any handler sees them."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from handlers.common import Context, services
from storage import updates

log = logging.getLogger(__name__)

#: Handler group that runs before every other one.
GROUP = -1
#: Forget old update ids on every this-many-th update.
PRUNE_EVERY = 500


async def drop_repeated_update(update: Update, context: Context) -> None:
    """Record the update id; stop all further handling if it was seen before."""
    svc = services(context)
    if svc.settings.offline:  # the console numbers its updates from 1 on every run
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
