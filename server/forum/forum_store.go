package forum

// All SQL of the forum module lives in this file.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

type scanner interface{ Scan(dest ...any) error }

// --- forums

const forumCols = `f.id, f.kind, COALESCE(f.group_id, 0), f.name, f.description, f.roles, f.created_by, f.created_at,
	(SELECT COUNT(*) FROM forum_topics t WHERE t.forum_id = f.id),
	COALESCE((SELECT MAX(t.last_post_at) FROM forum_topics t WHERE t.forum_id = f.id), '')`

func scanForum(s scanner) (Forum, error) {
	var f Forum
	var roles, created, last string
	if err := s.Scan(&f.ID, &f.Kind, &f.GroupID, &f.Name, &f.Description, &roles, &f.CreatedBy, &created, &f.Topics, &last); err != nil {
		return f, err
	}
	if err := json.Unmarshal([]byte(roles), &f.Roles); err != nil {
		return f, fmt.Errorf("roles %q: %w", roles, err)
	}
	var err error
	if f.CreatedAt, err = store.ParseTime(created); err != nil {
		return f, err
	}
	f.LastPostAt, err = store.ParseTime(last)
	return f, err
}

func queryForums(ctx context.Context, q querier, where string, args ...any) ([]Forum, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+forumCols+` FROM forums f `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("forum: query forums: %w", err)
	}
	defer rows.Close()
	var out []Forum
	for rows.Next() {
		f, err := scanForum(rows)
		if err != nil {
			return nil, fmt.Errorf("forum: read forum: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func forumByID(ctx context.Context, q querier, id int64) (Forum, error) {
	list, err := queryForums(ctx, q, `WHERE f.id = ?`, id)
	if err != nil {
		return Forum{}, err
	}
	if len(list) == 0 {
		return Forum{}, ErrNoForum
	}
	return list[0], nil
}

// listForums returns the school forums and the forums of the groups.
func listForums(ctx context.Context, q querier, groupIDs []int64) ([]Forum, error) {
	return queryForums(ctx, q, `WHERE f.kind = 'school' OR f.group_id IN (SELECT value FROM json_each(?))`, store.IDsJSON(groupIDs))
}

// ensureGroupForums creates the forums of the groups that have none yet.
func ensureGroupForums(ctx context.Context, tx *sql.Tx, groupIDs []int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO forums (kind, group_id, created_at)
		SELECT 'group', value, ? FROM json_each(?) WHERE true ON CONFLICT (group_id) DO NOTHING`,
		store.FormatTime(now), store.IDsJSON(groupIDs))
	if err != nil {
		return fmt.Errorf("forum: create group forums: %w", err)
	}
	return nil
}

// schoolForumNamed reports whether a school forum other than except has
// the name (case-insensitively).
func schoolForumNamed(ctx context.Context, q querier, name string, except int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM forums WHERE kind = 'school' AND name = ? COLLATE NOCASE AND id <> ?)`,
		name, except).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("forum: forum named %q: %w", name, err)
	}
	return n == 1, nil
}

func rolesJSON(roles []directory.Role) string {
	if roles == nil {
		roles = []directory.Role{}
	}
	b, _ := json.Marshal(roles) // strings only: cannot fail
	return string(b)
}

func insertSchoolForum(ctx context.Context, tx *sql.Tx, f *Forum) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO forums (kind, name, description, roles, created_by, created_at) VALUES ('school', ?, ?, ?, ?, ?)`,
		f.Name, f.Description, rolesJSON(f.Roles), f.CreatedBy, store.FormatTime(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("forum: insert forum: %w", err)
	}
	if f.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("forum: insert forum: %w", err)
	}
	return nil
}

func updateSchoolForum(ctx context.Context, tx *sql.Tx, f Forum) error {
	res, err := tx.ExecContext(ctx, `UPDATE forums SET name = ?, description = ?, roles = ? WHERE id = ? AND kind = 'school'`,
		f.Name, f.Description, rolesJSON(f.Roles), f.ID)
	return affectedOne(res, err, "update forum", ErrNoForum)
}

func deleteForum(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM forums WHERE id = ?`, id)
	return affectedOne(res, err, "delete forum", ErrNoForum)
}

