"""``python -m bot`` refuses to start with one clear line and a non-zero exit: a token Telegram
rejects (never printed, not even in a traceback), a locked or read-only database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ROOT
from tests.bot_processes import INHERITED
from tests.botapi import BotApiServer

TIMEOUT = 60.0


async def _run_bot(env: dict[str, str]) -> tuple[int, str]:
    """Run ``python -m bot`` with ``env`` (and nothing else of ours); (exit code, output)."""
    environment = {k: v for k, v in os.environ.items() if k in INHERITED}
    environment.update(env, PYTHONUNBUFFERED="1")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=environment,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace")


async def test_a_rejected_token_is_one_clear_line_and_never_printed(tmp_path: Path) -> None:
    async with BotApiServer() as server:
        token = "987654321:AAH-not-the-right-token-0123456789"
        code, output = await _run_bot({
            "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": server.base_url,
            "DATA_DIR": str(tmp_path), "LOG_LEVEL": "DEBUG",
        })
    assert code != 0, output
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in output
    assert token not in output and token.split(":")[1] not in output
    assert "Traceback" not in output


async def test_a_locked_database_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        code, output = await _run_bot({"DATA_DIR": str(tmp_path)})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code != 0
    assert "Database error:" in output and "locked by another process" in output
    assert "Traceback" not in output


def _read_only(*paths: Path) -> bool:
    """Make ``paths`` read-only, for root too (the immutable flag); False if impossible."""
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return True
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


def _writable(*paths: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=False)
    for path in paths:
        path.chmod(0o755 if path.is_dir() else 0o644)


async def test_a_read_only_database_is_one_clear_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    sqlite3.connect(data / "bot.db").close()
    paths = (data / "bot.db", data)
    if not _read_only(*paths):
        pytest.skip("cannot make a file read-only for root here (no chattr)")
    try:
        code, output = await _run_bot({"DATA_DIR": str(data)})
    finally:
        _writable(*paths)
    assert code != 0, output
    assert "Database error:" in output and "read-only" in output
    assert "Traceback" not in output
