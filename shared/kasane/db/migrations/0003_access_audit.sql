-- Access audit (DESIGN.md section 6): who read or changed which personal record, why, on
-- which legal basis, and with what outcome. Never the data itself. Append-only and
-- hash-chained: each row's hash covers its content and the previous row's hash.
CREATE TABLE access_audit (
    seq          bigint      PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_sub    text        NOT NULL,
    actor_agency text        NOT NULL,
    record_type  text        NOT NULL,
    record_id    text        NOT NULL,
    subject_id   text,
    action       text        NOT NULL,
    purpose      text        NOT NULL,
    legal_basis  text,
    outcome      text        NOT NULL,
    prev_hash    text        NOT NULL,
    hash         text        NOT NULL UNIQUE
);
CREATE INDEX access_audit_subject ON access_audit (subject_id, seq);

CREATE FUNCTION access_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_audit is append-only';
END $$;

CREATE TRIGGER access_audit_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON access_audit
    FOR EACH STATEMENT EXECUTE FUNCTION access_audit_append_only();
