-- What a field worker notes about a contact besides its day: the time (JST, wall clock),
-- where it happened and how long it took. Optional: older contacts have none.
ALTER TABLE contacts
    ADD COLUMN attempted_time   time,
    ADD COLUMN place            text,
    ADD COLUMN duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 1440);
