-- Read model (rebuildable): a second count per fact (a program activity report's sessions,
-- beside its participants in `amount`) and the 校区 the event names. Codes and counts only.
ALTER TABLE facts
    ADD COLUMN second_amount        bigint,
    ADD COLUMN school_district_code text;
-- Rows written before this migration carry NULLs until `kasane indicators rebuild`.
