"""Throttling of failed sign-ins: a wait that doubles with each failure and a lockout window.

Kept per key (a session and a client address each count), in this process's memory: a
guesser who opens new sessions still meets the address's wait. After ``LOCK_AFTER`` failures
in a row the key waits ``LOCKOUT_SECONDS``; a success clears its keys.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 60.0
LOCK_AFTER = 10
LOCKOUT_SECONDS = 15 * 60.0


@dataclass
class Throttle:
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, int] = field(default_factory=dict)
    _until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """How long the longest-waiting key must still wait before its next attempt (0: go)."""
        now = self.clock()
        with self._lock:
            return max([0.0, *(self._until.get(k, 0.0) - now for k in keys)])

    def failed(self, keys: Iterable[str]) -> float:
        """Count a failure for every key; returns the wait it imposes (seconds)."""
        now, imposed = self.clock(), 0.0
        with self._lock:
            for k in keys:
                n = self._failures.get(k, 0) + 1
                self._failures[k] = n
                wait = LOCKOUT_SECONDS if n >= LOCK_AFTER else min(FIRST_WAIT_SECONDS * 2 ** (n - 1), MAX_WAIT_SECONDS)
                self._until[k] = now + wait
                imposed = max(imposed, wait)
        return imposed

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
                self._until.pop(k, None)


#: The app's sign-in throttle (one per server process).
SIGN_IN = Throttle()
