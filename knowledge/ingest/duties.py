"""Draft the duties of each office from a plan's section tree (to curate, not to trust).

A passage that starts by naming an office ("Sở Y tế chủ trì triển khai: …", "Giao Giám đốc
Sở …", "Đề nghị Tòa án …") is that office's duty; so is every passage of a section whose
heading names an office ("5. Trung tâm Y tế", "1. Sở Lao động - Thương binh và Xã hội chủ
trì, phối hợp với …:"). An office whose own first verb is "phối hợp" coordinates; offices
named after "phối hợp (với)" take part in the duty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.normalize import fold
from knowledge.provenance import COLLECTIVE_WORDS
from knowledge.schema import Plan
from knowledge.sections import Outline, Section

#: Words a sentence may start with before naming the office it assigns.
_LEADING = re.compile(r"^(?:de nghi |giao |cac |doi voi (?:cac )?|ngoai ra (?:cac )?)?"
                      r"(?:(?:giam doc|thu truong|chu tich|chanh) )?")
#: Words between the offices of a list ("A, B và C"; commas are gone once folded).
_LIST_WORDS = frozenset({"va", "cac", "voi", "giam", "doc", "thu", "truong", "chu", "tich",
                         "chanh", "thanh", "pho", "tinh", "huyen"})
_PARTNERS = re.compile(r"\bphoi hop(?: voi)?\b")
#: Where a list of partners ends: the verb of what they do together.
_PARTNERS_END = re.compile(
    r"\b(?:thuc hien|trien khai|tham muu|to chuc|trong|de|huong dan|chi dao|xay dung|"
    r"theo doi|danh gia|tong hop|kiem tra|bao cao|lam|dua|kien toan|cung cap|day manh|"
    r"phat trien|long ghep|tuyen truyen|ho tro)\b")
#: The verbs that say what an office does with a duty; the first one decides its role.
_VERBS = re.compile(r"\b(?:chu tri|phoi hop|thuc hien|trien khai|tham muu|tham gia|"
                    r"xay dung|huong dan|chi dao|(?<!cac )to chuc|dieu phoi|can cu)\b")
#: A collective office ("Các cơ quan, ban, ngành cấp thành phố") is also named by this many
#: first words of its name.
#: Abbreviations the documents use for office names.
_SHORT = ((re.compile(r"\bubnd\b"), "uy ban nhan dan"),)


def _canon(folded: str) -> str:
    for pattern, long in _SHORT:
        folded = pattern.sub(long, folded)
    return folded


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
    """The plan's offices, found in folded text (by name, and a collective office such as
    "Ủy ban nhân dân các phường, xã" also by "các phường, xã")."""

    def __init__(self, plan: Plan) -> None:
        keys: dict[str, str] = {}
        for office in plan.offices:
            key = fold(office.name)
            keys.setdefault(key, office.name)
            if key.startswith("uy ban nhan dan cac "):  # "các phường, xã"
                keys.setdefault(key[len("uy ban nhan dan "):], office.name)
            elif key.startswith("uy ban nhan dan "):  # "UBND các quận, huyện …"
                keys.setdefault("uy ban nhan dan cac " + key[len("uy ban nhan dan "):],
                                office.name)
            if key.startswith("cac ") and len(key.split()) > COLLECTIVE_WORDS:
                # "Các cơ quan, ban, ngành (, đoàn thể) cấp thành phố"
                keys.setdefault(" ".join(key.split()[:COLLECTIVE_WORDS]), office.name)
        # longest first: "Sở Lao động - Thương binh và Xã hội" before "Sở Lao động"
        self.names = sorted(keys.items(), key=lambda kv: -len(kv[0]))

    def found(self, folded: str) -> list[tuple[int, int, str]]:
        """(first word, end word, office name) of every office named in ``folded``."""
        hits: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        padded = f" {_canon(folded)} "
        for key, name in self.names:
            start = 0
            while (at := padded.find(f" {key} ", start)) >= 0:
                span = (at, at + len(key) + 1)
                if not any(a < span[1] and span[0] < b for a, b in taken):
                    taken.append(span)
                    first = padded[:at].count(" ")
                    hits.append((first, first + key.count(" ") + 1, name))
                start = at + 1
        return sorted(hits)

    def owners(self, text: str) -> list[str]:
        """Offices a sentence starts by naming ("Sở Y tế chủ trì", "Đề nghị Tòa án …, …",
        "Giao Giám đốc Sở …")."""
        folded = _canon(fold(text))
        if not self._starts_with_office(folded):
            folded = _LEADING.sub("", folded, count=1)
        hits = self.found(folded)
        if not hits or hits[0][0] > 0:
            return []
        words = folded.split()
        owners = [hits[0][2]]
        end = hits[0][1]
        for first, last, name in hits[1:]:  # "Ủy ban MTTQ, Thành Đoàn, Hội LHPN …"
            between = words[end:first]
            if len(between) > 3 or not set(between) <= _LIST_WORDS:
                break
            owners.append(name)
            end = last
        return list(dict.fromkeys(owners))

    def partners(self, text: str, owners: list[str]) -> list[str]:
        """Offices named after each "phối hợp (với)"."""
        folded = _canon(fold(text))
        out: list[str] = []
        for match in _PARTNERS.finditer(folded):
            tail = folded[match.end():]
            stop = _PARTNERS_END.search(tail)
            if stop:
                tail = tail[: stop.start()]
            out += [name for _, _, name in self.found(tail) if name not in owners]
        return list(dict.fromkeys(out))

    def _starts_with_office(self, folded: str) -> bool:
        return any(folded.startswith(key + " ") or folded == key for key, _ in self.names)


def _role(text: str, office: str) -> str:
    """coordinate when the office's own first verb is "phối hợp" ("Theo chức năng, nhiệm vụ
    phối hợp với …", "Sở Tài chính: Căn cứ …, phối hợp …"), else lead."""
    folded = _canon(fold(text))
    key = fold(office)
    at = folded.find(key)
    rest = folded[at + len(key):] if at >= 0 else folded
    first = _VERBS.search(rest)
    verb = first.group(0) if first else ""
    if verb == "can cu":  # "căn cứ …, phối hợp": look past the grounds
        second = _VERBS.search(rest, first.end()) if first else None
        verb = second.group(0) if second else ""
    return "coordinate" if verb == "phoi hop" else "lead"


