"""Small helpers shared by the store modules."""

from __future__ import annotations

import json
from typing import Any


def insert_sql(table: str, row: dict[str, Any]) -> str:
    columns = list(row)
    marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def parsed(value: Any) -> Any:
    """jsonb as asyncpg hands it over (text, no codec on the pool) → Python values."""
    return json.loads(value) if isinstance(value, str) else value
