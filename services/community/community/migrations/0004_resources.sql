-- 社会資源 directory (HSDS-shaped document + the columns we filter on).
CREATE TABLE resources (
    id                    uuid        PRIMARY KEY,
    version               integer     NOT NULL CHECK (version >= 1),
    status                text        NOT NULL CHECK (status IN ('published', 'withdrawn')),
    doc                   jsonb       NOT NULL,
    category              text        NOT NULL,
    school_district_code  text,
    program_code          text,
    capacity              integer,
    age_min               integer,
    age_max               integer,
    agency_id             text        NOT NULL,
    withdrawn_on          date,
    updated_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resources_lookup ON resources (status, category, school_district_code);
