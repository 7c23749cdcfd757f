"""What the people and unit commands share: labels, refusals, a unit as text, scope."""

from __future__ import annotations

from kernel.i18n import Translator
from kernel.reply import Reply
from reports.privacy import looks_like_code
from storage import scope as scopes
from storage.models import Person, Unit
from storage.scope import Scope
from usecases.services import Services

#: Lines listed before "… and N more" (keeps replies short on phones).
MAX_LINES = 40


def role_label(tr: Translator, role: str | None) -> str:
    return {
        "admin": tr.gettext("administrator"),
        "supervisor": tr.gettext("supervisor"),
        "officer": tr.gettext("officer"),
    }.get(role or "", tr.gettext("no role"))


def level_label(tr: Translator, level: str) -> str:
    return {
        "province": tr.gettext("province"),
        "city": tr.gettext("city"),
        "district": tr.gettext("district"),
        "commune": tr.gettext("commune"),
    }.get(level, level)


def admins_only(tr: Translator) -> Reply:
    return Reply(tr.gettext("Only administrators can use this command."))


def supervisors_only(tr: Translator) -> Reply:
    return Reply(tr.gettext("Only administrators and supervisors can use this command."))


def unknown_unit(tr: Translator, code: str) -> Reply:
    """Also the reply for a unit outside the caller's scope (never reveals that it exists);
    the code is quoted back only when it looks like one (never a word that may be a name)."""
    if looks_like_code(code):
        return Reply(tr.gettext("I know no unit “{code}” that you can see.", code=code))
    return Reply(tr.gettext("I know no unit with that code that you can see."))


def caller_scope(svc: Services, person: Person) -> Scope:
    return scopes.scope_of(person, svc.settings.admin_ids)


def unit_text(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


def more_lines(tr: Translator, shown: int, total: int) -> list[str]:
    """``… and N more.`` when a list was cut."""
    if total <= shown:
        return []
    return [tr.gettext("… and {n} more.", n=tr.number(total - shown))]
