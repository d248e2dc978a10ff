-- 社会資源 directory, HSDS-shaped: participation's own entries (source 'own') and the read
-- model of community's directory (source 'community', codes only, from kasane.community.v1).
CREATE TABLE resources (
    resource_id           uuid        PRIMARY KEY,
    source                text        NOT NULL CHECK (source IN ('own', 'community')),
    version               integer     NOT NULL DEFAULT 1,
    category              text        NOT NULL,
    organization          jsonb,      -- HSDS organization (name, url, ...), own entries only
    service               jsonb,      -- HSDS service (name, description)
    location              jsonb,      -- HSDS location (name, address)
    schedules             jsonb       NOT NULL DEFAULT '[]',
    school_district_code  text,
    program_code          text,
    age_min               integer,
    age_max               integer,
    capacity              integer,    -- as published (community) or entered (own)
    capacity_override     integer,    -- places アソウ set aside for participants
    withdrawn_on          date,
    created_by            text,
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resources_category ON resources (category) WHERE withdrawn_on IS NULL;

-- What participation knows of referrals into it (from kasane.referral.v1).
CREATE TABLE referral_grants (
    referral_id           uuid        PRIMARY KEY,
    case_id               uuid        NOT NULL,
    from_agency_id        text        NOT NULL,
    to_agency_id          text,
    to_program            text,
    legal_basis           text        NOT NULL,
    status                text        NOT NULL
);

-- 参加者: one person's participation, from a referral or a meeting decision.
CREATE TABLE participants (
    participant_id        uuid        PRIMARY KEY,
    case_id               uuid        NOT NULL,
    referral_id           uuid        UNIQUE,
    meeting_decision_id   uuid,
    legal_basis           text        NOT NULL,
    referring_agency_id   text,
    status                text        NOT NULL CHECK (status IN
                              ('enrolled', 'plan_submitted', 'active', 'ended', 'revoked')),
    age_band              text,
    school_district_code  text,
    started_on            date        NOT NULL,
    ended_on              date,
    outcome_code          text,
    created_by            text
);
CREATE INDEX participants_case ON participants (case_id);

-- 参加支援プラン: wishes, goals, planned steps (personal, audited).
CREATE TABLE plans (
    plan_id               uuid        PRIMARY KEY,
    participant_id        uuid        NOT NULL REFERENCES participants,
    wishes                text        NOT NULL,
    goals                 text        NOT NULL,
    planned_steps         jsonb       NOT NULL,
    status                text        NOT NULL CHECK (status IN
                              ('submitted', 'approved', 'returned')),
    submitted_on          date        NOT NULL,
    review_on             date,
    decided_on            date,
    meeting_id            uuid,
    decision_reason_code  text,
    submitted_by          text        NOT NULL
);
CREATE INDEX plans_participant ON plans (participant_id);

-- 居場所・就労体験・就労・住まい への 受け入れ (placement).
CREATE TABLE placements (
    placement_id          uuid        PRIMARY KEY,
    participant_id        uuid        NOT NULL REFERENCES participants,
    resource_id           uuid        NOT NULL REFERENCES resources,
    status                text        NOT NULL CHECK (status IN ('active', 'ended')),
    started_on            date        NOT NULL,
    planned_end_on        date,
    ended_on              date,
    outcome_code          text
);
CREATE INDEX placements_resource ON placements (resource_id) WHERE status = 'active';
CREATE INDEX placements_participant ON placements (participant_id);

-- 段階的な社会とのつながりの回復: steps recorded over time (notes are personal).
CREATE TABLE steps (
    step_id               uuid        PRIMARY KEY,
    participant_id        uuid        NOT NULL REFERENCES participants,
    stage                 text        NOT NULL,
    reached_on            date        NOT NULL,
    note                  text,
    recorded_by           text        NOT NULL,
    recorded_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX steps_participant ON steps (participant_id, reached_on);
