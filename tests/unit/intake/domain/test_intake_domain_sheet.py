"""The printable intake sheet renders escaped Japanese content with reported items marked."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from intake.domain.models import Case, Consultation, Member
from intake.domain.sheet import render_sheet

CASE = Case(
    id=uuid.uuid4(),
    status="open",
    opened_on=date(2025, 6, 10),
    closed_on=None,
    issue_codes=["poverty", "debt"],
    between_systems=True,
    school_district_code="05",
    household_id=None,
    primary_person_id=None,
    lead_agency_id="jiritsu",
    close_reason=None,
)
ME = Member(
    id=uuid.uuid4(),
    relationship="self",
    care_role=None,
    name="久留米 <b>一郎</b>",
    kana="くるめ",
    birth_date=date(1973, 1, 20),
    sex="male",
    address="久留米市",
    phone="0942",
    school_district_code="05",
    registered_by_agency="jiritsu",
)
CONSULTATION = Consultation(
    id=uuid.uuid4(),
    agency_id="jiritsu",
    received_at=datetime(2025, 6, 10, 1, tzinfo=UTC),
    channel="phone",
    consulted_by="self",
    issue_codes=["poverty", "debt"],
    urgency="high",
    narrative="家賃を滞納",
    outcome="connected",
    is_complex=False,
    between_systems=True,
    between_systems_reason="制度外の困りごと",
)


def test_sheet_lists_the_form_items_and_escapes_content() -> None:
    html = render_sheet(CASE, [ME], [CONSULTATION], [], [], date(2025, 7, 1))
    assert "生活自立支援センター" in html
    assert "電話" in html and "本人" in html and "高い" in html
    assert "生活困窮、債務" in html
    assert "該当：制度外の困りごと" in html
    assert "52歳" in html
    assert "<b>一郎</b>" not in html and "&lt;b&gt;一郎&lt;/b&gt;" in html
    assert "未取得（支援会議での共有は法第106条の6による）" in html
    # 受付日, 相談経路, 生年月日, 校区, 課題, 複合的な課題, 制度の狭間, 対応結果
    assert html.count('class="star"') == 8


def test_sheet_without_a_registered_person() -> None:
    html = render_sheet(CASE, [], [CONSULTATION], [], [], date(2025, 7, 1))
    assert "（未登録）" in html


def test_sheet_prints_wareki_dates_and_the_school_district_name() -> None:
    # 2025-06-10 01:00 UTC is 令和7年6月10日 in Japan; the birth date is 昭和48年1月20日.
    html = render_sheet(CASE, [ME], [CONSULTATION], [], [], date(2025, 7, 1))
    assert "令和7年6月10日" in html
    assert "昭和48年1月20日" in html
    assert "出力日 令和7年7月1日" in html
    assert "1973-01-20" not in html and "2025-06-10" not in html
    assert "<td>校区05</td>" in html


def test_sheet_prints_a_received_time_as_its_day_in_japan() -> None:
    late = replace(CONSULTATION, received_at=datetime(2025, 6, 9, 16, tzinfo=UTC))
    html = render_sheet(CASE, [ME], [late], [], [], date(2025, 7, 1))
    assert "相談内容（令和7年6月10日）" in html
