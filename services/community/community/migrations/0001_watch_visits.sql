-- ふれあいの会 見守り訪問件数: one row per revision of a 校区's monthly figure.
-- The effective figure is the highest revision; earlier rows are the correction history.
CREATE TABLE watch_visits (
    school_district_code  text        NOT NULL,
    month                 text        NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    revision              integer     NOT NULL CHECK (revision >= 1),
    visits                integer     NOT NULL CHECK (visits >= 0),
    fiscal_year           integer     NOT NULL,
    agency_id             text        NOT NULL,
    reported_by           text        NOT NULL,
    reported_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_district_code, month, revision)
);
CREATE INDEX watch_visits_fy ON watch_visits (fiscal_year, school_district_code, month);
