"""People and invites without Telegram: /people, /move, /deactivate, /invite and joining with
``/start CODE`` (``/units`` is usecases.units.listing).

Admins (``ADMIN_IDS`` or role admin) may do everything; supervisors may list their subtree and
invite into it. Every change is written to the access log (the audit trail of people).
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import to_local
from kernel.i18n import Translator
from kernel.reply import Button, Reply
from storage import invites, people
from storage import scope as scopes
from storage.access_log import log_access
from storage.models import Invite, Person, Unit
from storage.stats_queries import people_listing
from usecases.directory import (
    MAX_LINES,
    admins_only,
    caller_scope,
    more_lines,
    role_label,
    supervisors_only,
    unit_text,
    unknown_unit,
)
from usecases.services import Services

#: Wrong invite codes one person may send within the window before codes are not tried.
MAX_WRONG_CODES = 5
WRONG_CODES_WINDOW = timedelta(minutes=15)
_ROLE_WORDS = {
    "officer": "officer", "canbo": "officer", "can_bo": "officer", "cb": "officer",
    "supervisor": "supervisor", "giamsat": "supervisor", "giam_sat": "supervisor",
    "gs": "supervisor",
}  # fmt: skip


# ---------------------------------------------------------------------------- /people


async def people_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """People of a unit's subtree (admins: any unit or everyone; supervisors: their subtree)."""
    scope = caller_scope(svc, person)
    if not (scope.is_admin or scope.is_supervisor):
        return supervisors_only(tr)
    code = args.strip().split()[0] if args.strip() else ""
    async with svc.db.read_session() as session:
        unit = None
        if code:
            unit = await scopes.visible_unit(session, scope, code)
            if unit is None:
                return unknown_unit(tr, code)
        elif not scope.is_admin:
            unit = await session.get(Unit, scope.unit_id)
        found, total = await people_listing(session, unit.id if unit else None, limit=MAX_LINES)
    if unit is not None:
        head = tr.gettext("People in {unit}: {n}", unit=unit_text(unit), n=tr.number(total))
    else:
        head = tr.gettext("People with a role: {n}", n=tr.number(total))
    lines = [head] + [_person_line(tr, p, u) for p, u in found] + more_lines(tr, len(found), total)
    return Reply("\n".join(lines))


def _person_line(tr: Translator, person: Person, unit: Unit | None) -> str:
    parts = [person.display_name or "—", f"id {person.telegram_id}", role_label(tr, person.role)]
    if unit is not None:
        parts.append(unit_text(unit))
    line = "• " + " · ".join(parts)
    return line if person.active else line + " " + tr.gettext("(inactive)")


# ---------------------------------------------------------------------------- /move, /deactivate


def _telegram_id(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{1,15}", text) else None


async def move_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """``/move TELEGRAM_ID UNIT_CODE`` (admins)."""
    if not caller_scope(svc, person).is_admin:
        return admins_only(tr)
    parts = args.split()
    usage = Reply(tr.gettext("Usage: /move TELEGRAM_ID UNIT_CODE (see /people for ids)."))
    if len(parts) != 2 or (telegram_id := _telegram_id(parts[0])) is None:
        return usage
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, parts[1])
        if unit is None:
            return unknown_unit(tr, parts[1])
        target = await people.get_person(session, telegram_id)
        if target is None:
            return _no_person(tr, telegram_id)
        old = await session.get(Unit, target.unit_id) if target.unit_id else None
        if old is not None and old.id == unit.id:
            return Reply(tr.gettext("{name} is already in {unit}.", name=_name(target),
                                    unit=unit_text(unit)))
        await people.set_unit(session, telegram_id, unit.id)
        await log_access(
            session, person.id, "person_moved", unit_id=unit.id,
            detail=f"{telegram_id}: {old.code if old else '-'} -> {unit.code}",
        )
        await session.commit()
    return Reply(tr.gettext("Moved {name} (id {id}) from {old} to {new}.", name=_name(target),
                            id=telegram_id, old=unit_text(old) if old else "—",
                            new=unit_text(unit)))


