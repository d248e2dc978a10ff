"""Field types for event contracts: codes and ids only, never free text.

A pattern without spaces or kanji means a contract field cannot carry a name or a note
even by mistake; ``extra="forbid"`` guards the keys, these guard the values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

# Reference-data codes and slugs: issue codes (incl. "8050"), channels, agency ids.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")]
AgencyId = Code
AgeBand = Annotated[str, StringConstraints(pattern=r"^(?:[1-8]?0-[1-8]?9|90\+)$")]
SchoolDistrictCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
YearMonth = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
Count = Annotated[int, Field(ge=0)]

# Stable, closed vocabularies (a new value would be a new contract version anyway).
Program = Literal[
    "participation", "outreach", "multiagency"
]  # 参加支援 / アウトリーチ / 多機関協働
MeetingType = Literal["multilayer_meeting", "support_meeting"]  # 重層的支援会議 / 支援会議
LegalBasis = Literal["consent", "support_meeting"]  # 本人同意 / 支援会議 (法106条の6)
ConsentMethod = Literal["written", "verbal"]  # 書面 / 口頭
PlanEndKind = Literal["completed", "suspended"]  # 終結 / 中断
