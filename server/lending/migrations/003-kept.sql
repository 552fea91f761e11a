-- What the school keeps of a registration taken back during its school
-- year (RdErl. "Entgeltliche Ausleihe von Lernmitteln": leaving in the
-- first half-year, half is refunded; later nothing): the account's amount
-- due while it has no current registration.
ALTER TABLE lending_accounts ADD COLUMN kept_cents INTEGER NOT NULL DEFAULT 0 CHECK (kept_cents >= 0);
