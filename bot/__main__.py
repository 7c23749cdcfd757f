"""Entry point: ``python -m bot`` runs the bot; sub-commands manage units and invites."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import ConfigError, Settings, load_dotenv_file
from bot.logging_setup import setup_logging

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (default)")
    units = sub.add_parser("units", help="manage organisational units")
    units_sub = units.add_subparsers(dest="units_command", required=True)
    imp = units_sub.add_parser("import", help="import units from a CSV file")
    imp.add_argument("file")
    invite = sub.add_parser("invite", help="create an invite code for a unit")
    invite.add_argument("unit_code")
    invite.add_argument("role", choices=["officer", "supervisor"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    load_dotenv_file()
    setup_logging()
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "units":
            from bot.cli import import_units

            return asyncio.run(import_units(settings, args.file))
        if args.command == "invite":
            from bot.cli import create_invite

            return asyncio.run(create_invite(settings, args.unit_code, args.role))
        return run(settings)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def run(settings: Settings) -> int:
    from bot.app import build_application

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.offline:
        from bot.console import ConsoleRequest, run_console

        request = ConsoleRequest(files_dir=settings.data_dir / "console")
        app = build_application(settings, request=request)
        asyncio.run(run_console(app, request, settings.default_language))
        return 0
    app = build_application(settings)
    log.info("starting long polling")
    app.run_polling(allowed_updates=["message", "callback_query"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
