"""The database schema (SQLAlchemy 2 typed declarative).

Units form a tree (province/city -> district -> commune). ``UnitClosure`` holds one row per
(ancestor, descendant) pair, the unit itself included at depth 0, so "everything under this
unit" is one indexed equality: ``UnitClosure.ancestor_id == unit_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel.calendar import Month
from storage.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Unit levels; communes (incl. wards and towns) are the reporting units.
LEVELS: tuple[str, ...] = ("province", "city", "district", "commune")
REPORTING_LEVEL = "commune"
#: Roles a person can hold (None = no role: may only ask questions).
ROLES: tuple[str, ...] = ("admin", "supervisor", "officer")
#: Report version actions.
ACTIONS: tuple[str, ...] = ("created", "replaced", "reopened")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    plan_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"Unit({self.code!r}, {self.level})"


class UnitClosure(Base):
    """Ancestor/descendant pairs of the unit tree (including each unit with itself, depth 0)."""

    __tablename__ = "unit_closure"

    ancestor_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    descendant_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    depth: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_unit_closure_descendant", "descendant_id", "ancestor_id"),)


class UnitPopulation(Base):
    __tablename__ = "unit_populations"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_population: Mapped[int] = mapped_column(Integer)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))
    plan_id: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"Person({self.telegram_id}, role={self.role})"


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    used_at: Mapped[datetime | None]


def period_of(month: Month) -> int:
    """``Report.period`` of a month: year * 100 + month (October 2025 → 202510)."""
    return month.year * 100 + month.month


class Report(Base):
    """The current values of one unit's monthly case report."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    #: year * 100 + month, for indexed month-range predicates.
    period: Mapped[int] = mapped_column(Integer)
    abuse: Mapped[int] = mapped_column(Integer)
    injury: Mapped[int] = mapped_column(Integer)
    marriage: Mapped[int] = mapped_column(Integer)
    abuse_violence: Mapped[int | None] = mapped_column(Integer)
    abuse_sexual: Mapped[int | None] = mapped_column(Integer)
    abuse_exploitation: Mapped[int | None] = mapped_column(Integer)
    abuse_other: Mapped[int | None] = mapped_column(Integer)
    injury_drowning: Mapped[int | None] = mapped_column(Integer)
    injury_traffic: Mapped[int | None] = mapped_column(Integer)
    injury_deaths: Mapped[int | None] = mapped_column(Integer)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: First submission (timeliness is judged by it).
    submitted_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Set when a supervisor re-opens a locked month for the officer; cleared by the next change.
    reopened_at: Mapped[datetime | None]
    reopened_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    __table_args__ = (
        UniqueConstraint("unit_id", "year", "month"),
        Index("ix_reports_unit_period", "unit_id", "period"),
        Index("ix_reports_period", "period"),
    )


class ReportVersion(Base):
    """Audit trail: one row per change of a report."""

    __tablename__ = "report_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    old_values: Mapped[dict[str, Any] | None]
    new_values: Mapped[dict[str, Any] | None]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    changed_at: Mapped[datetime]
    #: Why (reports.reasons: entry_mistake, found_late, verified, duplicate, other).
    reason_code: Mapped[str | None] = mapped_column(String(32))
    #: With "other": a short note that passed the privacy screen (never other typed text).
    reason_note: Mapped[str | None] = mapped_column(String(120))
    #: Idempotency key from the client (e.g. the confirm button's token).
    client_token: Mapped[str | None] = mapped_column(String(128), unique=True)

    __table_args__ = (Index("ix_report_versions_report", "report_id", "version"),)


class AccessLog(Base):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Nudge(Base):
    """A reminder sent to a person about a month (sent once per kind)."""

    __tablename__ = "nudges"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("person_id", "year", "month", "kind"),)


class ProcessedUpdate(Base):
    """Telegram update ids already handled (guards against duplicate deliveries)."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class ConversationState(Base):
    """python-telegram-bot conversation states (``key`` is the JSON of the key tuple)."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[Any] = mapped_column(JSON)


class PersistedData(Base):
    """python-telegram-bot user/chat/bot/callback data as JSON.

    ``kind`` is ``user``, ``chat``, ``bot`` or ``callback``; ``key`` is the id (``""`` for bot
    and callback data).
    """

    __tablename__ = "persisted_data"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)
    #: Increases with every write, so an instance can tell that another one changed the row.
    revision: Mapped[int] = mapped_column(Integer, default=1)


class Lease(Base):
    """A named, expiring lock held by one bot instance (e.g. the reminder scheduler)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
