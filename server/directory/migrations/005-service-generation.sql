-- Removing a service account raises the generation too, so that a
-- connection bound as it may skip re-reading the account while the
-- generation stays (see ldapd's recheck).
CREATE TRIGGER service_accounts_generation_delete AFTER DELETE ON service_accounts BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
CREATE TRIGGER service_accounts_generation_update AFTER UPDATE ON service_accounts BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
