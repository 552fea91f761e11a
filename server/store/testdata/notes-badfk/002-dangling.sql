-- A broken migration: a link to a note that does not exist.
INSERT INTO note_links (note_id, url) VALUES (999, 'https://example.org/');
