-- Read model of intake's cases (owner = lead agency). Rebuildable from kasane.intake.v1.
CREATE TABLE cases (
    case_id               uuid        PRIMARY KEY,
    lead_agency_id        text        NOT NULL,
    opened_on             date        NOT NULL,
    closed_on             date
);

-- Read model of intake's consents (本人同意): scope and validity only, never the person.
CREATE TABLE consents (
    consent_id            uuid        PRIMARY KEY,
    case_id               uuid        NOT NULL,
    scope_agencies        text[]      NOT NULL,
    scope_programs        text[]      NOT NULL,
    consented_on          date        NOT NULL,
    expires_on            date,
    withdrawn_on          date
);
CREATE INDEX consents_case ON consents (case_id);

-- つなぎ: one referral from an agency to an agency or into a program.
CREATE TABLE referrals (
    referral_id                 uuid        PRIMARY KEY,
    case_id                     uuid        NOT NULL,
    owner_agency_id             text        NOT NULL,  -- the case's lead agency when sent
    from_agency_id              text        NOT NULL,
    to_agency_id                text,
    to_program                  text,
    receiver_agency_id          text        NOT NULL,  -- to_agency, or the program operator
    reason_codes                text[]      NOT NULL,
    note                        text,                  -- free text: personal, audited
    legal_basis                 text        NOT NULL,
    consent_id                  uuid,
    support_meeting_decision_id uuid,
    status                      text        NOT NULL,
    requested_at                timestamptz NOT NULL,
    requested_by                text        NOT NULL,
    due_on                      date        NOT NULL,
    decided_at                  timestamptz,           -- accepted or declined
    decline_reason_code         text,
    completed_at                timestamptz,
    outcome_code                text,
    revoked_at                  timestamptz,
    revoke_reason_code          text,
    CHECK ((to_agency_id IS NULL) <> (to_program IS NULL)),
    CHECK (legal_basis IN ('consent', 'support_meeting')),
    CHECK (status IN ('requested', 'accepted', 'declined', 'completed', 'revoked'))
);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_consent ON referrals (consent_id) WHERE consent_id IS NOT NULL;
CREATE INDEX referrals_from ON referrals (from_agency_id, status);
CREATE INDEX referrals_receiver ON referrals (receiver_agency_id, status);
CREATE INDEX referrals_owner ON referrals (owner_agency_id, status);
