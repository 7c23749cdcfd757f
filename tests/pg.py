"""A PostgreSQL server for tests: env TEST_DATABASE_URL_PG, or a throwaway local cluster.

The throwaway cluster is created with the server binaries under /usr/lib/postgresql/*/bin
(run as the ``postgres`` OS user when the tests run as root), listens on a free port on
127.0.0.1 with its socket in a temporary directory, and is removed by :meth:`PgServer.stop`.
Each test gets its own database, cloned from a migrated template.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url

ENV_URL = "TEST_DATABASE_URL_PG"


class PgUnavailable(RuntimeError):
    """No PostgreSQL server could be found or started."""


@dataclass
class PgServer:
    """A reachable server; ``admin_url`` points at a database we may connect to."""

    admin_url: URL
    data_dir: Path | None = None
    pg_ctl: list[str] = field(default_factory=list)
    template: str | None = None

    def url(self, database: str) -> str:
        url = self.admin_url.set(drivername="postgresql+asyncpg", database=database)
        return url.render_as_string(hide_password=False)

    async def _admin(self):  # -> asyncpg.Connection
        import asyncpg

        u = self.admin_url
        return await asyncpg.connect(
            host=u.host, port=u.port, user=u.username, password=u.password,
            database=u.database or "postgres",
        )

    async def create_database(self, template: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        conn = await self._admin()
        try:
            suffix = f" TEMPLATE {template}" if template else ""
            await conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        finally:
            await conn.close()
        return name

    async def drop_database(self, name: str) -> None:
        conn = await self._admin()
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    def stop(self) -> None:
        if self.data_dir is None:
            return
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                [*self.pg_ctl, "-D", str(self.data_dir), "-m", "immediate", "stop"],
                check=False, capture_output=True, timeout=60,
            )
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)
        self.data_dir = None


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit()
        else 0,
    )
    for initdb in reversed(candidates):
        bin_dir = Path(initdb).parent
        if (bin_dir / "pg_ctl").exists():
            return bin_dir
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> PgServer:
    """Use env TEST_DATABASE_URL_PG, or start a throwaway cluster; raise PgUnavailable."""
    external = os.environ.get(ENV_URL)
    if external:
        url = make_url(external.replace("postgres://", "postgresql://", 1))
        return PgServer(admin_url=url.set(drivername="postgresql"))
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PgUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) found")

    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PgUnavailable("running as root but there is no 'postgres' OS user") from exc
        prefix = ["runuser", "-u", "postgres", "--"]

    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    data_dir, sock_dir = root / "data", root / "sock"
    sock_dir.mkdir()
    if owner is not None:
        for path in (root, sock_dir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    pg_ctl = [*prefix, str(bin_dir / "pg_ctl")]
    try:
        _run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            cwd=root,
        )
        options = (
            f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _run(
            [*pg_ctl, "-D", str(data_dir), "-o", options, "-l", str(root / "server.log"),
             "-w", "-t", "60", "start"],
            cwd=root,
        )
    except PgUnavailable:
        log = root / "server.log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise PgUnavailable(f"could not start PostgreSQL from {bin_dir}\n{detail}") from None
    url = URL.create("postgresql", username="postgres", host="127.0.0.1", port=port,
                     database="postgres")
    return PgServer(admin_url=url, data_dir=data_dir, pg_ctl=pg_ctl)


def _run(cmd: list[str], cwd: Path) -> None:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PgUnavailable(f"{cmd[-1]}: {exc}") from exc
    if proc.returncode != 0:
        raise PgUnavailable(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-1000:]}")
