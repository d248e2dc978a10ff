-- Browser sign-in (kasane.web.sessions): server-side sessions and pending sign-ins, the same
-- tables as every kasane web front end. Only SHA-256 of the cookie secrets is stored; no
-- name or other personal data of staff: sub is the identity provider's opaque user id.

CREATE TABLE web_sessions (
    id_hash      text        PRIMARY KEY,
    sub          text        NOT NULL,
    agency       text        NOT NULL,
    roles        text[]      NOT NULL,
    issuer       text        NOT NULL,
    id_token     text,                  -- id_token_hint for the provider's logout
    csrf_token   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_last_seen ON web_sessions (last_seen_at);

CREATE TABLE web_login_attempts (
    id_hash       text        PRIMARY KEY,
    state         text        NOT NULL,
    nonce         text        NOT NULL,
    code_verifier text        NOT NULL,
    return_to     text        NOT NULL,
    created_at    timestamptz NOT NULL
);

-- The portal calls the services as the signed-in user (backend-for-frontend), so it keeps
-- the user's tokens next to the session: sealed with a key derived from the cookie secret
-- (portal.domain.sealing), which only the browser holds. A copy of this table alone opens
-- nothing. Ends with its session.
CREATE TABLE portal_session_tokens (
    id_hash           text        PRIMARY KEY REFERENCES web_sessions (id_hash) ON DELETE CASCADE,
    sealed            bytea       NOT NULL,
    access_expires_at timestamptz NOT NULL
);
