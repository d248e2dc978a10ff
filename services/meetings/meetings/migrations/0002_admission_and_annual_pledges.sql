-- Issue 12 item 6: membership of a 支援会議 is 社協's decision per meeting, and the 守秘義務
-- pledge is one per agency and fiscal year.

-- Default participants are invited; 社協 admits them (admitted_on). Members added by 社協 for
-- particular cases are admitted by that same decision.
ALTER TABLE meeting_members ADD COLUMN admitted_on date, ADD COLUMN admitted_by text;
UPDATE meeting_members SET admitted_on = added_at::date, admitted_by = added_by
    WHERE source = 'case';

-- 守秘義務の誓約 (社会福祉法106条の6): one per agency per fiscal year, covering every 支援会議
-- of that year the agency is admitted to. Recorded by 社協.
CREATE TABLE annual_pledges (
    agency_id           text        NOT NULL,
    fiscal_year         integer     NOT NULL,
    pledged_on          date        NOT NULL,
    recorded_by         text        NOT NULL,
    recorded_by_agency  text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year)
);

-- Pledges recorded per meeting before: each agency's earliest of a year becomes its annual
-- pledge, and the members that had pledged stay able to take part (admitted).
INSERT INTO annual_pledges (agency_id, fiscal_year, pledged_on, recorded_by, recorded_by_agency)
SELECT DISTINCT ON (p.agency_id, m.fiscal_year)
       p.agency_id, m.fiscal_year, p.pledged_on, p.recorded_by, p.recorded_by_agency
  FROM pledges p JOIN meetings m ON m.id = p.meeting_id
 ORDER BY p.agency_id, m.fiscal_year, p.pledged_on;
UPDATE meeting_members mm SET admitted_on = p.pledged_on, admitted_by = p.recorded_by
  FROM pledges p
 WHERE p.meeting_id = mm.meeting_id AND p.agency_id = mm.agency_id AND mm.admitted_on IS NULL;
DROP TABLE pledges;
