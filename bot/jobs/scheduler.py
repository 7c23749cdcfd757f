"""The one repeating JobQueue job that drives reminders, and each Application's runner."""

from __future__ import annotations

import logging
from weakref import WeakKeyDictionary

from telegram.ext import Application, ContextTypes, Job

from bot.jobs.reminders import NudgeRunner
from usecases.deadlines.planner import Outgoing
from usecases.services import SERVICES_KEY

log = logging.getLogger(__name__)

#: Stable name and APScheduler id: re-scheduling replaces the job instead of adding one.
JOB_ID = "report-nudges"
DEFAULT_INTERVAL = 60

_runners: WeakKeyDictionary[Application, NudgeRunner] = WeakKeyDictionary()


def runner_of(app: Application) -> NudgeRunner:
    """The Application's reminder runner (created on first use)."""
    runner = _runners.get(app)
    if runner is None:
        runner = _runners[app] = NudgeRunner(app.bot_data[SERVICES_KEY])
    return runner


def install_runner(app: Application, runner: NudgeRunner) -> NudgeRunner:
    """Use ``runner`` for ``app`` (tests give one whose pacer runs on a fake clock)."""
    _runners[app] = runner
    return runner


def schedule_nudges(app: Application) -> Job | None:
    """Register the repeating tick (``NUDGE_INTERVAL`` seconds; 0 turns reminders off)."""
    settings = app.bot_data[SERVICES_KEY].settings
    interval = int(getattr(settings, "nudge_interval", DEFAULT_INTERVAL))
    if interval <= 0:
        log.info("reminders are switched off (NUDGE_INTERVAL=0)")
        return None
    if app.job_queue is None:
        log.warning("no JobQueue: reminders will not be sent")
        return None
    runner_of(app)
    return app.job_queue.run_repeating(
        nudge_tick,
        interval=interval,
        first=interval,
        name=JOB_ID,
        job_kwargs={"id": JOB_ID, "replace_existing": True, "coalesce": True},
    )


async def nudge_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: one tick; it never raises (the next tick simply tries again)."""
    app = context.application
    try:
        await runner_of(app).tick(app.bot, keep_going=lambda: app.running)
    except Exception:  # noqa: BLE001
        log.exception("reminder tick failed")


def send_in_background(app: Application, items: list[Outgoing]) -> None:
    """Deliver ``items`` (claimed batch by batch) without holding up the caller's update."""
    runner = runner_of(app)
    app.create_task(
        runner.deliver(app.bot, items, keep_going=lambda: app.running), name="remind-again"
    )
