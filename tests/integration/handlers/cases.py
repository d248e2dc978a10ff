"""Each subscribing service's handler cases, written once (run by ``carriers.py``'s two
carriers in ``test_handlers_direct.py`` and ``test_handlers_broker.py``)."""

from __future__ import annotations

import abc
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar

import asyncpg
import pytest

from kasane.events.community import ResourcePublished
from kasane.events.envelope import Envelope
from kasane.events.intake import CaseOpened, ConsentWithdrawn, ConsultationReceived
from kasane.events.meetings import CaseDiscussed, PlanApproved
from kasane.events.referral import ReferralRequested, ReferralRevoked
from kasane.ids import uuid7
from tests.conftest import ServiceStarter
from tests.integration.handlers.base import HandlerSuite, envelope
from tests.integration.helpers import eventually


def case_discussed(case_id: uuid.UUID, *members: str) -> CaseDiscussed:
    today = datetime.now(UTC).date()
    return CaseDiscussed(
        meeting_id=uuid.uuid4(),
        agenda_item_id=uuid.uuid4(),
        case_id=case_id,
        meeting_type="support_meeting",
        kind="information_sharing",
        legal_basis="support_meeting",
        discussed_on=today - timedelta(days=1),
        decision_id=uuid.uuid4(),
        outcome="share",
        member_agency_ids=list(members),
        access_until=today + timedelta(days=30),
    )


def referral_requested(case_id: uuid.UUID, to_agency: str) -> ReferralRequested:
    return ReferralRequested(
        referral_id=uuid.uuid4(),
        case_id=case_id,
        from_agency_id="houkatsu-06",
        to_agency_id=to_agency,
        reason_codes=["elderly_care"],
        legal_basis="consent",
        consent_id=uuid.uuid4(),
        requested_at=datetime.now(UTC),
        requested_on=date.today(),
        due_on=date.today() + timedelta(days=14),
    )


class IntakeHandlerCases(HandlerSuite):
    """intake's access grants: meetings' decisions and referrals grant, revocations end."""

    service = "intake"
    expected_effect = 2  # the sample decision shares the case with two agencies

    def sample(self, group: uuid.UUID) -> Envelope:
        return envelope(case_discussed(group, "kikan-02", "shakyo"), "meetings")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM access_grants WHERE event_id = $1", env.event_id
        )

    async def grants(self, case_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.fetch(
            "SELECT agency_id, source, source_id, event_id, revoked_at, end_reason"
            " FROM access_grants WHERE case_id = $1 ORDER BY agency_id",
            case_id,
        )

    async def settled(
        self, case_id: uuid.UUID, accept: Callable[[list[asyncpg.Record]], bool]
    ) -> list[asyncpg.Record]:
        return await eventually(lambda: self.grants(case_id), accept)

    async def test_case_discussed_grants_each_member_for_the_meeting(self) -> None:
        case_id = uuid.uuid4()
        env = envelope(case_discussed(case_id, "kikan-02", "shakyo"), "meetings")
        await self.publish(env, case_id)
        rows = await self.settled(case_id, lambda rows: len(rows) == 2)
        assert [(r["agency_id"], r["source"], r["event_id"]) for r in rows] == [
            ("kikan-02", "meeting", env.event_id),
            ("shakyo", "meeting", env.event_id),
        ]

    async def test_referral_requested_grants_the_receiver(self) -> None:
        case_id = uuid.uuid4()
        contract = referral_requested(case_id, "kikan-02")
        await self.publish(envelope(contract, "referral"), case_id)
        rows = await self.settled(case_id, lambda rows: len(rows) == 1)
        assert (rows[0]["agency_id"], rows[0]["source"]) == ("kikan-02", "referral")
        assert rows[0]["source_id"] == contract.referral_id
        assert rows[0]["revoked_at"] is None

    async def test_referral_revoked_for_consent_withdrawn_ends_the_grant(self) -> None:
        case_id = uuid.uuid4()
        requested = referral_requested(case_id, "kikan-02")
        await self.publish(envelope(requested, "referral"), case_id)
        await self.settled(case_id, lambda rows: len(rows) == 1)
        revoked = ReferralRevoked(
            referral_id=requested.referral_id,
            case_id=case_id,
            revoked_at=datetime.now(UTC),
            reason_code="consent_withdrawn",
        )
        await self.publish(envelope(revoked, "referral"), case_id)
        rows = await self.settled(case_id, lambda rows: rows[0]["revoked_at"] is not None)
        assert rows[0]["end_reason"] == "referral_revoked"


class MeetingsHandlerCases(HandlerSuite):
    """meetings' consent read model: a withdrawal is recorded (the 重層的支援会議 rule)."""

    service = "meetings"

    def sample(self, group: uuid.UUID) -> Envelope:
        withdrawn = ConsentWithdrawn(
            consent_id=uuid.uuid4(), case_id=group, withdrawn_on=date.today()
        )
        return envelope(withdrawn, "intake")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM consents WHERE consent_id = $1 AND withdrawn_on = $2",
            uuid.UUID(env.payload["consent_id"]),
            date.fromisoformat(env.payload["withdrawn_on"]),
        )


