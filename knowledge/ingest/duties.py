"""Draft the duties of each office from a plan's section tree (to curate, not to trust).

A passage that starts by naming an office ("Sở Y tế chủ trì triển khai: …") is that office's
duty; so is every passage of a section whose heading names an office ("5. Trung tâm Y tế",
"1. Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với …:"). A duty starting with
"phối hợp" is coordinating; offices named after "phối hợp (với)" take part in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.normalize import fold
from knowledge.schema import Plan
from knowledge.sections import Outline, Passage, Section

#: Words an office's sentence may start with before naming it.
_LEADING = ("de nghi ", "giao ", "cac ")
#: Words between the offices of a list ("A, B và C"; commas are gone once folded).
_LIST_WORDS = frozenset({"va", "cac", "voi"})
_PARTNERS = re.compile(r"\bphoi hop(?: voi)?\b")
#: How far into a passage (in words) an office must be named to own it.
OWNER_WORDS = 0


@dataclass(frozen=True)
class DraftDuty:
    office: str
    role: str
    text: str
    section: str

    def as_yaml(self) -> dict[str, str]:
        return {"office": self.office, "role": self.role, "text": self.text,
                "section": self.section}


class _Names:
    """The plan's offices, found in folded text."""

    def __init__(self, plan: Plan) -> None:
        seen: dict[str, str] = {}
        for office in plan.offices:
            seen.setdefault(fold(office.name), office.name)
        # longest first: "Sở Lao động - Thương binh và Xã hội" before "Sở Lao động"
        self.names = sorted(seen.items(), key=lambda kv: -len(kv[0]))

    def found(self, folded: str) -> list[tuple[int, str]]:
        """(word position, office name) of every office named in ``folded``."""
        hits: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        padded = f" {folded} "
        for key, name in self.names:
            start = 0
            while (at := padded.find(f" {key} ", start)) >= 0:
                span = (at, at + len(key) + 1)
                if not any(a < span[1] and span[0] < b for a, b in taken):
                    taken.append(span)
                    hits.append((padded[:at].count(" "), name))
                start = at + 1
        return sorted(hits)

    def owners(self, text: str) -> list[str]:
        """Offices a sentence starts by naming ("Sở Y tế chủ trì", "Đề nghị Tòa án …, …")."""
        folded = fold(text)
        for lead in _LEADING:
            if folded.startswith(lead) and not self._starts_with_office(folded):
                folded = folded[len(lead):]
                break
        hits = self.found(folded)
        if not hits or hits[0][0] > OWNER_WORDS:
            return []
        words = folded.split()
        owners = [hits[0][1]]
        end = hits[0][0] + len(fold(hits[0][1]).split())
        for pos, name in hits[1:]:  # "Ủy ban MTTQ, Thành Đoàn, Hội LHPN …": a list of owners
            between = words[end:pos]
            if len(between) > 2 or not set(between) <= _LIST_WORDS:
                break
            owners.append(name)
            end = pos + len(fold(name).split())
        return list(dict.fromkeys(owners))

    def partners(self, text: str, owners: list[str]) -> list[str]:
        """Offices named after "phối hợp (với)"."""
        folded = fold(text)
        match = _PARTNERS.search(folded)
        if match is None:
            return []
        tail = folded[match.end():]
        stop = re.search(r"\b(?:thuc hien|trien khai|tham muu|to chuc|trong|de)\b", tail)
        if stop:
            tail = tail[: stop.start()]
        return [name for _, name in self.found(tail) if name not in owners]

    def _starts_with_office(self, folded: str) -> bool:
        return any(folded.startswith(key) for key, _ in self.names)


def _role(text: str) -> str:
    return "coordinate" if fold(text).startswith("phoi hop") else "lead"


def draft_duties(plan: Plan, outline: Outline) -> list[DraftDuty]:
    """Every duty the section tree assigns to one of the plan's offices, in document order."""
    names = _Names(plan)
    out: list[DraftDuty] = []
    for section in outline.root.walk():
        if not section.id:
            continue
        out += _section_duties(section, names)
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for duty in out:
        key = (duty.office, duty.text, duty.section)
        if key not in seen:
            seen.add(key)
            unique.append(duty)
    return unique


def _heading_owners(section: Section, names: _Names) -> tuple[list[str], list[str], str]:
    """Owners and partners a section's heading (or its ancestors') names, and its text."""
    node: Section | None = section
    while node is not None and node.id:
        heading = node.title or _inline(node)
        if heading and (owners := names.owners(heading)):
            return owners, names.partners(heading, owners), heading
        node = node.parent
    return [], [], ""


def _inline(section: Section) -> str:
    """The text on a section's own numbered line, when it is not a title."""
    first = section.passages[0] if section.passages else None
    return first.text if first is not None and first.kind == "inline" else ""


def _section_duties(section: Section, names: _Names) -> list[DraftDuty]:
    out: list[DraftDuty] = []
    owners, partners, heading = _heading_owners(section, names)
    if heading and heading in (section.title, _inline(section)):
        for partner in partners:  # "X chủ trì, phối hợp với Y": Y takes part in X's section
            out.append(DraftDuty(partner, "coordinate", heading, section.id))
    carried: list[str] = []
    for passage in section.passages:
        if passage.text == passage.text.upper():  # a title in capitals, not a duty
            continue
        own = names.owners(passage.text)
        if not own and carried:
            own = carried
        who = own or owners
        carried = own if own and passage.text.rstrip().endswith(":") else (
            carried if not own else [])
        if not who:
            continue
        for office in who:
            out.append(DraftDuty(office, _role(_after_names(passage, office)), passage.text,
                                 section.id))
        for partner in names.partners(passage.text, who):
            out.append(DraftDuty(partner, "coordinate", passage.text, section.id))
    return out


def _after_names(passage: Passage, office: str) -> str:
    """The passage after the office's name ("Sở Tư pháp tham mưu, phối hợp …" → "tham mưu …")."""
    folded = fold(passage.text)
    key = fold(office)
    at = folded.find(key)
    rest = folded[at + len(key):].strip() if at >= 0 else folded
    rest = rest.lstrip(": ")
    return rest if rest.startswith("phoi hop") else folded


def duties_yaml(duties: list[DraftDuty]) -> str:
    """The ``duties:`` block of a plan data file."""
    import yaml

    body = yaml.safe_dump([d.as_yaml() for d in duties], allow_unicode=True, sort_keys=False,
                          width=100)
    return "duties:\n" + "".join(f"  {line}\n" if line else "\n" for line in body.splitlines())
