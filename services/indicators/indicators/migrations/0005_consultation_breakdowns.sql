-- Read model (rebuildable): what the city's reports break consultations down by, and the
-- case, so that 新規相談受付 (a case's first consultation at an agency) can be told from a
-- repeat one. Codes only, as in the event (no personal information).
ALTER TABLE consultation_facts
    ADD COLUMN case_id              uuid,
    ADD COLUMN age_band             text,
    ADD COLUMN school_district_code text,
    ADD COLUMN consulted_by         text;
-- Rows written before this migration carry NULLs until `kasane indicators rebuild`.
CREATE INDEX consultation_facts_case ON consultation_facts (agency_id, case_id);
