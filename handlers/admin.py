"""Admin and supervisor commands: /units, /unit, /people, /move, /deactivate, /invite."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler

from handlers.common import Context, caller, send, services
from kernel.i18n import Translator
from kernel.reply import Reply
from storage.models import Person
from usecases import people
from usecases.services import Services
from usecases.units import changes, listing

Action = Callable[[Services, Person, Translator, str], Awaitable[Reply]]


def _command(action: Action) -> Callable[[Update, Context], Awaitable[None]]:
    async def run(update: Update, context: Context) -> None:
        who = await caller(update, context)
        args = " ".join(context.args or [])
        await send(update, await action(services(context), who.person, who.tr, args))

    run.__name__ = action.__name__
    return run


def handlers() -> list:
    return [
        CommandHandler(["units", "donvi"], _command(listing.units_reply)),
        CommandHandler(["unit", "suadonvi"], _command(changes.unit_reply)),
        CommandHandler(["people", "nhansu"], _command(people.people_reply)),
        CommandHandler(["move", "chuyen"], _command(people.move_reply)),
        CommandHandler(["deactivate", "vohieu"], _command(people.deactivate_reply)),
        CommandHandler(["invite", "moi"], _command(people.invite_reply)),
    ]
