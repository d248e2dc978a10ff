"""UUIDv7 ids: time-ordered, so ids sort by creation (RFC 9562 section 5.7).

Within one millisecond the 12-bit ``rand_a`` field is a counter (RFC 9562 section 6.2,
method 1), so ids made by one process are strictly increasing; ids of different processes
order by millisecond only.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0
_COUNTER_MAX = 0xFFF


def uuid7() -> uuid.UUID:
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _counter = ms, int.from_bytes(os.urandom(2), "big") & 0x1FF
        else:
            # Same (or an earlier, clock stepped back) millisecond: count up; on overflow
            # borrow the next millisecond rather than repeat an id.
            _counter += 1
            if _counter > _COUNTER_MAX:
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80  # 48-bit unix ms timestamp
    value |= 0x7 << 76  # version 7
    value |= counter << 64  # rand_a: counter within the millisecond
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand_b
    return uuid.UUID(int=value)
