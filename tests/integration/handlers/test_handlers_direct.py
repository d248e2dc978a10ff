"""The handler suite (:mod:`.base`, :mod:`.cases`) delivered directly to each consumer."""

from __future__ import annotations

import pytest

from tests.integration.handlers.carriers import Direct
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


class TestIntakeHandlersDirect(Direct, IntakeHandlerCases):
    pass


class TestMeetingsHandlersDirect(Direct, MeetingsHandlerCases):
    pass


class TestIndicatorsHandlersDirect(Direct, IndicatorsHandlerCases):
    pass


class TestReferralHandlersDirect(Direct, ReferralHandlerCases):
    pass


class TestParticipationHandlersDirect(Direct, ParticipationHandlerCases):
    pass


class TestCommunityHandlersDirect(Direct, CommunityHandlerCases):
    pass


class TestOutreachHandlersDirect(Direct, OutreachHandlerCases):
    pass
