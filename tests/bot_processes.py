"""``python -m bot`` subprocesses in webhook mode, for multi-instance tests and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.settings import ROOT
from tests.botapi import BotApiServer, free_port

#: What the child processes inherit from the parent's environment (nothing the bot reads).
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV")
HOOK_PATH = "/telegram/updates"


@dataclass
class Instance:
    """One ``python -m bot`` process in webhook mode."""

    name: str
    proc: subprocess.Popen[bytes]
    root: str  # http://127.0.0.1:PORT
    hook: str
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def start_instance(
    server: BotApiServer, workdir: Path, url: str, name: str, *, secret: str, **env: str
) -> Instance:
    """Start a bot on a free port, talking to ``server``, on database ``url``; ``env`` adds
    or overrides settings."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    environment = {key: value for key, value in os.environ.items() if key in INHERITED}
    environment.update(
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=url,
        DATA_DIR=str(workdir / name),
        WEBHOOK_URL=f"{root}{HOOK_PATH}",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=secret,
        PYTHONUNBUFFERED="1",
        **env,
    )
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=environment, stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Instance(name, proc, root, f"{root}{HOOK_PATH}", log)


async def until_ready(instance: Instance, timeout: float) -> None:
    """Wait for ``/readyz``; AssertionError with the log tail if it exits or times out."""
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            if instance.proc.poll() is not None:
                raise AssertionError(f"{instance.name} exited:\n{instance.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{instance.root}/readyz")).status_code == 200:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{instance.name} not ready:\n{instance.log_tail()}")
            await asyncio.sleep(0.1)


def stop(instance: Instance, timeout: float = 30) -> None:
    """SIGTERM (graceful), then SIGKILL if it does not exit."""
    if instance.proc.poll() is not None:
        return
    instance.proc.send_signal(signal.SIGTERM)
    try:
        instance.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        instance.proc.kill()
        instance.proc.wait()
