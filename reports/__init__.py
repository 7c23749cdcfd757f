"""Monthly case reports: parsing, validation, privacy checks, periods and deadlines (no Telegram)."""
