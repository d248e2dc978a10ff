"""The rules of ``kasane reference import``: the city's tables → the next reference version (pure).

See docs/architecture/reference-data.md. The command line reads the files (CSV in UTF-8, with
or without BOM, or Shift_JIS/cp932; xlsx) into :class:`Table` rows; everything here is pure:
which kind a table is (by its Japanese header row), the checks, the merged JSON and the diff.

Four kinds, told apart by their headers:

* 機関 (``機関ID, 名称[, 連絡先][, 備考]``) — names and contacts of agencies that already exist.
  Ids are not created here: an id is carried by tokens, events and access rules, and its kind,
  roles and services come with a release. Agencies not listed keep their current values.
* 校区 (``校区コード, 校区名, 日常生活圏域コード, 日常生活圏域名[, 備考]``) — the whole list.
  Codes are never removed or renumbered (events carry them); names may change, codes may be added.
* 担当圏域 (``機関ID, 日常生活圏域コード[, 備考]``) — one row per centre and 圏域 it covers; the
  whole table. Every 圏域 is covered by exactly one 地域包括支援センター and one 障害者基幹相談
  支援センター.
* 連携機関 (``連携機関ID, 名称, 種別, 運営形態, 電話番号, 所在地, ケース情報の保持, 活動中
  [, 備考]``) — the whole table. Unlike agencies, new ids may be added (the point: the city adds a
  partner without a release); an id in force is never removed (a partner that stops is
  活動中=いいえ, so old referrals still name it) and never the id of an agency.
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
from kasane.reference.enumerations import labels
from kasane.reference.partners import (
    ADDRESS_MAX_LENGTH,
    PARTNER_ID_PATTERN,
    PHONE_PATTERN,
    PartnerTable,
)

AGENCIES_FILE = "agencies.json"
DISTRICTS_FILE = "school_districts.json"
CENTRE_AREAS_FILE = "centre_areas.json"
PARTNERS_FILE = "partners.json"
# The files an import writes (a version holds all of them, so it is complete on its own).
MANAGED_FILES = (AGENCIES_FILE, DISTRICTS_FILE, CENTRE_AREAS_FILE, PARTNERS_FILE)

Snapshot = dict[str, Any]  # file name -> decoded JSON of that file
Kind = Literal["agencies", "districts", "centre_areas", "partners"]

COL_AGENCY_ID = "機関ID"
COL_NAME = "名称"
COL_CONTACT = "連絡先"
COL_DISTRICT_CODE = "校区コード"
COL_DISTRICT_NAME = "校区名"
COL_AREA_CODE = "日常生活圏域コード"
COL_AREA_NAME = "日常生活圏域名"
COL_PARTNER_ID = "連携機関ID"
COL_PARTNER_KIND = "種別"
COL_OPERATION = "運営形態"
COL_PHONE = "電話番号"
COL_ADDRESS = "所在地"
COL_CASE_ACCESS = "ケース情報の保持"
COL_ACTIVE = "活動中"
COL_NOTE = "備考"  # a free column for the office's own remarks; never read

HEADERS: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required columns, optional columns)
    "agencies": ((COL_AGENCY_ID, COL_NAME), (COL_CONTACT, COL_NOTE)),
    "districts": (
        (COL_DISTRICT_CODE, COL_DISTRICT_NAME, COL_AREA_CODE, COL_AREA_NAME),
        (COL_NOTE,),
    ),
    "centre_areas": ((COL_AGENCY_ID, COL_AREA_CODE), (COL_NOTE,)),
    "partners": (
        (
            COL_PARTNER_ID,
            COL_NAME,
            COL_PARTNER_KIND,
            COL_OPERATION,
            COL_PHONE,
            COL_ADDRESS,
            COL_CASE_ACCESS,
            COL_ACTIVE,
        ),
        (COL_NOTE,),
    ),
}
KIND_LABELS: dict[Kind, str] = {
    "agencies": "機関",
    "districts": "校区",
    "centre_areas": "担当圏域",
    "partners": "連携機関",
}
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
    if COL_PARTNER_ID in columns:
        return "partners"
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


_YES_NO = {"はい": True, "いいえ": False}


def _choice(
    rows: _Rows,
    line: int,
    values: dict[str, str],
    column: str,
    choices: dict[str, str],
    problems: list[Problem],
) -> str | None:
    """A code of a code list, typed as its Japanese label or as the code itself."""
    raw = values.get(column, "")
    if not raw:
        problems.append(Problem(rows.table.source, line, column, "空欄です"))
        return None
    typed = unicodedata.normalize("NFKC", raw)
    for code, label in choices.items():
        if typed in (code, unicodedata.normalize("NFKC", label)):
            return code
    reason = f"「{raw}」は選べません（{' / '.join(choices.values())}）"
    problems.append(Problem(rows.table.source, line, column, reason))
    return None


def _yes_no(
    rows: _Rows, line: int, values: dict[str, str], column: str, problems: list[Problem]
) -> bool | None:
    typed = unicodedata.normalize("NFKC", values.get(column, "")).strip()
    if typed in _YES_NO:
        return _YES_NO[typed]
    reason = f"「はい」か「いいえ」で入力してください（「{values.get(column, '')}」）"
    problems.append(Problem(rows.table.source, line, column, reason))
    return None


def _partner_id(
    rows: _Rows, line: int, values: dict[str, str], agency_ids: set[str], problems: list[Problem]
) -> str | None:
    source = rows.table.source
    partner_id = values.get(COL_PARTNER_ID, "")
    if not partner_id:
        problems.append(Problem(source, line, COL_PARTNER_ID, "空欄です"))
        return None
    if not re.fullmatch(PARTNER_ID_PATTERN, partner_id):
        reason = (
            f"「{partner_id}」は連携機関IDの形ではありません（半角の英小文字・数字・ハイフン、"
            "2〜63文字、先頭は英小文字か数字。例: hellowork-kurume）"
        )
        problems.append(Problem(source, line, COL_PARTNER_ID, reason))
        return None
    if partner_id in agency_ids:
        # One id space for tokens, referrals and meeting members: a partner named like an
        # agency would inherit that agency's access.
        reason = f"「{partner_id}」は機関のIDです。連携機関には別のIDを付けてください"
        problems.append(Problem(source, line, COL_PARTNER_ID, reason))
        return None
    return partner_id


def _contact(
    rows: _Rows, line: int, values: dict[str, str], problems: list[Problem]
) -> dict[str, str] | None:
    """The organisation's own phone and address (never a person's: the office's rule)."""
    source = rows.table.source
    phone = unicodedata.normalize("NFKC", values.get(COL_PHONE, ""))  # ０９４２－… → 0942-…
    address = values.get(COL_ADDRESS, "")
    ok = True
    if not re.fullmatch(PHONE_PATTERN, phone):
        reason = (
            "空欄です"
            if not phone
            else f"「{values.get(COL_PHONE)}」は電話番号の形ではありません（例: 0942-00-0001）"
        )
        problems.append(Problem(source, line, COL_PHONE, reason))
        ok = False
    if not address:
        problems.append(Problem(source, line, COL_ADDRESS, "空欄です"))
        ok = False
    elif _CONTROL.search(address) or len(address) > ADDRESS_MAX_LENGTH:
        reason = f"制御文字を含まない{ADDRESS_MAX_LENGTH}文字以内にしてください"
        problems.append(Problem(source, line, COL_ADDRESS, reason))
        ok = False
    return {"phone": phone, "address": address} if ok else None


