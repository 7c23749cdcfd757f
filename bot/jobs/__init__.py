"""Scheduled jobs: reminders (derived from the database on every tick) and the privacy screen's
refresh of unit names."""
