-- 見守りネットワーク concern reports. noticed/location/reporter_contact are personal:
-- read only through the API, every read audited.
CREATE TABLE concerns (
    id                    uuid        PRIMARY KEY,
    agency_id             text        NOT NULL,
    school_district_code  text        NOT NULL,
    reporter_type         text        NOT NULL,
    urgency               text        NOT NULL,
    issue_codes           text[]      NOT NULL,
    noticed               text        NOT NULL,
    location              text        NOT NULL,
    reporter_contact      text,
    reported_on           date        NOT NULL,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX concerns_reported ON concerns (reported_on);

-- Agencies whose intake queued a concern (intake.ConsultationReceived with concern_id):
-- they may read its details.
CREATE TABLE concern_access (
    concern_id       uuid        NOT NULL REFERENCES concerns (id),
    agency_id        text        NOT NULL,
    consultation_id  uuid        NOT NULL,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (concern_id, agency_id)
);
