-- Read model: consultations counted per fiscal year and agency. Rebuildable from offset 0.
CREATE TABLE consultation_facts (
    event_id         uuid        PRIMARY KEY,
    consultation_id  uuid        NOT NULL UNIQUE,
    agency_id        text        NOT NULL,
    received_at      timestamptz NOT NULL,
    fiscal_year      integer     NOT NULL,
    is_complex       boolean     NOT NULL
);
CREATE INDEX consultation_facts_fy ON consultation_facts (fiscal_year, agency_id);
