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
