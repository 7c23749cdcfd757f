"""What the bot says while a report is entered: prompts, summaries, outcomes (no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from kernel.calendar import Month
from kernel.clock import to_local
from kernel.counts import CaseCounts
from kernel.i18n import Translator
from kernel.reply import Button, Reply
from reports.messages import (
    field_label,
    month_label,
    privacy_refusal,
    reason_label,
    render_problems,
    report_summary,
    usage_example,
)
from reports.problems import Problem
from reports.reasons import MAX_NOTE_CHARS, REASONS
from usecases.reporting.access import Access, Denied
from usecases.reporting.draft import COUNT, DETAILS, MONTH, NOTE, REASON, REPLACE, Draft

# Callback data of the conversation's buttons (all start with "rp:").
PREFIX = "rp:"
CB_MONTH = "rp:m:"  # + YYYY-MM
CB_NUMBER = "rp:n:"  # + count
CB_SKIP = "rp:s"
CB_REPLACE = "rp:r"
CB_KEEP = "rp:k"
CB_CONFIRM = "rp:ok:"  # + token
CB_CANCEL = "rp:x"
CB_REASON = "rp:why:"  # + a code of reports.reasons
#: One-tap entry from a reminder: ``report:start:YYYY-MM``.
CB_START = "report:start:"
QUICK_NUMBERS = (0, 1, 2, 3)


def start_button_data(month: Month) -> str:
    return f"{CB_START}{month.key}"


def _cancel_button(tr: Translator) -> Button:
    return Button(tr.gettext("✖ Cancel"), CB_CANCEL)


def header(tr: Translator, draft: Draft) -> str:
    month = draft.report_month
    unit = f"{draft.unit_name} ({draft.unit_code})"
    if month is None:
        return tr.gettext("Monthly report — {unit}", unit=unit)
    return tr.gettext(
        "Report for {month} — {unit}", month=month_label(tr, month), unit=unit
    )


def month_prompt(tr: Translator, draft: Draft, choices: Iterable[Month]) -> Reply:
    text = header(tr, draft) + "\n" + tr.gettext(
        "Which month is the report for? Tap a month or type it, for example 10/2025."
    )
    months = [Button(month_label(tr, m), f"{CB_MONTH}{m.key}") for m in choices]
    rows = [months] if months else []
    return Reply(text, rows + [[_cancel_button(tr)]])


def count_prompt(tr: Translator, draft: Draft) -> Reply:
    assert draft.field is not None
    text = header(tr, draft) + "\n" + tr.gettext(
        "How many cases of {label}? Type a number (0 if there were none).",
        label=field_label(tr, draft.field),
    )
    numbers = [Button(str(n), f"{CB_NUMBER}{n}") for n in QUICK_NUMBERS]
    return Reply(text, [numbers, [_cancel_button(tr)]])


def details_example(tr: Translator, total: str) -> str:
    if total == "abuse":
        return tr.gettext("violence 1, sexual abuse 1, exploitation 0, other 0")
    return tr.gettext("drowning 1, traffic 2, deaths 0")


def details_prompt(tr: Translator, draft: Draft) -> Reply:
    assert draft.field is not None
    total = draft.field
    text = header(tr, draft) + "\n" + tr.gettext(
        "Of the {n} cases of {label}, how many of each kind? Optional: type for example "
        "“{example}”, or tap Skip.",
        n=tr.number(draft.counts[total]),
        label=field_label(tr, total),
        example=details_example(tr, total),
    )
    return Reply(text, [[Button(tr.gettext("Skip"), CB_SKIP), _cancel_button(tr)]])


def existing_text(tr: Translator, month: Month, counts: CaseCounts, version: int,
                  updated_at: datetime) -> str:
    return "\n".join(
        [
            report_summary(tr, month, counts),
            tr.gettext(
                "Already saved (version {version}, {date}).",
                version=version,
                date=tr.date(to_local(updated_at).date()),
            ),
        ]
    )


def replace_prompt(tr: Translator, draft: Draft, existing: str) -> Reply:
    text = "\n".join(
        [
            header(tr, draft),
            existing,
            "",
            tr.gettext("This month is already reported. Do you want to replace it?"),
        ]
    )
    buttons = [
        [Button(tr.gettext("Replace"), CB_REPLACE), Button(tr.gettext("Keep it"), CB_KEEP)]
    ]
    return Reply(text, buttons)


def reason_buttons(tr: Translator, data: str) -> list[list[Button]]:
    """One button per reason, two a row; ``data`` is the callback prefix."""
    buttons = [Button(reason_label(tr, code) + ("…" if code == REASONS[-1] else ""),
                      f"{data}{code}") for code in REASONS]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def reason_prompt(tr: Translator, draft: Draft) -> Reply:
    text = header(tr, draft) + "\n" + tr.gettext("Why are you correcting the report?")
    return Reply(text, [*reason_buttons(tr, CB_REASON), [_cancel_button(tr)]])


def note_prompt(tr: Translator, draft: Draft) -> Reply:
    text = header(tr, draft) + "\n" + tr.gettext(
        "You may add a short note (at most {n} characters), for example “agreed with the "
        "district office”. No names, ages, addresses or contacts. Or tap Skip.",
        n=MAX_NOTE_CHARS,
    )
    return Reply(text, [[Button(tr.gettext("Skip"), CB_SKIP), _cancel_button(tr)]])


def confirm_prompt(tr: Translator, draft: Draft) -> Reply:
    month = draft.report_month
    assert month is not None and draft.token is not None
    lines = [
        f"{draft.unit_name} ({draft.unit_code})",
        report_summary(tr, month, draft.case_counts()),
    ]
    if draft.replaces_version is not None:
        lines.append(
            tr.gettext(
                "Replaces version {version}. Reason: {reason}",
                version=draft.replaces_version,
                reason=reason_label(tr, draft.reason or "", draft.reason_note),
            )
        )
    if draft.words_skipped:
        lines.append(tr.gettext("Some words of your message were not read: only the numbers "
                                "above will be kept."))
    lines += ["", tr.gettext("Is this correct? Nothing is saved until you confirm.")]
    buttons = [
        [
            Button(tr.gettext("✅ Confirm"), f"{CB_CONFIRM}{draft.token}"),
            _cancel_button(tr),
        ]
    ]
    return Reply("\n".join(lines), buttons)


def step_prompt(tr: Translator, draft: Draft, months: Iterable[Month] = ()) -> Reply:
    """The question for the draft's current step (REPLACE needs the saved report: not here)."""
    if draft.step == MONTH:
        return month_prompt(tr, draft, months)
    if draft.step == COUNT:
        return count_prompt(tr, draft)
    if draft.step == DETAILS:
        return details_prompt(tr, draft)
    if draft.step == REASON:
        return reason_prompt(tr, draft)
    if draft.step == NOTE:
        return note_prompt(tr, draft)
    if draft.step == REPLACE:
        return replace_hint_reply(tr)
    return confirm_prompt(tr, draft)