async def deactivate_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """``/deactivate TELEGRAM_ID`` (admins): no more reporting or statistics."""
    if not caller_scope(svc, person).is_admin:
        return admins_only(tr)
    parts = args.split()
    if len(parts) != 1 or (telegram_id := _telegram_id(parts[0])) is None:
        return Reply(tr.gettext("Usage: /deactivate TELEGRAM_ID (see /people for ids)."))
    if telegram_id in svc.settings.admin_ids:
        return Reply(tr.gettext("{id} is an administrator through ADMIN_IDS; remove the id "
                                "there instead.", id=telegram_id))
    async with svc.db.session() as session:
        target = await people.get_person(session, telegram_id)
        if target is None:
            return _no_person(tr, telegram_id)
        if not target.active:
            return Reply(tr.gettext("{name} (id {id}) is already inactive.",
                                    name=_name(target), id=telegram_id))
        await people.deactivate(session, telegram_id)
        revoked = await invites.revoke_invites_by(session, target.id, now=svc.clock.now())
        await log_access(session, person.id, "person_deactivated", unit_id=target.unit_id,
                         detail=f"{telegram_id}, invites revoked: {revoked}")
        await session.commit()
    lines = [tr.gettext("Deactivated {name} (id {id}): they can no longer send reports or "
                        "see statistics. A new invite lets them back in.",
                        name=_name(target), id=telegram_id)]
    if revoked:
        lines.append(tr.ngettext("The invite they created and nobody used yet no longer works.",
                                 "The {n} invites they created and nobody used yet no longer "
                                 "work.", revoked))
    return Reply("\n".join(lines))


def _name(person: Person) -> str:
    return person.display_name or str(person.telegram_id)


def _no_person(tr: Translator, telegram_id: int) -> Reply:
    return Reply(tr.gettext("No one with Telegram id {id} has used the bot yet.", id=telegram_id))


# ---------------------------------------------------------------------------- invites


def invite_link(svc: Services, code: str) -> str:
    return f"https://t.me/{svc.settings.bot_username}?start={code}"


async def invite_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """``/invite UNIT_CODE officer|supervisor``: admins anywhere, supervisors in their subtree."""
    scope = caller_scope(svc, person)
    if not (scope.is_admin or scope.is_supervisor):
        return supervisors_only(tr)
    parts = args.split()
    role = _ROLE_WORDS.get(parts[1].lower()) if len(parts) == 2 else None
    if role is None:
        return Reply(tr.gettext("Usage: /invite UNIT_CODE officer|supervisor"))
    now = svc.clock.now()
    async with svc.db.session() as session:
        unit = await scopes.visible_unit(session, scope, parts[0])
        if unit is None:
            return unknown_unit(tr, parts[0])
        code, invite = await invites.create_invite(
            session, unit.id, role, created_by=person.id, now=now,
            ttl=timedelta(days=svc.settings.invite_days),
        )
        await log_access(session, person.id, "invite_created", unit_id=unit.id,
                         detail=f"{role}, invite {invite.id}")
        await session.commit()
    until = tr.date_time(to_local(invite.expires_at))
    lines = [
        (
            tr.gettext("Invite for an officer of {unit}, valid until {until}.",
                       unit=unit_text(unit), until=until)
            if role == "officer"
            else tr.gettext("Invite for a supervisor of {unit}, valid until {until}.",
                            unit=unit_text(unit), until=until)
        ),
        tr.gettext("Send this link to the person (it works once):"),
        invite_link(svc, code),
        tr.gettext("Or they send me: /start {code}", code=code),
    ]
    return Reply("\n".join(lines))


