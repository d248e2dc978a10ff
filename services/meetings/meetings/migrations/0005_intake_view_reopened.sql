-- The intake read model (kasane.intake_view) learns ケース再開 (intake.CaseReopened): the
-- latest reopening date seen, next to the latest closure. A case is closed when its closure
-- is later than its last reopening (docs/architecture/intake-view.md). Existing rows: never
-- reopened (NULL), as before.
ALTER TABLE cases ADD COLUMN reopened_on date;
