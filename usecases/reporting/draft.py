"""A report being entered in chat: what is known so far and which step comes next (no I/O).

Drafts live in ``user_data`` (persisted as JSON), so they hold parsed values only: counts, a
month, a reason code and a note that passed the privacy screen, never a typed message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from kernel.calendar import Month
from kernel.counts import BREAKDOWNS, CATEGORIES, CaseCounts
from reports.reasons import OTHER, REASONS

#: Conversation steps (also the ConversationHandler states).
MONTH, COUNT, DETAILS, REPLACE, REASON, NOTE, CONFIRM = (
    "month", "count", "details", "replace", "reason", "note", "confirm",
)  # fmt: skip
STEPS: tuple[str, ...] = (MONTH, COUNT, DETAILS, REPLACE, REASON, NOTE, CONFIRM)

#: Totals that have optional details, and those details in the order they are shown.
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    total: tuple(part for part, owner in BREAKDOWNS.items() if owner == total)
    for total in CATEGORIES
    if total in BREAKDOWNS.values()
}

DRAFT_KEY = "report_draft"
#: A draft left unanswered this long is dropped (the next message is then read afresh).
DRAFT_TTL = timedelta(hours=24)


@dataclass
class Draft:
    """One unit's report for one month, filled in step by step."""

    unit_id: int
    unit_code: str
    unit_name: str
    month: str | None = None  # "YYYY-MM"
    counts: dict[str, int] = field(default_factory=dict)
    #: Totals whose details were asked (or given, or skipped).
    details_done: list[str] = field(default_factory=list)
    #: The version of the saved report the user chose to replace (None: a first report).
    replaces_version: int | None = None
    #: Why the saved report is replaced: a code of reports.reasons.
    reason: str | None = None
    #: With "other": a short note that passed the privacy screen.
    reason_note: str | None = None
    #: The note was asked for (typed or skipped).
    note_done: bool = False
    #: Idempotency token of the summary's Confirm button.
    token: str | None = None
    step: str = MONTH
    field: str | None = None  # the count or total asked at COUNT/DETAILS
    #: Some words of the report message were not read (a few, as "ạ" or "all good"): the
    #: summary says that only the counts shown are kept.
    words_skipped: bool = False
    #: When the last answer moved the draft on (ISO date-time): old drafts expire.
    touched: str | None = None

    @property
    def report_month(self) -> Month | None:
        if self.month is None:
            return None
        year, month = self.month.split("-")
        return Month(int(year), int(month))

    def set_month(self, month: Month) -> None:
        self.month = month.key

    def touch(self, now: datetime) -> None:
        self.touched = now.isoformat()

    def is_stale(self, now: datetime, ttl: timedelta = DRAFT_TTL) -> bool:
        """True when no answer moved the draft on for longer than `ttl`."""
        if self.touched is None:
            return False
        try:
            touched = datetime.fromisoformat(self.touched)
        except ValueError:
            return True
        return now - touched > ttl

    def case_counts(self) -> CaseCounts:
        return CaseCounts.from_dict(dict(self.counts))

    def advance(self) -> str:
        """Move to the first step still missing; returns it (REPLACE is set by the caller)."""
        self.step, self.field = _next(self)
        return self.step

    def to_data(self) -> dict[str, Any]:
        """Plain values for ``user_data`` (copies: later edits never alias the stored data)."""
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["counts"] = dict(self.counts)
        data["details_done"] = list(self.details_done)
        return data

    @classmethod
    def from_data(cls, data: Any) -> Draft | None:
        """A draft from ``user_data``; None when absent or unreadable (e.g. an older format)."""
        if not isinstance(data, dict):
            return None
        try:
            draft = cls(**data)
        except TypeError:
            return None
        if draft.reason is not None and draft.reason not in REASONS:  # an older free text
            draft.reason, draft.reason_note, draft.note_done = None, None, False
            if draft.step in (NOTE, CONFIRM):
                draft.advance()
        return draft if draft.step in STEPS else None

    def choose_reason(self, code: str, note: str | None = None) -> None:
        """The reason for replacing the saved report (and with "other", maybe a note)."""
        self.reason, self.reason_note = code, note
        self.note_done = code != OTHER or note is not None


_FIELD_NAMES = tuple(f.name for f in fields(Draft))


def _next(draft: Draft) -> tuple[str, str | None]:
    if draft.month is None:
        return MONTH, None
    for total in CATEGORIES:
        if total not in draft.counts:
            return COUNT, total
        if (
            total in DETAIL_FIELDS
            and draft.counts[total] > 0
            and total not in draft.details_done
        ):
            return DETAILS, total
    if draft.replaces_version is not None and not draft.reason:
        return REASON, None
    if draft.replaces_version is not None and draft.reason == OTHER and not draft.note_done:
        return NOTE, None
    return CONFIRM, None
