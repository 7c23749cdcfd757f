"""Updates per second through Application.process_update: questions vs a bare echo bot."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.inprocess import SilentRequest, text_update
from bot.app import build_application
from bot.config import Settings
from bot.runtime import started

QUESTIONS = [
    "chỉ tiêu 14 năm 2025 là bao nhiêu?",
    "chi tieu 9 ai chiu trach nhiem",
    "what is target 11 for 2030 in Tra Vinh?",
    "tỷ lệ khai sinh",
    "so sánh chỉ tiêu 3",
    "sở y tế phụ trách chỉ tiêu nào ở tphcm",
    "mục tiêu 2 gồm những chỉ tiêu nào rach gia",
    "han bao cao 6 thang hcm",
]


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_message(update.effective_message.text or "")


async def _rate(app, n: int, users: int = 50) -> float:
    updates = [text_update(app, i + 1, 10_000 + i % users, QUESTIONS[i % len(QUESTIONS)])
               for i in range(n)]
    start = time.perf_counter()
    for update in updates:
        await app.process_update(update)
    return n / (time.perf_counter() - start)


async def measure(n: int = 400, rounds: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'b.db'}",
                                      "DATA_DIR": tmp})
        bot_request = SilentRequest()
        bot_app = build_application(settings, request=bot_request)
        echo_request = SilentRequest()
        echo_app = (ApplicationBuilder().token("123456:bench-token-000000000000000000")
                    .request(echo_request).get_updates_request(echo_request).build())
        echo_app.add_handler(MessageHandler(filters.TEXT, _echo))
        bot_rates, echo_rates = [], []
        async with started(bot_app), started(echo_app):
            await _rate(bot_app, 50)  # warm-up: first person rows, caches
            for _ in range(rounds):  # interleave so both see the same machine load
                echo_rates.append(await _rate(echo_app, n))
                bot_rates.append(await _rate(bot_app, n))
        bot_rate, echo_rate = statistics.median(bot_rates), statistics.median(echo_rates)
        assert bot_request.sent >= n * rounds
        return {"questions_updates_per_s": bot_rate, "echo_updates_per_s": echo_rate,
                "ratio_questions_to_echo": bot_rate / echo_rate}


def run() -> dict[str, float]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}")
