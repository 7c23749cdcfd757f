"""/help and the help part of /start, per role (no Telegram).

Each role sees the commands it can use, each with one example, and everything the roles below
it see: a guest (no unit) asks questions and chooses a plan and language; an officer also
reports; a supervisor also reads statistics, sees who has not reported, re-opens months,
lists people and units and invites; an administrator also changes units and people. The
Vietnamese command names are shown beside the English ones for Vietnamese readers.
"""

from __future__ import annotations

from collections.abc import Collection

from kernel.i18n import Translator
from kernel.reply import Reply
from storage.models import Person
from storage.scope import ADMIN, OFFICER, SUPERVISOR, scope_of

#: Roles from the least to the most: each sees the help of those before it.
ROLES = (None, OFFICER, SUPERVISOR, ADMIN)
#: The Vietnamese name of each command (handlers register both).
ALIASES = {
    "plan": "kehoach", "lang": "ngonngu", "ask": "hoi", "report": "baocao",
    "myreports": "baocaocuatoi", "deadline": "han", "remind": "nhacnho", "cancel": "huy",
    "stats": "thongke", "reopen": "molai", "people": "nhansu", "units": "donvi",
    "unit": "suadonvi", "invite": "moi", "move": "chuyen", "deactivate": "vohieu",
}  # fmt: skip


def help_role(person: Person, admin_ids: Collection[int]) -> str | None:
    """The role whose help ``person`` gets: admin, supervisor, officer, or None (a guest: no
    role, no unit, or no longer active)."""
    role = scope_of(person, admin_ids).role
    return role if role in ROLES else None


def _command(tr: Translator, name: str, what: str) -> str:
    """``/plan — what`` (``/plan (/kehoach) — what`` for Vietnamese readers)."""
    alias = ALIASES.get(name)
    shown = f"/{name} (/{alias})" if alias and tr.locale == "vi" else f"/{name}"
    return f"{shown} — {what}"


def _guest(tr: Translator) -> list[str]:
    return [
        tr.gettext("I answer questions about the Action Plan for Children and collect "
                   "monthly case reports."),
        "",
        tr.gettext("Ask, for example:"),
        "• " + tr.gettext("target 14 for 2025"),
        "• " + tr.gettext("who is responsible for target 9?"),
        "• " + tr.gettext("reporting deadlines"),
        "",
        tr.gettext("Commands:"),
        _command(tr, "ask", tr.gettext("ask a question: /ask target 14 for 2025")),
        _command(tr, "plan", tr.gettext("choose the plan I answer from: /plan Rach Gia")),
        _command(tr, "lang", tr.gettext("change language: /lang en")),
        "/help — " + tr.gettext("this help"),
    ]


def _officer(tr: Translator, role: str) -> list[str]:
    deadline = (
        tr.gettext("your next deadlines")
        if role == OFFICER
        else tr.gettext("who has not reported yet, with a button to remind them")
    )
    lines = [
        "",
        tr.gettext("Reports:"),
        _command(tr, "report", tr.gettext("the monthly case report, step by step")),
        "   " + tr.gettext("Report in one message, for example:"),
        "   " + tr.gettext("report 10/2025: abuse 2, injury 5, marriage 0"),
        _command(tr, "myreports", tr.gettext("recent reports of your unit")),
        _command(tr, "deadline", deadline),
        _command(tr, "remind", tr.gettext("reminders on or off: /remind off")),
        _command(tr, "cancel", tr.gettext("stop entering a report")),
    ]
    if role == OFFICER:
        lines.append(_command(tr, "stats", tr.gettext("statistics of your unit: /stats 2025")))
    return lines


def _supervisor(tr: Translator) -> list[str]:
    return [
        "",
        tr.gettext("Supervisors:"),
        _command(tr, "stats", tr.gettext("statistics, chart and exports of your area: "
                                         "/stats Q3 2025")),
        _command(tr, "reopen", tr.gettext("let a unit correct a locked month: "
                                          "/reopen C11 10/2025")),
        _command(tr, "people", tr.gettext("the people of your area: /people D1")),
        _command(tr, "units", tr.gettext("the units below and their people: /units D1")),
        _command(tr, "invite", tr.gettext("an invite link for an officer or supervisor: "
                                          "/invite C11 officer")),
    ]


def _admin(tr: Translator) -> list[str]:
    return [
        "",
        tr.gettext("Administrators:"),
        _command(tr, "unit", tr.gettext("add, rename, move, turn off or on a unit: "
                                        "/unit add C13 commune D1 Commune 13")),
        _command(tr, "move", tr.gettext("move a person to another unit: /move 123456789 C12")),
        _command(tr, "deactivate", tr.gettext("withdraw a person's access: "
                                              "/deactivate 123456789")),
        tr.gettext("Import units from a CSV file on the server: "
                   "python -m bot units import units.csv"),
    ]


def help_reply(tr: Translator, role: str | None) -> Reply:
    """The commands ``role`` (None: a guest) can use, one example each."""
    lines = _guest(tr)
    if role is None:
        lines += ["", tr.gettext("To send monthly reports you need an invite from your "
                                 "supervisor: open the invite link, or send /start CODE.")]
        return Reply("\n".join(lines))
    lines += _officer(tr, role)
    if role in (SUPERVISOR, ADMIN):
        lines += _supervisor(tr)
    if role == ADMIN:
        lines += _admin(tr)
    return Reply("\n".join(lines))


def start_reply(tr: Translator, role: str | None) -> Reply:
    """``/start`` without a code: a greeting, then the help for ``role``."""
    greeting = tr.gettext("Hello! I am the Action Plan for Children assistant.")
    return Reply(greeting + "\n\n" + help_reply(tr, role).text)
