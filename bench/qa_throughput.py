"""Updates per second through Application.process_update: questions vs a bare echo bot."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.inprocess import SilentRequest, text_update
from bot.app import build_application
from bot.runtime import started
from bot.settings import Settings

QUESTION_DIR = Path(__file__).resolve().parent.parent / "tests" / "questions"


def question_texts() -> list[str]:
    """Every distinct question of the test question set (several hundred)."""
    texts: dict[str, None] = {}
    for path in sorted(QUESTION_DIR.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            texts[item["q"]] = None
    return list(texts)


QUESTIONS = question_texts()


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_message(update.effective_message.text or "")


async def _rate(app, texts: list[str], first_id: int, users: int = 50) -> float:
    updates = [text_update(app, first_id + i, 10_000 + i % users, text)
               for i, text in enumerate(texts)]
    start = time.perf_counter()
    for update in updates:
        await app.process_update(update)
    return len(texts) / (time.perf_counter() - start)


async def measure(rounds: int = 3) -> dict[str, float]:
    """Cold: each distinct question once (nothing cached); warm: the same questions again."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'b.db'}",
                                      "DATA_DIR": tmp})
        bot_app = build_application(settings, request=SilentRequest())
        echo_app = (ApplicationBuilder().token("123456:bench-token-000000000000000000")
                    .request(SilentRequest()).get_updates_request(SilentRequest()).build())
        echo_app.add_handler(MessageHandler(filters.TEXT, _echo))
        texts = QUESTIONS
        async with started(bot_app), started(echo_app):
            await _rate(bot_app, ["/start"] * 50, 1)  # person rows exist, as in real use
            echo_rates = [await _rate(echo_app, texts, 1)]
            cold = await _rate(bot_app, texts, 100)
            warm_rates = []
            for r in range(rounds):  # interleave so both see the same machine load
                echo_rates.append(await _rate(echo_app, texts, 1))
                warm_rates.append(await _rate(bot_app, texts, 10_000 * (r + 1)))
        echo = statistics.median(echo_rates)
        warm = statistics.median(warm_rates)
        return {"distinct_questions": float(len(texts)),
                "echo_updates_per_s": echo,
                "questions_cold_updates_per_s": cold,
                "questions_warm_updates_per_s": warm,
                "ratio_cold_to_echo": cold / echo,
                "ratio_warm_to_echo": warm / echo}


def run() -> dict[str, float]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}")
