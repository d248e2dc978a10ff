"""Simulating every producer: wrap contracts in envelopes and produce them to the
producers' topics, as their outbox relays would. Also the year's hand-computed story."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from uuid import UUID, uuid4

from kasane.events import community, intake, meetings, outreach, participation, referral, wrap
from kasane.events.envelope import EventContract
from kasane.events.topics import topic_for
from kasane.settings import Settings
from tests.integration.helpers import produce

JST = timezone(timedelta(hours=9))

PRODUCER_OF = {
    "intake": intake,
    "referral": referral,
    "meetings": meetings,
    "outreach": outreach,
    "participation": participation,
    "community": community,
}


def _producer(contract: EventContract) -> str:
    return contract.event_type.split(".")[0]


class Events:
    """Collects events per producer; ``send`` produces them in the order added."""

    def __init__(self) -> None:
        self._pending: dict[str, list[tuple[bytes, bytes]]] = defaultdict(list)
        self.ids: list[UUID] = []

    def add(self, contract: EventContract, agency_id: str = "shakyo") -> UUID:
        producer = _producer(contract)
        envelope = wrap(
            contract, producer=producer, municipality_code="402036", agency_id=agency_id
        )
        self._pending[producer].append((contract.partition_key().encode(), envelope.to_bytes()))
        self.ids.append(envelope.event_id)
        return envelope.event_id

    async def send(self, settings: Settings) -> None:
        for producer, items in self._pending.items():
            await produce(
                settings.kafka_bootstrap, topic_for(producer, settings.topic_namespace), items
            )
        self._pending.clear()


def at(day: str, hour: int = 9) -> datetime:
    y, m, d = (int(p) for p in day.split("-"))
    return datetime(y, m, d, hour, 0, tzinfo=JST)


def d(day: str) -> date:
    return date.fromisoformat(day)


def consultation(ev: Events, agency: str, received_at: datetime, **kw: object) -> UUID:
    contract = intake.ConsultationReceived(
        consultation_id=uuid4(),
        case_id=kw.get("case_id") or uuid4(),
        agency_id=agency,
        received_at=received_at,
        channel=str(kw.get("channel", "phone")),
        issue_codes=list(kw.get("issue_codes", ["poverty"])),  # type: ignore[call-overload]
        age_band=str(kw.get("age_band", "40-49")),
        school_district_code=str(kw.get("school_district_code", "01")),
        consulted_by=kw.get("consulted_by"),
        is_complex=bool(kw.get("is_complex", False)),
        between_systems=bool(kw.get("between_systems", False)),
    )
    return ev.add(contract, agency)


def case_opened(ev: Events, agency: str, on: str) -> UUID:
    return ev.add(
        intake.CaseOpened(case_id=uuid4(), lead_agency_id=agency, opened_on=d(on)), agency
    )


def plan_approved(ev: Events, program: str, on: str, plan_id: UUID | None = None) -> UUID:
    return ev.add(
        meetings.PlanApproved(
            plan_id=plan_id or uuid4(),
            case_id=uuid4(),
            program=program,  # type: ignore[arg-type]
            meeting_id=uuid4(),
            approved_on=d(on),
        )
    )


def watch(ev: Events, district: str, month: str, visits: int, revision: int) -> UUID:
    year, mon = (int(p) for p in month.split("-"))
    fy = year if mon >= 4 else year - 1
    return ev.add(
        community.WatchVisitsReported(
            school_district_code=district,
            month=month,
            visits=visits,
            revision=revision,
            fiscal_year=fy,
        )
    )
