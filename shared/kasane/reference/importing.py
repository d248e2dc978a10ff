"""The rules of ``kasane reference import``: the city's tables → the next reference version (pure).

See docs/architecture/reference-data.md. The command line reads the files (CSV in UTF-8, with
or without BOM, or Shift_JIS/cp932; xlsx) into :class:`Table` rows; everything here is pure:
which kind a table is (by its Japanese header row), the checks, the merged JSON and the diff.

Three kinds, told apart by their headers:

* 機関 (``機関ID, 名称[, 連絡先][, 備考]``) — names and contacts of agencies that already exist.
  Ids are not created here: an id is carried by tokens, events and access rules, and its kind,
  roles and services come with a release. Agencies not listed keep their current values.
* 校区 (``校区コード, 校区名, 日常生活圏域コード, 日常生活圏域名[, 備考]``) — the whole list.
  Codes are never removed or renumbered (events carry them); names may change, codes may be added.
* 担当圏域 (``機関ID, 日常生活圏域コード[, 備考]``) — one row per centre and 圏域 it covers; the
  whole table. Every 圏域 is covered by exactly one 地域包括支援センター and one 障害者基幹相談
  支援センター.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kasane.reference.agencies import AgencyTable
from kasane.reference.centre_areas import (
    CentreAreaTable,
    area_centre_domain,
    coverage_problems,
)

AGENCIES_FILE = "agencies.json"
DISTRICTS_FILE = "school_districts.json"
CENTRE_AREAS_FILE = "centre_areas.json"
# The files an import writes (a version holds all three, so it is complete on its own).
MANAGED_FILES = (AGENCIES_FILE, DISTRICTS_FILE, CENTRE_AREAS_FILE)

Snapshot = dict[str, Any]  # file name -> decoded JSON of that file
Kind = Literal["agencies", "districts", "centre_areas"]

COL_AGENCY_ID = "機関ID"
COL_NAME = "名称"
COL_CONTACT = "連絡先"
COL_DISTRICT_CODE = "校区コード"
COL_DISTRICT_NAME = "校区名"
COL_AREA_CODE = "日常生活圏域コード"
COL_AREA_NAME = "日常生活圏域名"
COL_NOTE = "備考"  # a free column for the office's own remarks; never read

HEADERS: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required columns, optional columns)
    "agencies": ((COL_AGENCY_ID, COL_NAME), (COL_CONTACT, COL_NOTE)),
    "districts": (
        (COL_DISTRICT_CODE, COL_DISTRICT_NAME, COL_AREA_CODE, COL_AREA_NAME),
        (COL_NOTE,),
    ),
    "centre_areas": ((COL_AGENCY_ID, COL_AREA_CODE), (COL_NOTE,)),
}
KIND_LABELS: dict[Kind, str] = {"agencies": "機関", "districts": "校区", "centre_areas": "担当圏域"}
MAX_NAME_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Table:
    """One sheet or CSV file: its header row and data rows as text, as read."""

    source: str  # file name (and [sheet] for xlsx) as the errors name it
    header: Sequence[str]
    rows: Sequence[Sequence[str]]  # the rows below the header; row n is line n + 2


@dataclass(frozen=True)
class Problem:
    source: str
    row: int | None  # spreadsheet row number (header = 1); None: the file as a whole
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.row}行目" if self.row is not None else "—"
        column = f"「{self.column}」列" if self.column is not None else "—"
        return f"{self.source} {where} {column}: {self.reason}"


@dataclass
class ImportResult:
    snapshot: Snapshot
    problems: list[Problem] = field(default_factory=list)
    kinds: dict[Kind, str] = field(default_factory=dict)  # kind -> source imported from


def clean(value: str) -> str:
    """A cell as typed, surrounding spaces (also 全角) removed; names keep their 全角 letters."""
    return value.strip()


def _header_name(value: str) -> str:
    # NFKC so a header typed as 機関ＩＤ (全角) is still 機関ID.
    return unicodedata.normalize("NFKC", value).strip()


def normalise_code(raw: str) -> str | None:
    """``"01"``, ``"1"`` (Excel drops the leading zero), ``"０１"`` → ``"01"``; else None."""
    value = unicodedata.normalize("NFKC", raw).strip()
    if re.fullmatch(r"[0-9]{1,2}", value) and value not in ("0", "00"):
        return value.zfill(2)
    return None


def kind_of(header: Sequence[str]) -> Kind | None:
    columns = {_header_name(h) for h in header if _header_name(h)}
    if COL_DISTRICT_CODE in columns:
        return "districts"
    if COL_AGENCY_ID in columns and COL_NAME in columns:
        return "agencies"
    if COL_AGENCY_ID in columns and COL_AREA_CODE in columns:
        return "centre_areas"
    return None


def _expected_headers() -> str:
    return " / ".join(f"{KIND_LABELS[k]}: {', '.join(req)}" for k, (req, _opt) in HEADERS.items())


@dataclass
class _Rows:
    """A table checked for its header: rows as dicts by column, with row numbers."""

    table: Table
    kind: Kind
    rows: list[tuple[int, dict[str, str]]]
    columns: set[str]


def _header_problems(source: str, header: Sequence[str], kind: Kind) -> list[Problem]:
    required, optional = HEADERS[kind]
    problems: list[Problem] = []
    names = [name for name in header if name]
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.append(Problem(source, 1, name, "見出しが重複しています"))
        elif name not in required and name not in optional:
            allowed = ", ".join((*required, *optional))
            reason = f"{KIND_LABELS[kind]}の表にない列です（使える列: {allowed}）"
            problems.append(Problem(source, 1, name, reason))
    problems.extend(
        Problem(source, 1, name, "必須の列がありません") for name in required if name not in names
    )
    return problems


def _read_header(table: Table, problems: list[Problem]) -> _Rows | None:
    header = [_header_name(h) for h in table.header]
    kind = kind_of(header)
    if kind is None:
        reason = f"見出し行から表の種類がわかりません。見出しは {_expected_headers()}"
        problems.append(Problem(table.source, 1, None, reason))
        return None
    found = _header_problems(table.source, header, kind)
    if found:
        problems.extend(found)
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    for index, raw in enumerate(table.rows):
        cells = [clean(c) for c in raw]
        if not any(cells):
            continue  # blank lines between blocks are common in office sheets
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        rows.append((index + 2, values))
    if not rows:
        problems.append(Problem(table.source, None, None, "データ行がありません"))
        return None
    return _Rows(table, kind, rows, {name for name in header if name})


def _text(
    rows: _Rows, line: int, values: dict[str, str], column: str, problems: list[Problem]
) -> str | None:
    value = values.get(column, "")
    if not value:
        problems.append(Problem(rows.table.source, line, column, "空欄です"))
        return None
    if _CONTROL.search(value):
        reason = "制御文字（改行など）は使えません"
        problems.append(Problem(rows.table.source, line, column, reason))
        return None
    if len(value) > MAX_NAME_LENGTH:
        problems.append(
            Problem(rows.table.source, line, column, f"{MAX_NAME_LENGTH}文字以内にしてください")
        )
        return None
    return value


def _code(
    rows: _Rows, line: int, values: dict[str, str], column: str, problems: list[Problem]
) -> str | None:
    raw = values.get(column, "")
    if not raw:
        problems.append(Problem(rows.table.source, line, column, "空欄です"))
        return None
    code = normalise_code(raw)
    if code is None:
        problems.append(
            Problem(rows.table.source, line, column, f"「{raw}」は2桁の数字のコードではありません")
        )
    return code


def _apply_agencies(rows: _Rows, snapshot: Snapshot, problems: list[Problem]) -> None:
    data = snapshot[AGENCIES_FILE]
    by_id = {a["id"]: a for a in data["agencies"]}
    seen: dict[str, int] = {}
    source = rows.table.source
    for line, values in rows.rows:
        agency_id = values.get(COL_AGENCY_ID, "")
        name = _text(rows, line, values, COL_NAME, problems)
        if not agency_id:
            problems.append(Problem(source, line, COL_AGENCY_ID, "空欄です"))
            continue
        if agency_id in seen:
            problems.append(
                Problem(source, line, COL_AGENCY_ID, f"{seen[agency_id]}行目と重複しています")
            )
            continue
        seen[agency_id] = line
        agency = by_id.get(agency_id)
        if agency is None:
            problems.append(
                Problem(
                    source,
                    line,
                    COL_AGENCY_ID,
                    f"未登録の機関ID「{agency_id}」です。取り込みで変えられるのは既存の機関の"
                    "名称・連絡先だけです（機関IDは権限・イベントに使われるため追加・変更できません）",
                )
            )
            continue
        if name is not None:
            agency["name_ja"] = name
            agency["name_is_placeholder"] = False
        if COL_CONTACT in rows.columns:
            contact = values.get(COL_CONTACT, "")
            if _CONTROL.search(contact) or len(contact) > MAX_NAME_LENGTH:
                problems.append(
                    Problem(
                        source,
                        line,
                        COL_CONTACT,
                        f"制御文字を含まない{MAX_NAME_LENGTH}文字以内にしてください",
                    )
                )
            else:
                agency["contact"] = contact or None
    names: dict[str, str] = {}
    for agency in data["agencies"]:
        other = names.get(agency["name_ja"])
        if other is not None:
            problems.append(
                Problem(
                    source,
                    seen.get(agency["id"]) or seen.get(other),
                    COL_NAME,
                    f"名称「{agency['name_ja']}」が {other} と {agency['id']} で重複しています",
                )
            )
        names[agency["name_ja"]] = agency["id"]


@dataclass
class _Districts:
    """The 校区 table being built from the rows, with where each code and name was seen."""

    source: str
    districts: list[dict[str, str]] = field(default_factory=list)
    areas: dict[str, str] = field(default_factory=dict)  # 圏域 code -> name
    district_rows: dict[str, int] = field(default_factory=dict)  # 校区 code -> row
    district_names: dict[str, str] = field(default_factory=dict)  # 校区 name -> code
    area_rows: dict[str, int] = field(default_factory=dict)  # 圏域 code -> first row
    area_names: dict[str, str] = field(default_factory=dict)  # 圏域 name -> code

    def district(self, line: int, code: str, name: str | None) -> list[Problem]:
        if code in self.district_rows:
            reason = f"校区コード {code} が{self.district_rows[code]}行目と重複しています"
            return [Problem(self.source, line, COL_DISTRICT_CODE, reason)]
        self.district_rows[code] = line
        if name is None:
            return []
        if name in self.district_names:
            other = self.district_names[name]
            reason = f"校区名「{name}」が校区コード {other} と重複しています"
            return [Problem(self.source, line, COL_DISTRICT_NAME, reason)]
        self.district_names[name] = code
        return []

    def area(self, line: int, code: str, name: str) -> list[Problem]:
        known = self.areas.get(code)
        if known is not None:
            if known == name:
                return []
            reason = (
                f"日常生活圏域 {code} の名称が{self.area_rows[code]}行目の「{known}」と違います"
            )
            return [Problem(self.source, line, COL_AREA_NAME, reason)]
        self.areas[code] = name
        self.area_rows[code] = line
        if name in self.area_names:
            reason = (
                f"日常生活圏域名「{name}」が圏域コード {self.area_names[name]} と重複しています"
            )
            return [Problem(self.source, line, COL_AREA_NAME, reason)]
        self.area_names[name] = code
        return []

    def kept_codes(self, old: dict[str, Any]) -> list[Problem]:
        """Codes are carried by events and stored in every service: never removed or moved."""
        problems: list[Problem] = []
        for district in old["school_districts"]:
            code, name = district["code"], district["name_ja"]
            if code not in self.district_rows:
                reason = (
                    f"現行の校区コード {code}（{name}）がありません。"
                    "イベントが持つコードは削除できません"
                )
                problems.append(Problem(self.source, None, COL_DISTRICT_CODE, reason))
            moved = self.district_names.get(name)
            if moved is not None and moved != code:
                reason = (
                    f"校区「{name}」は現行ではコード {code} です。コード {moved} への"
                    "付け替えはできません（イベントが持つコードは変えられません）"
                )
                line = self.district_rows.get(moved)
                problems.append(Problem(self.source, line, COL_DISTRICT_CODE, reason))
        for area in old["daily_life_areas"]:
            if area["code"] not in self.areas:
                reason = (
                    f"現行の日常生活圏域コード {area['code']}（{area['name_ja']}）がありません。"
                    "コードは削除できません"
                )
                problems.append(Problem(self.source, None, COL_AREA_CODE, reason))
        return problems

    def table(self) -> dict[str, Any]:
        return {
            "sample": False,
            "source": f"kasane reference import: {self.source}",
            "daily_life_areas": [
                {"code": code, "name_ja": name} for code, name in sorted(self.areas.items())
            ],
            "school_districts": sorted(self.districts, key=lambda d: d["code"]),
        }


def _apply_districts(rows: _Rows, snapshot: Snapshot, problems: list[Problem]) -> _Districts:
    """Replace the 校区 table (the whole list: codes are checked against the current one)."""
    built = _Districts(rows.table.source)
    for line, values in rows.rows:
        code = _code(rows, line, values, COL_DISTRICT_CODE, problems)
        name = _text(rows, line, values, COL_DISTRICT_NAME, problems)
        area_code: str | None = None
        if not values.get(COL_AREA_CODE):
            reason = "校区がどの日常生活圏域にも属していません"
            problems.append(Problem(built.source, line, COL_AREA_CODE, reason))
        else:
            area_code = _code(rows, line, values, COL_AREA_CODE, problems)
        area_name = _text(rows, line, values, COL_AREA_NAME, problems)
        if code is not None:
            problems.extend(built.district(line, code, name))
        if area_code is not None and area_name is not None:
            problems.extend(built.area(line, area_code, area_name))
        if code is not None and name is not None and area_code is not None:
            built.districts.append({"code": code, "name_ja": name, "daily_life_area": area_code})
    problems.extend(built.kept_codes(snapshot[DISTRICTS_FILE]))
    snapshot[DISTRICTS_FILE] = built.table()
    return built


def _apply_centre_areas(
    rows: _Rows, snapshot: Snapshot, problems: list[Problem], pair_rows: dict[str, int]
) -> None:
    """Replace the 担当圏域 table; ``pair_rows`` receives the row of each centre and pair."""
    source = rows.table.source
    by_id = {a.id: a for a in AgencyTable.model_validate(snapshot[AGENCIES_FILE]).agencies}
    centres: dict[str, list[str]] = {}
    for line, values in rows.rows:
        agency_id = values.get(COL_AGENCY_ID, "")
        area = _code(rows, line, values, COL_AREA_CODE, problems)
        agency = by_id.get(agency_id)
        if agency is None or area_centre_domain(agency) is None:
            reason = (
                (f"未登録の機関ID「{agency_id}」です" if agency_id else "空欄です")
                if agency is None
                else f"{agency.name_ja}は圏域を担当する機関（地域包括支援センター・"
                "障害者基幹相談支援センター）ではありません"
            )
            problems.append(Problem(source, line, COL_AGENCY_ID, reason))
            continue
        if area is None:
            continue
        key = f"{agency_id}/{area}"
        if key in pair_rows:
            reason = f"{pair_rows[key]}行目と重複しています"
            problems.append(Problem(source, line, COL_AREA_CODE, reason))
            continue
        pair_rows[key] = line
        pair_rows.setdefault(agency_id, line)
        centres.setdefault(agency_id, []).append(area)
    snapshot[CENTRE_AREAS_FILE] = {
        "source": f"kasane reference import: {source}",
        "centres": [
            {"agency_id": agency_id, "daily_life_areas": sorted(areas)}
            for agency_id, areas in sorted(centres.items())
        ],
    }


def _check_coverage(
    result: ImportResult, area_rows: dict[str, int], pair_rows: dict[str, int]
) -> None:
    """Across tables (kasane.reference.centre_areas.coverage_problems), named by file and row:
    the 担当圏域 table when it was imported, else the 校区 row that added the 圏域."""
    snapshot = result.snapshot
    agencies = AgencyTable.model_validate(snapshot[AGENCIES_FILE]).agencies
    centres = CentreAreaTable.model_validate(snapshot[CENTRE_AREAS_FILE]).centres
    areas = {a["code"]: a["name_ja"] for a in snapshot[DISTRICTS_FILE]["daily_life_areas"]}
    centre_source = result.kinds.get("centre_areas")
    district_source = result.kinds.get("districts")
    for problem in coverage_problems(centres, agencies, areas):
        column = COL_AREA_CODE if problem.area is not None else COL_AGENCY_ID
        line: int | None = None
        if centre_source is not None:
            source = centre_source
            key = f"{problem.agency_id}/{problem.area}" if problem.area else problem.agency_id
            line = pair_rows.get(key or "")
        elif district_source is not None:
            source = district_source
            line = area_rows.get(problem.area or "")
        else:
            source = CENTRE_AREAS_FILE
        result.problems.append(Problem(source, line, column, problem.reason))


def apply_tables(current: Snapshot, tables: Sequence[Table]) -> ImportResult:
    """The next version from the one in force and the city's tables, with every problem."""
    result = ImportResult(copy.deepcopy({name: current[name] for name in MANAGED_FILES}))
    parsed: list[_Rows] = []
    for table in tables:
        rows = _read_header(table, result.problems)
        if rows is None:
            continue
        if rows.kind in result.kinds:
            result.problems.append(
                Problem(
                    table.source,
                    None,
                    None,
                    f"{KIND_LABELS[rows.kind]}の表が2つあります（{result.kinds[rows.kind]} と）",
                )
            )
            continue
        result.kinds[rows.kind] = table.source
        parsed.append(rows)
    area_rows: dict[str, int] = {}  # 圏域 code -> the 校区 row that names it first
    pair_rows: dict[str, int] = {}
    # Agencies first (the 担当圏域 rows are checked against them), then 校区, then 担当圏域.
    order: dict[Kind, int] = {"agencies": 0, "districts": 1, "centre_areas": 2}
    for rows in sorted(parsed, key=lambda r: order[r.kind]):
        if rows.kind == "agencies":
            _apply_agencies(rows, result.snapshot, result.problems)
        elif rows.kind == "districts":
            area_rows = _apply_districts(rows, result.snapshot, result.problems).area_rows
        else:
            _apply_centre_areas(rows, result.snapshot, result.problems, pair_rows)
    if not result.problems:
        _check_coverage(result, area_rows, pair_rows)
    return result


