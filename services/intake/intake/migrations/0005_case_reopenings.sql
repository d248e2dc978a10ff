-- ケース再開: a closed case opened again. The case row goes back to 'open' (its closure
-- columns cleared, so every open-case rule keeps working unchanged); each reopening keeps
-- the closure it ended, so the case's timeline still shows 終結 and 再開 in order.
-- The note is staff text: it stays here (events carry the reason code only).

ALTER TABLE cases ADD COLUMN reopened_on date;

CREATE TABLE case_reopenings (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL REFERENCES cases (id),
    reopened_on      date        NOT NULL,
    reason           text        NOT NULL,
    note             text,
    closed_on        date        NOT NULL,  -- the closure this reopening ended
    close_reason     text,
    close_note       text,
    reopened_by      text        NOT NULL,
    reopened_agency  text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_reopenings_by_case ON case_reopenings (case_id, reopened_on);
