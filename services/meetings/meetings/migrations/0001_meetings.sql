-- 多機関協働事業 (meetings): 重層的支援会議 and 支援会議, their members and agendas, plans,
-- decisions and resource gaps, plus the read models learned from intake's events.

-- 会議: one row per meeting. Regular meetings (4th Wednesday) are unique per type and month;
-- 臨時 meetings (ad_hoc) can be added on any day.
CREATE TABLE meetings (
    id              uuid        PRIMARY KEY,
    meeting_type    text        NOT NULL
                    CHECK (meeting_type IN ('multilayer_meeting', 'support_meeting')),
    fiscal_year     integer     NOT NULL,
    meeting_date    date        NOT NULL,  -- the day it is (to be) held
    regular_date    date,                  -- the 4th Wednesday it stands for; NULL if 臨時
    ad_hoc          boolean     NOT NULL,
    holiday         boolean     NOT NULL DEFAULT false,  -- regular_date was not a business day
    holiday_name    text,
    status          text        NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'held')),
    held_on         date,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ad_hoc OR regular_date IS NOT NULL),
    CHECK ((status = 'held') = (held_on IS NOT NULL))
);
CREATE UNIQUE INDEX meetings_regular_once ON meetings (meeting_type, regular_date)
    WHERE NOT ad_hoc;
CREATE INDEX meetings_by_year ON meetings (fiscal_year, meeting_date);
CREATE INDEX meetings_next ON meetings (meeting_type, meeting_date) WHERE status = 'scheduled';

-- 参加機関: seed 第4 default participants, plus agencies added for particular cases
-- (case_ids non-empty: they see those cases' items only).
CREATE TABLE meeting_members (
    meeting_id  uuid        NOT NULL REFERENCES meetings (id),
    agency_id   text        NOT NULL,
    source      text        NOT NULL CHECK (source IN ('default', 'case')),
    case_ids    uuid[]      NOT NULL DEFAULT '{}',
    added_by    text        NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, agency_id)
);

-- 守秘義務の誓約 (社会福祉法106条の6): recorded per 支援会議 and member agency.
CREATE TABLE pledges (
    meeting_id          uuid        NOT NULL,
    agency_id           text        NOT NULL,
    pledged_on          date        NOT NULL,
    recorded_by         text        NOT NULL,
    recorded_by_agency  text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, agency_id),
    FOREIGN KEY (meeting_id, agency_id) REFERENCES meeting_members (meeting_id, agency_id)
);

-- Read model of intake's consent events (本人同意). A withdrawal may in theory arrive for an
-- id not seen yet; the row then waits with empty scope until the record arrives.
CREATE TABLE consents (
    consent_id           uuid    PRIMARY KEY,
    case_id              uuid    NOT NULL,
    scope_agencies       text[]  NOT NULL DEFAULT '{}',
    scope_programs       text[]  NOT NULL DEFAULT '{}',
    scope_meeting_types  text[]  NOT NULL DEFAULT '{}',
    method               text,
    consented_on         date,
    expires_on           date,
    withdrawn_on         date
);
CREATE INDEX consents_by_case ON consents (case_id);

-- Read model of intake's case events: lead agency (主担当) and closure.
CREATE TABLE cases (
    case_id         uuid PRIMARY KEY,
    lead_agency_id  text,
    opened_on       date,
    closed_on       date
);

-- 多機関協働へのつなぎ: cases escalated to this program by intake.
CREATE TABLE escalations (
    event_id      uuid    PRIMARY KEY,
    case_id       uuid    NOT NULL,
    escalated_on  date    NOT NULL,
    by_agency_id  text    NOT NULL,
    reason_codes  text[]  NOT NULL
);
CREATE INDEX escalations_by_case ON escalations (case_id);

