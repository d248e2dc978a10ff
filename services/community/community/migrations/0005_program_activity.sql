-- Community-building program activity: one row per revision of a report
-- (program, month, 校区 or '' for city-wide). report_id is stable across revisions.
CREATE TABLE program_activity (
    report_id             uuid        NOT NULL,
    revision              integer     NOT NULL CHECK (revision >= 1),
    program_code          text        NOT NULL,
    month                 text        NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    school_district_code  text        NOT NULL DEFAULT '',
    sessions              integer     NOT NULL CHECK (sessions >= 0),
    participants          integer     NOT NULL CHECK (participants >= 0),
    fiscal_year           integer     NOT NULL,
    agency_id             text        NOT NULL,
    reported_by           text        NOT NULL,
    reported_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, revision),
    UNIQUE (program_code, month, school_district_code, revision)
);
CREATE INDEX program_activity_fy ON program_activity (program_code, fiscal_year);
