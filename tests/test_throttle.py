"""Sign-in throttling: the wait doubles per failure, locks out after ten, and a success clears it."""

from __future__ import annotations

from ui import throttle
from ui.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wait_doubles_with_each_failure_and_caps():
    clock = Clock()
    th = Throttle(clock=clock)
    keys = ("session:a", "address:10.0.0.7")
    waits = [th.failed(keys) for _ in range(7)]
    assert waits == [1, 2, 4, 8, 16, 32, 60]  # seconds, capped at a minute
    assert th.wait_seconds(keys) == 60
    clock.now += 59
    assert th.wait_seconds(keys) == 1
    clock.now += 1
    assert th.wait_seconds(keys) == 0


def test_lockout_after_ten_failures_and_per_address():
    clock = Clock()
    th = Throttle(clock=clock)
    for k in range(throttle.LOCK_AFTER):
        th.failed((f"session:{k}", "address:10.0.0.7"))  # a new session each time: the address still counts
    assert th.wait_seconds(("session:new", "address:10.0.0.7")) == throttle.LOCKOUT_SECONDS
    assert th.wait_seconds(("session:other", "address:10.0.0.8")) == 0  # another client is not affected


def test_success_clears_the_keys():
    th = Throttle(clock=Clock())
    th.failed(("session:a",))
    th.succeeded(("session:a",))
    assert th.wait_seconds(("session:a",)) == 0
