-- How far each person has read each topic: posts with a higher id (by
-- others) are new to them. A row appears when the person first opens the
-- topic; a topic never opened counts all its posts by others as new.
CREATE TABLE forum_reads (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    topic_id  INTEGER NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    last_read INTEGER NOT NULL,
    PRIMARY KEY (person_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX forum_reads_topic ON forum_reads (topic_id);
