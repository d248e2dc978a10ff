"""Ranking possible duplicates of a person being registered (pure). Never merges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from intake.domain.normalize import normalize_address
from kasane.errors import Invalid
from kasane.kana import fold, is_kana

# Weights: the same ふりがな and birth date is very likely the same person; an address alone
# is not (families share one), so it only adds weight.
KANA_WEIGHT, BIRTH_WEIGHT, ADDRESS_WEIGHT, ADDRESS_PREFIX_WEIGHT = 0.5, 0.3, 0.2, 0.1
THRESHOLD = 0.3


@dataclass(frozen=True)
class Probe:
    kana: str | None  # normalised
    birth_date: date | None
    address: str | None  # normalised


@dataclass(frozen=True)
class Candidate:
    person_id: UUID
    kana: str  # normalised
    birth_date: date | None
    address: str | None  # normalised


@dataclass(frozen=True)
class Match:
    person_id: UUID
    score: float
    reasons: tuple[str, ...]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def score(probe: Probe, candidate: Candidate) -> Match:
    points, reasons = 0.0, []
    if probe.kana and probe.kana == candidate.kana:
        points += KANA_WEIGHT
        reasons.append("kana")
    if probe.birth_date and probe.birth_date == candidate.birth_date:
        points += BIRTH_WEIGHT
        reasons.append("birth_date")
    if probe.address and candidate.address:
        if probe.address == candidate.address:
            points += ADDRESS_WEIGHT
            reasons.append("address")
        elif _common_prefix(probe.address, candidate.address) >= max(6, len(probe.address) - 4):
            # Same block, different house number or room: weak evidence.
            points += ADDRESS_PREFIX_WEIGHT
            reasons.append("address_nearby")
    return Match(candidate.person_id, round(points, 2), tuple(reasons))


def rank(probe: Probe, candidates: list[Candidate], limit: int = 10) -> list[Match]:
    matches = [score(probe, c) for c in candidates]
    kept = [m for m in matches if m.score >= THRESHOLD]
    return sorted(kept, key=lambda m: (-m.score, str(m.person_id)))[:limit]


def probe_of(kana: str | None, birth_date: date | None, address: str | None) -> Probe:
    """The normalised keys of a 重複確認; at least one key, and ふりがな in kana."""
    if kana is not None and not is_kana(kana):
        raise Invalid("kana", "ふりがなはひらがな・カタカナで入力 / kana must be kana")
    if not (kana or birth_date or address):
        raise Invalid("kana", "ふりがな・生年月日・住所のいずれかが必要 / give at least one key")
    return Probe(
        kana=fold(kana) if kana else None,
        birth_date=birth_date,
        address=normalize_address(address) if address else None,
    )
