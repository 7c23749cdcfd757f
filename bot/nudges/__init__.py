"""Monthly report deadlines and reminders ("nudges") to officers and supervisors.

Telegram-free: :mod:`~bot.nudges.policy` (when), :mod:`~bot.nudges.planner` (to whom, derived
from the database), :mod:`~bot.nudges.texts` and :mod:`~bot.nudges.status` (what it says),
:mod:`~bot.nudges.milestones` (plan milestones). Telegram side: :mod:`~bot.nudges.delivery`
(limits, retries), :mod:`~bot.nudges.runner` (claim and send under a lease) and
:mod:`~bot.nudges.scheduler` (the repeating JobQueue job).
"""