async def join_reply(
    svc: Services, telegram_id: int, display_name: str | None, tr: Translator, code: str,
    *, replace: bool = False,
) -> Reply:
    """Redeem an invite code (``/start CODE``). Wrong codes go to the access log (never the
    code itself); after :data:`MAX_WRONG_CODES` of them within :data:`WRONG_CODES_WINDOW`,
    codes are not even tried until the window has passed.

    Someone who already has a role asks first: the invite would replace their unit and role,
    so they get Replace and Keep buttons and nothing changes (the invite stays unused) until
    Replace is tapped (``replace=True``). An invite for the role and unit they already have
    changes nothing and is not used.
    """
    code = code.strip()
    now = svc.clock.now()
    async with svc.db.session() as session:
        person = await people.get_or_create_person(session, telegram_id,
                                                   display_name=display_name)
        if await invites.failed_attempts(session, person.id, now - WRONG_CODES_WINDOW) >= (
                MAX_WRONG_CODES):
            await log_access(session, person.id, "invite_throttled", now=now)
            await session.commit()
            minutes = int(WRONG_CODES_WINDOW.total_seconds() // 60)
            return Reply(tr.gettext(
                "Too many wrong invite codes. Please wait {minutes} minutes, then check the link "
                "with your supervisor.", minutes=minutes))
        before = (person.role, person.unit_id) if _has_role(person) else None
        if before is not None and not replace:
            pending = await invites.open_invite(session, code, now)
            if pending is not None:
                question = await _replace_question(session, tr, person, pending, code)
                await session.commit()
                return question
        old_unit = await session.get(Unit, before[1]) if before and before[1] else None
        result = await invites.redeem_invite(
            session, code, telegram_id, display_name=display_name, now=now
        )
        invite = result.invite
        unit = await session.get(Unit, invite.unit_id) if invite else None
        if result.ok:
            assert result.person is not None and invite is not None
            detail = f"invite {invite.id}"
            if before is not None:
                detail += f", was {before[0]} of {old_unit.code if old_unit else '-'}"
            await log_access(session, result.person.id, "invite_redeemed",
                             unit_id=invite.unit_id, detail=detail, now=now)
        elif result.status is not invites.RedeemStatus.USED or (
                invite is not None and invite.used_by != person.id):
            await log_access(session, person.id, invites.INVITE_FAILED,
                             unit_id=None, detail=result.status.value, now=now)
        await session.commit()
    status = result.status
    if status is invites.RedeemStatus.OK and invite and unit:
        hint = (
            tr.gettext("Send /stats to see the statistics of your area.")
            if invite.role == "supervisor"
            else tr.gettext("You can now send the monthly report of your unit here.")
        )
        return Reply(tr.gettext("Welcome! You joined {unit} as {role}.",
                                unit=unit_text(unit), role=role_label(tr, invite.role))
                     + "\n" + hint + "\n" + tr.gettext("Send /help to see what I can do."))
    if status is invites.RedeemStatus.USED and invite and unit:
        current = await _person_id(svc, telegram_id)
        if invite.used_by is not None and invite.used_by == current:
            return Reply(tr.gettext("You already joined {unit} with this invite.",
                                    unit=unit_text(unit)))
        return Reply(tr.gettext("This invite has already been used. Each invite works once: "
                                "ask your supervisor for a new one."))
    if status is invites.RedeemStatus.EXPIRED:
        return Reply(tr.gettext("This invite has expired. Ask your supervisor for a new one."))
    return Reply(tr.gettext("I do not know this invite code. Check the link, or ask your "
                            "supervisor for a new invite."))


#: Callback data of the buttons under a second invite's question: ``join:yes:CODE`` (replace
#: the unit and role) and ``join:no:CODE`` (keep them). The code itself, not the invite's id,
#: so that a button cannot be forged into someone else's invite.
CB_JOIN_REPLACE, CB_JOIN_KEEP = "join:yes:", "join:no:"


def _has_role(person: Person) -> bool:
    return bool(person.active) and person.role is not None


def _role_in(tr: Translator, role: str | None, unit: Unit | None) -> str:
    """The role and unit as in "officer of Commune 11 (C11)" (the role alone without a unit)."""
    label = role_label(tr, role)
    if unit is None:
        return label
    return tr.gettext("{role} of {unit}", role=label, unit=unit_text(unit))


async def _replace_question(
    session: AsyncSession, tr: Translator, person: Person, invite: Invite, code: str
) -> Reply:
    """Someone with a role opened an invite: "Replace?" with buttons, or "you already have
    it" for the same role and unit. Nothing is changed and the invite is not used."""
    current = await session.get(Unit, person.unit_id) if person.unit_id else None
    offered = await session.get(Unit, invite.unit_id)
    now_text = _role_in(tr, person.role, current)
    if (person.role, person.unit_id) == (invite.role, invite.unit_id):
        return Reply(tr.gettext("You are already {current}: this invite changes nothing.",
                                current=now_text))
    text = tr.gettext("You are {current}. This invite makes you {new}. Replace?",
                      current=now_text, new=_role_in(tr, invite.role, offered))
    buttons = [[Button(tr.gettext("Replace"), CB_JOIN_REPLACE + code),
                Button(tr.gettext("Keep it"), CB_JOIN_KEEP + code)]]
    return Reply(text, buttons)


async def join_button_reply(
    svc: Services, telegram_id: int, display_name: str | None, tr: Translator, data: str
) -> Reply:
    """Replace or Keep tapped under a second invite's question."""
    if data.startswith(CB_JOIN_REPLACE):
        return await join_reply(svc, telegram_id, display_name, tr,
                                data.removeprefix(CB_JOIN_REPLACE), replace=True)
    async with svc.db.read_session() as session:
        person = await people.get_person(session, telegram_id)
        if person is None or not _has_role(person):
            return Reply(tr.gettext("Nothing changed."))
        unit = await session.get(Unit, person.unit_id) if person.unit_id else None
        return Reply(tr.gettext("Nothing changed: you are still {current}.",
                                current=_role_in(tr, person.role, unit)))


async def _person_id(svc: Services, telegram_id: int) -> int | None:
    async with svc.db.read_session() as session:
        found = await people.get_person(session, telegram_id)
    return found.id if found else None
