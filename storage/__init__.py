"""Storage: database handle, schema, repositories, aggregation and PTB persistence.

* :mod:`storage.db` — ``Database(url)``: sessions, start-up migrations, SQLite pragmas.
* :mod:`storage.models` — the schema; migrations live in ``storage/migrations``.
* Repositories (plain async functions taking an ``AsyncSession``): :mod:`storage.people`,
  :mod:`storage.units`, :mod:`storage.invites`, :mod:`storage.case_reports`,
  :mod:`storage.access_log`, :mod:`storage.updates`, :mod:`storage.nudges`,
  :mod:`storage.leases`.
* :mod:`storage.aggregation` — totals, series, completeness and population, in SQL.
* :mod:`bot.persistence` — ``SQLPersistence`` for python-telegram-bot.
"""
