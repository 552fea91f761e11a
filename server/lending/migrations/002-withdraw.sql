-- A registration taken back (by the parents while the registration is
-- open, or by the lending staff) is kept for the record like a replaced
-- one: replaced_at is when, withdrawn_by who, replaced_by stays NULL.
ALTER TABLE lending_registrations ADD COLUMN withdrawn_by TEXT;
