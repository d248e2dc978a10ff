"""Runtime settings, read from ``KASANE_*`` environment variables.

One object for every service and the CLI, so a deployment changes behaviour only through
the environment (12-factor), never through code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The seven services and their fixed development ports (docs/architecture/local-stack.md).
SERVICE_PORTS: dict[str, int] = {
    "intake": 8101,
    "referral": 8102,
    "participation": 8103,
    "community": 8104,
    "outreach": 8105,
    "meetings": 8106,
    "indicators": 8107,
}
SERVICES: tuple[str, ...] = tuple(SERVICE_PORTS)
# Web front ends: no events, no personal data of their own (the staff portal is a
# backend-for-frontend over the seven services' APIs; docs/architecture/portal.md).
WEB_PORTS: dict[str, int] = {"portal": 8100}
# Everything `kasane up` starts, migrates and stops.
APP_PORTS: dict[str, int] = {**WEB_PORTS, **SERVICE_PORTS}

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KASANE_", extra="ignore")

    # Every piece of runtime state (jars, broker data, pgdata, logs, keys, pids) lives here.
    state_dir: Path = Field(default=REPO_ROOT / ".kasane")
    # Full PostgreSQL URL of the *server*; each service uses its own database on it.
    # Empty means: the embedded PostgreSQL under state_dir.
    database_url: str = ""
    # Name of this service's database; default = service name (+ database_suffix).
    database_suffix: str = ""
    kafka_bootstrap: str = "127.0.0.1:39092"
    kafka_controller_port: int = 39093
    # "SASL_PLAINTEXT" (SCRAM-SHA-512; the default, also for the embedded broker) or
    # "PLAINTEXT" for an unauthenticated broker (an old shared test broker only).
    # Production adds TLS: SASL_SSL with the same credentials.
    kafka_security_protocol: str = "SASL_PLAINTEXT"
    # Folder of <principal>.json SCRAM credentials; empty = <state_dir>/kafka/secrets. An
    # operator's deployment holds only its own service's file.
    kafka_secrets_dir: str = ""
    # Explicit credentials win over the folder (compose, an external test broker).
    kafka_username: str = ""
    kafka_password: str = ""
    # Event signing (kasane.bus.signing). Public keys <kid>.pub.pem of every producer;
    # empty = <state_dir>/keys/events.
    event_keys_dir: str = ""
    # This service's own private key(s) <kid>.pem, the newest signs; empty =
    # <state_dir>/keys/events-private/<service>. Never shared with another operator.
    event_signing_keys_dir: str = ""
    # Prepended to every topic name; tests use it to isolate runs on a shared broker.
    topic_namespace: str = ""
    municipality_code: str = "402036"  # 久留米市 地方公共団体コード
    jwt_audience: str = "kasane"
    jwt_issuer: str = "kasane-dev"
    # PEM file of the city's public key; empty means the development key under state_dir.
    jwt_public_key_file: str = ""
    # "production" makes `kasane up` import the realm without its demo accounts.
    env: str = "development"
    # Embedded Keycloak (started by `kasane up`) on 127.0.0.1:keycloak_port; a non-empty
    # keycloak_url means an external Keycloak: nothing is started, the CLI asks that one.
    keycloak_port: int = 38180
    keycloak_url: str = ""
    # Identity providers whose access tokens services accept, besides the city key above:
    # issuer URLs, or objects {"issuer", "audience", "agency_claim", "roles_claim",
    # "discovery_url"} for an IdP with other claim names or a discovery URL of its own
    # (JSON in KASANE_OIDC_ISSUERS). See kasane.auth.issuers.
    oidc_issuers: list[str | dict[str, str]] = Field(default_factory=list)
    oidc_audience: str = "kasane"
    oidc_agency_claim: str = "agency"
    # Dotted path, e.g. "realm_access.roles" or Entra ID's "roles".
    oidc_roles_claim: str = "roles"
    # Seconds of clock skew tolerated on exp/nbf/iat.
    oidc_leeway_s: int = 30
    # Browser sign-in (dashboard, staff portal): which issuer and client; the issuer
    # defaults to the first of oidc_issuers.
    oidc_login_issuer: str = ""
    oidc_client_id: str = "kasane-dashboard"
    oidc_client_secret: str = "kasane-dashboard-dev-secret"
    # Server-side browser sessions end after this much inactivity, and at the latest after
    # web_session_max_hours.
    web_session_idle_minutes: int = 30
    web_session_max_hours: int = 10
    # Where each service's API answers, for the staff portal (JSON object in
    # KASANE_SERVICE_URLS, e.g. {"intake": "https://intake.example.lg.jp"}); a service not
    # named is on its development port on 127.0.0.1 (SERVICE_PORTS).
    service_urls: dict[str, str] = Field(default_factory=dict)
    outbox_poll_interval_s: float = 1.0
    # Under load the outbox relay reads at most this often, so each read is one fuller
    # produce request; a NOTIFY after a quiet spell is read at once (kasane.bus.relay).
    outbox_min_read_interval_s: float = Field(default=0.05, ge=0)
    # Access audit (docs/architecture/access-audit.md): how often the sealer links committed
    # rows into the chain, and how often it exports the signed chain head.
    audit_seal_interval_s: float = 0.25
    audit_head_interval_s: float = 60.0
    # PEM Ed25519 private key that signs exported heads; empty: the development key.
    audit_signing_key_file: str = ""
    # Folder for the exported heads (<database>.heads.jsonl); empty: <state_dir>/audit.
    audit_heads_dir: str = ""
    consumer_max_attempts: int = 3
    consumer_retry_backoff_s: float = 0.2
    # Admission control (kasane.web.admission): requests handled at once per process; one
    # more is answered 503 + Retry-After at once instead of queueing without bound. A
    # service process is CPU-bound: a few requests keep it busy while others wait on the
    # database, and each one more only lengthens every admitted request's wait.
    max_in_flight: int = Field(default=8, ge=1)
    # Connections per service database pool, and how long a request may wait for one
    # before it is answered 503 (a slow or unreachable database sheds instead of queueing).
    db_pool_max_size: int = Field(default=10, ge=1)
    db_pool_acquire_timeout_s: float = Field(default=2.0, gt=0)
    # Idempotency-Key (kasane.web.idempotency): how long a key and its stored response are
    # kept, and how long an unfinished request holds its key before a retry may take over.
    idempotency_ttl_s: float = Field(default=86_400.0, ge=86_400.0)
    idempotency_lease_s: float = Field(default=60.0, gt=0)
    # Fault injection for crash tests only: "crash_before_publish" | "crash_after_publish".
    fault: str = ""

    def service_url(self, service: str) -> str:
        found = self.service_urls.get(service)
        return found.rstrip("/") if found else f"http://127.0.0.1:{SERVICE_PORTS[service]}"

    @property
    def keys_dir(self) -> Path:
        return self.state_dir / "keys"

    @property
    def kafka_secrets_path(self) -> Path:
        return (
            Path(self.kafka_secrets_dir)
            if self.kafka_secrets_dir
            else (self.state_dir / "kafka" / "secrets")
        )

    @property
    def event_keys_path(self) -> Path:
        return Path(self.event_keys_dir) if self.event_keys_dir else (self.keys_dir / "events")

    @property
    def event_private_keys_root(self) -> Path:
        # One sub-folder per service; a deployment mounts only its own.
        return self.keys_dir / "events-private"

    def event_signing_path(self, service: str) -> Path:
        if self.event_signing_keys_dir:
            return Path(self.event_signing_keys_dir)
        return self.event_private_keys_root / service

    @property
    def production(self) -> bool:
        return self.env.strip().lower() == "production"

    @property
    def cache_dir(self) -> Path:
        # Downloads shared by every state folder of this checkout (tests included).
        return REPO_ROOT / ".kasane" / "cache"

    @property
    def embedded_keycloak(self) -> bool:
        return not self.keycloak_url

    @property
    def keycloak_base_url(self) -> str:
        return self.keycloak_url.rstrip("/") or f"http://127.0.0.1:{self.keycloak_port}"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def run_dir(self) -> Path:
        return self.state_dir / "run"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
