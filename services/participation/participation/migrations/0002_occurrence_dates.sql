-- Issue 18: the day a referral into 参加支援 was made (from referral.ReferralRequested v2),
-- so an enrolment dated after the fact cannot be dated before it. NULL for grants seen
-- before this migration (no lower bound is checked then).
ALTER TABLE referral_grants ADD COLUMN requested_on date;
