-- Source data entered by the city (not derived from events, so a rebuild keeps it).

-- Targets per indicator and fiscal year; fiscal_year NULL = a standing target for every
-- year (the plan targets 24 / 30 / 36). A year-specific row wins over a standing one.
CREATE TABLE targets (
    indicator_id  text        NOT NULL,
    fiscal_year   integer,
    target        numeric     NOT NULL CHECK (target >= 0),
    source        text        NOT NULL,  -- 'seed' (くるめ支え合うプラン) or 'city'
    set_by_agency text,
    set_by_sub    text,                  -- staff id of the city official, never a client's
    set_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX targets_key ON targets (indicator_id, coalesce(fiscal_year, -1));

INSERT INTO targets (indicator_id, fiscal_year, target, source) VALUES
    ('plans_participation', NULL, 24, 'seed'),
    ('plans_outreach', NULL, 30, 'seed'),
    ('plans_multiagency', NULL, 36, 'seed'),
    ('jiritsu_new_consultations', 2025, 1020, 'seed'),
    ('watch_visits', 2025, 296000, 'seed'),
    ('survey_mutual_support', 2025, 70.0, 'seed'),
    ('survey_someone_to_ask', 2025, 87.0, 'seed'),
    ('survey_can_counsel', 2025, 29.0, 'seed');

-- 市民意識調査: one row per load; per question the latest load of the year is effective.
CREATE TABLE survey_loads (
    id            uuid        PRIMARY KEY,
    fiscal_year   integer     NOT NULL,
    source        text        NOT NULL,  -- 'counts' or 'csv'
    loaded_by_agency text     NOT NULL,
    loaded_by_sub text        NOT NULL,
    loaded_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE survey_results (
    load_id       uuid        NOT NULL REFERENCES survey_loads (id),
    question_id   text        NOT NULL,
    respondents   integer     NOT NULL CHECK (respondents > 0),
    yes           integer     NOT NULL CHECK (yes >= 0 AND yes <= respondents),
    PRIMARY KEY (load_id, question_id)
);
