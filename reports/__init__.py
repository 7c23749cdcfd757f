"""Monthly case reports: parsing, validation, privacy, periods and deadlines (no Telegram)."""