func topicCount(ctx context.Context, q querier, forumID int64) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM forum_topics WHERE forum_id = ?`, forumID).Scan(&n); err != nil {
		return 0, fmt.Errorf("forum: count topics: %w", err)
	}
	return n, nil
}

// --- moderators

func moderatorIDs(ctx context.Context, q querier, forumID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id FROM forum_moderators WHERE forum_id = ? ORDER BY named_at, person_id`, forumID)
	if err != nil {
		return nil, fmt.Errorf("forum: moderators: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("forum: moderators: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// moderatedBy lists the forums a person moderates.
func moderatedBy(ctx context.Context, q querier, personID int64) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT forum_id FROM forum_moderators WHERE person_id = ?`, personID)
	if err != nil {
		return nil, fmt.Errorf("forum: moderated forums: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("forum: moderated forums: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

func insertModerator(ctx context.Context, tx *sql.Tx, forumID, personID int64, by string, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO forum_moderators (forum_id, person_id, named_by, named_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, forumID, personID, by, store.FormatTime(at))
	return changed(res, err, "name moderator")
}

func deleteModerator(ctx context.Context, tx *sql.Tx, forumID, personID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM forum_moderators WHERE forum_id = ? AND person_id = ?`, forumID, personID)
	return changed(res, err, "remove moderator")
}

// --- topics

const topicCols = `t.id, t.forum_id, t.title, COALESCE(t.author_id, 0), t.author_login, t.author_name, t.created_at, t.posts,
	t.last_post_id, t.last_post_at`

func scanTopic(s scanner) (Topic, error) {
	var t Topic
	var created, last string
	err := s.Scan(&t.ID, &t.ForumID, &t.Title, &t.Author.ID, &t.Author.Login, &t.Author.Name, &created, &t.Posts, &t.LastPostID, &last)
	if err != nil {
		return t, err
	}
	if t.CreatedAt, err = store.ParseTime(created); err != nil {
		return t, err
	}
	t.LastPostAt, err = store.ParseTime(last)
	return t, err
}

