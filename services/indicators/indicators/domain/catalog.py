"""The seed's (docs/seed/) 目標・評価指標 (第3) and the 市民意識調査 questions they come from.

Baselines are the seed's 現状 figures. Targets are data (table ``targets``, seeded by
migration 0003 with the R7 values and the standing plan targets), not constants here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from kasane.reference.survey_questions import survey_questions

Kind = Literal["count", "rate"]

# 市民意識調査: question id → what the respondent is asked (yes = 「そう思う」側の回答). One
# home, kasane.reference.survey_questions: the portal's entry form asks the same questions.
SURVEY_QUESTIONS: Final[dict[str, str]] = survey_questions()


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    name_ja: str
    kind: Kind  # count: 件数 per year; rate: % of respondents
    baseline: float | None
    baseline_fiscal_year: int | None
    source_ja: str
    program: str | None = None  # plan indicators
    question_id: str | None = None  # survey indicators

    @property
    def unit(self) -> str:
        return "件" if self.kind == "count" else "%"


INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "survey_mutual_support",
        "地域での支え合いや助け合いが充実していると感じる市民の割合",
        "rate",
        64.1,
        2019,
        "市民意識調査",
        question_id="mutual_support",
    ),
    IndicatorDef(
        "watch_visits",
        "地域での見守り訪問活動件数（ふれあいの会による訪問活動件数）",
        "count",
        226650,
        2018,
        "ふれあいの会 月次報告（最新の訂正版）",
    ),
    IndicatorDef(
        "jiritsu_new_consultations",
        "生活自立支援センターの新規相談受付件数",
        "count",
        1020,
        2018,
        "生活自立支援センターが受け付けた新規相談：ケースの同センターでの初回の相談"
        "（同センターで開始したケース、他機関からつながれ同センターが受け止めたケースとも）。"
        "同じケースの継続相談は数えない（国の新規相談受付件数と同じ数え方）。"
        "終結後に再開したケースの相談も継続相談として数えない",
    ),
    IndicatorDef(
        "survey_someone_to_ask",
        "助けを求めることができる人がいる市民の割合",
        "rate",
        81.3,
        2019,
        "市民意識調査",
        question_id="someone_to_ask",
    ),
    IndicatorDef(
        "survey_can_counsel",
        "困っている人の相談にのることができる市民の割合",
        "rate",
        23.7,
        2019,
        "市民意識調査",
        question_id="can_counsel",
    ),
    IndicatorDef(
        "plans_participation",
        "参加支援事業のプラン作成件数",
        "count",
        None,
        None,
        "重層的支援会議での承認",
        program="participation",
    ),
    IndicatorDef(
        "plans_outreach",
        "アウトリーチ等を通じた継続的支援事業のプラン作成件数",
        "count",
        None,
        None,
        "重層的支援会議での承認",
        program="outreach",
    ),
    IndicatorDef(
        "plans_multiagency",
        "多機関協働事業のプラン作成件数",
        "count",
        None,
        None,
        "重層的支援会議での承認",
        program="multiagency",
    ),
)

BY_ID: dict[str, IndicatorDef] = {i.id: i for i in INDICATORS}
