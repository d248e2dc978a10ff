-- Issue 18: the day a referral was made (and accepted), recorded apart from when it was
-- entered (requested_at, decided_at), so work entered after the fact counts in its 年度.
-- Rows entered before this migration were dated by their entry: their day in Japan.
ALTER TABLE referrals ADD COLUMN requested_on date;
UPDATE referrals SET requested_on = (requested_at AT TIME ZONE 'Asia/Tokyo')::date;
ALTER TABLE referrals ALTER COLUMN requested_on SET NOT NULL;

ALTER TABLE referrals ADD COLUMN accepted_on date;
-- decided_at without a decline reason is an acceptance (accepted, completed, or revoked after).
UPDATE referrals SET accepted_on = (decided_at AT TIME ZONE 'Asia/Tokyo')::date
    WHERE decided_at IS NOT NULL AND decline_reason_code IS NULL;
