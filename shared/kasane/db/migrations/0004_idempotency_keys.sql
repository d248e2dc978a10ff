-- Idempotency-Key (kasane.web.idempotency): one row per (agency, key) a client sent with a
-- POST or PATCH. Claimed (owner, locked_at) before the route runs; a 2xx response is stored
-- (status, headers, body) and replayed to retries; rows older than the TTL are purged.
CREATE TABLE idempotency_keys (
    agency       text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,
    method       text        NOT NULL,
    path         text        NOT NULL,
    owner        uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    locked_at    timestamptz,
    status       integer,
    headers      jsonb,
    body         bytea,
    completed_at timestamptz,
    PRIMARY KEY (agency, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
