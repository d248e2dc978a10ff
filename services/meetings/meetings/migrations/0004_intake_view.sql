-- The intake read model (cases, consents) in its one shared shape, kasane.intake_view
-- (docs/architecture/intake-view.md); referral keeps the same tables. meetings' tables
-- already have that shape (0001), so existing rows need no change: this marks them as the
-- shared model's, so that no one adds a meetings-only column to them.
COMMENT ON TABLE cases IS 'intake read model: shape owned by kasane.intake_view';
COMMENT ON TABLE consents IS 'intake read model: shape owned by kasane.intake_view';
