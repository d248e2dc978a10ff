"""If-Match on a target, the contact-record checks and the shared field rules: pure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from kasane.clock import FixedClock, set_clock
from kasane.errors import Conflict, VersionRequired
from kasane.types import not_future
from outreach.domain.contacts import check_recordable, check_same_record
from outreach.domain.plans import is_ours
from outreach.domain.versions import check_if_match


def test_if_match_is_required_for_a_patch_and_must_name_the_current_version() -> None:
    check_if_match('"3"', 3, required=True)
    check_if_match('W/"3"', 3, required=True)
    check_if_match(None, 3, required=False)  # ending without If-Match is allowed
    with pytest.raises(VersionRequired) as missing:
        check_if_match(None, 3, required=True)
    assert (missing.value.status, missing.value.field) == (428, "If-Match")
    with pytest.raises(Conflict) as stale:
        check_if_match('"2"', 3, required=False)
    # 409 (not 412) is what clients of outreach have always been answered.
    assert (stale.value.status, stale.value.field) == (409, "If-Match")


def test_a_new_contact_needs_an_open_target_and_a_reused_id_the_same_content() -> None:
    check_recordable("open")
    with pytest.raises(Conflict) as ended:
        check_recordable("ended")
    assert ended.value.field == "status"
    check_same_record("abc", "abc")
    with pytest.raises(Conflict) as clash:
        check_same_record("abc", "abd")
    assert clash.value.field == "contact_id"


@pytest.fixture
def pinned() -> Iterator[None]:
    set_clock(FixedClock(date(2025, 6, 1)))
    try:
        yield
    finally:
        set_clock(None)


@pytest.mark.usefixtures("pinned")
def test_not_future_follows_the_shared_clock() -> None:
    assert not_future(date(2025, 6, 1), "x") == date(2025, 6, 1)
    assert not_future(None, "x") is None
    with pytest.raises(ValueError, match="未来"):
        not_future(date(2025, 6, 2), "日付が未来です / in the future")


def test_only_outreach_plans_are_ours() -> None:
    assert is_ours("outreach") and not is_ours("participation")