def _partner_row(
    rows: _Rows, line: int, values: dict[str, str], agency_ids: set[str], problems: list[Problem]
) -> dict[str, Any] | None:
    """One row as a ``partners.json`` entry, or None (its problems recorded)."""
    fields: dict[str, Any] = {
        "id": _partner_id(rows, line, values, agency_ids, problems),
        "name_ja": _text(rows, line, values, COL_NAME, problems),
        "kind": _choice(rows, line, values, COL_PARTNER_KIND, labels("partner_kinds"), problems),
        "operation": _choice(
            rows, line, values, COL_OPERATION, labels("partner_operations"), problems
        ),
        "contact": _contact(rows, line, values, problems),
        "may_hold_case_access": _yes_no(rows, line, values, COL_CASE_ACCESS, problems),
        "active": _yes_no(rows, line, values, COL_ACTIVE, problems),
    }
    return fields if all(v is not None for v in fields.values()) else None


def _name_clash(
    source: str, line: int, name: str, names: dict[str, int], agency_names: dict[str, str]
) -> list[Problem]:
    """A partner's name is printed on packs and referrals: it must tell one party apart."""
    if not name:
        return []
    if name in names:
        reason = f"名称「{name}」が{names[name]}行目と重複しています"
        return [Problem(source, line, COL_NAME, reason)]
    names[name] = line
    if name in agency_names:
        reason = f"名称「{name}」は機関 {agency_names[name]} の名称です"
        return [Problem(source, line, COL_NAME, reason)]
    return []