-- プラン: every program's plans as far as meetings needs them; the content columns are
-- filled only for 多機関協働 plans, which are written here (要配慮個人情報: audited).
CREATE TABLE plans (
    id                   uuid        PRIMARY KEY,
    case_id              uuid        NOT NULL,
    program              text        NOT NULL
                         CHECK (program IN ('multiagency', 'outreach', 'participation')),
    status               text        NOT NULL
                         CHECK (status IN ('draft', 'submitted', 'approved', 'returned', 'ended')),
    owner_ref            uuid,       -- outreach target_id / participation participant_id
    submitted_on         date,
    review_on            date,
    approved_on          date,
    approved_meeting_id  uuid,
    returned_on          date,
    return_reason_code   text,
    ended_on             date,
    end_kind             text        CHECK (end_kind IN ('completed', 'suspended')),
    end_reason_code      text,
    content              jsonb,      -- 希望・課題・目標・役割 (multiagency only)
    version              integer     NOT NULL DEFAULT 1,
    written_by           text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plans_by_case ON plans (case_id);
CREATE INDEX plans_waiting ON plans (submitted_on) WHERE status = 'submitted';

-- 役割分担 decided in meetings; active rows grant the agency access to the plan.
CREATE TABLE plan_roles (
    decision_id  uuid        NOT NULL,
    plan_id      uuid        NOT NULL REFERENCES plans (id),
    agency_id    text        NOT NULL,
    role_code    text        NOT NULL,
    lead         boolean     NOT NULL,
    meeting_id   uuid        NOT NULL,
    assigned_on  date        NOT NULL,
    active       boolean     NOT NULL DEFAULT true,
    PRIMARY KEY (decision_id, agency_id, role_code)
);
CREATE INDEX plan_roles_by_plan ON plan_roles (plan_id) WHERE active;
CREATE INDEX plan_roles_active ON plan_roles (agency_id) WHERE active;

-- 議題: a case, a kind and the legal basis that allows sharing it at this meeting.
CREATE TABLE agenda_items (
    id                    uuid        PRIMARY KEY,
    meeting_id            uuid        NOT NULL REFERENCES meetings (id),
    position              integer     NOT NULL,
    case_id               uuid        NOT NULL,
    kind                  text        NOT NULL,
    legal_basis           text        NOT NULL CHECK (legal_basis IN ('consent', 'support_meeting')),
    consent_id            uuid,
    plan_id               uuid        REFERENCES plans (id),
    presenting_agency_id  text        NOT NULL,
    summary               text,
    source                text        NOT NULL CHECK (source IN ('manual', 'plan_queue')),
    added_by              text        NOT NULL,
    added_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (legal_basis = 'support_meeting' OR consent_id IS NOT NULL),
    UNIQUE (meeting_id, position)
);
CREATE UNIQUE INDEX agenda_items_once ON agenda_items
    (meeting_id, case_id, kind, coalesce(plan_id, '00000000-0000-0000-0000-000000000000'));
CREATE INDEX agenda_items_by_plan ON agenda_items (plan_id) WHERE plan_id IS NOT NULL;

-- 決定事項 (議事録): at most one decision per agenda item.
CREATE TABLE decisions (
    id               uuid        PRIMARY KEY,
    agenda_item_id   uuid        NOT NULL UNIQUE REFERENCES agenda_items (id),
    meeting_id       uuid        NOT NULL REFERENCES meetings (id),
    outcome          text        NOT NULL,
    minutes          text,
    reason_code      text,
    end_kind         text,
    evaluation       text,
    next_review_on   date,
    escalate_to      text,
    roles            jsonb       NOT NULL DEFAULT '[]',
    decided_on       date        NOT NULL,
    decided_by       text        NOT NULL,
    decided_at       timestamptz NOT NULL DEFAULT now()
);

-- 社会資源の不足 (充足状況の把握と開発).
CREATE TABLE resource_gaps (
    id                    uuid        PRIMARY KEY,
    meeting_id            uuid        NOT NULL REFERENCES meetings (id),
    agenda_item_id        uuid        REFERENCES agenda_items (id),
    category_code         text        NOT NULL,
    school_district_code  text,
    description           text,
    raised_on             date        NOT NULL,
    fiscal_year           integer     NOT NULL
);
CREATE INDEX resource_gaps_by_year ON resource_gaps (fiscal_year, raised_on);
