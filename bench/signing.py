"""What event signing costs (kasane.bus.signing): CPU per event, no broker.

Signs and verifies ``n`` distinct envelope-sized values with the same code the relay and the
consumers run (Ed25519 via ``cryptography``, detached JWS, plus the consumer's producer-field
check). The raw-Kafka baseline is also run a second time with signing on the producer side
and verification on the consumer side (``bench.raw_kafka``), so the table shows the cost
both per event and in events/s.

The two Ed25519 libraries the project has are also timed on the same signing inputs, bare
(no JWS handling), in the same run: ``cryptography`` (OpenSSL, which signs) and PyNaCl
(libsodium, which the consumers verify with since it was measured at about half the cost).
"""

from __future__ import annotations

import time
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.signing import VerifyKey

from bench.raw_kafka import BENCH_TOPIC_OWNER as TOPIC
from bench.workload import raw_payload
from kasane.bus.signing import EventSigner, EventVerifier


def bench_signer() -> tuple[EventSigner, EventVerifier]:
    """A throw-away key pair standing in for a producer's (the topic is intake's)."""
    signer = EventSigner("intake.bench", Ed25519PrivateKey.generate())
    verifier = EventVerifier({signer.kid: signer.key.public_key()}, {TOPIC: "intake"})
    return signer, verifier


def measure_signing(n: int, size: int) -> dict[str, Any]:
    signer, verifier = bench_signer()
    # Real-looking JSON with the producer field the verifier checks.
    values = [
        raw_payload(i, time.perf_counter_ns(), size).replace(b"{", b'{"producer":"intake",', 1)
        for i in range(n)
    ]
    begin = time.perf_counter()
    signed = [(v, signer.headers(v)) for v in values]
    sign_s = time.perf_counter() - begin
    begin = time.perf_counter()
    for value, headers in signed:
        verifier.verify(TOPIC, value, headers)
    verify_s = time.perf_counter() - begin
    openssl_s, libsodium_s = _bare_verify(signer, values)
    return {
        "events": n,
        "value_bytes": len(values[0]) if values else 0,
        "sign_us_per_event": sign_s / n * 1e6,
        "verify_us_per_event": verify_s / n * 1e6,
        "sign_per_s_one_core": n / sign_s if sign_s else float("nan"),
        "verify_per_s_one_core": n / verify_s if verify_s else float("nan"),
        "verify_openssl_us_per_event": openssl_s / n * 1e6,
        "verify_libsodium_us_per_event": libsodium_s / n * 1e6,
    }


def _bare_verify(signer: EventSigner, values: list[bytes]) -> tuple[float, float]:
    """Seconds to verify ``values``' signatures with each library alone, alternating halves so
    that a neighbour's load falls on both alike."""
    public = signer.key.public_key()
    sodium = VerifyKey(
        public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    inputs = [(signer.key.sign(v), v) for v in values]
    half = len(inputs) // 2
    openssl_s = libsodium_s = 0.0
    for part in (inputs[:half], inputs[half:]):
        begin = time.perf_counter()
        for signature, message in part:
            public.verify(signature, message)
        openssl_s += time.perf_counter() - begin
        begin = time.perf_counter()
        for signature, message in part:
            sodium.verify(message, signature)
        libsodium_s += time.perf_counter() - begin
    return openssl_s, libsodium_s
