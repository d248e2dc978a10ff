"""Signed events: the producing service signs the exact value bytes; consumers verify
before anything parses them.

Why on top of the broker's ACLs: ACLs stop one service from writing another's topic, but
not the broker's administrator (or anyone holding the admin secret). A signature made with
the producer's private key, which only that operator holds, is checked against the public
key the consumer was given — so an access grant carried by an event
(``meetings.CaseDiscussed`` and the like) cannot be forged even with broker admin rights.

Wire format: a detached JWS (RFC 7515 appendix F) in the Kafka header
``kasane-signature``: ``BASE64URL(protected) + ".." + BASE64URL(signature)`` where the
protected header is ``{"alg":"EdDSA","kid":<kid>}`` and the signing input is
``BASE64URL(protected) + "." + BASE64URL(value)``. The key id is repeated in the header
``kasane-key-id`` so an operator can see who signed without decoding.

Two libraries, one format: records are signed with ``cryptography`` (OpenSSL) and verified
with PyNaCl (libsodium), which checks an Ed25519 signature in about half the CPU time here
(bench/README.md, "event signing"). Ed25519 signatures are deterministic and standard
(RFC 8032), so either library verifies what the other signed; libsodium's check is the strict
one (canonical encodings, no small-order points).

Key ids are ``<service>.<stamp>``; the files are ``<kid>.pub.pem`` (every producer's public
keys, in every consumer's keys folder) and ``<kid>.pem`` in the producing service's own
private folder (mode 0600, ``keys/events-private/<service>/`` by default). Several keys of
one service may be trusted at once: that is how a key is rotated (see
docs/architecture/broker-trust.md).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pydantic_core
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from kasane.bus.inbox import Delivery
from kasane.settings import Settings

SIGNATURE_HEADER = "kasane-signature"
_SIGNATURE_BYTES = 64
KEY_ID_HEADER = "kasane-key-id"
PUBLIC_SUFFIX = ".pub.pem"

Headers = Sequence[tuple[str, bytes | None]]  # as Kafka delivers them: a value may be null


class UnverifiedEvent(Exception):
    """The record is not provably from the producer it claims: dead-letter it, apply nothing."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def service_of(kid: str) -> str:
    """The service a key id belongs to: the part before the first dot."""
    return kid.split(".", 1)[0]


@dataclass(frozen=True)
class EventSigner:
    kid: str
    key: Ed25519PrivateKey = field(repr=False)
    # Computed once: the protected header is the same for every record.
    _protected: str = field(init=False, repr=False, default="")

    def __post_init__(self) -> None:
        header = json.dumps({"alg": "EdDSA", "kid": self.kid}, separators=(",", ":"))
        object.__setattr__(self, "_protected", _b64(header.encode()))

    @property
    def service(self) -> str:
        return service_of(self.kid)

    def sign(self, value: bytes) -> str:
        signature = self.key.sign(f"{self._protected}.{_b64(value)}".encode("ascii"))
        return f"{self._protected}..{_b64(signature)}"

    def headers(self, value: bytes) -> list[tuple[str, bytes]]:
        return [
            (SIGNATURE_HEADER, self.sign(value).encode("ascii")),
            (KEY_ID_HEADER, self.kid.encode("ascii")),
        ]


def _header(headers: Headers, name: str) -> bytes | None:
    for key, value in headers:
        if key == name:
            return value
    return None


