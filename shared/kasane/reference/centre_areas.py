"""担当圏域: which 日常生活圏域 each area-based 相談支援機関 covers.

See docs/architecture/reference-data.md.

Two kinds of centre work by area: the 地域包括支援センター (高齢, one 日常生活圏域 each) and the
障害者基幹相談支援センター (障害, several 圏域 each). A 見守りネットワーク concern is routed to
the centre covering the 校区's 圏域, so every 圏域 must be covered by exactly one centre of
each kind. The packaged table is a SAMPLE assignment (the seed does not give the areas);
the city's own table is loaded with ``kasane reference import``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kasane.reference._resources import read_packaged_json
from kasane.reference.agencies import Agency, all_agencies
from kasane.reference.errors import UnknownReferenceCodeError
from kasane.reference.school_districts import TwoDigitCode, active_school_districts

CentreDomain = Literal["elderly", "disability"]
CENTRE_DOMAINS: tuple[CentreDomain, ...] = ("elderly", "disability")
CENTRE_KIND_LABELS: dict[CentreDomain, str] = {
    "elderly": "地域包括支援センター",
    "disability": "障害者基幹相談支援センター",
}


class CentreArea(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    agency_id: str
    daily_life_areas: tuple[TwoDigitCode, ...]


class CentreAreaTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    centres: tuple[CentreArea, ...]

    def centre_for(self, domain: CentreDomain, area_code: str) -> str:
        for centre in self.centres:
            if area_code in centre.daily_life_areas and _domain_of(centre.agency_id) == domain:
                return centre.agency_id
        raise UnknownReferenceCodeError(f"no {domain} centre covers daily life area {area_code!r}")


def area_centre_domain(agency: Agency) -> CentreDomain | None:
    """The kind of area-based centre an agency is, or None (citywide agencies, departments)."""
    if agency.kind != "consultation_agency" or agency.area == "citywide":
        return None
    if agency.domain == "elderly" or agency.domain == "disability":
        return agency.domain
    return None


def _domain_of(agency_id: str) -> CentreDomain | None:
    for agency in all_agencies():
        if agency.id == agency_id:
            return area_centre_domain(agency)
    return None


@dataclass(frozen=True)
class CoverageProblem:
    """One reason a 担当圏域 table does not fit; ``agency_id``/``area`` say where it is."""

    reason: str
    agency_id: str | None = None
    area: str | None = None


def _centre_problems(
    centre: CentreArea, agency: Agency | None, areas: Mapping[str, str]
) -> list[CoverageProblem]:
    if agency is None or area_centre_domain(agency) is None:
        reason = f"{centre.agency_id} は圏域を担当する相談支援機関ではありません"
        return [CoverageProblem(reason, centre.agency_id)]
    problems: list[CoverageProblem] = []
    if agency.area == "daily_life_area" and len(centre.daily_life_areas) != 1:
        problems.append(
            CoverageProblem(
                f"{agency.name_ja}（{agency.id}）が担当できる日常生活圏域は1つです"
                f"（{len(centre.daily_life_areas)}つあります）",
                agency.id,
            )
        )
    problems.extend(
        CoverageProblem(f"{area} は日常生活圏域（校区の表）にありません", agency.id, area)
        for area in centre.daily_life_areas
        if area not in areas
    )
    return problems


def coverage_problems(
    centres: Sequence[CentreArea], agencies: Iterable[Agency], areas: Mapping[str, str]
) -> list[CoverageProblem]:
    """Why the 担当圏域 do not fit the agencies and the 圏域 (code → name); empty if they do.

    The one home of the rule: the loader refuses such a table, the import names the rows.
    """
    by_id = {a.id: a for a in agencies}
    problems: list[CoverageProblem] = []
    covered: dict[tuple[CentreDomain, str], list[str]] = {}
    for centre in centres:
        agency = by_id.get(centre.agency_id)
        problems.extend(_centre_problems(centre, agency, areas))
        domain = area_centre_domain(agency) if agency is not None else None
        if domain is not None:
            for area in centre.daily_life_areas:
                covered.setdefault((domain, area), []).append(centre.agency_id)
    listed = {c.agency_id for c in centres}
    problems.extend(
        CoverageProblem(f"{a.name_ja}（{a.id}）の担当圏域がありません", a.id)
        for a in by_id.values()
        if area_centre_domain(a) is not None and a.id not in listed
    )
    for domain in CENTRE_DOMAINS:
        for area, name in areas.items():
            ids = covered.get((domain, area), [])
            if len(ids) != 1:
                detail = f"{len(ids)}か所（{', '.join(ids)}）" if ids else "担当がありません"
                problems.append(
                    CoverageProblem(
                        f"日常生活圏域 {area}（{name}）の{CENTRE_KIND_LABELS[domain]}は"
                        f"ちょうど1か所でなければなりません: {detail}",
                        ids[-1] if ids else None,
                        area,
                    )
                )
    return problems


def parse_centre_areas(data: object) -> CentreAreaTable:
    return CentreAreaTable.model_validate(data)


@lru_cache(maxsize=1)
def _table() -> CentreAreaTable:
    table = parse_centre_areas(read_packaged_json("centre_areas.json"))
    areas = {a.code: a.name_ja for a in active_school_districts().daily_life_areas}
    problems = coverage_problems(table.centres, all_agencies(), areas)
    if problems:  # reference data, not input: the import refuses such a table
        raise ValueError("centre_areas.json: " + "; ".join(p.reason for p in problems))
    return table


def centre_areas() -> CentreAreaTable:
    return _table()


def centre_for_area(domain: CentreDomain, area_code: str) -> str:
    """The agency id of the 包括 (``elderly``) or 基幹 (``disability``) centre of a 圏域."""
    return _table().centre_for(domain, area_code)
