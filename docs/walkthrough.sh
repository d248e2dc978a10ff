#!/usr/bin/env bash
# One household's story across the seven services, as a city engineer would type it.
# Needs a running stack (`make up`, or `make up DEMO=0`), curl and jq. Every step prints
# the answer that matters and stops with a message if it is not the expected one.
#   bash docs/walkthrough.sh
set -euo pipefail
cd "$(dirname "$0")/.."

K=.venv/bin/kasane
TODAY=$(TZ=Asia/Tokyo date +%F)           # dates are Japanese calendar dates
NOW=$(TZ=Asia/Tokyo date -d '-1 min' +%FT%T+09:00)

# Staff sign in at the embedded Keycloak as the realm's demo accounts (README, development
# only). Auditors must set up two-factor (OTP) in the browser first, which a script cannot,
# so the auditor's token is minted with the development key instead.
signin() { $K token --user "$1" --password "${KASANE_DEMO_PASSWORD:-Kasane-demo-2025}"; }
SHAKYO=$(signin shakyo-coordinator)        # 社協（多機関協働・アウトリーチ・地域づくり）
HOUKATSU=$(signin houkatsu03-counselor)    # 地域包括支援センター（第3圏域）
KIKAN=$(signin kikan01-counselor)          # 障害者基幹相談支援センター
ASO=$(signin aso-coordinator)              # 参加支援事業者
STRANGER=$(signin kodomo-counselor)        # an agency with no part in this case
CITY=$(signin city-official)               # 地域福祉課
AUDITOR=$($K token --agency city-chiiki-fukushi --role auditor)

# call METHOD :PORT/PATH TOKEN [JSON]: prints the body; fails on HTTP >= 400.
call() {
  local method=$1 url=http://127.0.0.1$2 tok=$3 body=${4:-}
  if [ -n "$body" ]; then
    curl -sf -X "$method" "$url" -H "Authorization: Bearer $tok" \
      -H 'content-type: application/json' -d "$body"
  else
    curl -sf -X "$method" "$url" -H "Authorization: Bearer $tok"
  fi
}
status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1$1" -H "Authorization: Bearer $2"; }
expect() { # expect LABEL ACTUAL WANTED
  if [ "$2" = "$3" ]; then echo "  ✓ $1: $2"; else echo "  ✗ $1: got $2, expected $3" >&2; exit 1; fi
}
# retry N seconds until the command prints WANTED (events travel asynchronously)
until_is() {
  local wanted=$1; shift
  for _ in $(seq 1 60); do [ "$("$@" 2>/dev/null || true)" = "$wanted" ] && return 0; sleep 0.5; done
  echo "  ✗ timed out waiting for $wanted from: $*" >&2; exit 1
}

echo "1. 見守りネットワーク: a shop reports newspapers piling up (community)"
CONCERN=$(call POST :8104/concerns "$SHAKYO" '{"school_district_code":"12","reporter_type":"business",
  "urgency":"urgent","issue_codes":["elderly_care","isolation"],"noticed":"新聞がたまっている",
  "location":"○○町3丁目の角の家"}' | jq -r .concern_id)
queue_has() { call GET :8101/queue "$HOUKATSU" | jq -r --arg c "$CONCERN" '[.items[].concern_id] | index($c) != null'; }
until_is true queue_has
expect "in houkatsu-03's queue" "$(queue_has)" true

echo "2. 相談受付 at the 地域包括支援センター: mother 81, son 52, one household (intake)"
MOTHER=$(call POST :8101/persons "$HOUKATSU" '{"name":"久留米 トメ","kana":"くるめ とめ",
  "birth_date":"1944-04-02","sex":"female","school_district_code":"12"}' | jq -r .person_id)
SON=$(call POST :8101/persons "$HOUKATSU" '{"name":"久留米 一郎","kana":"クルメ イチロウ",
  "birth_date":"1973-09-15","sex":"male","school_district_code":"12"}' | jq -r .person_id)
