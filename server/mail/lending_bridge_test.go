package mail

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// A notice of another module lands in the person's inbox as a message of
// the server, unread, inside the caller's transaction: rolled back with
// it, it is gone.
func TestNoticesDeliver(t *testing.T) {
	e := newEnv(t)
	n := NewNotices(e.dir)
	body := "Zu zahlen: 33,23 €\nVerwendungszweck: SBA-2026-000017"
	err := e.db.Tx(ctx, func(tx *sql.Tx) error {
		return n.Deliver(ctx, tx, e.anna, "Schulbuchausleihe 2026/27:\n Anmeldung", body, e.clock.now())
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := e.folder(e.anna, Inbox)
	if len(ids) != 1 {
		t.Fatalf("inbox: got %d messages, want 1", len(ids))
	}
	m, err := e.svc.Message(ctx, e.anna.ID, ids[0], false)
	if err != nil {
		t.Fatal(err)
	}
	if !m.System || m.From.Kind != SystemAddress || m.Read || m.Subject != "Schulbuchausleihe 2026/27: Anmeldung" || m.Body != body ||
		len(m.To) != 1 || m.To[0].Address != e.anna.Login+"@gsborsum.de" {
		t.Errorf("got %+v", m)
	}
	if got := e.folder(e.ben, Inbox); len(got) != 0 {
		t.Errorf("Ben got %d messages", len(got))
	}
	// Rolled back with the caller's change.
	boom := errors.New("the registration failed")
	err = e.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := n.Deliver(ctx, tx, e.ben, "x", "y", e.clock.now()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || len(e.folder(e.ben, Inbox)) != 0 {
		t.Errorf("after a rollback: %v, %d messages", err, len(e.folder(e.ben, Inbox)))
	}
	// Over-long subjects are cut to the limit a person's message has.
	if err := e.db.Tx(ctx, func(tx *sql.Tx) error {
		return n.Deliver(ctx, tx, e.clara, strings.Repeat("ä", MaxSubject+50), "x", e.clock.now())
	}); err != nil {
		t.Fatal(err)
	}
	m, err = e.svc.Message(ctx, e.clara.ID, e.folder(e.clara, Inbox)[0], false)
	if err != nil || utf8.RuneCountInString(m.Subject) != MaxSubject {
		t.Errorf("long subject: %d runes, %v", utf8.RuneCountInString(m.Subject), err)
	}
}