class EventVerifier:
    """Checks a record against the trusted public keys of its producer.

    ``topic_producers`` maps each subscribed topic to the service that owns it: a record on
    ``kasane.meetings.v1`` must be signed by a meetings key and say ``producer: meetings``.
    """

    def __init__(
        self, keys: Mapping[str, Ed25519PublicKey], topic_producers: Mapping[str, str]
    ) -> None:
        self._keys = dict(keys)
        # The same keys as libsodium verifiers, made once (not per record).
        self._verify_keys = {
            kid: VerifyKey(
                key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            )
            for kid, key in self._keys.items()
        }
        self._topic_producers = dict(topic_producers)
        self._trusted_headers: dict[tuple[str, bytes], bool] = {}
        self._protected: dict[str, Any] = {}

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def trusts_signer(self, topic: str, signature: bytes | None) -> bool:
        """Whether a signature header names a key trusted now for ``topic`` — without
        checking the signature itself. For records already verified once (a replay behind a
        verified-log checkpoint, kasane.bus.verified_log): a key removed since is not trusted
        on the strength of the earlier check. Cached per protected header (a handful)."""
        if signature is None:
            return False
        protected_b64 = signature.split(b".", 1)[0]
        cached = self._trusted_headers.get((topic, protected_b64))
        if cached is None:
            try:
                protected = json.loads(_unb64(protected_b64.decode("ascii")))
            except (ValueError, UnicodeDecodeError, binascii.Error):
                protected = None
            kid = protected.get("kid") if isinstance(protected, dict) else None
            owner = self._topic_producers.get(topic)
            cached = (
                isinstance(kid, str)
                and kid in self._keys
                and protected.get("alg") == "EdDSA"
                and (owner is None or owner == service_of(kid))
            )
            if len(self._trusted_headers) < 1024:  # bounded: headers are few in practice
                self._trusted_headers[(topic, protected_b64)] = cached
        return cached

    def _protected_header(self, protected_b64: str) -> Any:
        """The decoded protected header; raises ValueError (binascii.Error is one) as
        decoding it would. Cached per header text: a producer's header is the same on every
        record it signs, so only a handful are ever seen; a failure is not cached."""
        protected = self._protected.get(protected_b64)
        if protected is None:
            protected = json.loads(_unb64(protected_b64))
            if len(self._protected) < 1024:  # bounded: headers are few in practice
                self._protected[protected_b64] = protected
        return protected

    def verify(self, topic: str, value: bytes, headers: Headers) -> None:
        """Return if the record is authentic; raise :class:`UnverifiedEvent` saying why."""
        raw = _header(headers, SIGNATURE_HEADER)
        if raw is None:
            raise UnverifiedEvent(f"unsigned: no {SIGNATURE_HEADER} header")
        try:
            protected_b64, payload_b64, signature_b64 = raw.decode("ascii").split(".")
            protected = self._protected_header(protected_b64)
            signature = _unb64(signature_b64)
        except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
            raise UnverifiedEvent(f"unreadable {SIGNATURE_HEADER}: {exc}") from None
        if payload_b64 != "":
            raise UnverifiedEvent("the signature must be detached (empty payload part)")
        if not isinstance(protected, dict) or protected.get("alg") != "EdDSA":
            raise UnverifiedEvent("the signature's algorithm must be EdDSA")
        kid = protected.get("kid")
        key = self._verify_keys.get(kid) if isinstance(kid, str) else None
        if key is None or not isinstance(kid, str):
            raise UnverifiedEvent(f"signed with an unknown key {kid!r}")
        if len(signature) != _SIGNATURE_BYTES:  # libsodium would raise ValueError, not refuse
            raise UnverifiedEvent(f"key {kid!r}: the signature does not match the bytes")
        try:
            key.verify(
                b"%s.%s"
                % (protected_b64.encode("ascii"), base64.urlsafe_b64encode(value).rstrip(b"=")),
                signature,
            )
        except BadSignatureError:
            raise UnverifiedEvent(f"key {kid!r}: the signature does not match the bytes") from None
        signer = service_of(kid)
        owner = self._topic_producers.get(topic)
        if owner is not None and owner != signer:
            raise UnverifiedEvent(f"{topic} belongs to {owner!r} but the key is {signer!r}'s")
        claimed = _claimed_producer(value)
        if claimed is not None and claimed != signer:
            raise UnverifiedEvent(f"producer {claimed!r} is not the key's service {signer!r}")


