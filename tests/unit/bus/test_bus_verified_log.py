"""The verified log's pure rule (kasane.bus.verified_log): what a checkpoint's digest binds,
and when a consumer's chain goes on or starts anew. The stored side and the replay are
tested on the real broker and database in
tests/integration/indicators/test_indicators_rebuild_checkpoints.py."""

from __future__ import annotations

from kasane.bus.inbox import Delivery
from kasane.bus.signing import SIGNATURE_HEADER
from kasane.bus.verified_log import Chain, advance, genesis, link

TOPIC = "t.kasane.intake.v1"


def _d(offset: int, value: bytes = b"{}", signature: bytes | None = b"sig") -> Delivery:
    headers = () if signature is None else ((SIGNATURE_HEADER, signature),)
    return Delivery(TOPIC, 0, offset, None, value, headers)


def test_the_digest_binds_offset_value_signature_and_verdict() -> None:
    start = genesis(TOPIC, 0, 0)
    base = link(start, _d(0), True)
    assert link(start, _d(0), True) == base
    assert link(start, _d(1), True) != base
    assert link(start, _d(0, b"{ }"), True) != base
    assert link(start, _d(0, signature=b"sig2"), True) != base
    assert link(start, _d(0, signature=None), True) != link(start, _d(0, signature=b""), True)
    assert link(start, _d(0), False) != base
    # Signature and value cannot trade bytes across their boundary.
    assert link(start, _d(0, b"g{}", b"si"), True) != base
    assert genesis(TOPIC, 1, 0) != start and genesis(TOPIC, 0, 5) != start


def test_a_chain_goes_on_skips_redeliveries_and_restarts_at_a_gap() -> None:
    chains, restarted = advance({}, [(_d(0), True), (_d(1), True)])
    assert restarted == {(TOPIC, 0)}
    chain = chains[(TOPIC, 0)]
    assert (chain.start, chain.offset) == (0, 1)
    expected = link(link(genesis(TOPIC, 0, 0), _d(0), True), _d(1), True)
    assert chain.digest == expected

    # A redelivery of offsets already folded in changes nothing; the next offset goes on.
    again, restarted = advance(chains, [(_d(1), True), (_d(2), False)])
    assert restarted == set()
    assert again[(TOPIC, 0)] == Chain(0, 2, link(expected, _d(2), False))

    # A gap (records this consumer never judged) cannot be vouched for: a new chain.
    gap, restarted = advance(again, [(_d(5), True)])
    assert restarted == {(TOPIC, 0)}
    assert gap[(TOPIC, 0)] == Chain(5, 5, link(genesis(TOPIC, 0, 5), _d(5), True))
    assert chains[(TOPIC, 0)].offset == 1  # pure: the input is untouched
