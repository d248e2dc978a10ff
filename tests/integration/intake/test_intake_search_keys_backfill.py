"""Migration 0004 refolds stored names and ふりがな in SQL: the same keys as kasane.kana.fold.

New rows are folded by the application; the rows already stored were folded once by the
migration's SQL. If the two disagreed, a person registered before the migration could not
be found by search or duplicate detection.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest

from kasane.kana import fold
from kasane_dev.testing.services import RunningService

pytestmark = pytest.mark.integration

MIGRATION = (
    Path(__file__).parents[3] / "services/intake/intake/migrations/0004_person_search_keys.sql"
)
SAMPLES = [
    "やまだ　はなこ",
    "ﾔﾏﾀﾞ ﾊﾅｺ",
    "ヤマダ・ハナコ",
    "やまだ･はなこ",
    "山田　花子",
    "ゔぁいおりん ゝゞ ゕゖ",
    "ﾊﾟﾝﾀﾞ ｶﾞｯｺｳ",
    "ＡＢＣ　１２",
    "くるめ たろう\t",
]


@pytest.mark.parametrize("column", ["kana_normalized", "name_normalized"])
async def test_the_backfill_folds_like_the_application(intake: RunningService, column: str) -> None:
    sql = MIGRATION.read_text(encoding="utf-8")
    # Each assignment ends with the last characters of the katakana alphabet: ...ヽヾ').
    match = re.search(rf"{column} = (translate\(.*?ヽヾ'\))", sql, re.S)
    assert match is not None
    source = "kana_normalized" if column == "kana_normalized" else "name"
    expression = match.group(1).replace(f"normalize({source},", "normalize($1::text,")
    conn = await asyncpg.connect(intake.dsn)
    try:
        for sample in SAMPLES:
            assert await conn.fetchval(f"SELECT {expression}", sample) == fold(sample), sample
    finally:
        await conn.close()
