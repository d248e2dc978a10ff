"""The consent rule on the real stack: intake's consent events decide what a
重層的支援会議 may discuss; a 支援会議 takes a case without consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    admit,
    consent,
    fetchval,
    pledge,
    withdraw,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def _writes(meetings: RunningService) -> tuple[int, int]:
    return (
        await table_count(meetings.dsn, "agenda_items"),
        await table_count(meetings.dsn, "outbox"),
    )


async def test_without_consent_refused_at_multilayer_accepted_at_support_meeting(
    meetings: RunningService, auth: Auth, day: Day
) -> None:
    today = day()
    multilayer = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    support = await ad_hoc(meetings, auth, "support_meeting", today)
    case_id = uuid7()
    denials = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM access_audit WHERE subject_id = $1 AND outcome = 'denied'",
        str(case_id),
    )
    before = await _writes(meetings)

    refused = await add_item(meetings, auth, multilayer, case_id, "resource_gap")
    assert refused.status_code == 409, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "consent" and "同意" in error["reason"]
    assert await _writes(meetings) == before  # nothing partially written
    # ... but the refused attempt to share is on the access record.
    assert (
        await fetchval(
            meetings.dsn,
            "SELECT count(*) FROM access_audit WHERE subject_id = $1 AND outcome = 'denied'",
            str(case_id),
        )
        == denials + 1
    )

    accepted = await add_item(
        meetings, auth, support, case_id, "information_sharing", summary="近所から心配の声"
    )
    assert accepted.status_code == 201, accepted.text
    item = accepted.json()
    assert (item["legal_basis"], item["consent_id"], item["position"]) == (
        "support_meeting",
        None,
        1,
    )


async def test_with_consent_it_goes_on_the_multilayer_meeting(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    consent_id = await consent(settings, meetings, case_id, consented_on=today - timedelta(days=3))
    response = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    assert response.status_code == 201, response.text
    assert response.json()["legal_basis"] == "consent"
    assert response.json()["consent_id"] == str(consent_id)
    duplicate = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "case_id"


async def test_withdrawn_consent_is_refused(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    consent_id = await consent(settings, meetings, case_id, consented_on=today - timedelta(days=30))
    await withdraw(settings, meetings, consent_id, case_id, today - timedelta(days=1))
    response = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    assert response.status_code == 409
    assert "撤回" in response.json()["errors"][0]["reason"]


@pytest.mark.parametrize(
    ("scope", "expires_after_days", "why"),
    [
        (("support_meeting",), None, "範囲"),  # consent does not cover the 重層的支援会議
        (("multilayer_meeting",), -1, "期限"),  # expired before the meeting day
    ],
)
async def test_consent_out_of_scope_or_expired_is_refused(
    meetings: RunningService,
    auth: Auth,
    day: Day,
    settings: Settings,
    scope: tuple[str, ...],
    expires_after_days: int | None,
    why: str,
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    expires = today + timedelta(days=expires_after_days) if expires_after_days else None
    await consent(
        settings,
        meetings,
        case_id,
        consented_on=today - timedelta(days=60),
        meeting_types=scope,
        expires_on=expires,
    )
    response = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    assert response.status_code == 409
    assert why in response.json()["errors"][0]["reason"]


async def test_kind_must_fit_the_meeting_and_meeting_must_be_open(
    meetings: RunningService, auth: Auth, day: Day
) -> None:
    today = day()
    support = await ad_hoc(meetings, auth, "support_meeting", today)
    case_id = uuid7()
    wrong = await add_item(meetings, auth, support, case_id, "resource_gap")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "kind"
    unknown = await add_item(meetings, auth, support, case_id, "gossip")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "kind"
    held = await meetings.client.post(f"/meetings/{support}/held", headers=auth(*SHAKYO))
    assert held.status_code == 200, held.text
    before = await _writes(meetings)
    late = await add_item(meetings, auth, support, case_id, "urgent_case")
    assert late.status_code == 409 and late.json()["errors"][0]["field"] == "meeting_id"
    assert await _writes(meetings) == before
    missing = await add_item(meetings, auth, str(uuid7()), case_id, "urgent_case")
    assert missing.status_code == 404


async def test_who_may_put_a_case_on_the_agenda(
    meetings: RunningService, auth: Auth, misfit_auth: Auth, day: Day
) -> None:
    today = day()
    support = await ad_hoc(meetings, auth, "support_meeting", today)
    case_id = uuid7()
    # A member agency presents its own case, once 社協 admitted it and its 守秘義務 pledge
    # for the year is on record.
    not_admitted = await add_item(
        meetings, auth, support, case_id, "watch_policy", agency=("jiritsu", "counselor")
    )
    assert not_admitted.status_code == 403
    assert not_admitted.json()["errors"][0]["field"] == "agency"
    await pledge(meetings, auth, "jiritsu", today)
    await admit(meetings, auth, support, "jiritsu")
    ok = await add_item(
        meetings, auth, support, case_id, "watch_policy", agency=("jiritsu", "counselor")
    )
    assert ok.status_code == 201, ok.text
    # An agency that does not exist (every known agency is a default member): no token.
    stranger = await meetings.client.post(
        f"/meetings/{support}/agenda",
        json={"case_id": str(case_id), "kind": "urgent_case"},
        headers=misfit_auth("npo-kurume", "counselor"),
    )
    assert stranger.status_code == 401
    # City roles see aggregates only.
    city = await add_item(
        meetings, auth, support, case_id, "urgent_case", agency=("city-seikatsu2", "city_official")
    )
    assert city.status_code == 403
    # Presenting for another agency is for the coordinator only.
    other = await add_item(
        meetings,
        auth,
        support,
        uuid7(),
        "urgent_case",
        agency=("jiritsu", "counselor"),
        presenting_agency_id="kodomo",
    )
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "presenting_agency_id"
