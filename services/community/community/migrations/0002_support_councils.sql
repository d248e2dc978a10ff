-- 支え合い推進会議 (第2層協議体): one row per meeting held in a 校区.
CREATE TABLE support_councils (
    id                    uuid        PRIMARY KEY,
    school_district_code  text        NOT NULL,
    held_on               date        NOT NULL,
    participants          integer     NOT NULL CHECK (participants >= 0),
    topic_codes           text[]      NOT NULL,
    notes                 text,
    fiscal_year           integer     NOT NULL,
    agency_id             text        NOT NULL,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    -- one meeting per 校区 and day: a retried POST cannot count a meeting twice
    UNIQUE (school_district_code, held_on)
);
CREATE INDEX support_councils_fy ON support_councils (fiscal_year, school_district_code);
