"""The referral API's request bodies: targets, reason codes, decline and outcome codes."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import ValidationError

from referral.api.schemas import AcceptIn, CompleteIn, DeclineIn, ReferralIn


def body(**overrides: object) -> dict[str, object]:
    return {"case_id": str(uuid4()), "to_agency": "jiritsu", "reason_codes": ["poverty"]} | (
        overrides
    )


class TestRequestBody:
    def test_valid_agency_target(self) -> None:
        assert ReferralIn.model_validate(body()).to_agency == "jiritsu"

    def test_unknown_agency_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="unknown agency"):
            ReferralIn.model_validate(body(to_agency="nowhere"))

    def test_an_active_partner_is_a_target(self) -> None:
        # 連携機関 (kasane.reference.partners): ハローワーク and the like.
        assert ReferralIn.model_validate(body(to_agency="hellowork-kurume")).to_agency == (
            "hellowork-kurume"
        )

    def test_an_inactive_partner_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="no longer active"):
            ReferralIn.model_validate(body(to_agency="kyu-shuro-juku"))

    def test_both_targets_refused(self) -> None:
        with pytest.raises(ValidationError, match="exactly one"):
            ReferralIn.model_validate(body(to_program="participation"))

    def test_no_target_refused(self) -> None:
        with pytest.raises(ValidationError, match="exactly one"):
            ReferralIn.model_validate(body(to_agency=None))

    def test_unknown_program_refused(self) -> None:
        with pytest.raises(ValidationError):
            ReferralIn.model_validate(body(to_agency=None, to_program="karaoke"))

    def test_reason_codes_are_issue_codes(self) -> None:
        with pytest.raises(ValidationError, match="unknown reason"):
            ReferralIn.model_validate(body(reason_codes=["because"]))
        with pytest.raises(ValidationError, match="duplicate"):
            ReferralIn.model_validate(body(reason_codes=["debt", "debt"]))
        with pytest.raises(ValidationError):
            ReferralIn.model_validate(body(reason_codes=[]))

    def test_note_is_bounded(self) -> None:
        with pytest.raises(ValidationError):
            ReferralIn.model_validate(body(note="x" * 2001))

    def test_decline_and_outcome_codes(self) -> None:
        assert DeclineIn(reason_code="no_capacity").reason_code == "no_capacity"
        with pytest.raises(ValidationError):
            DeclineIn(reason_code="bored")
        assert CompleteIn(outcome_code="resolved").outcome_code == "resolved"
        with pytest.raises(ValidationError):
            CompleteIn(outcome_code="fine")


class TestOccurrenceDates:
    """requested_on / accepted_on: optional days (default today, checked in the use case)."""

    def test_requested_on_is_optional_and_reaches_the_request(self) -> None:
        assert ReferralIn.model_validate(body()).to_domain().requested_on is None
        dated = ReferralIn.model_validate(body(requested_on="2025-11-20")).to_domain()
        assert str(dated.requested_on) == "2025-11-20"

    def test_a_malformed_requested_on_names_the_field(self) -> None:
        with pytest.raises(ValidationError) as refused:
            ReferralIn.model_validate(body(requested_on="20.11.2025"))
        assert refused.value.errors()[0]["loc"] == ("requested_on",)

    def test_acceptance_body_takes_only_accepted_on(self) -> None:
        assert AcceptIn.model_validate({}).accepted_on is None
        assert str(AcceptIn.model_validate({"accepted_on": "2025-11-25"}).accepted_on) == (
            "2025-11-25"
        )
        with pytest.raises(ValidationError):
            AcceptIn.model_validate({"accepted_at": "2025-11-25T10:00:00+09:00"})
