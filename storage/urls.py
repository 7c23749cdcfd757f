"""DATABASE_URL parsing: normalise to the async drivers and build the default SQLite URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url

ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


def normalize_url(url: str | URL) -> URL:
    """Map ``sqlite://``, ``postgres://``, ``postgresql://`` (any driver) to the async drivers."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise ValueError(f"unsupported database: {backend!r} (use sqlite or postgresql)")
    return parsed.set(drivername=f"{backend}+{ASYNC_DRIVERS[backend]}")


def default_sqlite_url(data_dir: str | Path) -> str:
    """The default database: ``bot.db`` in the data directory."""
    path = Path(data_dir).resolve() / "bot.db"
    return f"sqlite+aiosqlite:///{path}"


def sqlite_file(url: URL) -> Path | None:
    """The file behind an SQLite URL (None for in-memory or other backends)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)