func topicByID(ctx context.Context, q querier, id int64) (Topic, error) {
	t, err := scanTopic(q.QueryRowContext(ctx, `SELECT `+topicCols+` FROM forum_topics t WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNoTopic
	}
	if err != nil {
		return t, fmt.Errorf("forum: topic %d: %w", id, err)
	}
	return t, nil
}

// topicsPage reads a forum's topics with the latest activity first,
// below a cursor (a last_post_id), walking the index forum_topics_page.
func topicsPage(ctx context.Context, q querier, forumID, before int64, limit int) ([]Topic, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+topicCols+` FROM forum_topics t
		WHERE t.forum_id = ? AND t.last_post_id < ? ORDER BY t.last_post_id DESC LIMIT ?`, forumID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("forum: topics of %d: %w", forumID, err)
	}
	defer rows.Close()
	var out []Topic
	for rows.Next() {
		t, err := scanTopic(rows)
		if err != nil {
			return nil, fmt.Errorf("forum: topics of %d: %w", forumID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func insertTopic(ctx context.Context, tx *sql.Tx, t *Topic) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO forum_topics (forum_id, title, author_id, author_login, author_name, created_at, last_post_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ForumID, t.Title, nullID(t.Author.ID), t.Author.Login, t.Author.Name,
		store.FormatTime(t.CreatedAt), store.FormatTime(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("forum: insert topic: %w", err)
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("forum: insert topic: %w", err)
	}
	return nil
}

// refreshTopic recounts a topic's posts after one was added or deleted,
// and deletes the topic when none is left. It reports whether the topic
// is still there.
func refreshTopic(ctx context.Context, tx *sql.Tx, topicID int64) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM forum_posts WHERE topic_id = ?`, topicID).Scan(&n); err != nil {
		return false, fmt.Errorf("forum: count posts: %w", err)
	}
	if n == 0 {
		return false, deleteTopic(ctx, tx, topicID)
	}
	_, err := tx.ExecContext(ctx, `UPDATE forum_topics SET posts = ?,
		last_post_id = (SELECT MAX(id) FROM forum_posts WHERE topic_id = ?),
		last_post_at = (SELECT created_at FROM forum_posts WHERE topic_id = ? ORDER BY id DESC LIMIT 1)
		WHERE id = ?`, n, topicID, topicID, topicID)
	if err != nil {
		return false, fmt.Errorf("forum: refresh topic %d: %w", topicID, err)
	}
	return true, nil
}

func deleteTopic(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM forum_topics WHERE id = ?`, id)
	return affectedOne(res, err, "delete topic", ErrNoTopic)
}

// --- posts

const postCols = `p.id, p.topic_id, COALESCE(p.author_id, 0), p.author_login, p.author_name, p.body, p.created_at,
	COALESCE(p.edited_at, ''), COALESCE(p.hidden_at, ''), p.hidden_by, p.hidden_reason`

func scanPost(s scanner) (Post, error) {
	var p Post
	var created, edited, hidden string
	err := s.Scan(&p.ID, &p.TopicID, &p.Author.ID, &p.Author.Login, &p.Author.Name, &p.Text, &created, &edited, &hidden,
		&p.HiddenBy, &p.HiddenReason)
	if err != nil {
		return p, err
	}
	for _, x := range []struct {
		dst *time.Time
		src string
	}{{&p.CreatedAt, created}, {&p.EditedAt, edited}, {&p.HiddenAt, hidden}} {
		if *x.dst, err = store.ParseTime(x.src); err != nil {
			return p, err
		}
	}
	p.Hidden = !p.HiddenAt.IsZero()
	return p, nil
}

func postByID(ctx context.Context, q querier, id int64) (Post, error) {
	p, err := scanPost(q.QueryRowContext(ctx, `SELECT `+postCols+` FROM forum_posts p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNoPost
	}
	if err != nil {
		return p, fmt.Errorf("forum: post %d: %w", id, err)
	}
	return p, nil
}

// postsPage reads a topic's posts oldest first, after a cursor (a post id).
func postsPage(ctx context.Context, q querier, topicID, after int64, limit int) ([]Post, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+postCols+` FROM forum_posts p WHERE p.topic_id = ? AND p.id > ? ORDER BY p.id LIMIT ?`,
		topicID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("forum: posts of %d: %w", topicID, err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("forum: posts of %d: %w", topicID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func insertPost(ctx context.Context, tx *sql.Tx, p *Post) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO forum_posts (topic_id, author_id, author_login, author_name, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.TopicID, nullID(p.Author.ID), p.Author.Login, p.Author.Name, p.Text, store.FormatTime(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("forum: insert post: %w", err)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("forum: insert post: %w", err)
	}
	return nil
}

func updatePostText(ctx context.Context, tx *sql.Tx, id int64, text string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE forum_posts SET body = ?, edited_at = ? WHERE id = ?`, text, store.FormatTime(at), id)
	return affectedOne(res, err, "edit post", ErrNoPost)
}

func setHidden(ctx context.Context, tx *sql.Tx, id int64, at time.Time, by, reason string) error {
	var hidden any
	if !at.IsZero() {
		hidden = store.FormatTime(at)
	}
	res, err := tx.ExecContext(ctx, `UPDATE forum_posts SET hidden_at = ?, hidden_by = ?, hidden_reason = ? WHERE id = ?`, hidden, by, reason, id)
	return affectedOne(res, err, "hide post", ErrNoPost)
}

func deletePost(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM forum_posts WHERE id = ?`, id)
	return affectedOne(res, err, "delete post", ErrNoPost)
}

// --- helpers

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func affectedOne(res sql.Result, err error, what string, none error) error {
	ok, err := changed(res, err, what)
	if err != nil {
		return err
	}
	if !ok {
		return none
	}
	return nil
}

func changed(res sql.Result, err error, what string) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("forum: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("forum: %s: %w", what, err)
	}
	return n > 0, nil
}
