"""End to end (issue 14): /stats counts only months that are over, tells missing from zero,
judges plan targets only on enough reports, refuses bad or unstarted periods as periods, and
uses the child population of the period's year (never a later one), in both languages.

The world is tests/report_world (D1 = C11 + C12, D2 = C21) on 3 Nov 2025, 09:00 in Vietnam:
October 2025 is the last month that is over. Every test runs in Vietnamese and in English;
the expected texts are in ``PHRASES``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel.calendar import Month
from kernel.clock import FrozenClock
from kernel.counts import CaseCounts
from kernel.i18n import translator
from storage import case_reports, unit_tree
from storage.due import due_deadline
from storage.models import AccessLog
from tests.e2e_support import bot_world
from tests.report_world import (
    ADMIN,
    NOW,
    OFFICER_EN,
    SUPERVISOR,
    SUPERVISOR_2,
    access_entries,
    populate,
)

#: (unit, month, counts, on time): C11 sent July-September 2025, C12 nothing in 2025.
REPORTS: list[tuple[str, Month, CaseCounts, bool]] = [
    ("C11", Month(2025, 7), CaseCounts(1, 2, 0), True),
    ("C11", Month(2025, 8), CaseCounts(0, 1, 0), False),
    ("C11", Month(2025, 9), CaseCounts(2, 0, 1), True),
    ("C11", Month(2024, 7), CaseCounts(1, 1, 0), True),
    ("C21", Month(2024, 3), CaseCounts(2, 0, 0), True),
]

BAD_PERIODS = ("13/2025", "00/2025", "Q5 2025", "2025-13", "32/13/2025")

PHRASES: dict[str, dict[str, str]] = {
    "vi": {
        "cmd": "/thongke",
        "not_started": "Chưa có số liệu cho {period}: thống kê chỉ tính các tháng đã kết thúc, "
                       "tháng gần nhất đã kết thúc là 10/2025. Gửi /thongke 10/2025 để xem.",
        "year": "năm {year}", "dec": "12/2025", "nov": "11/2025", "q1_2026": "quý 1/2026",
        "q1_2026_typed": "quy 1 2026", "q4_typed": "quy 4 2025",
        "head": "📊 Thống kê: {unit}, {period}",
        "so_far": "Số liệu đến hết 10/2025: {period} chưa kết thúc.",
        "q4": "quý 4/2025",
        "children": "Số trẻ em: {count} (số liệu năm {year})",
        "children_earlier": "Số trẻ em: {count} (số liệu năm {year}; chưa có số liệu năm "
                            "{period_year})",
        "no_population": "Chưa có số trẻ em năm {year} hoặc các năm trước: không tính tỷ suất.",
        "reports": "Báo cáo: đã nhận {received}/{expected} ({share}), đúng hạn {on_time} "
                   "({on_time_share})",
        "abuse_rate": "Xâm hại trẻ em: {count} — {rate}/100.000 trẻ em",
        "abuse": "Xâm hại trẻ em: {count}",
        "same_period": "Cùng kỳ năm {year}: {count} ({change}) — khi đó chỉ có "
                       "{received}/{expected} báo cáo",
        "same_period_none": "Cùng kỳ năm {year}: không có báo cáo.",
        "same_period_word": "Cùng kỳ",
        "unit_partial": "• {unit}: {figures} · báo cáo {received}/{expected}, đúng hạn {on_time}",
        "unit_none": "• {unit}: chưa báo cáo (0/{expected} báo cáo)",
        "no_reports": "Chưa nhận được báo cáo nào cho kỳ này: chưa có số liệu để hiển thị.",
        "incomplete": "Chưa đủ báo cáo để đánh giá (cần ít nhất 80%): thiếu {missing}/{expected}.",
        "earlier_incomplete": "Cùng kỳ năm {year} có quá ít báo cáo để so sánh "
                              "({received}/{expected}).",
        "target": "• Chỉ tiêu {n}",
        "now_share": "Hiện tại {rate}% (quy ra cả năm)",
        "now_rate": "{rate}/100.000 trẻ em",
        "on": "✅ đạt tiến độ", "off": "⚠️ chưa đạt",
        "not_all": "⚠️ Chưa nhận đủ báo cáo",
        "bad_period": "“{period}” không phải là kỳ hợp lệ: tháng từ 1 đến 12, quý từ 1 đến 4, "
                      "nửa năm là 1 hoặc 2.",
        "help": "Tôi chưa hiểu kỳ thống kê. Ví dụ: /thongke thang 10/2025, /thongke quy 3 2025, "
                "/thongke 6 thang dau nam 2025, /thongke 2025, /thongke 1/2025 - 6/2025. Có thể "
                "ghi mã đơn vị trước: /thongke MÃ quy 3 2025.",
        "unknown_unit": "Không tìm thấy đơn vị “NOPE”",
        "range": "06/2025 đến 10/2025",
    },
    "en": {
        "cmd": "/stats",
        "not_started": "There are no figures for {period} yet: statistics count whole months "
                       "only, and the latest month that is over is Oct 2025. Send /stats 10/2025 "
                       "to see it.",
        "year": "year {year}", "dec": "Dec 2025", "nov": "Nov 2025", "q1_2026": "Q1 2026",
        "q1_2026_typed": "Q1 2026", "q4_typed": "Q4 2025",
        "head": "📊 Statistics: {unit}, {period}",
        "so_far": "Figures to the end of Oct 2025: {period} is not over yet.",
        "q4": "Q4 2025",
        "children": "Children: {count} (figures for {year})",
        "children_earlier": "Children: {count} (figures for {year}; none yet for {period_year})",
        "no_population": "No child population for {year} or earlier: no rates.",
        "reports": "Reports: {received} of {expected} received ({share}), {on_time} on time "
                   "({on_time_share})",
        "abuse_rate": "Child abuse: {count} — {rate} per 100,000 children",
        "abuse": "Child abuse: {count}",
        "same_period": "Same period {year}: {count} ({change}) — only {received} of {expected} "
                       "reports then",
        "same_period_none": "Same period {year}: no reports.",
        "same_period_word": "Same period",
        "unit_partial": "• {unit}: {figures} · reports {received}/{expected}, on time {on_time}",
        "unit_none": "• {unit}: not reported (0 of {expected} reports)",
        "no_reports": "No reports have arrived for this period: there are no figures to show.",
        "incomplete": "Not enough reports to judge (at least 80% needed): {missing} of "
                      "{expected} missing.",
        "earlier_incomplete": "Too few reports in the same period {year} to compare with "
                              "({received} of {expected}).",
        "target": "• Target {n}",
        "now_share": "Now {rate}% (yearly rate from this period)",
        "now_rate": "{rate} per 100,000 children",
        "on": "✅ on track", "off": "⚠️ off track",
        "not_all": "⚠️ Not every report has arrived",
        "bad_period": "“{period}” is not a valid period: months run from 1 to 12, quarters from "
                      "1 to 4, halves are 1 and 2.",
        "help": "I did not understand the period. Examples: /stats thang 10/2025, /stats quy 3 "
                "2025, /stats 6 thang dau nam 2025, /stats 2025, /stats 1/2025 - 6/2025. A unit "
                "code may come first: /stats CODE quy 3 2025.",
        "unknown_unit": "I know no unit “NOPE” that you can see.",
        "range": "Jun 2025 to Oct 2025",
    },
}
#: Numbers as each locale writes them.
NUMBERS = {"vi": {"3000": "3.000", "2700": "2.700", "2500": "2.500", "1000": "1.000",
                  "0.72": "0,72"},
           "en": {"3000": "3,000", "2700": "2,700", "2500": "2,500", "1000": "1,000",
                  "0.72": "0.72"}}
D1, C11, C12, C21, D2 = ("Huyện Càng Long (D1)", "Xã An Trường (C11)", "Xã Bình Phú (C12)",
                         "Xã Hòa Ân (C21)", "Huyện Cầu Kè (D2)")

pytestmark = pytest.mark.parametrize("lang", ["vi", "en"])


async def _submit(services, ids: dict[str, int], rows) -> None:
    async with services.db.session() as session:
        for code, month, counts, on_time in rows:
            deadline = due_deadline(month)
            when = deadline - timedelta(days=1) if on_time else deadline + timedelta(days=1)
            result = await case_reports.submit_report(
                session, ids[code], month, counts, person_id=None, now=when
            )
            assert result.saved
        await session.commit()


def _world(tmp_path):
    return bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS=str(ADMIN))


class Chat:
    """Sends ``/stats …`` (``/thongke`` in Vietnamese) in one language; phrases by key."""

    def __init__(self, server, lang: str) -> None:
        self.server, self.lang, self.p = server, lang, PHRASES[lang]
        self.n = NUMBERS[lang]

    async def stats(self, user: int, args: str) -> str:
        message = f"{self.p['cmd']} {args}".strip()
        return (await self.server.ask(user, message, language_code=self.lang))[0].text

    async def stats_reply(self, user: int, args: str):
        message = f"{self.p['cmd']} {args}"
        return (await self.server.ask(user, message, language_code=self.lang))[0]

    def __call__(self, key: str, **values: object) -> str:
        return self.p[key].format(**values)


async def test_a_period_not_started_is_refused(tmp_path, lang: str) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await populate(services)
        await _submit(services, ids, REPORTS)
        say = Chat(server, lang)
        # With 2025 reports present, 2026 is refused rather than shown as a fall of 100%.
        for args, label in [("2026", say("year", year=2026)), ("12/2025", say("dec")),
                            (say("q1_2026_typed"), say("q1_2026")), ("11/2025", say("nov")),
                            ("D1 11/2025", say("nov"))]:
            assert await say.stats(SUPERVISOR, args) == say("not_started", period=label)
        # Nothing was shown, so nothing is logged as read.
        assert await access_entries(services, "stats") == []
        # A button for months to come (forged) sends no file.
        shown = await say.stats_reply(SUPERVISOR, "10/2025")
        since = server.mark()
        await server.tap(SUPERVISOR, shown, f"stats:csv:{ids['D1']}:202601:202612:y",
                         check=False)
        (expired,) = await server.wait_for(1, chat_id=SUPERVISOR, since=since)
        assert expired.text == translator(lang).gettext(
            "This button has expired. Send /stats again.")
        assert not server.calls(chat_id=SUPERVISOR, methods=["sendDocument"])
        assert await access_entries(services, "export_csv") == []


async def test_a_year_in_progress_counts_only_months_over(tmp_path, lang: str) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await populate(services)
        await _submit(services, ids, REPORTS)
        say = Chat(server, lang)
        reply = await say.stats_reply(SUPERVISOR, "2025")
        text = reply.text
        year = say("year", year=2025)
        assert text.startswith("\n".join([
            say("head", unit=D1, period=year), say("so_far", period=year),
            say("children", count=say.n["3000"], year=2025), "",
        ]))
        # Ten months over × two communes = 20 expected, 3 received (2 on time).
        assert say("reports", received=3, expected=20, share="15%", on_time=2,
                   on_time_share="10%") in text
        assert say("abuse_rate", count=3, rate=100) in text
        # Both periods have reports: the change is shown, with how thin 2024 was.
        assert say("same_period", year=2024, count=1, change="+2, +200%", received=1,
                   expected=20) in text
        assert say("unit_partial", unit=C11, figures="3 / 3 / 1", received=3, expected=10,
                   on_time=2) in text
        assert say("unit_none", unit=C12, expected=10) in text
        assert "0 / 0 / 0" not in text
        # 3 of 20 reports: no target is judged, each says how many are missing.
        assert say("on") not in text and say("off") not in text
        assert text.count(say("incomplete", missing=17, expected=20)) == 3

        # The buttons, the file and the access log cover January to October only.
        assert f"stats:csv:{ids['D1']}:202501:202510:r" in [
            b["callback_data"] for b in reply.buttons]
        document = (await server.press(SUPERVISOR, reply, label="CSV", timeout=30))[0]
        assert next(iter(document.files.values())).filename == "reports_D1_2025-01_2025-10.csv"
        for action in ("stats", "export_csv"):
            assert [e.detail for e in await access_entries(services, action)] == [
                "2025-01..2025-10"]

        # A quarter partly over: October only, two reports expected, none received.
        q4 = await say.stats(SUPERVISOR, say("q4_typed"))
        assert say("so_far", period=say("q4")) in q4
        assert say("reports", received=0, expected=2, share="0%", on_time=0,
                   on_time_share="0%") in q4
        assert say("incomplete", missing=2, expected=2) in q4


async def test_no_reports_is_not_zero(tmp_path, lang: str) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await populate(services)
        await _submit(services, ids, REPORTS)
        say = Chat(server, lang)
        # D2 reported in 2024 but not in 2025: no totals, no "−100%", no zeros.
        text = await say.stats(SUPERVISOR_2, "2025")
        assert say("no_reports") in text and say("unit_none", unit=C21, expected=10) in text
        assert "−" not in text and say("abuse", count=0) not in text
        assert "0 / 0 / 0" not in text and say("same_period_word") not in text
        # The commune itself: the same, for its own figures.
        own = await say.stats(OFFICER_EN, "Q1 2025")
        assert say("no_reports") in own and say("abuse", count=0) not in own
        # Reports now but none a year earlier: no comparison figure, only "no reports".
        march = await say.stats(OFFICER_EN, "3/2024")
        assert say("abuse", count=2) in march
        assert say("same_period_none", year=2023) in march


async def test_targets_are_judged_only_on_enough_reports(tmp_path, lang: str) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await populate(services)
        await _submit(services, ids, REPORTS)
        say = Chat(server, lang)
        # C11, June-October 2025: 3 of 5 reports (60%).
        thin = await say.stats(SUPERVISOR, "C11 6/2025 - 10/2025")
        assert thin.startswith(say("head", unit=C11, period=say("range")))
        assert thin.count(say("incomplete", missing=2, expected=5)) == 3
        assert say("on") not in thin and say("off") not in thin
        assert say("not_all") in thin
        # June arrives: 4 of 5 (80%) is enough. Abuse 3 in five months = 7.2 a year among
        # 1,000 children = 0.72% (< 4.5%); injuries 3 = 720 per 100,000 a year (> 550).
        await _submit(services, ids, [("C11", Month(2025, 6), CaseCounts(0, 0, 0), True)])
        judged = await say.stats(SUPERVISOR, "C11 6/2025 - 10/2025")
        lines = {ln.split(" — ")[0]: ln for ln in judged.splitlines() if ln.startswith("• ")}
        nine, eleven, thirteen = (lines[say("target", n=n)] for n in (9, 11, 13))
        assert say("now_share", rate=say.n["0.72"]) in nine and nine.endswith(say("on"))
        assert say("now_rate", rate=720) in eleven and eleven.endswith(say("off"))
        # The same months of 2024 had 1 report of 5: too few to compare the fall with.
        assert thirteen.endswith(say("earlier_incomplete", year=2024, received=1, expected=5))


async def test_a_bad_period_says_the_period_is_wrong(tmp_path, lang: str) -> None:
    async with _world(tmp_path) as (server, _app, services):
        await populate(services)
        say = Chat(server, lang)
        for period in BAD_PERIODS:
            expected = say("bad_period", period=period) + "\n" + say("help")
            assert await say.stats(SUPERVISOR, period) == expected
            assert await say.stats(SUPERVISOR, f"D1 {period}") == expected
        async with services.db.read_session() as session:
            refused = (await session.scalars(
                select(AccessLog.detail).where(AccessLog.action == "refused"))).all()
        assert "unknown_unit" not in refused
        # A real unit code still works; an unknown code is still an unknown unit.
        assert (await say.stats(SUPERVISOR, "D1 2025")).startswith(
            say("head", unit=D1, period=say("year", year=2025)))
        assert (await say.stats(SUPERVISOR, "NOPE 2025")).startswith(say("unknown_unit"))
        assert (await say.stats(SUPERVISOR, "NOPE")).startswith(say("unknown_unit"))


async def test_population_of_the_period_year(tmp_path, lang: str) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await populate(services)  # 2025: C11 1,000, C12 2,000, C21 3,000
        async with services.db.session() as session:
            for code, year, children in [("C11", 2024, 900), ("C12", 2024, 1800),
                                         ("C21", 2023, 2500)]:
                await unit_tree.set_population(session, ids[code], year, children)
            await session.commit()
        await _submit(services, ids, REPORTS)
        say = Chat(server, lang)
        # 2024 has its own figures (2,700), 2025 its own (3,000).
        d1 = await say.stats(SUPERVISOR, "2024")
        assert say("children", count=say.n["2700"], year=2024) + "\n" in d1
        assert say("abuse_rate", count=1, rate=37) in d1  # 1 × 100,000 / 2,700
        assert say("children", count=say.n["3000"], year=2025) + "\n" in await say.stats(
            SUPERVISOR, "2025")
        # C21 has no 2024 figure: the latest earlier one (2023) is used and named, never 2025.
        earlier = say("children_earlier", count=say.n["2500"], year=2023, period_year=2024)
        c21 = await say.stats(OFFICER_EN, "2024")
        assert earlier + "\n" in c21
        assert say("abuse_rate", count=2, rate=80) in c21  # 2 × 100,000 / 2,500
        assert earlier + "\n" in await say.stats(SUPERVISOR_2, "2024")
        # Nothing for 2022 or before: no rates, rather than a later year's figure.
        early = await say.stats(SUPERVISOR_2, "2022")
        assert say("no_population", year=2022) in early
        assert say.n["2500"] not in early and say.n["3000"] not in early
