"""Storage (SQLAlchemy only): database handle, schema, repositories, aggregation.

* :mod:`storage.db` — ``Database(url)``: the transaction API (a session, or the quick
  connection), start-up migrations, SQLite pragmas; :mod:`storage.sqlite_driver` the fast path.
* :mod:`storage.models` — the schema; migrations live in ``storage/migrations``.
* Repositories (plain async functions taking a session or a quick connection):
  :mod:`storage.people`, :mod:`storage.units`, :mod:`storage.invites`,
  :mod:`storage.case_reports`, :mod:`storage.access_log`, :mod:`storage.updates`,
  :mod:`storage.nudges`, :mod:`storage.nudge_queries`, :mod:`storage.leases`.
* :mod:`storage.aggregation` and :mod:`storage.stats_queries` — totals, series,
  completeness and population, in SQL.
* :mod:`storage.conversation_store` — python-telegram-bot's persistence tables (the adapter is
  bot.persistence).
"""
