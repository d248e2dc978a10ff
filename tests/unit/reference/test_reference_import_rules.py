"""The rules of `kasane reference import` (kasane.reference.importing): pure, no files."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from kasane.reference.importing import (
    AGENCIES_FILE,
    CENTRE_AREAS_FILE,
    DISTRICTS_FILE,
    ImportResult,
    Problem,
    Snapshot,
    Table,
    apply_tables,
    diff,
    export_tables,
    normalise_code,
)
from kasane.reference.versions import packaged_snapshot

AGENCY_HEADER = ["機関ID", "名称", "連絡先"]
DISTRICT_HEADER = ["校区コード", "校区名", "日常生活圏域コード", "日常生活圏域名"]
CENTRE_HEADER = ["機関ID", "日常生活圏域コード"]


@pytest.fixture
def packaged() -> Snapshot:
    return packaged_snapshot()


def _districts(packaged: Snapshot) -> list[list[str]]:
    """The packaged 校区 as import rows (header excluded)."""
    return [list(r) for r in export_tables(packaged)["districts"][1:]]


def _centres(packaged: Snapshot) -> list[list[str]]:
    return [list(r) for r in export_tables(packaged)["centre_areas"][1:]]


def _apply(packaged: Snapshot, *tables: tuple[str, Sequence[str], list[list[str]]]) -> ImportResult:
    return apply_tables(packaged, [Table(src, header, rows) for src, header, rows in tables])


def _only(result: ImportResult) -> Problem:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def test_the_exported_tables_import_without_change(packaged: Snapshot) -> None:
    tables = [
        Table(f"{kind}.csv", rows[0], rows[1:]) for kind, rows in export_tables(packaged).items()
    ]
    result = apply_tables(packaged, tables)
    assert result.problems == []
    assert diff(packaged, result.snapshot) == []
    assert set(result.kinds) == {"agencies", "districts", "centre_areas", "partners"}


def test_agency_name_and_contact_change_and_the_placeholder_flag_clears(
    packaged: Snapshot,
) -> None:
    result = _apply(
        packaged,
        ("機関.csv", AGENCY_HEADER, [["houkatsu-01", "東部地域包括支援センター", "0942-00-0001"]]),
    )
    assert result.problems == []
    agency = next(a for a in result.snapshot[AGENCIES_FILE]["agencies"] if a["id"] == "houkatsu-01")
    assert agency["name_ja"] == "東部地域包括支援センター"
    assert agency["name_is_placeholder"] is False
    assert agency["contact"] == "0942-00-0001"
    assert diff(packaged, result.snapshot) == [
        "機関 houkatsu-01: 名称「地域包括支援センター（第1）」→「東部地域包括支援センター」",
        "機関 houkatsu-01: 連絡先「」→「0942-00-0001」",
    ]
    # Agencies not listed keep their values; the import never touches the input snapshot.
    assert result.snapshot[AGENCIES_FILE]["agencies"][1] == packaged[AGENCIES_FILE]["agencies"][1]
    assert packaged[AGENCIES_FILE]["agencies"][0]["name_ja"] == "地域包括支援センター（第1）"


def test_names_keep_their_full_width_characters(packaged: Snapshot) -> None:
    result = _apply(
        packaged, ("a.csv", ["機関ＩＤ", "名称"], [["kodomo", "　こども（子育て）センター　"]])
    )
    assert result.problems == []
    agency = next(a for a in result.snapshot[AGENCIES_FILE]["agencies"] if a["id"] == "kodomo")
    assert agency["name_ja"] == "こども（子育て）センター"


@pytest.mark.parametrize(
    ("rows", "row", "column", "reason"),
    [
        ([["houkatsu-99", "新センター"]], 2, "機関ID", "未登録の機関ID「houkatsu-99」"),
        ([["kodomo", "A"], ["kodomo", "B"]], 3, "機関ID", "2行目と重複"),
        ([["kodomo", ""]], 2, "名称", "空欄"),
        ([["kodomo", "改行\nあり"]], 2, "名称", "制御文字"),
        ([["kodomo", "あ" * 101]], 2, "名称", "100文字以内"),
        ([["kodomo", "生活自立支援センター"]], 2, "名称", "重複"),
        ([["", "名無し"]], 2, "機関ID", "空欄"),
    ],
)
def test_agency_rows_are_refused_with_row_column_and_reason(
    packaged: Snapshot, rows: list[list[str]], row: int, column: str, reason: str
) -> None:
    problem = _only(_apply(packaged, ("機関.csv", ["機関ID", "名称"], rows)))
    assert (problem.source, problem.row, problem.column) == ("機関.csv", row, column)
    assert reason in problem.reason
    assert str(problem).startswith(f"機関.csv {row}行目 「{column}」列: ")


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [
        (["番号", "名前"], None, "表の種類がわかりません"),
        (["機関ID", "名称", "電話"], "電話", "機関の表にない列"),
        (["機関ID", "名称", "名称"], "名称", "見出しが重複"),
        (["校区コード", "校区名", "日常生活圏域コード"], "日常生活圏域名", "必須の列がありません"),
    ],
)
def test_headers_are_checked(
    packaged: Snapshot, header: list[str], column: str | None, reason: str
) -> None:
    problems = _apply(packaged, ("x.csv", header, [["a", "b", "c"]])).problems
    assert any(p.row == 1 and p.column == column and reason in p.reason for p in problems), [
        str(p) for p in problems
    ]


def test_a_remarks_column_and_blank_lines_are_allowed(packaged: Snapshot) -> None:
    result = _apply(
        packaged,
        (
            "a.csv",
            ["機関ID", "名称", "備考"],
            [["", "", ""], ["kodomo", "こどもセンター", "改称予定"]],
        ),
    )
    assert result.problems == []


def test_a_file_with_a_header_only_is_refused(packaged: Snapshot) -> None:
    problem = _only(_apply(packaged, ("a.csv", ["機関ID", "名称"], [])))
    assert "データ行がありません" in problem.reason


def test_two_tables_of_one_kind_are_refused(packaged: Snapshot) -> None:
    rows = [["kodomo", "X"]]
    problem = _only(
        _apply(packaged, ("a.csv", ["機関ID", "名称"], rows), ("b.csv", ["機関ID", "名称"], rows))
    )
    assert problem.source == "b.csv"
    assert "2つあります" in problem.reason


@pytest.mark.parametrize(
    ("raw", "code"), [("01", "01"), ("1", "01"), ("０１", "01"), (" 7 ", "07"), ("46", "46")]
)
def test_codes_are_two_digits_as_excel_may_have_dropped_the_zero(raw: str, code: str) -> None:
    assert normalise_code(raw) == code


@pytest.mark.parametrize("raw", ["", "0", "00", "100", "1a", "一"])
def test_other_codes_are_not_codes(raw: str) -> None:
    assert normalise_code(raw) is None


def test_district_name_change_is_applied_and_sample_flag_clears(packaged: Snapshot) -> None:
    rows = _districts(packaged)
    rows[2][1] = "みどり校区"  # code 03
    rows = [r if r[2] != "01" else [*r[:3], "東部圏域"] for r in rows]  # area 01, every row
    result = _apply(packaged, ("校区.csv", DISTRICT_HEADER, rows))
    assert result.problems == []
    table = result.snapshot[DISTRICTS_FILE]
    assert table["sample"] is False
    assert {"code": "03", "name_ja": "みどり校区", "daily_life_area": "01"} in table[
        "school_districts"
    ]
    assert diff(packaged, result.snapshot) == [
        "日常生活圏域 01: 名称「日常生活圏域01」→「東部圏域」",
        "校区 03: 名称「校区03」→「みどり校区」",
    ]


def test_a_district_in_no_area_is_refused(packaged: Snapshot) -> None:
    rows = _districts(packaged)
    rows[4][2] = ""
    problem = _only(_apply(packaged, ("校区.csv", DISTRICT_HEADER, rows)))
    assert (problem.row, problem.column) == (6, "日常生活圏域コード")
    assert "どの日常生活圏域にも属していません" in problem.reason


def test_a_removed_district_code_is_refused(packaged: Snapshot) -> None:
    rows = [r for r in _districts(packaged) if r[0] != "05"]
    problem = _only(_apply(packaged, ("校区.csv", DISTRICT_HEADER, rows)))
    assert (problem.source, problem.row, problem.column) == ("校区.csv", None, "校区コード")
    assert "現行の校区コード 05（校区05）がありません" in problem.reason


def test_a_renumbered_district_is_refused(packaged: Snapshot) -> None:
    # 校区05 moved to a new code 47, code 05 reused for another name.
    rows = _districts(packaged)
    rows[4][1] = "新しい校区"
    rows.append(["47", "校区05", "02", "日常生活圏域02"])
    problem = _only(_apply(packaged, ("校区.csv", DISTRICT_HEADER, rows)))
    assert (problem.row, problem.column) == (48, "校区コード")
    assert "付け替えはできません" in problem.reason


def test_a_removed_area_code_is_refused(packaged: Snapshot) -> None:
    # Every 校区 of area 11 moved to area 10: area 11 disappears.
    rows = [[*r[:2], "10", "日常生活圏域10"] if r[2] == "11" else r for r in _districts(packaged)]
    problems = _apply(packaged, ("校区.csv", DISTRICT_HEADER, rows)).problems
    assert [p.reason for p in problems if p.column == "日常生活圏域コード"] == [
        "現行の日常生活圏域コード 11（日常生活圏域11）がありません。コードは削除できません"
    ]


@pytest.mark.parametrize(
    ("edit", "row", "column", "reason"),
    [
        (
            lambda rows: rows[1].__setitem__(3, "別名"),
            3,
            "日常生活圏域名",
            "2行目の「日常生活圏域01」と違います",
        ),
        (lambda rows: rows[1].__setitem__(0, "01"), 3, "校区コード", "2行目と重複"),
        (lambda rows: rows[1].__setitem__(1, "校区01"), 3, "校区名", "校区コード 01 と重複"),
        (
            lambda rows: rows[1].__setitem__(2, "x"),
            3,
            "日常生活圏域コード",
            "2桁の数字のコードではありません",
        ),
    ],
)
def test_district_rows_are_refused_with_row_column_and_reason(
    packaged: Snapshot, edit: object, row: int, column: str, reason: str
) -> None:
    rows = _districts(packaged)
    assert callable(edit)
    edit(rows)
    problems = _apply(packaged, ("校区.csv", DISTRICT_HEADER, rows)).problems
    assert any(p.row == row and p.column == column and reason in p.reason for p in problems), [
        str(p) for p in problems
    ]


def test_a_new_area_without_centres_is_refused_on_its_district_row(packaged: Snapshot) -> None:
    rows = [*_districts(packaged), ["47", "新校区", "12", "日常生活圏域12"]]
    problems = _apply(packaged, ("校区.csv", DISTRICT_HEADER, rows)).problems
    assert {(p.source, p.row, p.column) for p in problems} == {
        ("校区.csv", 48, "日常生活圏域コード")
    }
    assert [p.reason for p in problems] == [
        "日常生活圏域 12（日常生活圏域12）の地域包括支援センターはちょうど1か所でなければ"
        "なりません: 担当がありません",
        "日常生活圏域 12（日常生活圏域12）の障害者基幹相談支援センターはちょうど1か所でなければ"
        "なりません: 担当がありません",
    ]


def test_a_new_area_needs_a_houkatsu_centre_which_the_import_cannot_add(
    packaged: Snapshot,
) -> None:
    # Each 包括 covers one 圏域: a 12th 圏域 needs a 12th 包括 id, which comes with a release.
    districts = [*_districts(packaged), ["47", "新校区", "12", "日常生活圏域12"]]
    centres = [*_centres(packaged), ["kikan-04", "12"], ["houkatsu-11", "12"]]
    result = _apply(
        packaged,
        ("校区.csv", DISTRICT_HEADER, districts),
        ("担当圏域.csv", CENTRE_HEADER, centres),
    )
    assert [str(p) for p in result.problems] == [
        "担当圏域.csv 12行目 「機関ID」列: 地域包括支援センター（第11）（houkatsu-11）が"
        "担当できる日常生活圏域は1つです（2つあります）"
    ]


def test_kikan_areas_change_and_show_in_the_diff(packaged: Snapshot) -> None:
    centres = [r for r in _centres(packaged) if r != ["kikan-01", "03"]] + [["kikan-02", "03"]]
    result = _apply(packaged, ("担当圏域.csv", CENTRE_HEADER, centres))
    assert result.problems == []
    assert diff(packaged, result.snapshot) == [
        "担当圏域 kikan-01: 01, 02, 03 → 01, 02",
        "担当圏域 kikan-02: 04, 05, 06 → 03, 04, 05, 06",
    ]
    assert result.snapshot[CENTRE_AREAS_FILE]["source"] == "kasane reference import: 担当圏域.csv"


@pytest.mark.parametrize(
    ("edit", "row", "column", "reason"),
    [
        # An area covered by two 基幹 centres (the second row names it).
        (
            lambda c: c.append(["kikan-02", "01"]),
            24,
            "日常生活圏域コード",
            "2か所（kikan-01, kikan-02）",
        ),
        # An area no 基幹 centre covers.
        (
            lambda c: c.remove(["kikan-04", "11"]),
            None,
            "日常生活圏域コード",
            "障害者基幹相談支援センターはちょうど1か所",
        ),
        # A 基幹 area that is not a 圏域.
        (
            lambda c: c.append(["kikan-04", "12"]),
            24,
            "日常生活圏域コード",
            "12 は日常生活圏域（校区の表）にありません",
        ),
        # An agency that covers no area.
        (lambda c: c.append(["shakyo", "01"]), 24, "機関ID", "圏域を担当する機関（"),
        (lambda c: c.append(["nowhere", "01"]), 24, "機関ID", "未登録の機関ID「nowhere」"),
        (lambda c: c.append(["kikan-01", "01"]), 24, "日常生活圏域コード", "13行目と重複"),
    ],
)
def test_centre_area_rows_are_refused(
    packaged: Snapshot, edit: object, row: int | None, column: str, reason: str
) -> None:
    centres = _centres(packaged)
    assert callable(edit)
    edit(centres)
    problems = _apply(packaged, ("担当圏域.csv", CENTRE_HEADER, centres)).problems
    assert any(
        p.source == "担当圏域.csv" and p.row == row and p.column == column and reason in p.reason
        for p in problems
    ), [str(p) for p in problems]


def test_a_centre_left_out_of_the_table_is_refused(packaged: Snapshot) -> None:
    centres = [r for r in _centres(packaged) if r[0] != "kikan-04"]
    centres += [["kikan-03", "10"], ["kikan-03", "11"]]
    problem = _only(_apply(packaged, ("担当圏域.csv", CENTRE_HEADER, centres)))
    assert (problem.row, problem.column) == (None, "機関ID")
    assert "障害者基幹相談支援センター（第4）（kikan-04）の担当圏域がありません" == problem.reason
