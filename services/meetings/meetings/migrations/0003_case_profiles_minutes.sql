-- Issue 18 item 5: meeting packs carry what members need to decide, and meetings produce
-- minutes (議事録) with an attendance record.

-- 世帯概要 of each case as intake publishes it (ConsultationReceived, CaseClassified): codes,
-- bands and flags only, never who the people are. ``as_of`` is the received time of the
-- consultation the age band, 校区 and household were last taken from, so a consultation
-- entered late (an earlier received_at) does not overwrite a newer picture.
CREATE TABLE case_profiles (
    case_id               uuid        PRIMARY KEY,
    age_band              text,
    school_district_code  text,
    issue_codes           text[]      NOT NULL DEFAULT '{}',
    is_complex            boolean     NOT NULL DEFAULT false,
    between_systems       boolean     NOT NULL DEFAULT false,
    household_situations  text[],     -- NULL: no household registered (unknown, not "none")
    household_size_band   text,
    as_of                 timestamptz
);

-- 開催場所: set for a 臨時 meeting when it is added, or when the meeting is held.
ALTER TABLE meetings ADD COLUMN place text;

-- 出欠: one row per member when the meeting is held (present or absent).
CREATE TABLE meeting_attendance (
    meeting_id   uuid        NOT NULL REFERENCES meetings (id),
    agency_id    text        NOT NULL,
    present      boolean     NOT NULL,
    recorded_on  date        NOT NULL,
    recorded_by  text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, agency_id)
);

-- A submitted plan's goals as codes, for plans written in another program (参加支援: the
-- planned stages, from participation.PlanSubmitted). Their wording stays in that program.
ALTER TABLE plans ADD COLUMN goal_codes text[];
