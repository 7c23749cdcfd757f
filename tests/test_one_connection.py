"""Every handler holds at most one database connection at a time.

A handler that opens a second session while its first still holds a connection works with a
roomy pool but deadlocks under load, when every update holds one connection and waits for a
second (the pool's timeout, then errors). Here the bot's pool has one connection and no
overflow: such a handler waits for itself and fails, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from kernel.clock import VN_TZ, FrozenClock
from tests.e2e_support import bot_world
from tests.report_world import ADMIN, OFFICER, SUPERVISOR, data_of, populate

#: The main flows, with the fast paths on and off (FAST_PATHS).
pytestmark = pytest.mark.usefixtures("both_paths")

ONE_CONNECTION = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 5}
NOW = datetime(2025, 11, 3, 9, 0, tzinfo=VN_TZ)
NEWCOMER = 777
WAIT = 30.0


@pytest_asyncio.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: Any, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    server = request.getfixturevalue("pg_server")  # the session's server: a database of its own
    name = await server.create_database(template=server.template)
    try:
        yield server.url(name)
    finally:
        await server.drop_database(name)


async def test_the_main_flows_need_one_connection_at_a_time(
    tmp_path: Path, database_url: str
) -> None:
    async with bot_world(
        tmp_path, clock=FrozenClock(NOW), engine=ONE_CONNECTION, DATABASE_URL=database_url,
        ADMIN_IDS=str(ADMIN), NUDGE_INTERVAL="0",
    ) as (server, _app, svc):
        await populate(svc)
        # A first contact (the person is created) asking a question, then a report attempt.
        (answer,) = await server.ask(NEWCOMER, "chỉ tiêu 14 năm 2025", timeout=WAIT)
        assert "98,5%" in answer.text or "Chỉ tiêu 14" in answer.text
        (refused,) = await server.ask(NEWCOMER, "bc t10 xh 1 tntt 0 th 0", timeout=WAIT)
        assert "/start" in refused.text
        # An officer's one-message report, confirmed; then a correction started.
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        (saved,) = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"),
                                      timeout=WAIT)
        assert "Đã lưu" in saved.text
        (existing,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 0", timeout=WAIT)
        assert data_of(existing, "rp:r")
        # Settings, deadlines, lists, statistics and an export; admin changes.
        for user, command in ((OFFICER, "/myreports"), (OFFICER, "/lang en"), (OFFICER, "/han"),
                              (OFFICER, "/plan"), (OFFICER, "/remind off"),
                              (SUPERVISOR, "/han"), (SUPERVISOR, "/reopen C11 10/2025"),
                              (ADMIN, "/units D1"), (ADMIN, "/people D1")):
            assert (await server.ask(user, command, timeout=WAIT))[0].text, command
        (stats,) = await server.ask(SUPERVISOR, "/thongke 10/2025", timeout=WAIT)
        (csv,) = await server.press(SUPERVISOR, stats, label="CSV", timeout=WAIT)
        assert csv.method == "sendDocument"
        (added,) = await server.ask(ADMIN, "/unit add C13 xa D1 Xã Mới pop=900", timeout=WAIT)
        assert "C13" in added.text
        (invite,) = await server.ask(ADMIN, "/invite C13 officer", timeout=WAIT)
        code = invite.text.rsplit("start=", 1)[1].split()[0]
        (joined,) = await server.ask(NEWCOMER, f"/start {code}", timeout=WAIT)
        assert "C13" in joined.text
        (summary,) = await server.ask(NEWCOMER, "bc t10 xh 0 tntt 1 th 0", timeout=WAIT)
        (saved,) = await server.press(NEWCOMER, summary, data_of(summary, "rp:ok:"),
                                      timeout=WAIT)
        assert "Đã lưu" in saved.text
