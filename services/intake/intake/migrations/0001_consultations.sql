-- 相談受付 (thin slice of the foundation issue; the intake issue extends it).
CREATE TABLE consultations (
    id                    uuid        PRIMARY KEY,
    agency_id             text        NOT NULL,
    received_at           timestamptz NOT NULL,
    channel               text        NOT NULL,
    issue_codes           text[]      NOT NULL,
    age_band              text        NOT NULL,
    school_district_code  text        NOT NULL,
    is_complex            boolean     NOT NULL,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultations_agency ON consultations (agency_id, received_at);
