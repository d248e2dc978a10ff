"""program → service → operator: the one table in ``kasane.reference.agencies``."""

from __future__ import annotations

import pytest

from kasane.reference.agencies import operator_of_program, service_of_program
from kasane.reference.errors import UnknownReferenceCodeError


@pytest.mark.parametrize(
    ("program", "service", "agency"),
    [
        ("participation", "participation", "aso"),
        ("outreach", "outreach", "shakyo"),
        ("multiagency", "meetings", "shakyo"),
    ],
)
def test_a_referral_into_a_program_goes_to_the_operator_of_its_service(
    program: str, service: str, agency: str
) -> None:
    assert service_of_program(program) == service
    assert operator_of_program(program) == agency


def test_an_unknown_program_is_a_reference_error_not_a_key_error() -> None:
    with pytest.raises(UnknownReferenceCodeError, match="unknown program 'housing'"):
        operator_of_program("housing")
