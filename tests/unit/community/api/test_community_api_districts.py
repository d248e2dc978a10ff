"""GET /school-districts' body: 校区 grouped under their 日常生活圏域 (the shared table)."""

from __future__ import annotations

from community.api.schemas import DistrictsOut
from kasane.reference.school_districts import active_school_districts, parse_school_districts


def test_districts_are_grouped_under_their_daily_life_area() -> None:
    table = parse_school_districts(
        {
            "sample": False,
            "source": "test",
            "daily_life_areas": [{"code": "01", "name_ja": "北"}, {"code": "02", "name_ja": "南"}],
            "school_districts": [
                {"code": "01", "name_ja": "A校区", "daily_life_area": "02"},
                {"code": "02", "name_ja": "B校区", "daily_life_area": "01"},
                {"code": "03", "name_ja": "C校区", "daily_life_area": "02"},
            ],
        }
    )
    out = DistrictsOut.of(table)
    assert out.sample is False
    assert [(a.code, [d.code for d in a.school_districts]) for a in out.daily_life_areas] == [
        ("01", ["02"]),
        ("02", ["01", "03"]),
    ]


def test_the_shipped_table_is_marked_sample() -> None:
    out = DistrictsOut.of(active_school_districts())
    assert out.sample is True
    assert sum(len(a.school_districts) for a in out.daily_life_areas) == 46
