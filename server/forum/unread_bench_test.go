package forum

import (
	"database/sql"
	"fmt"
	"testing"

	"kaspel/server/store"
)

// A class forum after a busy school year: 400 topics of 25 posts each
// (10,000 posts), Anna has read half of the topics. The forum list (the
// tile's count) and a page of topics, with the new posts counted.
func BenchmarkUnread(b *testing.B) {
	e := newEnv(b, func(c *Config) { c.PupilPostsPerHour, c.StaffPostsPerHour = 1<<30, 1<<30 })
	f := e.forumOf(e.tina, "3a")
	now := store.FormatTime(start)
	err := e.db.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 400 {
			res, err := tx.ExecContext(ctx, `INSERT INTO forum_topics (forum_id, title, author_id, author_login, author_name, created_at, last_post_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, fmt.Sprintf("Thema %d", i), e.tina.ID, e.tina.Login, "Tina Lehmann", now, now)
			if err != nil {
				return err
			}
			topic, _ := res.LastInsertId()
			var last int64
			for j := range 25 {
				author := e.ben
				if j%2 == 0 {
					author = e.tina
				}
				res, err := tx.ExecContext(ctx, `INSERT INTO forum_posts (topic_id, author_id, author_login, author_name, body, created_at)
					VALUES (?, ?, ?, ?, ?, ?)`, topic, author.ID, author.Login, author.Name(), "Beitrag", now)
				if err != nil {
					return err
				}
				last, _ = res.LastInsertId()
			}
			if _, err := tx.ExecContext(ctx, `UPDATE forum_topics SET posts = 25, last_post_id = ? WHERE id = ?`, last, topic); err != nil {
				return err
			}
			if i%2 == 0 {
				if err := markRead(ctx, tx, e.anna.ID, topic, last); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("forum list", func(b *testing.B) {
		for b.Loop() {
			list, err := e.svc.Forums(ctx, e.anna, false)
			if err != nil || len(list) == 0 || list[0].Unread != 200*25 {
				b.Fatalf("%+v, %v", list, err)
			}
		}
	})
	b.Run("topics page", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.svc.Topics(ctx, e.anna, f.ID, 0, 30); err != nil {
				b.Fatal(err)
			}
		}
	})
}
