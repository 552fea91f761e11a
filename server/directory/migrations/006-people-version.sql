-- A version of the people: it grows with every change of a person, a
-- membership or a consent record. Readers keep the accounts LDAP looks up
-- by login (and the member lists of groups) in memory while it stays, and
-- read it with the generation at every request: a login's searches then
-- cost one tiny query instead of reading the person again, and are never
-- stale, also after a change from the command line in another process.
INSERT INTO counters (name, value) VALUES ('people', 0);
CREATE TRIGGER people_version_insert AFTER INSERT ON people BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER people_version_update AFTER UPDATE ON people BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER people_version_delete AFTER DELETE ON people BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER memberships_version_insert AFTER INSERT ON memberships BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER memberships_version_update AFTER UPDATE ON memberships BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER memberships_version_delete AFTER DELETE ON memberships BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER consents_version_insert AFTER INSERT ON consents BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER consents_version_update AFTER UPDATE ON consents BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
CREATE TRIGGER consents_version_delete AFTER DELETE ON consents BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'people';
END;