def _agency_changes(old: Snapshot, new: Snapshot) -> list[str]:
    lines: list[str] = []
    before = {a["id"]: a for a in old[AGENCIES_FILE]["agencies"]}
    for agency in new[AGENCIES_FILE]["agencies"]:
        previous = before.get(agency["id"], {})
        if previous.get("name_ja") != agency.get("name_ja"):
            lines.append(
                f"機関 {agency['id']}: 名称「{previous.get('name_ja')}」→「{agency['name_ja']}」"
            )
        if previous.get("contact") != agency.get("contact"):
            lines.append(
                f"機関 {agency['id']}: 連絡先「{previous.get('contact') or ''}」→"
                f"「{agency.get('contact') or ''}」"
            )
    return lines


def _district_changes(old: Snapshot, new: Snapshot) -> list[str]:
    lines: list[str] = []
    for key, label in (("daily_life_areas", "日常生活圏域"), ("school_districts", "校区")):
        before = {r["code"]: r for r in old[DISTRICTS_FILE][key]}
        for row in new[DISTRICTS_FILE][key]:
            code, name = row["code"], row["name_ja"]
            previous = before.get(code)
            if previous is None:
                lines.append(f"{label} {code}: 追加「{name}」")
                continue
            if previous["name_ja"] != name:
                lines.append(f"{label} {code}: 名称「{previous['name_ja']}」→「{name}」")
            if previous.get("daily_life_area") != row.get("daily_life_area"):
                lines.append(
                    f"{label} {code}: 日常生活圏域 {previous['daily_life_area']} → "
                    f"{row['daily_life_area']}"
                )
    return lines