# ---------------------------------------------------------------- problems and refusals


def problems_reply(tr: Translator, problems: Iterable[Problem], month: Month | None) -> Reply:
    """What is wrong, then how a report is written (with an example for `month`)."""
    text = "\n".join(
        [
            tr.gettext("The report was not saved:"),
            render_problems(tr, problems),
            "",
            usage_example(tr, month),
        ]
    )
    return Reply(text)


def privacy_reply(tr: Translator, kinds: Iterable[str], prompt: Reply | None = None) -> Reply:
    """The refusal, then the question that is still open (``prompt``), if any."""
    if prompt is None:
        return Reply(privacy_refusal(tr, kinds))
    return Reply(f"{privacy_refusal(tr, kinds)}\n\n{prompt.text}", prompt.buttons)


def denied_reply(tr: Translator, access: Access, example: str = "/report {code}") -> Reply:
    """Why this person may not act here; `example` is the command to show with a unit code."""
    denied = access.denied
    if denied is Denied.NOT_MEMBER:
        text = tr.gettext(
            "You are not registered to send reports yet. Ask your supervisor for an invite "
            "link, open it (or send /start followed by the invite code) to join your unit, "
            "then send the report again. You can still ask me questions about the plan."
        )
    elif denied is Denied.UNKNOWN_UNIT:
        text = tr.gettext(
            "I know no unit with that code that you can act for: officers act for their own "
            "unit, supervisors for the units under theirs. Please check the code."
        )
    elif denied is Denied.UNIT_INACTIVE:
        text = tr.gettext(
            "{unit} is no longer active, so it cannot report. Please ask your supervisor.",
            unit=access.unit.name if access.unit else "",
        )
    elif denied is Denied.NOT_REPORTING_UNIT:
        code = access.example_code or tr.gettext("CODE")
        text = tr.gettext(
            "Reports are sent per commune. To act for a commune under you, put its code "
            "after the command, for example: {example}",
            example=example.format(code=code),
        )
    else:
        text = tr.gettext("Only supervisors and administrators can do this.")
    return Reply(text)


# ---------------------------------------------------------------- outcomes


def saved_reply(tr: Translator, draft: Draft, version: int) -> Reply:
    month = draft.report_month
    assert month is not None
    summary = report_summary(tr, month, draft.case_counts())
    if version > 1:
        head = tr.gettext(
            "✅ Saved: the report for {month} of {unit} was corrected (version {version}).",
            month=month_label(tr, month),
            unit=draft.unit_name,
            version=version,
        )
    else:
        head = tr.gettext(
            "✅ Saved: the report for {month} of {unit}. Thank you!",
            month=month_label(tr, month),
            unit=draft.unit_name,
        )
    return Reply(f"{head}\n{summary}")


