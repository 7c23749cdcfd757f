"""Entry point: ``python -m bot`` runs the bot; sub-commands manage units and invites."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from telegram.error import InvalidToken

from bot.logging_setup import setup_logging
from bot.settings import ConfigError, Settings
from storage.db import DatabaseUnavailable, check_database

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
    backup = sub.add_parser("backup", help="online backup of the SQLite database")
    backup.add_argument("file", nargs="?", help="default: data/backups/bot-YYYYmmdd-HHMMSS.db")
    restore = sub.add_parser("restore", help="restore the SQLite database from a backup")
    restore.add_argument("file")
    move = sub.add_parser("migrate-to-postgres", help="copy the SQLite data to PostgreSQL")
    move.add_argument("postgres_url")
    move.add_argument("--batch-size", type=int, default=1000)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging()
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, secrets=[settings.token or "", settings.webhook_secret or ""])
    try:
        if args.command == "units":
            from bot.cli import clock_for, import_units

            return asyncio.run(import_units(settings, args.file, clock_for(settings)))
        if args.command == "invite":
            from bot.cli import clock_for, create_invite

            return asyncio.run(
                create_invite(settings, args.unit_code, args.role, clock_for(settings)))
        if args.command == "backup":
            from bot.cli import clock_for
            from storage.backup import backup_command, default_backup_path

            # The default file is named by the bot's clock (BOT_NOW), like every CLI date.
            file = args.file or str(default_backup_path(
                settings.data_dir, clock_for(settings).now()))
            return backup_command(settings.database_url, settings.data_dir, file)
        if args.command == "restore":
            from storage.backup import restore_command

            return restore_command(settings.database_url, args.file)
        if args.command == "migrate-to-postgres":
            from storage.transfer import migrate_to_postgres_command

            return migrate_to_postgres_command(
                settings.database_url, args.postgres_url, args.batch_size
            )
        return run(settings)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"Database error: {exc}", file=sys.stderr)
        return 3
    except InvalidToken:  # its message holds the token: never printed
        print("Telegram rejected TELEGRAM_BOT_TOKEN (unauthorized): check the token from "
              "@BotFather, or revoke and set a new one.", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        return 0


def run(settings: Settings) -> int:
    from bot.app import ALLOWED_UPDATES, build_application

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(check_database(settings.database_url))
    if settings.offline:
        from bot.console import ConsoleRequest, run_console

        request = ConsoleRequest(files_dir=settings.data_dir / "console")
        app = build_application(settings, request=request)
        if settings.webapp_url:
            from bot.console import CONSOLE_USER_ID
            from bot.webapp import console_link

            request.sign_link = lambda url: console_link(app, settings, url, CONSOLE_USER_ID)
        asyncio.run(run_console(app, request, settings.default_language))
        return 0
    app = build_application(settings)
    if settings.webhook:
        from bot.web import run_webhook

        log.info("starting in webhook mode")
        asyncio.run(run_webhook(app, settings, allowed_updates=ALLOWED_UPDATES))
        return 0
    log.info("starting long polling")
    app.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
