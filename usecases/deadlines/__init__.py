"""Monthly report deadlines and reminders ("nudges"), without Telegram.

:mod:`~usecases.deadlines.policy` (when), :mod:`~usecases.deadlines.planner` (to whom, derived
from the database), :mod:`~usecases.deadlines.texts` and :mod:`~usecases.deadlines.status` (what
it says), :mod:`~usecases.deadlines.milestones` (the plans' own milestones). Sending them is the
reminder job's (bot.jobs) through the one path out to Telegram (handlers.outbox).
"""