def _apply_partners(rows: _Rows, snapshot: Snapshot, problems: list[Problem]) -> None:
    """Replace the 連携機関 table: ids may be added, never removed; names unique."""
    source = rows.table.source
    before = {p["id"]: p for p in snapshot[PARTNERS_FILE]["partners"]}
    agency_ids = {a["id"] for a in snapshot[AGENCIES_FILE]["agencies"]}
    agency_names = {a["name_ja"]: a["id"] for a in snapshot[AGENCIES_FILE]["agencies"]}
    seen: dict[str, int] = {}  # id -> row
    names: dict[str, int] = {}  # name -> row
    partners: list[dict[str, Any]] = []
    for line, values in rows.rows:
        partner = _partner_row(rows, line, values, agency_ids, problems)
        partner_id, name = values.get(COL_PARTNER_ID, ""), values.get(COL_NAME, "")
        if partner_id and partner_id in seen:
            reason = f"{seen[partner_id]}行目と重複しています"
            problems.append(Problem(source, line, COL_PARTNER_ID, reason))
            continue
        if partner_id:
            seen[partner_id] = line
        problems.extend(_name_clash(source, line, name, names, agency_names))
        if partner is not None:
            # 備考 is never read; the packaged remark of a partner in force stays with it.
            note = before.get(partner_id, {}).get("note")
            partners.append({**partner, **({"note": note} if note is not None else {})})
    for partner_id, partner in before.items():
        if partner_id not in seen:
            # Ids are carried by tokens, referrals and meeting members: old records must
            # still name the partner, so it stays listed, inactive.
            reason = (
                f"現行の連携機関ID {partner_id}（{partner['name_ja']}）がありません。"
                "活動を終えた連携機関は削除せず「活動中」を「いいえ」にしてください"
            )
            problems.append(Problem(source, None, COL_PARTNER_ID, reason))
    table = {
        "source": f"kasane reference import: {source}",
        "note": (
            "市が取り込んだ一覧。id は再利用しない（活動終了は active: false）。"
            "連絡先は団体の代表番号・所在地で、個人の連絡先は載せない。"
        ),
        "partners": partners,
    }
    if not problems:
        try:  # the loader's own rules, so a version the import writes is one services load
            PartnerTable.model_validate(table)
        except ValueError as exc:
            problems.append(Problem(source, None, None, f"連携機関の表が不正です: {exc}"))
    snapshot[PARTNERS_FILE] = table


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
    # Partners after agencies too: their ids and names are checked against the agencies'.
    order: dict[Kind, int] = {"agencies": 0, "districts": 1, "centre_areas": 2, "partners": 3}
    for rows in sorted(parsed, key=lambda r: order[r.kind]):
        if rows.kind == "agencies":
            _apply_agencies(rows, result.snapshot, result.problems)
        elif rows.kind == "districts":
            area_rows = _apply_districts(rows, result.snapshot, result.problems).area_rows
        elif rows.kind == "centre_areas":
            _apply_centre_areas(rows, result.snapshot, result.problems, pair_rows)
        else:
            _apply_partners(rows, result.snapshot, result.problems)
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


def _yes_no_text(value: object) -> str:
    return "はい" if value else "いいえ"


def _partner_fields(partner: dict[str, Any]) -> dict[str, str]:
    """A partner as the office reads it: labels, はい/いいえ, one contact line."""
    kinds, operations = labels("partner_kinds"), labels("partner_operations")
    contact = partner["contact"]
    return {
        COL_NAME: partner["name_ja"],
        COL_PARTNER_KIND: kinds.get(partner["kind"], partner["kind"]),
        COL_OPERATION: operations.get(partner["operation"], partner["operation"]),
        COL_PHONE: contact["phone"],
        COL_ADDRESS: contact["address"],
        COL_CASE_ACCESS: _yes_no_text(partner["may_hold_case_access"]),
        COL_ACTIVE: _yes_no_text(partner["active"]),
    }


def _partner_changes(old: Snapshot, new: Snapshot) -> list[str]:
    lines: list[str] = []
    before = {p["id"]: p for p in old[PARTNERS_FILE]["partners"]}
    for partner in new[PARTNERS_FILE]["partners"]:
        fields = _partner_fields(partner)
        previous = before.get(partner["id"])
        if previous is None:
            shown = "、".join(f"{k}: {v}" for k, v in fields.items() if k != COL_NAME)
            lines.append(f"連携機関 {partner['id']}: 追加「{partner['name_ja']}」（{shown}）")
            continue
        was = _partner_fields(previous)
        lines.extend(
            f"連携機関 {partner['id']}: {column}「{was[column]}」→「{value}」"
            for column, value in fields.items()
            if was[column] != value
        )
    return lines


def diff(old: Snapshot, new: Snapshot) -> list[str]:
    """What changes from ``old`` to ``new``, one Japanese line per change (pure)."""
    return [
        *_agency_changes(old, new),
        *_district_changes(old, new),
        *_centre_changes(old, new),
        *_partner_changes(old, new),
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
    partner_header = list(HEADERS["partners"][0])
    partners = [[COL_PARTNER_ID, *partner_header[1:], COL_NOTE]] + [
        [p["id"], *(_partner_fields(p)[column] for column in partner_header[1:]), ""]
        for p in snapshot[PARTNERS_FILE]["partners"]
    ]
    return {
        "agencies": agencies,
        "districts": districts,
        "centre_areas": centres,
        "partners": partners,
    }
