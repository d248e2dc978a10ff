-- Access audit without a global lock (docs/architecture/access-audit.md).
--
-- Request transactions now only INSERT a row: its inserting transaction id (xid), an
-- insertion id, its own content hash, and empty chain columns (seq, prev_hash, hash). The
-- sealer (kasane.audit_sealer) fills the chain columns once the row's transaction is known
-- to be finished. Rows written before this migration were chained under the old lock and
-- stay exactly as they are: they are sealed already (id = seq, no xid, no content hash).

DROP TRIGGER access_audit_no_update ON access_audit;

ALTER TABLE access_audit DROP CONSTRAINT access_audit_pkey;
ALTER TABLE access_audit ADD COLUMN id bigint;
UPDATE access_audit SET id = seq;
CREATE SEQUENCE access_audit_id_seq OWNED BY access_audit.id;
SELECT setval('access_audit_id_seq', coalesce((SELECT max(id) FROM access_audit), 0) + 1, false);
ALTER TABLE access_audit
    ALTER COLUMN id SET DEFAULT nextval('access_audit_id_seq'),
    ALTER COLUMN id SET NOT NULL,
    ADD PRIMARY KEY (id);

-- NULL only on the rows migrated above (sealed before xids were recorded). The top-level
-- transaction id, also when the row is written inside a savepoint.
ALTER TABLE access_audit ADD COLUMN xid xid8;
ALTER TABLE access_audit ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE access_audit ADD COLUMN content_hash text;

ALTER TABLE access_audit
    ALTER COLUMN seq DROP NOT NULL,
    ALTER COLUMN prev_hash DROP NOT NULL,
    ALTER COLUMN hash DROP NOT NULL,
    ADD CONSTRAINT access_audit_chain_all_or_nothing CHECK (
        (seq IS NULL) = (prev_hash IS NULL) AND (seq IS NULL) = (hash IS NULL)),
    ADD CONSTRAINT access_audit_unsealed_has_xid CHECK (seq IS NOT NULL OR xid IS NOT NULL);
CREATE UNIQUE INDEX access_audit_seq ON access_audit (seq);
-- What the sealer scans on every pass: only the rows still waiting for a chain position.
CREATE INDEX access_audit_unsealed ON access_audit (xid, id) WHERE seq IS NULL;

-- Append-only, with one exception: filling the empty chain columns of a row once. Any
-- other column (present or added later) must stay as it was inserted.
CREATE OR REPLACE FUNCTION access_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'])
           = (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'access_audit is append-only (only empty chain columns may be filled, once)';
END $$;

CREATE TRIGGER access_audit_seal_only BEFORE UPDATE ON access_audit
    FOR EACH ROW EXECUTE FUNCTION access_audit_append_only();
CREATE TRIGGER access_audit_no_delete BEFORE DELETE OR TRUNCATE ON access_audit
    FOR EACH STATEMENT EXECUTE FUNCTION access_audit_append_only();

-- Signed chain heads, exported periodically by the sealer (also to a file outside the
-- database). Removing the chain's tail leaves a head that no longer matches.
CREATE TABLE audit_heads (
    id           bigserial   PRIMARY KEY,
    seq          bigint      NOT NULL,
    hash         text        NOT NULL,
    exported_at  timestamptz NOT NULL,
    key_id       text        NOT NULL,
    signature    text        NOT NULL
);

CREATE FUNCTION audit_heads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_heads is append-only';
END $$;

CREATE TRIGGER audit_heads_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit_heads_append_only();
