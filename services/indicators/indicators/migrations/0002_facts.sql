-- Read model, part 2 (rebuildable from offset 0): one row per event, keyed by its event id,
-- so every figure can be expanded to the events it counts. Rows hold ids, codes, dates and
-- counts only, as the events do. Figures are computed when read, never accumulated, so the
-- order in which events arrive (live or during a rebuild) cannot change them.
ALTER TABLE consultation_facts
    ADD COLUMN issue_codes     text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN between_systems boolean NOT NULL DEFAULT false,
    ADD COLUMN channel         text;
-- Rows written before this migration carry the defaults until `kasane indicators rebuild`.

-- Every other contract: the meaning of each column per event type is in indicators/facts.py.
CREATE TABLE facts (
    event_id         uuid        PRIMARY KEY,
    event_type       text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    on_date          date        NOT NULL,   -- the business date that decides the 年度
    fiscal_year      integer     NOT NULL,
    subject_id       text        NOT NULL,   -- the aggregate: case, referral, plan, target, ...
    agency_id        text,
    other_agency_id  text,
    case_id          uuid,
    program          text,
    kind             text,
    code             text,
    codes            text[]      NOT NULL DEFAULT '{}',
    amount           bigint,
    revision         integer,
    at               timestamptz,
    due_on           date,
    is_complex       boolean,
    between_systems  boolean
);
CREATE INDEX facts_year ON facts (fiscal_year, event_type);
CREATE INDEX facts_subject ON facts (subject_id);
CREATE INDEX facts_type ON facts (event_type, on_date);

-- Bookkeeping of `kasane indicators rebuild` runs (not part of the read model).
CREATE TABLE rebuilds (
    id           bigserial   PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    applied      integer     NOT NULL DEFAULT 0,
    duplicates   integer     NOT NULL DEFAULT 0,
    skipped      integer     NOT NULL DEFAULT 0
);
