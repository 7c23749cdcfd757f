"""Messages written by someone who had not seen the bot's code (tests/privacy/chat_trial.yaml),
sent through the real Application over the loopback Bot API as officers would: questions,
monthly reports and correction reasons, some holding a child's details by mistake.

Questions are always answered (with the one-line note when they hold details); reports and
reasons with details are refused and change nothing; clean ones are taken.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kernel.clock import FrozenClock
from storage.models import Report, ReportVersion
from tests.e2e_support import bot_world
from tests.report_world import NOW, OFFICER, OUTSIDER, count_rows, data_of, populate

TRIAL = Path(__file__).resolve().parent / "privacy" / "chat_trial.yaml"
WAIT = 30.0
REFUSED = ("Để bảo vệ trẻ em", "To protect the children")
NOTE = ("Xin đừng gửi tên", "Please do not send children")


def _refused(text: str) -> bool:
    return any(marker in text for marker in REFUSED)


async def test_unseen_officer_messages_through_the_chat(tmp_path: Path) -> None:
    items = yaml.safe_load(TRIAL.read_text(encoding="utf-8"))
    assert len(items) >= 30
    failures: list[str] = []
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t9/2025 xh 1 tntt 1 th 0", timeout=WAIT)
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        for item in items:
            text, kind, details = item["text"], item["as"], item["details"]
            versions = await count_rows(svc, ReportVersion)
            if kind == "question":
                (reply,) = await server.ask(OUTSIDER, text, timeout=WAIT)
                if _refused(reply.text):
                    failures.append(f"question refused: {text!r}")
                elif details != any(note in reply.text for note in NOTE):
                    failures.append(f"question note {'missing' if details else 'wrong'}: {text!r}")
                continue
            if kind == "report":
                replies = await server.ask(OFFICER, text, timeout=WAIT)
            else:  # a reason typed when correcting September's report
                (existing,) = await server.ask(OFFICER, "bc t9/2025 xh 2 tntt 1 th 0",
                                               timeout=WAIT)
                await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
                replies = await server.ask(OFFICER, text, timeout=WAIT)
            reply = replies[-1].text or ""
            if details and not _refused(reply):
                failures.append(f"{kind} with details not refused: {text!r} -> {reply[:80]!r}")
            elif not details and _refused(reply):
                failures.append(f"clean {kind} refused: {text!r}")
            if kind == "reason" and not details and "Lý do" not in reply and "Reason" not in reply:
                failures.append(f"clean reason not taken: {text!r} -> {reply[:80]!r}")
            await server.ask(OFFICER, "/cancel", timeout=WAIT)
            if await count_rows(svc, ReportVersion) != versions:
                failures.append(f"{kind} saved something: {text!r}")
        assert await count_rows(svc, Report) == 1
    assert not failures, "\n".join(failures)
