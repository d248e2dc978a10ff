"""The shared intake read model (:mod:`.base`) in each service that keeps it."""

from __future__ import annotations

import pytest

from tests.integration.intake_view.base import IntakeViewSuite

pytestmark = pytest.mark.integration

_CASE = (
    "INSERT INTO cases (case_id, lead_agency_id, opened_on) VALUES ($1, 'jiritsu', '2025-05-01')"
)


class TestReferralIntakeView(IntakeViewSuite):
    service = "referral"
    conversion = 3
    legacy_rows = (
        _CASE,
        "INSERT INTO consents (consent_id, case_id, scope_agencies, scope_programs,"
        " consented_on, expires_on) VALUES ($2, $1, '{jiritsu}', '{outreach}', '2025-05-01',"
        " '2025-06-30')",
    )


class TestMeetingsIntakeView(IntakeViewSuite):
    service = "meetings"
    conversion = 3
    legacy_rows = (
        _CASE,
        "INSERT INTO consents (consent_id, case_id, scope_agencies, scope_programs,"
        " scope_meeting_types, method, consented_on, expires_on) VALUES ($2, $1, '{jiritsu}',"
        " '{outreach}', '{}', 'written', '2025-05-01', '2025-06-30')",
    )