def draft_duties(plan: Plan, outline: Outline) -> list[DraftDuty]:
    """Every duty the section tree assigns to one of the plan's offices, in document order."""
    names = _Names(plan)
    out: list[DraftDuty] = []
    for section in outline.root.walk():
        if section.id:
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
    own_heading = bool(heading) and heading in (section.title, _inline(section))
    if own_heading:
        for partner in partners:  # "X chủ trì, phối hợp với Y": Y takes part in X's section
            out.append(DraftDuty(partner, "coordinate", heading, section.id))
    has_items = sum(p.kind != "inline" for p in section.passages) > 0
    carried: list[str] = []
    for passage in section.passages:
        if passage.text == passage.text.upper():  # a title in capitals, not a duty
            continue
        if (passage.kind == "inline" and own_heading and has_items
                and not passage.text.rstrip().endswith((".", ";")) and names.owners(passage.text)):
            continue  # "Sở Y tế chủ trì, phối hợp với …": the items below are its duties
        named = names.owners(passage.text)
        if named:  # "Sở X chủ trì thực hiện:" — the "+" items after it are its duties too
            carried = named if passage.text.rstrip().endswith(":") else []
        who = named or carried or owners
        for office in who:
            out.append(DraftDuty(office, _role(passage.text, office), passage.text,
                                 section.id))
        for partner in names.partners(passage.text, who):
            out.append(DraftDuty(partner, "coordinate", passage.text, section.id))
    return out


def duties_yaml(duties: list[DraftDuty]) -> str:
    """The ``duties:`` block of a plan data file."""
    import yaml

    body = yaml.safe_dump([d.as_yaml() for d in duties], allow_unicode=True, sort_keys=False,
                          width=100)
    return "duties:\n" + "".join(f"  {line}\n" if line else "\n" for line in body.splitlines())
