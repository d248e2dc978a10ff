"""The handler suite (:mod:`.base`, :mod:`.cases`) through the real broker."""

from __future__ import annotations

import pytest

from tests.integration.handlers.carriers import Broker
from tests.integration.handlers.cases import (
    CommunityHandlerCases,
    IndicatorsHandlerCases,
    IntakeHandlerCases,
    MeetingsHandlerCases,
    OutreachHandlerCases,
    ParticipationHandlerCases,
    ReferralHandlerCases,
)

pytestmark = pytest.mark.integration


class TestIntakeHandlersBroker(Broker, IntakeHandlerCases):
    pass


class TestMeetingsHandlersBroker(Broker, MeetingsHandlerCases):
    pass


class TestIndicatorsHandlersBroker(Broker, IndicatorsHandlerCases):
    pass


class TestReferralHandlersBroker(Broker, ReferralHandlerCases):
    pass


class TestParticipationHandlersBroker(Broker, ParticipationHandlerCases):
    pass


class TestCommunityHandlersBroker(Broker, CommunityHandlerCases):
    pass


class TestOutreachHandlersBroker(Broker, OutreachHandlerCases):
    pass