def _centre_changes(old: Snapshot, new: Snapshot) -> list[str]:
    before = {c["agency_id"]: c["daily_life_areas"] for c in old[CENTRE_AREAS_FILE]["centres"]}
    return [
        f"担当圏域 {c['agency_id']}: {', '.join(before.get(c['agency_id']) or []) or 'なし'} → "
        f"{', '.join(c['daily_life_areas'])}"
        for c in new[CENTRE_AREAS_FILE]["centres"]
        if before.get(c["agency_id"]) != c["daily_life_areas"]
    ]


def diff(old: Snapshot, new: Snapshot) -> list[str]:
    """What changes from ``old`` to ``new``, one Japanese line per change (pure)."""
    return [
        *_agency_changes(old, new),
        *_district_changes(old, new),
        *_centre_changes(old, new),
    ]


def export_tables(snapshot: Snapshot) -> dict[Kind, list[list[str]]]:
    """The tables of a version in the import's own shape (header row first): the template
    the city edits, and the sample files in docs/reference-samples/ (pure)."""
    agencies = [[COL_AGENCY_ID, COL_NAME, COL_CONTACT, COL_NOTE]] + [
        [a["id"], a["name_ja"], a.get("contact") or "", ""]
        for a in snapshot[AGENCIES_FILE]["agencies"]
    ]
    area_names = {a["code"]: a["name_ja"] for a in snapshot[DISTRICTS_FILE]["daily_life_areas"]}
    districts = [[COL_DISTRICT_CODE, COL_DISTRICT_NAME, COL_AREA_CODE, COL_AREA_NAME]] + [
        [d["code"], d["name_ja"], d["daily_life_area"], area_names[d["daily_life_area"]]]
        for d in snapshot[DISTRICTS_FILE]["school_districts"]
    ]
    centres = [[COL_AGENCY_ID, COL_AREA_CODE]] + [
        [c["agency_id"], area]
        for c in snapshot[CENTRE_AREAS_FILE]["centres"]
        for area in c["daily_life_areas"]
    ]
    return {"agencies": agencies, "districts": districts, "centre_areas": centres}
