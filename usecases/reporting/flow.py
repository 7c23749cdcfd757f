"""The report conversation as plain async functions: input in, Outcome out (no Telegram).

Nothing is written to the reports tables before the user confirms the summary; a rejected
input returns ``keep=True`` so the conversation (and any draft) stays exactly as it was.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month
from kernel.clock import to_local
from kernel.counts import CATEGORIES
from kernel.i18n import Translator
from kernel.metrics import REPORTS_SAVED
from kernel.reply import Reply
from knowledge.schema import Plan
from reports.months import last_complete_month
from reports.parse import MAX_REPORT_CHARS, ParseResult, looks_like_whole_report, parse_report
from reports.privacy import Screen, default_screen
from reports.problems import Code, Problem
from reports.reasons import REASONS, reason_from_text, tidy_note
from reports.validation import check_counts, check_month
from storage import access_log
from storage import case_reports as cr
from storage.db import ConnectionSource, Database, QuickConnection
from storage.due import LockPolicy
from storage.models import Person
from storage.report_queries import report_snapshot
from storage.report_rows import ReportSnapshot
from usecases.callers import Caller
from usecases.reporting import prompts
from usecases.reporting.access import Access, Reporter, looks_like_unit_code, resolve
from usecases.reporting.draft import (
    CONFIRM,
    COUNT,
    DETAILS,
    MONTH,
    NOTE,
    REASON,
    REPLACE,
    Draft,
)
from usecases.reporting.inputs import read_count, read_details, read_month, says_none

MONTH_CHOICES = 3


@dataclass(frozen=True)
class Env:
    """What the flow needs from the running bot, for one update."""

    db: Database
    plans: Mapping[str, Plan]
    now: datetime  # aware
    policy: LockPolicy  # with the default due day
    admin_ids: frozenset[int] = frozenset()
    #: The due day of a plan's units (Settings.due_day_for); None: the policy's for all.
    due_day_for: Callable[[str | None], int] | None = None
    #: The privacy screen for what is typed (report messages, notes).
    screen: Screen = field(default_factory=default_screen)

    def policy_for(self, plan_id: str | None) -> LockPolicy:
        """The lock policy of units following ``plan_id`` (their own due day)."""
        due_day = self.due_day_for(plan_id) if self.due_day_for else self.policy.due_day
        if due_day == self.policy.due_day:
            return self.policy
        return replace(self.policy, due_day=due_day)

    @property
    def today(self) -> date:
        return to_local(self.now).date()

    def plan_period(self, plan_id: str | None) -> tuple[int, int] | None:
        plan = self.plans.get(plan_id) if plan_id else None
        return (plan.period_start, plan.period_end) if plan else None


@dataclass
class Outcome:
    """The answer to one input and the conversation's next state."""

    reply: Reply | None
    draft: Draft | None = None  # the draft from now on (None: the conversation is over)
    keep: bool = False  # the input was rejected: state and draft stay as they were
    edit: bool = False  # show the reply in place of the message whose button was tapped
    toast: str | None = None  # short notice on a tapped button

    @property
    def state(self) -> str | None:
        return self.draft.step if self.draft is not None else None


def client_token(telegram_id: int, token: str) -> str:
    """The idempotency key stored with a saved version."""
    return f"tg:{telegram_id}:{token}"


