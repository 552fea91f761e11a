-- A generation number that grows with every change of the groups and the
-- settings (the school's name and domain). Readers keep the group list and
-- the school in memory and check the number at every request: one tiny
-- query instead of reading them again, and still never a stale answer.
INSERT INTO counters (name, value) VALUES ('generation', 0);
CREATE TRIGGER groups_generation_insert AFTER INSERT ON groups BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
CREATE TRIGGER groups_generation_update AFTER UPDATE ON groups BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
CREATE TRIGGER groups_generation_delete AFTER DELETE ON groups BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
CREATE TRIGGER settings_generation_insert AFTER INSERT ON settings BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
CREATE TRIGGER settings_generation_update AFTER UPDATE ON settings BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
CREATE TRIGGER settings_generation_delete AFTER DELETE ON settings BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'generation';
END;
