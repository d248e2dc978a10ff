"""Duplicate ranking: suggestions only, ordered by evidence."""

from __future__ import annotations

import uuid
from datetime import date

from intake.domain.duplicates import THRESHOLD, Candidate, Probe, rank, score

A, B, C, D = (uuid.UUID(int=i) for i in range(1, 5))
PROBE = Probe("くるめたろう", date(1950, 3, 3), "久留米市東町12-3")


def test_all_three_keys_score_one() -> None:
    match = score(PROBE, Candidate(A, "くるめたろう", date(1950, 3, 3), "久留米市東町12-3"))
    assert match.score == 1.0
    assert match.reasons == ("kana", "birth_date", "address")


def test_ranking_orders_by_score_and_drops_weak_matches() -> None:
    candidates = [
        Candidate(A, "くるめじろう", None, "久留米市東町12-3"),  # address only: 0.2
        Candidate(B, "くるめたろう", date(1950, 3, 3), None),  # 0.8
        Candidate(C, "くるめたろう", None, "久留米市東町12-9"),  # kana + nearby: 0.6
        Candidate(D, "ちがう", date(1950, 3, 3), None),  # birth date only: 0.3
    ]
    ranked = rank(PROBE, candidates)
    assert [m.person_id for m in ranked] == [B, C, D]
    assert all(m.score >= THRESHOLD for m in ranked)
    assert ranked[1].reasons == ("kana", "address_nearby")


def test_empty_probe_keys_never_match() -> None:
    probe = Probe(None, None, None)
    assert rank(probe, [Candidate(A, "", None, None)]) == []


def test_limit() -> None:
    many = [Candidate(uuid.uuid4(), "くるめたろう", None, None) for _ in range(30)]
    assert len(rank(PROBE, many, limit=10)) == 10