class ReportFlow:
    """One person's report conversation; every method handles one input."""

    def __init__(self, env: Env, person: Person, tr: Translator) -> None:
        self.env = env
        self.person = person
        self.tr = tr
        #: For the access log, written once the transaction has closed: saved reports shown
        #: and requests refused, as (action, unit id, detail).
        self._entries: list[tuple[str, int | None, str]] = []

    @contextlib.asynccontextmanager
    async def _session(
        self, *, write: bool = False, orm: bool = False, given: ConnectionSource | None = None
    ) -> AsyncIterator[ConnectionSource]:
        """A quick transaction for Core reads and writes (an ORM write session with ``orm``); the
        saved reports shown and the requests refused meanwhile are written to the access log
        once it has closed, so that an update never holds two database connections at once.

        ``given``: the caller's open transaction, used as is; the caller then calls
        :meth:`log_views` once it has closed it.
        """
        if given is not None:
            yield given
            return
        db = self.env.db
        # An ORM session only to replace a report (replace_report), which writes.
        opened: AsyncSession | QuickConnection = db.session() if orm else db.quick(write=write)
        async with opened as session:
            yield session
        await self.log_views()

    async def log_views(self) -> None:
        """Write the saved reports shown and the requests refused to the access log."""
        entries, self._entries = self._entries, []
        if entries:
            async with self.env.db.quick(write=True) as log_session:
                for action, unit_id, detail in entries:
                    await access_log.log_access(
                        log_session, self.person.id, action, unit_id=unit_id,
                        detail=detail, now=self.env.now,
                    )
                await log_session.commit()

    # ------------------------------------------------------------------ entry points

    async def begin(self, text: str, *, session: ConnectionSource | None = None) -> Outcome:
        """``/report [CODE] [month] [counts]`` or a report typed as one message.

        ``session``: an open read transaction to use (see :meth:`_session`)."""
        if len(text) > MAX_REPORT_CHARS:  # said first: what else it holds does not matter
            too_long = Problem.of(Code.TOO_LONG, limit=MAX_REPORT_CHARS)
            return self._keep(prompts.problems_reply(self.tr, [too_long], self._last()))
        if kinds := self.env.screen.report(text):
            return self._keep(prompts.privacy_reply(self.tr, kinds))
        words = text.split()
        command = bool(words) and words[0].startswith("/")
        if command:
            words = words[1:]
        code = None
        async with self._session(given=session) as session:
            if command and words and await looks_like_unit_code(session, words[0]):
                code, words = words[0], words[1:]
            rest = " ".join(words)
            parsed = self._parse(rest) if rest.strip() else None
            access = await resolve(
                session, self.person, self.env.admin_ids, code, month=self._month_of(parsed)
            )
            if access.reporter is None:
                return self._denied(access)
            reporter = access.reporter
            draft = Draft(reporter.unit_id, reporter.unit_code, reporter.unit_name)
            if parsed is None or (parsed.words_only and parsed.month is None):
                draft.advance()  # "/report", "báo cáo", "báo cáo tháng": the guided report
                return Outcome(self._prompt(draft, reporter), draft)
            if _only_month(parsed):
                assert parsed.month is not None
                return await self._at_month(
                    session, draft, reporter, parsed.month, saved=access.saved
                )
            if parsed.problems:
                return self._keep(
                    prompts.problems_reply(self.tr, parsed.problems, parsed.month or self._last())
                )
            draft.counts = dict(parsed.counts)
            draft.details_done = list(CATEGORIES)
            draft.words_skipped = parsed.words_skipped > 0
            month = parsed.month or self._last()
            return await self._at_month(session, draft, reporter, month, saved=access.saved)

    async def begin_month(self, month: Month) -> Outcome:
        """The one-tap start from a reminder: the guided report for `month`."""
        async with self._session() as session:
            access = await resolve(session, self.person, self.env.admin_ids)
            if access.reporter is None:
                return self._denied(access)
            reporter = access.reporter
            draft = Draft(reporter.unit_id, reporter.unit_code, reporter.unit_name)
            return await self._at_month(session, draft, reporter, month)

    # ------------------------------------------------------------------ inputs

    async def on_text(self, draft: Draft, text: str) -> Outcome:
        if kinds := self.env.screen.report(text):
            open_question = None if draft.step == REPLACE else self._prompt(draft)
            return self._keep(prompts.privacy_reply(self.tr, kinds, open_question))
        step = draft.step
        if step == MONTH:
            month = read_month(text, self.env.today)
            if month is None:
                return self._keep(prompts.bad_month_reply(self.tr, draft, self._choices(draft)))
            return await self._choose_month(draft, month)
        if step == COUNT:
            assert draft.field is not None
            count = read_count(text, draft.field)
            if count.value is None:
                return self._keep(prompts.not_a_count_reply(self.tr, draft, count.problem))
            draft.counts[draft.field] = count.value
            return self._advance(draft)
        if step == DETAILS:
            return await self._details(draft, text)
        if step == REASON:  # a reason in words: its code, else "other" with a short note
            reason = reason_from_text(text)
            if reason is None:
                return self._keep(prompts.bad_reason_reply(self.tr, draft))
            draft.choose_reason(*reason)
            return self._advance(draft)
        if step == NOTE:
            note = tidy_note(text)
            if note is None:
                return self._keep(prompts.bad_note_reply(self.tr, draft))
            draft.reason_note, draft.note_done = note, True
            return self._advance(draft)
        if step == REPLACE:
            return self._keep(prompts.replace_hint_reply(self.tr))
        confirm = prompts.confirm_prompt(self.tr, draft)
        return self._keep(prompts.use_buttons_reply(self.tr, confirm))

    async def on_button(self, draft: Draft, data: str) -> Outcome:
        if data == prompts.CB_CANCEL:
            return Outcome(prompts.cancelled_reply(self.tr), None, edit=True)
        step = draft.step
        if step == MONTH and data.startswith(prompts.CB_MONTH):
            month = _month_key(data.removeprefix(prompts.CB_MONTH))
            if month is not None:
                return await self._choose_month(draft, month, edit=True)
        elif step == COUNT and data.startswith(prompts.CB_NUMBER) and draft.field:
            value = data.removeprefix(prompts.CB_NUMBER)
            if value.isdigit() and int(value) in prompts.QUICK_NUMBERS:
                draft.counts[draft.field] = int(value)
                return self._advance(draft, edit=True)
        elif step == DETAILS and data == prompts.CB_SKIP and draft.field:
            draft.details_done.append(draft.field)
            return self._advance(draft, edit=True)
        elif step == REASON and data.removeprefix(prompts.CB_REASON) in REASONS:
            draft.choose_reason(data.removeprefix(prompts.CB_REASON))
            return self._advance(draft, edit=True)
        elif step == NOTE and data == prompts.CB_SKIP:
            draft.note_done = True
            return self._advance(draft, edit=True)
        elif step == REPLACE and data == prompts.CB_REPLACE:
            return self._advance(draft, edit=True)
        elif step == REPLACE and data == prompts.CB_KEEP:
            return Outcome(prompts.kept_reply(self.tr), None, edit=True)
        elif step == CONFIRM and data == f"{prompts.CB_CONFIRM}{draft.token}":
            return await self._save(draft)
        return Outcome(None, keep=True, toast=prompts.stale_button_text(self.tr))

    async def cancel(self) -> Outcome:
        return Outcome(prompts.cancelled_reply(self.tr), None)

    # ------------------------------------------------------------------ steps

    async def _choose_month(self, draft: Draft, month: Month, *, edit: bool = False) -> Outcome:
        async with self._session() as session:
            access = await resolve(session, self.person, self.env.admin_ids, draft.unit_code)
            if access.reporter is None:
                return self._denied(access, end=True)
            outcome = await self._at_month(session, draft, access.reporter, month, asked=True)
        outcome.edit = edit and not outcome.keep
        return outcome

    async def _at_month(
        self,
        session: ConnectionSource,
        draft: Draft,
        reporter: Reporter,
        month: Month,
        *,
        asked: bool = False,
        saved: tuple[Month, ReportSnapshot | None] | None = None,
    ) -> Outcome:
        """The month is known: check it, then the saved report (lock, replace) if any.

        `asked`: the month answers the month question (so a wrong one asks again).
        `saved`: a month and its saved report (or None) read already.
        """
        problems = check_month(
            month, today=self.env.today, plan_period=self.env.plan_period(reporter.plan_id)
        )
        if problems and asked:
            choices = self._choices(draft, reporter)
            return self._keep(prompts.bad_month_reply(self.tr, draft, choices, problems))
        if problems:
            return self._keep(prompts.problems_reply(self.tr, problems, self._last()))
        if saved is not None and saved[0] == month:
            report = saved[1]
        else:
            report = await report_snapshot(session, reporter.unit_id, month)
        draft.set_month(month)
        if report is None:
            return self._advance(draft)
        if _complete(draft) and cr.counts_of(report) == draft.case_counts():
            return self._keep(prompts.same_as_saved_reply(self.tr, month))  # e.g. sent twice
        policy = self.env.policy_for(reporter.plan_id)
        if not cr.can_change(report, reporter.role, policy, self.env.now):
            locked_on = to_local(policy.locks_at(month)).date()
            return self._keep(prompts.locked_reply(self.tr, month, locked_on))
        return self._ask_replace(draft, reporter, report)

    def _ask_replace(self, draft: Draft, reporter: Reporter, report: ReportSnapshot) -> Outcome:
        """Show the saved report (logged as a view when the transaction closes: see
        :meth:`_session`) and ask whether to replace it."""
        month = cr.month_of(report)
        self._entries.append(("view_report", reporter.unit_id, month.key))
        draft.replaces_version = report.version
        draft.reason, draft.reason_note, draft.note_done = None, None, False
        draft.token = None
        draft.step, draft.field = REPLACE, None
        existing = prompts.existing_text(
            self.tr, month, cr.counts_of(report), report.version, report.updated_at
        )
        return Outcome(prompts.replace_prompt(self.tr, draft, existing), draft)

    async def _details(self, draft: Draft, text: str) -> Outcome:
        assert draft.field is not None
        if says_none(text):  # "không có", "bỏ qua": no details, as the Skip button
            draft.details_done.append(draft.field)
            return self._advance(draft)
        details = read_details(text, draft.field, draft.counts, today=self.env.today)
        if any(f in CATEGORIES for f in details.foreign) and looks_like_whole_report(text):
            return await self.begin(text)  # a whole new report typed instead of details
        if not details.ok:
            return self._keep(
                prompts.bad_details_reply(
                    self.tr, draft, details.problems, details.foreign, details.understood
                )
            )
        draft.counts.update(details.values)
        draft.details_done.append(draft.field)
        return self._advance(draft)

    async def _save(self, draft: Draft) -> Outcome:
        month = draft.report_month
        assert month is not None and draft.token is not None
        if check_counts(draft.counts):  # never reached through the steps; a safety net
            return Outcome(prompts.lost_draft_reply(self.tr), None, edit=True)
        token = client_token(self.person.telegram_id, draft.token)
        replacing = draft.replaces_version is not None  # replace_report runs in the ORM
        async with self._session(write=True, orm=replacing) as session:
            access = await resolve(session, self.person, self.env.admin_ids, draft.unit_code)
            if access.reporter is None:
                return self._denied(access, end=True)
            reporter = access.reporter
            policy = self.env.policy_for(reporter.plan_id)
            common = {"person_id": reporter.person_id, "token": token, "now": self.env.now}
            if not replacing:
                result = await cr.submit_report(
                    session, reporter.unit_id, month, draft.case_counts(), **common
                )
            else:
                assert isinstance(session, AsyncSession)
                result = await cr.replace_report(
                    session, reporter.unit_id, month, draft.case_counts(),
                    role=reporter.role, reason=draft.reason, note=draft.reason_note,
                    policy=policy,
                    expected_version=draft.replaces_version, **common,
                )
            await session.commit()
            status = result.status
            if status in (cr.SubmitStatus.CREATED, cr.SubmitStatus.REPLACED):
                assert result.report is not None
                REPORTS_SAVED.inc()
                reply = prompts.saved_reply(self.tr, draft, result.report.version)
                return Outcome(reply, None, edit=True)
            if status is cr.SubmitStatus.DUPLICATE:
                return Outcome(Reply(prompts.already_saved_text(self.tr)), None, edit=True)
            if status is cr.SubmitStatus.UNCHANGED:
                return Outcome(prompts.unchanged_reply(self.tr), None, edit=True)
            if status is cr.SubmitStatus.LOCKED:
                locked_on = to_local(policy.locks_at(month)).date()
                return Outcome(prompts.locked_reply(self.tr, month, locked_on), None, edit=True)
            if status in (cr.SubmitStatus.EXISTS, cr.SubmitStatus.CONFLICT) and result.report:
                # Someone saved this month meanwhile: show it and ask again.
                outcome = self._ask_replace(draft, reporter, result.report)
                outcome.edit = True
                return outcome
        return Outcome(prompts.lost_draft_reply(self.tr), None, edit=True)

    # ------------------------------------------------------------------ helpers

    def _advance(self, draft: Draft, *, edit: bool = False) -> Outcome:
        step = draft.advance()
        if step == CONFIRM and draft.token is None:
            draft.token = secrets.token_urlsafe(9)
        return Outcome(self._prompt(draft), draft, edit=edit)

    def _prompt(self, draft: Draft, reporter: Reporter | None = None) -> Reply:
        return prompts.step_prompt(self.tr, draft, self._choices(draft, reporter))

    def _choices(self, draft: Draft, reporter: Reporter | None = None) -> list[Month]:
        """The last complete months, newest first, within the plan period."""
        if draft.step != MONTH:
            return []
        period = self.env.plan_period(reporter.plan_id) if reporter else None
        months, month = [], self._last()
        for _ in range(MONTH_CHOICES):
            if period is None or period[0] <= month.year <= period[1]:
                months.append(month)
            month = month.previous()
        return months

    def _parse(self, text: str) -> ParseResult:
        """A report message read with the unit and place names in it skipped."""
        return parse_report(text, today=self.env.today, places=self.env.screen.place_spans(text))

    def _month_of(self, parsed: ParseResult | None) -> Month | None:
        """The month whose saved report :meth:`begin` looks at for `parsed`, if any."""
        if parsed is None or (parsed.problems and not _only_month(parsed)):
            return None
        return parsed.month or self._last()

    def _last(self) -> Month:
        return last_complete_month(self.env.today)

    def _keep(self, reply: Reply) -> Outcome:
        return Outcome(reply, keep=True)

    def _denied(self, access: Access, *, end: bool = False) -> Outcome:
        if access.denied is not None:
            self._entries.append(("refused", None, access.denied.value))
        month = self._last()
        example = f"/report {{code}} {month.month}/{month.year}"
        reply = prompts.denied_reply(self.tr, access, example)
        return Outcome(reply, None) if end else self._keep(reply)


def _only_month(parsed: ParseResult) -> bool:
    """A month and nothing else (the counts are asked one by one)."""
    return parsed.month is not None and not parsed.counts and all(
        p.code is Code.NO_COUNTS for p in parsed.problems
    )


def _complete(draft: Draft) -> bool:
    return all(total in draft.counts for total in CATEGORIES)


def _month_key(key: str) -> Month | None:
    try:
        year, month = key.split("-")
        return Month(int(year), int(month))
    except ValueError:
        return None


async def begin_report(
    env: Env, identify: Callable[[ConnectionSource], Awaitable[Caller]], text: str
) -> tuple[ReportFlow, Outcome]:
    """A report's first message: the sender (``identify``, unless cached), their unit and the
    saved report are read in one quick transaction; the access log is written after it."""
    async with env.db.quick() as session:
        who = await identify(session)
        flow = ReportFlow(env, who.person, who.tr)
        outcome = await flow.begin(text, session=session)
    await flow.log_views()
    return flow, outcome