class IndicatorsHandlerCases(HandlerSuite):
    """indicators' consultation facts. Its insert is not idempotent (the event_id is the key),
    so a duplicate reaching the handler would fail and be dead-lettered: only the inbox
    keeps the count right, which the duplicate case checks."""

    service = "indicators"

    def sample(self, group: uuid.UUID) -> Envelope:
        received = ConsultationReceived(
            consultation_id=uuid7(),
            agency_id="jiritsu",
            received_at=datetime.fromisoformat("2031-07-01T09:00:00+09:00"),
            channel="phone",
            issue_codes=["poverty"],
            age_band="40-49",
            school_district_code="02",
            is_complex=False,
        )
        return envelope(received, "intake")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM consultation_facts WHERE event_id = $1", env.event_id
        )


class ReferralHandlerCases(HandlerSuite):
    """referral's case read model: intake's CaseOpened records the case and its lead agency."""

    service = "referral"

    def sample(self, group: uuid.UUID) -> Envelope:
        opened = CaseOpened(case_id=uuid.uuid4(), lead_agency_id="shakyo", opened_on=date.today())
        return envelope(opened, "intake")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM cases WHERE case_id = $1 AND lead_agency_id = $2",
            uuid.UUID(env.payload["case_id"]),
            env.payload["lead_agency_id"],
        )


class ParticipationHandlerCases(HandlerSuite):
    """participation's copy of community's directory: a published resource is recorded."""

    service = "participation"

    def sample(self, group: uuid.UUID) -> Envelope:
        published = ResourcePublished(
            resource_id=uuid.uuid4(), version=1, category="ibasho", school_district_code="02"
        )
        return envelope(published, "community")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM resources WHERE resource_id = $1 AND source = 'community'",
            uuid.UUID(env.payload["resource_id"]),
        )


class Seeded(HandlerSuite):
    """Cases whose handler only acts on a row the service already holds (a concern, a plan):
    a few are inserted before each test, and each :meth:`sample` takes the next one."""

    SEEDS: ClassVar[int] = 3  # no guarantee uses more than two samples

    @pytest.fixture(autouse=True)
    async def _seeded(self, services: ServiceStarter) -> AsyncIterator[None]:
        running = await services(self.service)
        self.seeds = [uuid.uuid4() for _ in range(self.SEEDS)]
        conn = await asyncpg.connect(running.dsn)
        try:
            for seed in self.seeds:
                await self.seed(conn, seed)
        finally:
            await conn.close()
        yield

    @abc.abstractmethod
    async def seed(self, conn: asyncpg.Connection, seed: uuid.UUID) -> None:
        """Insert the row an event about ``seed`` acts on."""


class CommunityHandlerCases(Seeded):
    """community's concern access: intake's consultation queued from one of our concern
    reports lets that agency read it (the 見守りネットワーク loop)."""

    service = "community"

    async def seed(self, conn: asyncpg.Connection, seed: uuid.UUID) -> None:
        await conn.execute(
            "INSERT INTO concerns (id, agency_id, school_district_code, reporter_type, urgency,"
            " issue_codes, noticed, location, reported_on, created_by)"
            " VALUES ($1, 'shakyo', '02', 'minsei_iin', 'normal', ARRAY['isolation'],"
            " 'noticed', 'location', current_date, 'handler-suite')",
            seed,
        )

    def sample(self, group: uuid.UUID) -> Envelope:
        received = ConsultationReceived(
            consultation_id=uuid7(),
            agency_id="jiritsu",
            received_at=datetime.now(UTC),
            channel="phone",
            issue_codes=["isolation"],
            age_band="70-79",
            school_district_code="02",
            is_complex=False,
            concern_id=self.seeds.pop(),
        )
        return envelope(received, "intake")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM concern_access WHERE concern_id = $1 AND consultation_id = $2",
            uuid.UUID(env.payload["concern_id"]),
            uuid.UUID(env.payload["consultation_id"]),
        )


class OutreachHandlerCases(Seeded):
    """outreach's plans: meetings' approval of a submitted outreach plan makes it active."""

    service = "outreach"

    async def seed(self, conn: asyncpg.Connection, seed: uuid.UUID) -> None:
        # One target per plan: a target has at most one plan in progress.
        target_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO targets (id, agency_id, source, description, stage, stage_changed_on,"
            " registered_on, status, version, created_by) VALUES ($1, 'shakyo', 'community',"
            " 'description', 'located', current_date, current_date, 'open', 1,"
            " 'handler-suite')",
            target_id,
        )
        await conn.execute(
            "INSERT INTO plans (plan_id, target_id, case_id, status, goals, submitted_on,"
            " created_by) VALUES ($1, $2, $3, 'submitted', ARRAY['contact'], current_date,"
            " 'handler-suite')",
            seed,
            target_id,
            uuid.uuid4(),
        )

    def sample(self, group: uuid.UUID) -> Envelope:
        approved = PlanApproved(
            plan_id=self.seeds.pop(),
            case_id=group,
            program="outreach",
            meeting_id=uuid.uuid4(),
            approved_on=date.today(),
        )
        return envelope(approved, "meetings")

    async def effect(self, env: Envelope) -> int:
        return await self.count(
            "SELECT count(*) FROM plans WHERE plan_id = $1 AND status = 'active'"
            " AND meeting_id = $2",
            uuid.UUID(env.payload["plan_id"]),
            uuid.UUID(env.payload["meeting_id"]),
        )
