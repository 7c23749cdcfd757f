"""Clocks: system, offset (BOT_NOW) and frozen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kernel.clock import VN_TZ, FrozenClock, OffsetClock, SystemClock, to_local, today


def test_system_clock_is_aware_vietnam_time() -> None:
    now = SystemClock().now()
    assert now.utcoffset() == timedelta(hours=7)
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_frozen_clock_set_and_advance() -> None:
    clock = FrozenClock(datetime(2025, 11, 3, 9, 0))
    assert clock.now() == datetime(2025, 11, 3, 9, 0, tzinfo=VN_TZ)
    assert clock.now() == clock.now()
    clock.advance(hours=2)
    assert clock.now().hour == 11
    clock.advance(timedelta(days=1))
    assert today(clock).day == 4
    clock.set(datetime(2025, 1, 1, 0, 0, tzinfo=UTC))
    assert clock.now().hour == 7 and clock.now().utcoffset() == timedelta(hours=7)


def test_offset_clock_starts_at_start_and_runs_on() -> None:
    base = FrozenClock(datetime(2030, 6, 1, 12, 0))
    start = datetime(2025, 11, 5, 8, 30)
    clock = OffsetClock(start, base=base)
    assert clock.now() == to_local(start)
    base.advance(minutes=90)
    assert clock.now() == to_local(start) + timedelta(minutes=90)
    assert clock.now().tzinfo is not None


def test_offset_clock_on_real_time() -> None:
    start = datetime(2025, 11, 5, 8, 30, tzinfo=VN_TZ)
    clock = OffsetClock(start)
    assert timedelta(0) <= clock.now() - start < timedelta(minutes=1)


def test_to_local_converts_and_fills_naive() -> None:
    assert to_local(datetime(2025, 1, 1, 1, tzinfo=UTC)).hour == 8
    assert to_local(datetime(2025, 1, 1, 1)).hour == 1
