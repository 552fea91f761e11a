package mail

import (
	"database/sql"
	"strings"
	"testing"

	"kaspel/server/store"
)

// bulkInbox puts n messages from sender into owner's inbox with two
// statements, for paging tests and the benchmark (sending 100,000
// messages one by one would take minutes). Every third one is read.
func bulkInbox(t testing.TB, db *store.DB, senderID, ownerID int64, n int) {
	t.Helper()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var before int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM mail_messages`).Scan(&before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
			INSERT INTO mail_messages (kind, sender_id, sender_login, sender_name, recipients, subject, body, sent_at)
			SELECT 'mail', ?, 'anna.schmidt', 'Anna Schmidt', '[{"address":"ben.becker@gsborsum.de","name":"Ben Becker","kind":"person"}]',
				'Nachricht ' || i, 'Text ' || i, ? FROM seq`, n, senderID, store.FormatTime(start)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_boxes (person_id, message_id, folder, read)
			SELECT ?, id, 'inbox', id % 3 = 0 FROM mail_messages WHERE id > ?`, ownerID, before)
		return err
	})
	if err != nil {
		t.Fatalf("bulk insert: %v", err)
	}
}

// The queries a full mailbox runs on every click walk an index and never
// sort or scan: that is what keeps a page of 100,000 messages fast (see
// BenchmarkInboxPage for the times).
func TestQueryPlans(t *testing.T) {
	e := newEnv(t)
	bulkInbox(t, e.db, e.anna.ID, e.ben.ID, 1000)
	if _, err := e.db.W.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		query string
		args  []any
		want  string
	}{
		{"page", pageQuery, []any{e.ben.ID, Inbox, 1 << 62, 51}, "USING INDEX mail_boxes_page (person_id=? AND folder=? AND message_id<?)"},
		{"page of a small folder", pageQuery, []any{e.ben.ID, Trash, 1 << 62, 51}, "USING INDEX mail_boxes_page (person_id=? AND folder=? AND message_id<?)"},
		{"unread counts", `SELECT folder, COUNT(*) FROM mail_boxes INDEXED BY mail_boxes_unread WHERE person_id = ? AND read = 0 GROUP BY folder`,
			[]any{e.ben.ID}, "mail_boxes_unread"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := e.db.R.QueryContext(ctx, `EXPLAIN QUERY PLAN `+tt.query, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "; ")
			if !strings.Contains(all, tt.want) {
				t.Errorf("plan %q lacks %q", all, tt.want)
			}
			for _, bad := range []string{"TEMP B-TREE", "SCAN b", "SCAN mail_boxes"} {
				if strings.Contains(all, bad) {
					t.Errorf("plan %q has %q", all, bad)
				}
			}
		})
	}
}

// BenchmarkInboxPage pages an inbox of 100,000 messages: the first page,
// a page 90,000 messages deep, and the folder counts the client shows
// beside the folders.
func BenchmarkInboxPage(b *testing.B) {
	e := newEnv(b)
	const n = 100_000
	bulkInbox(b, e.db, e.anna.ID, e.ben.ID, n)
	if _, err := e.db.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	first, err := e.svc.Page(ctx, e.ben.ID, Inbox, 0, 50)
	if err != nil {
		b.Fatal(err)
	}
	deep := first.Messages[0].ID - 90_000
	for _, bm := range []struct {
		name   string
		cursor int64
	}{{"first", 0}, {"deep", deep}} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				p, err := e.svc.Page(ctx, e.ben.ID, Inbox, bm.cursor, 50)
				if err != nil || len(p.Messages) != 50 {
					b.Fatalf("got %d messages, %v", len(p.Messages), err)
				}
			}
		})
	}
	b.Run("folders", func(b *testing.B) {
		for b.Loop() {
			f, err := e.svc.FolderList(ctx, e.ben.ID)
			if err != nil || f[0].Total != n {
				b.Fatalf("got %+v, %v", f, err)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.svc.Message(ctx, e.ben.ID, deep, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
