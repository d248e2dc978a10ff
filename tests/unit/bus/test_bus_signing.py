"""Signed events (kasane.bus.signing): what verifies and what is refused, no broker."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.bus.consumer import EventConsumer, Outcome
from kasane.bus.dead_letter import DeadLetter
from kasane.bus.inbox import Delivery
from kasane.bus.signing import (
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    EventSigner,
    EventVerifier,
    UnverifiedEvent,
    ensure_event_keys,
    load_public_keys,
    load_signer,
    new_event_key,
    newest_private_key,
    signer_for,
    verifier_for,
    verify_delivery,
)
from kasane.events import EventRegistry, wrap
from kasane.events.meetings import CONTRACTS, CaseDiscussed
from kasane.settings import Settings

TOPIC = "kasane.meetings.v1"
JST = timezone(timedelta(hours=9))


def _event(producer: str = "meetings") -> bytes:
    contract = CaseDiscussed.model_validate(
        {
            "meeting_id": "0191f0a0-0000-7000-8000-000000000001",
            "agenda_item_id": "0191f0a0-0000-7000-8000-000000000002",
            "case_id": "0191f0a0-0000-7000-8000-000000000003",
            "meeting_type": "support_meeting",
            "kind": "information_sharing",
            "legal_basis": "support_meeting",
            "discussed_on": "2025-07-01",
            "outcome": "share",
            "member_agency_ids": ["kodomo"],
            "access_until": "2025-09-29",
        }
    )
    envelope = wrap(contract, producer=producer, municipality_code="402036", agency_id="shakyo")
    return envelope.to_bytes()


@pytest.fixture
def meetings() -> EventSigner:
    return EventSigner("meetings.k1", Ed25519PrivateKey.generate())


@pytest.fixture
def community() -> EventSigner:
    return EventSigner("community.k1", Ed25519PrivateKey.generate())


def _verifier(*signers: EventSigner) -> EventVerifier:
    keys = {s.kid: s.key.public_key() for s in signers}
    return EventVerifier(keys, {TOPIC: "meetings", "kasane.community.v1": "community"})


def test_a_record_signed_by_its_producer_verifies(
    meetings: EventSigner, community: EventSigner
) -> None:
    value = _event()
    _verifier(meetings, community).verify(TOPIC, value, meetings.headers(value))


def test_the_signature_is_a_detached_eddsa_jws_with_the_key_id(meetings: EventSigner) -> None:
    value = _event()
    headers = dict(meetings.headers(value))
    assert headers[KEY_ID_HEADER] == b"meetings.k1"
    protected, payload, signature = headers[SIGNATURE_HEADER].decode().split(".")
    assert payload == ""  # detached: the value itself is the payload
    assert json.loads(base64.urlsafe_b64decode(protected + "==")) == {
        "alg": "EdDSA",
        "kid": "meetings.k1",
    }
    assert len(base64.urlsafe_b64decode(signature + "==")) == 64


def test_unsigned_is_refused(meetings: EventSigner) -> None:
    with pytest.raises(UnverifiedEvent, match="unsigned"):
        _verifier(meetings).verify(TOPIC, _event(), [])


def test_one_altered_byte_is_refused(meetings: EventSigner) -> None:
    value = _event()
    headers = meetings.headers(value)
    altered = value.replace(b'"kodomo"', b'"kodomp"')
    with pytest.raises(UnverifiedEvent, match="does not match"):
        _verifier(meetings).verify(TOPIC, altered, headers)


def test_an_unknown_key_is_refused(meetings: EventSigner) -> None:
    forger = EventSigner("meetings.k1", Ed25519PrivateKey.generate())  # same kid, other key
    value = _event()
    with pytest.raises(UnverifiedEvent, match="does not match"):
        _verifier(meetings).verify(TOPIC, value, forger.headers(value))
    stranger = EventSigner("meetings.k9", Ed25519PrivateKey.generate())
    with pytest.raises(UnverifiedEvent, match="unknown key"):
        _verifier(meetings).verify(TOPIC, value, stranger.headers(value))


def test_another_services_valid_key_is_refused_on_this_topic(
    meetings: EventSigner, community: EventSigner
) -> None:
    value = _event()
    with pytest.raises(UnverifiedEvent, match="belongs to 'meetings'"):
        _verifier(meetings, community).verify(TOPIC, value, community.headers(value))


def test_the_producer_field_must_match_the_keys_service(
    meetings: EventSigner, community: EventSigner
) -> None:
    # community signs its own topic, but the envelope claims to come from meetings.
    value = _event(producer="meetings")
    with pytest.raises(UnverifiedEvent, match="producer 'meetings'"):
        _verifier(meetings, community).verify(
            "kasane.community.v1", value, community.headers(value)
        )


def test_a_non_eddsa_header_is_refused(meetings: EventSigner) -> None:
    value = _event()
    signature = dict(meetings.headers(value))[SIGNATURE_HEADER].decode()
    none_alg = base64.urlsafe_b64encode(b'{"alg":"none","kid":"meetings.k1"}').decode()
    forged = [(SIGNATURE_HEADER, f"{none_alg}..{signature.split('..')[1]}".encode())]
    with pytest.raises(UnverifiedEvent, match="EdDSA"):
        _verifier(meetings).verify(TOPIC, value, forged)
    with pytest.raises(UnverifiedEvent, match="unreadable"):
        _verifier(meetings).verify(TOPIC, value, [(SIGNATURE_HEADER, b"garbage")])


def _with_signature(headers: list[tuple[str, bytes]], signature: bytes) -> list[tuple[str, bytes]]:
    protected = dict(headers)[SIGNATURE_HEADER].decode().split("..")[0]
    encoded = base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
    return [(SIGNATURE_HEADER, f"{protected}..{encoded}".encode())]


@pytest.mark.parametrize("length", [0, 63, 65, 128])
def test_a_signature_of_the_wrong_length_is_refused_not_raised(
    meetings: EventSigner, length: int
) -> None:
    # libsodium raises ValueError on a signature that is not 64 bytes: it must be a refusal
    # (dead letter), never an exception that stops the batch.
    value = _event()
    good = base64.urlsafe_b64decode(
        dict(meetings.headers(value))[SIGNATURE_HEADER].decode().split("..")[1] + "=="
    )
    signature = (good * 3)[:length]
    with pytest.raises(UnverifiedEvent, match="does not match"):
        _verifier(meetings).verify(
            TOPIC, value, _with_signature(meetings.headers(value), signature)
        )


def test_a_malleated_signature_is_refused(meetings: EventSigner) -> None:
    # S + ℓ (the group order) passes the curve equation; RFC 8032 requires S < ℓ. A verifier
    # that accepted it would let anyone mint a second valid signature for a record.
    order = 2**252 + 27742317777372353535851937790883648493
    value = _event()
    headers = meetings.headers(value)
    good = base64.urlsafe_b64decode(dict(headers)[SIGNATURE_HEADER].decode().split("..")[1] + "==")
    s = int.from_bytes(good[32:], "little") + order
    assert s < 2**256
    malleated = good[:32] + s.to_bytes(32, "little")
    with pytest.raises(UnverifiedEvent, match="does not match"):
        _verifier(meetings).verify(TOPIC, value, _with_signature(headers, malleated))


def test_a_record_signed_before_the_verifier_changed_library_still_verifies() -> None:
    # Signed with cryptography (OpenSSL) from a fixed seed: Ed25519 is deterministic, so this
    # is exactly the header a relay wrote on an existing topic; libsodium must accept it.
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    signer = EventSigner("meetings.k1", key)
    value = b'{"producer":"meetings"}'
    header = (
        b"eyJhbGciOiJFZERTQSIsImtpZCI6Im1lZXRpbmdzLmsxIn0.."
        b"LEZLL1FprT5jysxxICmCZVXBhA3hFfoB4r136msgCiGqRI1T4QmSm49vnP_NCQyxTE6RcNyglEKsXIL4TmUzAg"
    )
    assert dict(signer.headers(value))[SIGNATURE_HEADER] == header
    _verifier(signer).verify(TOPIC, value, [(SIGNATURE_HEADER, header)])


def test_rotation_two_keys_of_one_service_both_verify(meetings: EventSigner) -> None:
    successor = EventSigner("meetings.k2", Ed25519PrivateKey.generate())
    verifier = _verifier(meetings, successor)
    value = _event()
    verifier.verify(TOPIC, value, meetings.headers(value))
    verifier.verify(TOPIC, value, successor.headers(value))


def test_keys_on_disk_newest_signs_every_public_key_trusted(tmp_path: Path) -> None:
    settings = _isolated(tmp_path)
    public, private_dir = settings.event_keys_path, settings.event_signing_path("meetings")
    old = new_event_key(public, private_dir, "meetings", datetime(2025, 4, 1, tzinfo=UTC))
    new = new_event_key(public, private_dir, "meetings", datetime(2026, 4, 1, tzinfo=UTC))
    ensure_event_keys(settings, ["meetings", "intake"])  # keeps meetings' keys, adds intake's
    private = newest_private_key(private_dir, "meetings")
    assert private is not None
    assert load_signer(private).kid == new
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private_dir.stat().st_mode) == 0o700
    # Private keys never sit with the public ones another operator is handed.
    assert private_dir != public and not list(public.glob("*.pem.pem"))
    assert {p.name for p in public.iterdir()} == {
        f"{kid}.pub.pem" for kid in load_public_keys(public)
    }
    assert set(load_public_keys(public, ["meetings"])) == {old, new}
    assert {k.split(".")[0] for k in load_public_keys(public)} == {"meetings", "intake"}
    assert settings.model_copy(update={"event_signing_keys_dir": "/x"}).event_signing_path(
        "intake"
    ) == Path("/x")


def test_settings_wiring_signer_and_verifier(tmp_path: Path) -> None:
    settings = _isolated(tmp_path)
    ensure_event_keys(settings, ["meetings", "intake"])
    signer = signer_for(settings, "meetings")
    verifier = verifier_for(settings, {TOPIC: "meetings"})
    value = _event()
    verifier.verify(TOPIC, value, signer.headers(value))
    with pytest.raises(RuntimeError, match="outreach"):
        verifier_for(settings, {"kasane.outreach.v1": "outreach"})
    with pytest.raises(RuntimeError, match="no event signing key"):
        signer_for(settings, "outreach")


class _Letters:
    def __init__(self) -> None:
        self.sent: list[DeadLetter] = []

    async def send(self, letter: DeadLetter) -> None:
        self.sent.append(letter)


async def test_the_consumer_dead_letters_before_parsing_and_never_calls_the_handler(
    meetings: EventSigner,
) -> None:
    calls: list[object] = []

    async def handler(*args: object) -> None:
        calls.append(args)

    letters = _Letters()
    consumer = EventConsumer(
        name="intake",
        registry=EventRegistry(CONTRACTS),
        pool=None,  # never reached: refused before the inbox
        dead_letters=letters,  # type: ignore[arg-type]
        handler=handler,
        verifier=_verifier(meetings),
    )
    value = _event()
    outcome = await consumer.process(Delivery(TOPIC, 0, 7, b"k", value))
    assert outcome is Outcome.DEAD_LETTERED
    assert letters.sent[0].value == value
    assert letters.sent[0].error.startswith("UnverifiedEvent: unsigned")
    assert calls == []


def test_verify_delivery_passes_authentic_records_through(meetings: EventSigner) -> None:
    value = _event()
    delivery = Delivery(TOPIC, 0, 1, None, value, tuple(meetings.headers(value)))
    assert verify_delivery(_verifier(meetings), delivery) is None
    assert verify_delivery(None, Delivery(TOPIC, 0, 1, None, value)) is None


def _isolated(state_dir: Path, **values: str) -> Settings:
    # Explicit values: a test session exports KASANE_KAFKA_* for its in-process services.
    defaults = {
        "kafka_security_protocol": "SASL_PLAINTEXT",
        "kafka_secrets_dir": "",
        "kafka_username": "",
        "kafka_password": "",
        "event_keys_dir": "",
        "event_signing_keys_dir": "",
    }
    return Settings(state_dir=state_dir, **{**defaults, **values})  # type: ignore[arg-type]
