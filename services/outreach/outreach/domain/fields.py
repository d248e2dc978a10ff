"""Field rules used by several of outreach's request models (one home each).

The 校区 and "not in the future" rules are shared by every service: they live in
``kasane.types`` (``SchoolDistrictCode``, ``not_future``).
"""

from __future__ import annotations


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("空欄です / must not be blank")
    return value
