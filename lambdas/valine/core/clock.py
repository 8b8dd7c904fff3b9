from __future__ import annotations

import time


class SystemClock:
    """The Clock port on the system's wall clock."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()