def _claimed_producer(value: bytes) -> str | None:
    # Only the producer field; the registry validates the rest (and reports bad JSON).
    # pydantic's parser, as the registry's: bounded depth, never a RecursionError (a signed
    # record nested thousands deep must reach the parser's rejection, not crash the batch).
    try:
        data = pydantic_core.from_json(value)
    except (ValueError, RecursionError):
        return None
    producer = data.get("producer") if isinstance(data, dict) else None
    return producer if isinstance(producer, str) else ""


# --- keys on disk ---------------------------------------------------------------------


def load_public_keys(
    keys_dir: Path, services: Iterable[str] | None = None
) -> dict[str, Ed25519PublicKey]:
    """Every ``<kid>.pub.pem`` in ``keys_dir`` (of ``services`` only, if given)."""
    wanted = set(services) if services is not None else None
    found: dict[str, Ed25519PublicKey] = {}
    for path in sorted(keys_dir.glob(f"*{PUBLIC_SUFFIX}")):
        kid = path.name.removesuffix(PUBLIC_SUFFIX)
        if wanted is not None and service_of(kid) not in wanted:
            continue
        key = serialization.load_pem_public_key(path.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{path} is not an Ed25519 public key")
        found[kid] = key
    return found


def load_signer(path: Path) -> EventSigner:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return EventSigner(path.name.removesuffix(".pem"), key)


def newest_private_key(private_dir: Path, service: str) -> Path | None:
    """The service's newest private key in ``private_dir``: stamps sort in time order."""
    candidates = sorted(private_dir.glob(f"{service}.*.pem"))
    return candidates[-1] if candidates else None


def new_event_key(
    public_dir: Path, private_dir: Path, service: str, now: datetime | None = None
) -> str:
    """Write a new key pair for ``service``; returns its key id. Rotation starts here."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    kid = f"{service}.{stamp}-{os.urandom(2).hex()}"
    key = Ed25519PrivateKey.generate()
    private_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(private_dir, 0o700)
    fd = os.open(private_dir / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    public_dir.mkdir(parents=True, exist_ok=True)
    (public_dir / f"{kid}{PUBLIC_SUFFIX}").write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return kid


def ensure_event_keys(settings: Settings, services: Iterable[str]) -> None:
    """One key pair per service that has none yet (development and test stacks)."""
    for service in services:
        private_dir = settings.event_signing_path(service)
        if newest_private_key(private_dir, service) is None:
            new_event_key(settings.event_keys_path, private_dir, service)


# --- wiring from settings ---------------------------------------------------------------


def signer_for(settings: Settings, service: str) -> EventSigner:
    """The key ``service`` signs with: its newest under its signing-keys folder."""
    private_dir = settings.event_signing_path(service)
    path = newest_private_key(private_dir, service)
    if path is None:
        raise RuntimeError(
            f"no event signing key for {service!r} in {private_dir}: run `kasane up` or "
            "`kasane keys` once, or set KASANE_EVENT_SIGNING_KEYS_DIR"
        )
    return load_signer(path)


def verifier_for(settings: Settings, topic_producers: Mapping[str, str]) -> EventVerifier:
    """Trust exactly the public keys of the producers whose topics are subscribed."""
    producers = set(topic_producers.values())
    keys = load_public_keys(settings.event_keys_path, producers)
    missing = producers - {service_of(kid) for kid in keys}
    if missing:
        # Fail at start, not by dead-lettering every event of a producer later.
        raise RuntimeError(
            f"no public event key of {sorted(missing)} in {settings.event_keys_path}"
            " (files <service>.<kid>.pub.pem)"
        )
    return EventVerifier(keys, topic_producers)


def verify_delivery(verifier: EventVerifier | None, delivery: Delivery) -> str | None:
    """The consumer's one call before parsing: None if authentic, else the dead-letter reason."""
    if verifier is None:
        return None
    try:
        verifier.verify(delivery.topic, delivery.value, delivery.headers)
    except UnverifiedEvent as exc:
        return f"UnverifiedEvent: {exc}"
    return None
