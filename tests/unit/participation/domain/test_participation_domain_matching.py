"""参加支援's matching without I/O: eligibility, proximity, filtering and ranking."""

from __future__ import annotations

from participation.domain.matching import Candidate, band_range, eligible, proximity, suggest


def cand(rid: str, **kw: object) -> Candidate:
    fields: dict[str, object] = {
        "resource_id": rid,
        "category": "ibasho",
        "school_district_code": "01",
        "age_min": None,
        "age_max": None,
        "free": 1,
    }
    fields.update(kw)
    return Candidate(**fields)  # type: ignore[arg-type]


class TestMatching:
    def test_band_overlaps_range(self) -> None:
        assert band_range("40-49") == (40, 49)
        assert band_range("90+")[0] == 90
        assert eligible("40-49", 15, 44)
        assert not eligible("40-49", 15, 39)
        assert not eligible("10-19", 20, None)
        assert eligible("90+", 65, None)
        assert eligible(None, 20, 30)

    def test_proximity(self) -> None:
        # Sample table: 校区01–05 are in 日常生活圏域01.
        assert proximity("01", "01") == "school_district"
        assert proximity("01", "02") == "daily_life_area"
        assert proximity("01", None) == "citywide"
        far = next(
            code for code in (f"{n:02d}" for n in range(6, 47)) if proximity("01", code) == "other"
        )
        assert proximity("01", far) == "other"

    def test_suggest_filters_and_ranks(self) -> None:
        candidates = [
            cand("a-near"),
            cand("b-area", school_district_code="02", free=5),
            cand("c-city", school_district_code=None, free=None),
            cand("d-full", free=0),
            cand("e-young", age_max=29),
            cand("f-work", category="work_trial"),
        ]
        found = suggest(
            candidates, age_band="40-49", home_district="01", category="ibasho", within="city"
        )
        assert [m.candidate.resource_id for m in found] == ["a-near", "b-area", "c-city"]
        near = suggest(
            candidates,
            age_band="40-49",
            home_district="01",
            category="ibasho",
            within="school_district",
        )
        assert [m.candidate.resource_id for m in near] == ["a-near", "c-city"]
        any_category = suggest(
            candidates, age_band="40-49", home_district="01", category=None, within="city"
        )
        assert "f-work" in [m.candidate.resource_id for m in any_category]
