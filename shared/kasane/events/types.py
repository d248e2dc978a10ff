"""Field types for event contracts: codes and ids only, never free text.

A pattern without spaces or kanji means a contract field cannot carry a name or a note
even by mistake; ``extra="forbid"`` guards the keys, these guard the values.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# Reference-data codes and slugs: issue codes (incl. "8050"), channels, agency ids.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")]
AgencyId = Code
AgeBand = Annotated[str, StringConstraints(pattern=r"^(?:[1-8]?0-[1-8]?9|90\+)$")]
SchoolDistrictCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