def cancelled_reply(tr: Translator) -> Reply:
    return Reply(tr.gettext("Cancelled. Nothing was saved."))


def kept_reply(tr: Translator) -> Reply:
    return Reply(tr.gettext("OK, the saved report stays as it is. Nothing was changed."))


def unchanged_reply(tr: Translator) -> Reply:
    return Reply(
        tr.gettext("These are the same numbers as the saved report, so nothing was changed.")
    )


def same_as_saved_reply(tr: Translator, month: Month) -> Reply:
    return Reply(
        tr.gettext(
            "The report for {month} is already saved with exactly these numbers. "
            "Nothing to do; see /myreports.",
            month=month_label(tr, month),
        )
    )


def already_saved_text(tr: Translator) -> str:
    return tr.gettext("This report is already saved.")


def stale_button_text(tr: Translator) -> str:
    return tr.gettext("This button is no longer active. Send /report to start a report.")


def locked_reply(tr: Translator, month: Month, locked_on: date) -> Reply:
    return Reply(
        tr.gettext(
            "The report for {month} was locked on {date}. Only a supervisor can change it "
            "now, or re-open it for you.",
            month=month_label(tr, month),
            date=tr.date(locked_on),
        )
    )


def expired_draft_reply(tr: Translator, draft: Draft) -> Reply:
    month = draft.report_month
    if month is None:
        text = tr.gettext(
            "Your unfinished report was dropped after a day without an answer. Nothing was "
            "saved; send /report to start again."
        )
    else:
        text = tr.gettext(
            "Your unfinished report for {month} was dropped after a day without an answer. "
            "Nothing was saved; send /report to start again.",
            month=month_label(tr, month),
        )
    return Reply(text)


def lost_draft_reply(tr: Translator) -> Reply:
    return Reply(
        tr.gettext("I no longer have the report you were entering. Please send /report again.")
    )


def not_a_count_reply(tr: Translator, draft: Draft, problem: Problem | None) -> Reply:
    prompt = count_prompt(tr, draft)
    first = (
        render_problems(tr, [problem])
        if problem is not None
        else tr.gettext("Please type a whole number, for example 0, 1 or 2.")
    )
    return Reply(f"{first}\n\n{prompt.text}", prompt.buttons)


def bad_details_reply(tr: Translator, draft: Draft, problems: list[Problem],
                      foreign: list[str], understood: bool) -> Reply:
    assert draft.field is not None
    lines: list[str] = []
    if problems:
        lines.append(render_problems(tr, problems))
    if foreign:
        names = tr.gettext(", ").join(field_label(tr, f) for f in foreign)
        lines.append(
            tr.gettext(
                "Here I only need the details of {label}, not: {names}.",
                label=field_label(tr, draft.field),
                names=names,
            )
        )
    if not understood or not lines:
        lines.append(tr.gettext("I did not understand these details."))
    prompt = details_prompt(tr, draft)
    return Reply("\n".join(lines) + "\n\n" + prompt.text, prompt.buttons)


def bad_month_reply(
    tr: Translator, draft: Draft, months: Iterable[Month], problems: Iterable[Problem] = ()
) -> Reply:
    prompt = month_prompt(tr, draft, months)
    first = render_problems(tr, problems) or tr.gettext(
        "I did not understand the month. Type it like 10/2025 or tap a button."
    )
    return Reply(f"{first}\n\n{prompt.text}", prompt.buttons)


def bad_reason_reply(tr: Translator, draft: Draft) -> Reply:
    prompt = reason_prompt(tr, draft)
    first = tr.gettext("Please tap a reason, or type a short one in words (at most {n} "
                       "characters).", n=MAX_NOTE_CHARS)
    return Reply(f"{first}\n\n{prompt.text}", prompt.buttons)


def bad_note_reply(tr: Translator, draft: Draft) -> Reply:
    prompt = note_prompt(tr, draft)
    first = tr.gettext("Please keep the note short: a few words, at most {n} characters.",
                       n=MAX_NOTE_CHARS)
    return Reply(f"{first}\n\n{prompt.text}", prompt.buttons)


def use_buttons_reply(tr: Translator, prompt: Reply) -> Reply:
    first = tr.gettext("Please use the buttons below, or send /cancel to stop.")
    return Reply(f"{first}\n\n{prompt.text}", prompt.buttons)


def replace_hint_reply(tr: Translator) -> Reply:
    return Reply(
        tr.gettext(
            "Please tap Replace or Keep it on the message above, or send /cancel to stop."
        )
    )

