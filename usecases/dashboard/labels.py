"""Every word of the dashboard page, in the viewer's language (through the Babel catalogs): the
page itself holds no text of its own."""

from __future__ import annotations

from kernel.i18n import Translator


def labels(tr: Translator) -> dict[str, str]:
    return {
        "title": tr.gettext("Reports dashboard"),
        "tab_completeness": tr.gettext("Who reported"),
        "tab_trend": tr.gettext("Trend"),
        "tab_targets": tr.gettext("Targets"),
        "month": tr.gettext("Month"),
        "unit": tr.gettext("Unit"),
        "up": tr.gettext("Up"),
        "communes": tr.gettext("Communes"),
        "on_time": tr.gettext("On time"),
        "late": tr.gettext("Late"),
        "missing": tr.gettext("Missing"),
        "status_on_time": tr.gettext("on time"),
        "status_late": tr.gettext("late"),
        "status_missing": tr.gettext("missing"),
        "status_none": tr.gettext("no reporting units"),
        "status_pending": tr.gettext("not sent yet"),
        "not_due": tr.gettext("Due {date}: not overdue yet."),
        "overdue": tr.gettext("Due {date}: the deadline has passed."),
        "row_detail": tr.gettext("{on_time} on time · {late} late · {missing} not sent, "
                                 "of {communes} communes"),
        "counts_note": tr.gettext("Counts are communes."),
        "remind_n": tr.gettext("Remind the {n} communes missing {month}"),
        "export_note": tr.gettext("Files hold the reports of {unit} from January to {month}; "
                                  "they are sent to your chat with the bot."),
        "trend_range": tr.gettext("12 months to {month}"),
        "table_note": tr.gettext("Cases in the month (a year earlier); – = no report."),
        "abuse_short": tr.gettext("Abuse"),
        "injury_short": tr.gettext("Inj."),
        "marriage_short": tr.gettext("Marriage"),
        "target_on_track": tr.gettext("on track"),
        "target_off_track": tr.gettext("off track"),
        "target_no_data": tr.gettext("not judged"),
        "target_no_value": tr.gettext("no value"),
        "target_not_comparable": tr.gettext("not compared"),
        "due": tr.gettext("Due"),
        "submitted": tr.gettext("Sent"),
        "remind": tr.gettext("Remind the missing units"),
        "export_csv": tr.gettext("Send CSV to the chat"),
        "export_xlsx": tr.gettext("Send Excel to the chat"),
        "sent_to_chat": tr.gettext("Sent to your chat with the bot."),
        "abuse": tr.gettext("Child abuse"),
        "injury": tr.gettext("Child injuries"),
        "marriage": tr.gettext("Child marriage"),
        "this_year": tr.gettext("these months"),
        "year_before": tr.gettext("a year earlier"),
        "reports": tr.gettext("Reports"),
        "no_reports": tr.gettext("no reports"),
        "loading": tr.gettext("Loading…"),
        "failed": tr.gettext("Could not load. Check the connection and try again."),
        "denied": tr.gettext("This dashboard is for registered officers. Open it from the "
                             "bot's /stats message."),
    }
