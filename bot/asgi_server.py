"""uvicorn as the bot runs it: inside the bot's own event loop, stopped by the bot (webhook
server, dashboard server)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import uvicorn


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: the bot stops it in order."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


async def until_started(server: uvicorn.Server, task: asyncio.Task[Any], what: str) -> None:
    """Wait for ``server`` (served by ``task``) to listen; its start-up failure is raised."""
    while not server.started:
        if task.done():
            task.result()  # raises the start-up failure
            raise RuntimeError(f"the {what} stopped during start-up")
        await asyncio.sleep(0.01)
