-- Issue 12 item 6: access learned from other services ends. A meeting grant ends on its
-- last day (expires_on, from meetings.CaseDiscussed v2 access_until), or earlier when the
-- case is closed or its plan ends (revoked_at + end_reason); a later decision renews it
-- with a grant of its own. end_reason says why a grant ended (shown in the 開示請求 log).
ALTER TABLE access_grants ADD COLUMN expires_on date, ADD COLUMN end_reason text;

-- Meeting grants recorded before had no end: as for v1 events, 90 days after the grant.
UPDATE access_grants
   SET expires_on = (granted_at AT TIME ZONE 'Asia/Tokyo')::date + 90
 WHERE source = 'meeting' AND expires_on IS NULL;
