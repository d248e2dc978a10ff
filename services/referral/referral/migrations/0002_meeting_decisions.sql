-- Read model of meetings' decisions (meetings.CaseDiscussed with a decision), so that a
-- referral citing a 支援会議 decision can be checked against what the meeting decided.
-- Rebuildable from kasane.meetings.v1.
CREATE TABLE meeting_decisions (
    decision_id           uuid        PRIMARY KEY,
    case_id               uuid        NOT NULL,
    meeting_id            uuid        NOT NULL,
    meeting_type          text        NOT NULL,
    outcome               text        NOT NULL,
    decided_on            date        NOT NULL,
    member_agency_ids     text[]      NOT NULL,  -- pledged, admitted members it was shared with
    access_until          date                   -- end of the meeting's sharing (NULL: none given)
);