HOUSEHOLD=$(call POST :8101/households "$HOUKATSU" "{\"members\":[
  {\"person_id\":\"$SON\",\"relationship\":\"self\",\"care_role\":\"cared_for\"},
  {\"person_id\":\"$MOTHER\",\"relationship\":\"parent\",\"care_role\":\"carer\"}]}" | jq -r .household_id)
expect "household situations" "$(call GET :8101/households/$HOUSEHOLD "$HOUKATSU" | jq -c .situations)" '["8050"]'
CASE=$(call POST :8101/consultations "$HOUKATSU" "{\"received_at\":\"$NOW\",
  \"issue_codes\":[\"elderly_care\",\"hikikomori\",\"8050\"],\"age_band\":\"50-59\",
  \"school_district_code\":\"12\",\"channel\":\"watch_network\",\"consulted_by\":\"resident\",
  \"household_id\":\"$HOUSEHOLD\",\"person_id\":\"$SON\",\"concern_id\":\"$CONCERN\",
  \"narrative\":\"母の介護を担う息子が長く外出していない\"}" | jq -r .case_id)
expect "a stranger agency sees the case" "$(status :8101/cases/$CASE "$STRANGER")" 404

echo "3. 支援会議 (法106条の6): shared without consent among the members 社協 admits (meetings)"
SUPPORT=$(call POST :8106/meetings "$SHAKYO" "{\"type\":\"support_meeting\",\"date\":\"$TODAY\"}" | jq -r .meeting_id)
# kikan-01's 守秘義務 pledge for the fiscal year (409 if the demo recorded it already) ...
call POST :8106/pledges "$SHAKYO" '{"agency_id":"kikan-01"}' > /dev/null || true
# ... and 社協's decision that kikan-01 takes part in this meeting.
call POST :8106/meetings/$SUPPORT/admissions "$SHAKYO" '{"agency_ids":["kikan-01"]}' > /dev/null
ITEM=$(call POST :8106/meetings/$SUPPORT/agenda "$SHAKYO" "{\"case_id\":\"$CASE\",\"kind\":\"information_sharing\"}")
expect "legal basis" "$(echo "$ITEM" | jq -r .legal_basis)" support_meeting
call POST :8106/meetings/$SUPPORT/decisions "$SHAKYO" \
  "{\"agenda_item_id\":\"$(echo "$ITEM" | jq -r .agenda_item_id)\",\"outcome\":\"share\"}" > /dev/null
until_is 200 status :8101/cases/$CASE "$KIKAN"
expect "kikan-01 reads the case" "$(call GET :8101/cases/$CASE "$KIKAN" | jq -r .access.basis)" support_meeting

echo "4. 本人同意 and つなぎ to the 障害者基幹相談支援センター (intake, referral)"
CONSENT=$(call POST :8101/cases/$CASE/consents "$HOUKATSU" "{\"person_id\":\"$SON\",\"method\":\"written\",
  \"consented_on\":\"$TODAY\",\"scope\":{\"agencies\":[\"kikan-01\",\"shakyo\",\"aso\"],
  \"programs\":[\"multiagency\",\"outreach\",\"participation\"],\"meeting_types\":[\"multilayer_meeting\"]}}" | jq -r .consent_id)
refer() { call POST :8102/referrals "$HOUKATSU" "$1" | jq -r .referral_id; }
REFERRAL=""
for _ in $(seq 1 60); do  # referral learns the consent from intake's event
  REFERRAL=$(refer "{\"case_id\":\"$CASE\",\"to_agency\":\"kikan-01\",\"reason_codes\":[\"hikikomori\"]}" 2>/dev/null || true)
  [ -n "$REFERRAL" ] && break; sleep 0.5
done
call POST :8102/referrals/$REFERRAL/accept "$KIKAN" > /dev/null
expect "referral legal basis" "$(call GET :8102/referrals/$REFERRAL "$KIKAN" | jq -r .legal_basis)" consent

echo "5. 重層的支援会議: a 多機関協働 plan with roles is approved (meetings → intake)"
MULTI=$(call POST :8106/meetings "$SHAKYO" "{\"type\":\"multilayer_meeting\",\"date\":\"$TODAY\"}" | jq -r .meeting_id)
PLAN_BODY="{\"case_id\":\"$CASE\",\"household_wishes\":\"母の介護を続けながら息子が外に出られるように\",
  \"issues\":[{\"issue_code\":\"8050\"}],\"long_term_goal\":\"世帯が地域で安心して暮らす\",
  \"short_term_goals\":[\"息子が居場所に参加\"],\"review_on\":\"$(TZ=Asia/Tokyo date -d '+90 days' +%F)\",
  \"roles\":[{\"agency_id\":\"houkatsu-03\",\"role_code\":\"elderly_care\",\"lead\":true},
            {\"agency_id\":\"kikan-01\",\"role_code\":\"disability_support\"}]}"
PLAN=""
for _ in $(seq 1 60); do  # meetings learns the consent from intake's event
  PLAN=$(call POST :8106/plans "$SHAKYO" "$PLAN_BODY" 2>/dev/null || true); [ -n "$PLAN" ] && break; sleep 0.5
done
expect "queued on the meeting" "$(echo "$PLAN" | jq -r .queued_meeting_id)" "$MULTI"
call POST :8106/meetings/$MULTI/decisions "$SHAKYO" \
  "{\"agenda_item_id\":\"$(echo "$PLAN" | jq -r .agenda_item_id)\",\"outcome\":\"approve\"}" > /dev/null
until_is 200 status :8101/cases/$CASE/records "$KIKAN"
expect "kikan-01 works the case (支援経過記録)" "$(status :8101/cases/$CASE/records "$KIKAN")" 200
expect "a stranger still" "$(status :8101/cases/$CASE "$STRANGER")" 404

echo "6. The city's figures (indicators)"
FY=$(.venv/bin/python -c "from kasane.fiscal_year import fiscal_year_of; from kasane.clock import today_jst; print(fiscal_year_of(today_jst()))")
plans() { call GET ":8107/indicators?fiscal_year=$FY" "$CITY" | jq -r '.indicators[] | select(.id=="plans_multiagency") | .actual'; }
until_is 1 plans
echo "  プラン作成件数（多機関協働）FY$FY: $(plans)  — open http://127.0.0.1:8107/dashboard?fiscal_year=$FY"

echo "7. 開示請求: who touched the son's data (intake)"
call GET :8101/persons/$SON/access-log "$AUDITOR" | jq -r '.items[] | "  \(.at[0:19]) \(.actor_agency) \(.action) \(.outcome) (\(.legal_basis // "-"))"'
echo "done: case $CASE"
