-- Activity is reported per component or facility of a program (the five 講座 of
-- 地域介護予防活動支援, Ⅰ型/Ⅲ型 centres, …; '' = the whole program), so the key gains it.
ALTER TABLE program_activity ADD COLUMN component_code text NOT NULL DEFAULT '';
DO $$
DECLARE name text;
BEGIN
    -- The old key's constraint (its generated name is truncated, so look it up).
    SELECT conname INTO name FROM pg_constraint
     WHERE conrelid = 'program_activity'::regclass AND contype = 'u';
    EXECUTE format('ALTER TABLE program_activity DROP CONSTRAINT %I', name);
END $$;
ALTER TABLE program_activity ADD CONSTRAINT program_activity_key
    UNIQUE (program_code, component_code, month, school_district_code, revision);
