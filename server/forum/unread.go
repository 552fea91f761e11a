package forum

import (
	"context"
	"database/sql"
	"fmt"

	"kaspel/server/store"
)

// New posts: what others wrote in a topic after the post a person last
// saw there (forum_reads). Opening a page of a topic marks its posts as
// read; the forum list and the topic list say how many are new, so the
// client can show „3 neu“ and a count on the tile.

// unreadByTopic counts the new posts of the topics for the person.
func unreadByTopic(ctx context.Context, q querier, personID int64, topicIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(topicIDs) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT p.topic_id, COUNT(*) FROM forum_posts p
		LEFT JOIN forum_reads r ON r.topic_id = p.topic_id AND r.person_id = ?
		WHERE p.topic_id IN (SELECT value FROM json_each(?)) AND p.id > COALESCE(r.last_read, 0)
			AND (p.author_id IS NULL OR p.author_id <> ?)
		GROUP BY p.topic_id`, personID, store.IDsJSON(topicIDs), personID)
	return countsByID(rows, err, "unread topics")
}

// unreadByForum counts the new posts of the forums for the person.
func unreadByForum(ctx context.Context, q querier, personID int64, forumIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(forumIDs) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT t.forum_id, COUNT(*) FROM forum_topics t
		JOIN forum_posts p ON p.topic_id = t.id
		LEFT JOIN forum_reads r ON r.topic_id = t.id AND r.person_id = ?
		WHERE t.forum_id IN (SELECT value FROM json_each(?)) AND p.id > COALESCE(r.last_read, 0)
			AND (p.author_id IS NULL OR p.author_id <> ?)
		GROUP BY t.forum_id`, personID, store.IDsJSON(forumIDs), personID)
	return countsByID(rows, err, "unread forums")
}

// countsByID reads rows of (id, count).
func countsByID(rows *sql.Rows, err error, what string) (map[int64]int, error) {
	if err != nil {
		return nil, wrap(what, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap(what, err)
		}
		out[id] = n
	}
	return out, wrap(what, rows.Err())
}

// markRead notes that the person has seen the topic up to the post;
// never backwards (an older page opened later changes nothing).
func markRead(ctx context.Context, tx *sql.Tx, personID, topicID, postID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO forum_reads (person_id, topic_id, last_read) VALUES (?, ?, ?)
		ON CONFLICT (person_id, topic_id) DO UPDATE SET last_read = MAX(last_read, excluded.last_read)`, personID, topicID, postID)
	return wrap("mark read", err)
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("forum: %s: %w", what, err)
}
