"""Read-only copies of report and audit rows, for results and for what the chat shows.

A plain frozen dataclass costs a fraction of an ORM instance to build (no instance state, no
instrumented attributes), and the chat builds one for every report it saves or shows. Load
the ORM row (:func:`storage.case_reports.get_report`) to change a report.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Self


class _Row:
    __slots__ = ()

    @classmethod
    def of(cls, row: Any) -> Self:
        """From an ORM instance (or anything with the columns as attributes)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ReportSnapshot(_Row):
    """A report's row (one unit, one month) as it was read or written."""

    id: int
    unit_id: int
    year: int
    month: int
    period: int
    abuse: int
    injury: int
    marriage: int
    abuse_violence: int | None
    abuse_sexual: int | None
    abuse_exploitation: int | None
    abuse_other: int | None
    injury_drowning: int | None
    injury_traffic: int | None
    injury_deaths: int | None
    submitted_by: int | None
    submitted_at: datetime
    updated_by: int | None
    updated_at: datetime
    version: int
    reopened_at: datetime | None
    reopened_by: int | None


@dataclass(frozen=True, slots=True)
class VersionSnapshot(_Row):
    """One audit-trail row: a change of a report."""

    id: int
    report_id: int
    version: int
    action: str
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    changed_by: int | None
    changed_at: datetime
    reason_code: str | None
    reason_note: str | None
    client_token: str | None
