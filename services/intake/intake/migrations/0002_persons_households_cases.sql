-- Persons, households, cases, consents, 支援経過記録, the concern queue and access grants.
-- Personal data lives only here (DESIGN.md section 4); events carry ids and codes.

CREATE TABLE persons (
    id                    uuid        PRIMARY KEY,
    name                  text        NOT NULL,
    kana                  text        NOT NULL,
    kana_normalized       text        NOT NULL,
    birth_date            date,
    sex                   text,
    address               text,
    address_normalized    text,
    phone                 text,
    school_district_code  text,
    registered_by_agency  text        NOT NULL,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_kana ON persons (kana_normalized);
CREATE INDEX persons_birth ON persons (birth_date);
CREATE INDEX persons_address ON persons (address_normalized);

-- Staff decided two records are the same person; never merged automatically.
CREATE TABLE person_links (
    person_id        uuid        NOT NULL REFERENCES persons (id),
    linked_person_id uuid        NOT NULL REFERENCES persons (id),
    linked_by        text        NOT NULL,
    linked_agency    text        NOT NULL,
    linked_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, linked_person_id),
    CHECK (person_id <> linked_person_id)
);

CREATE TABLE households (
    id                   uuid        PRIMARY KEY,
    registered_by_agency text        NOT NULL,
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE household_members (
    household_id  uuid NOT NULL REFERENCES households (id),
    person_id     uuid NOT NULL REFERENCES persons (id),
    relationship  text NOT NULL,
    care_role     text,
    PRIMARY KEY (household_id, person_id)
);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE cases (
    id                    uuid        PRIMARY KEY,
    household_id          uuid        REFERENCES households (id),
    primary_person_id     uuid        REFERENCES persons (id),
    lead_agency_id        text        NOT NULL,
    status                text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_on             date        NOT NULL,
    school_district_code  text,
    issue_codes           text[]      NOT NULL DEFAULT '{}',
    between_systems       boolean     NOT NULL DEFAULT false,
    closed_on             date,
    close_reason          text,
    close_note            text,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
-- One open case per household episode.
CREATE UNIQUE INDEX cases_one_open_per_household ON cases (household_id) WHERE status = 'open';
CREATE INDEX cases_lead ON cases (lead_agency_id, status);

ALTER TABLE consultations
    ADD COLUMN case_id               uuid REFERENCES cases (id),
    ADD COLUMN person_id             uuid REFERENCES persons (id),
    ADD COLUMN consulted_by          text,
    ADD COLUMN urgency               text NOT NULL DEFAULT 'normal',
    ADD COLUMN narrative             text,
    ADD COLUMN outcome               text,
    ADD COLUMN between_systems       boolean NOT NULL DEFAULT false,
    ADD COLUMN between_systems_reason text,
    ADD COLUMN concern_id            uuid;
CREATE INDEX consultations_case ON consultations (case_id);

CREATE TABLE consents (
    id                  uuid        PRIMARY KEY,
    case_id             uuid        NOT NULL REFERENCES cases (id),
    person_id           uuid        NOT NULL REFERENCES persons (id),
    scope_agencies      text[]      NOT NULL,
    scope_programs      text[]      NOT NULL,
    scope_meeting_types text[]      NOT NULL,
    method              text        NOT NULL,
    consented_on        date        NOT NULL,
    expires_on          date,
    withdrawn_on        date,
    recorded_by         text        NOT NULL,
    recorded_agency     text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_case ON consents (case_id);

-- 支援経過記録: the case's dated timeline.
CREATE TABLE case_records (
    id             uuid        PRIMARY KEY,
    case_id        uuid        NOT NULL REFERENCES cases (id),
    kind           text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    body           text        NOT NULL,
    author_sub     text        NOT NULL,
    author_agency  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_records_case ON case_records (case_id, occurred_at);

-- 見守りネットワーク concerns waiting for an agency to take them as a consultation.
CREATE TABLE pending_consultations (
    concern_id            uuid        PRIMARY KEY,
    agency_id             text        NOT NULL,
    school_district_code  text        NOT NULL,
    issue_codes           text[]      NOT NULL,
    urgency               text        NOT NULL,
    reported_on           date        NOT NULL,
    status                text        NOT NULL DEFAULT 'pending'
                                      CHECK (status IN ('pending', 'taken')),
    consultation_id       uuid,
    received_event_id     uuid        NOT NULL
);
CREATE INDEX pending_consultations_queue ON pending_consultations (agency_id, status, reported_on);

-- Access other agencies hold to a case, learned from referral and meeting events.
CREATE TABLE access_grants (
    case_id       uuid        NOT NULL,
    agency_id     text        NOT NULL,
    source        text        NOT NULL CHECK (source IN ('referral', 'meeting', 'plan')),
    source_id     uuid        NOT NULL,
    legal_basis   text        NOT NULL,
    consent_id    uuid,
    granted_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    event_id      uuid        NOT NULL,
    PRIMARY KEY (case_id, agency_id, source, source_id)
);
CREATE INDEX access_grants_source ON access_grants (source, source_id);
