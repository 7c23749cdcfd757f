"""The chat's button that opens the dashboard (a Telegram Mini App) at a unit and month."""

from __future__ import annotations

from urllib.parse import urlencode

from kernel.calendar import Month
from kernel.i18n import Translator
from kernel.reply import Button


def dashboard_button(
    tr: Translator, webapp_url: str | None, unit_id: int | None, month: Month, view: str
) -> Button | None:
    """None when no dashboard is served (``WEBAPP_URL`` unset)."""
    if not webapp_url:
        return None
    query = {"view": view, "month": month.key, **({"unit": unit_id} if unit_id else {})}
    joiner = "&" if "?" in webapp_url else "?"
    return Button("📊 " + tr.gettext("Open the dashboard"),
                  web_app=f"{webapp_url}{joiner}{urlencode(query)}")
