-- The intake read model (cases, consents) in its one shared shape, kasane.intake_view
-- (docs/architecture/intake-view.md); meetings keeps the same tables.
-- Existing rows stay as they are. What referral did not keep before (a consent's meeting
-- types and method) starts empty and is filled in by a replay of kasane.intake.v1; referral
-- does not read it. A withdrawal seen before its record was kept with consented_on = the
-- withdrawal date, which is never in force either, so those rows need no change.

-- Rows without a lead: a closure seen before the opening (it used to be lost).
ALTER TABLE cases
    ALTER COLUMN lead_agency_id DROP NOT NULL,
    ALTER COLUMN opened_on DROP NOT NULL;

ALTER TABLE consents
    ALTER COLUMN scope_agencies SET DEFAULT '{}',
    ALTER COLUMN scope_programs SET DEFAULT '{}',
    ADD COLUMN scope_meeting_types text[] NOT NULL DEFAULT '{}',
    ADD COLUMN method text,
    ALTER COLUMN consented_on DROP NOT NULL;

ALTER INDEX consents_case RENAME TO consents_by_case;

COMMENT ON TABLE cases IS 'intake read model: shape owned by kasane.intake_view';
COMMENT ON TABLE consents IS 'intake read model: shape owned by kasane.intake_view';
