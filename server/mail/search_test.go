package mail

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// searchSubjects runs a search and returns the subjects found, newest
// first (all pages).
func (e *env) searchSubjects(p directory.Person, q string, folder Folder) ([]string, error) {
	e.t.Helper()
	var out []string
	var cursor int64
	for {
		pg, err := e.svc.Search(ctx, p.ID, q, folder, cursor, 3)
		if err != nil {
			return nil, err
		}
		for _, m := range pg.Messages {
			out = append(out, m.Subject)
		}
		if pg.Next == 0 {
			return out, nil
		}
		cursor = pg.Next
	}
}

func TestSearch(t *testing.T) {
	e := newEnv(t)
	up, err := e.svc.Upload(ctx, e.ben, "Krokodil-Bericht.pdf", strings.NewReader("%PDF"))
	if err != nil {
		t.Fatal(err)
	}
	// Anna's mailbox, oldest first.
	e.send(e.tina, Draft{To: []string{e.anna.Login}, Subject: "Übung macht den Meister", Body: "Bitte rechnet Seite 12."})
	e.send(e.ben, Draft{To: []string{e.anna.Login}, Subject: "Ausflug", Body: "Hier ist mein Bericht.", Attachments: []int64{up.ID}})
	e.send(e.otto, Draft{To: []string{e.anna.Login}, Subject: "Zebra", Body: "Im Zoo gibt es eine Giraffe."})
	e.send(e.tina, Draft{To: []string{e.anna.Login, e.clara.Login}, Subject: "Lesen", Body: "Rabatt 50% auf Bücher"})
	e.send(e.tina, Draft{To: []string{e.anna.Login}, Subject: "Rechnen", Body: "Rabatt 500 auf Hefte"})
	e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "Hausaufgaben", Body: "Kannst du mir helfen?"})
	e.send(e.tina, Draft{To: []string{"3a"}, Subject: "Über*all Sterne", Body: "Für die ganze Klasse."})
	trashed := e.send(e.tina, Draft{To: []string{e.anna.Login}, Subject: "Alter Stundenplan", Body: "Gilt nicht mehr."})
	gone := e.send(e.tina, Draft{To: []string{e.anna.Login}, Subject: "Geheimnis gelöscht", Body: "Weg damit."})
	// Clara's and Otto's mail only: Anna must never find it.
	e.send(e.clara, Draft{To: []string{e.otto.Login}, Subject: "Geheimnis von Clara", Body: "Zebra Giraffe Übung"})
	if err := e.svc.MoveToTrash(ctx, e.anna.ID, trashed.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.MoveToTrash(ctx, e.anna.ID, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(ctx, e.anna.ID, gone.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		who    directory.Person
		q      string
		folder Folder
		want   []string
	}{
		{"word in the subject", e.anna, "Ausflug", "", []string{"Ausflug"}},
		{"part of a word", e.anna, "sflu", "", []string{"Ausflug"}},
		{"word in the body", e.anna, "Giraffe", "", []string{"Zebra"}},
		{"sender's name", e.anna, "Weber", "", []string{"Zebra"}},
		{"sender's address", e.anna, e.otto.Login + "@gsborsum.de", "", []string{"Zebra"}},
		{"sender's login", e.anna, e.ben.Login, Inbox, []string{"Ausflug"}},
		{"recipient's name", e.anna, "Roth", "", []string{"Lesen"}},
		{"recipient's address", e.anna, e.clara.Login + "@gsborsum.de", "", []string{"Lesen"}},
		{"class as recipient", e.anna, "Klasse 3a", "", []string{"Über*all Sterne"}},
		{"attachment's name", e.anna, "krokodil", "", []string{"Ausflug"}},
		{"several words, all in one message", e.anna, "zebra zoo", "", []string{"Zebra"}},
		{"several words in different fields", e.anna, "Krokodil Bericht Schmidt", "", []string{"Ausflug"}},
		{"several words in different messages", e.anna, "Zebra Ausflug", "", nil},
		{"case-insensitive", e.anna, "AUSFLUG", "", []string{"Ausflug"}},
		{"umlaut in lower case", e.anna, "übung", "", []string{"Übung macht den Meister"}},
		{"umlaut in upper case", e.anna, "ÜBUNG MEISTER", "", []string{"Übung macht den Meister"}},
		{"umlaut as typed, not transliterated", e.anna, "Ubung", "", nil},
		{"umlaut in the body", e.anna, "BÜCHER", "", []string{"Lesen"}},
		{"wildcards are plain characters", e.anna, "50%", "", []string{"Lesen"}},
		{"underscore is a plain character", e.anna, "5_0", "", nil},
		{"glob characters are plain characters", e.anna, "über*a", "", []string{"Über*all Sterne"}},
		{"glob ? is a plain character", e.anna, "über?a", "", nil},
		{"inbox only", e.anna, "Hausaufgaben", Inbox, nil},
		{"sent folder", e.anna, "Hausaufgaben", Sent, []string{"Hausaufgaben"}},
		{"trash", e.anna, "Stundenplan", Trash, []string{"Alter Stundenplan"}},
		{"not in the inbox when trashed", e.anna, "Stundenplan", Inbox, nil},
		{"all folders", e.anna, "rabatt", "", []string{"Rechnen", "Lesen"}},
		{"all folders, newest first across folders", e.anna, "gsborsum", "", []string{"Alter Stundenplan", "Über*all Sterne", "Hausaufgaben",
			"Rechnen", "Lesen", "Zebra", "Ausflug", "Übung macht den Meister"}},
		{"another person's mail is never found", e.anna, "Geheimnis", "", nil},
		{"not even by the sender's name", e.anna, "Clara Geheimnis", "", nil},
		{"the owner finds it", e.otto, "Geheimnis", "", []string{"Geheimnis von Clara"}},
		{"deleted for good", e.anna, "gelöscht", "", nil},
		{"the sender keeps their copy", e.tina, "gelöscht", Sent, []string{"Geheimnis gelöscht"}},
		{"two characters", e.anna, "zo", "", []string{"Zebra"}},
		{"two words of one character", e.anna, "z o", "", []string{"Über*all Sterne", "Zebra"}}, // "ganze", "gsborsum"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.searchSubjects(tt.who, tt.q, tt.folder)
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.q, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q, %q): got %q, want %q", tt.q, tt.folder, got, tt.want)
			}
		})
	}

	t.Run("the folder is named in each result", func(t *testing.T) {
		pg, err := e.svc.Search(ctx, e.anna.ID, "gsborsum", "", 0, MaxPage)
		if err != nil {
			t.Fatal(err)
		}
		folders := map[string]Folder{}
		for _, m := range pg.Messages {
			folders[m.Subject] = m.Folder
		}
		for subject, want := range map[string]Folder{"Alter Stundenplan": Trash, "Hausaufgaben": Sent, "Zebra": Inbox} {
			if folders[subject] != want {
				t.Errorf("%s: got folder %q, want %q", subject, folders[subject], want)
			}
		}
	})
}

func TestSearchRefusals(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		q      string
		folder Folder
		limit  int
		field  string
		german string
	}{
		{"empty", "", "", 10, "q", "mindestens 2 Zeichen"},
		{"blanks", "   ", "", 10, "q", "mindestens 2 Zeichen"},
		{"one character", " ü ", "", 10, "q", "mindestens 2 Zeichen"},
		{"too long", strings.Repeat("a", MaxSearch+1), "", 10, "q", "höchstens 100 Zeichen"},
		{"too many words", strings.Repeat("ab ", MaxSearchWords+1), "", 10, "q", "höchstens 10 Wörtern"},
		{"unknown folder", "Hallo", "drafts", 10, "folder", "Diesen Ordner gibt es nicht."},
		{"limit 0", "Hallo", "", 0, "limit", "1 bis 100"},
		{"limit over the page", "Hallo", "", MaxPage + 1, "limit", "1 bis 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Search(ctx, e.anna.ID, tt.q, tt.folder, 0, tt.limit)
			me, ok := AsError(err)
			if !ok || me.Kind != Invalid || me.Field != tt.field || !strings.Contains(me.German, tt.german) {
				t.Errorf("got %v (%+v), want Invalid on %q saying %q", err, me, tt.field, tt.german)
			}
		})
	}
}

// Paging: the cursor is the last id of a page; a page is full even where
// the query lets through messages that do not match (every message has
// "person" in its recipients' JSON), and nothing is skipped or repeated.
func TestSearchPaging(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := 1; i <= 30; i++ {
		subject := fmt.Sprintf("Nachricht %02d", i)
		body := "Das war gut, aber kurz."
		if i%4 == 0 {
			body = "Etwas über eine Person."
			want = append([]string{subject}, want...)
		}
		e.send(e.tina, Draft{To: []string{e.anna.Login}, Subject: subject, Body: body})
	}
	for _, tt := range []struct {
		q     string
		limit int
	}{{"ÜBER", 1}, {"über", 3}, {"ÜBER", 100}, {"person", 1}, {"Person", 2}, {"PERSON", 3}, {"person", 7}, {"person", 100}} {
		q, limit := tt.q, tt.limit
		t.Run(fmt.Sprintf("%s, limit %d", q, limit), func(t *testing.T) {
			var got []string
			var cursor int64
			pages := 0
			for {
				pg, err := e.svc.Search(ctx, e.anna.ID, q, Inbox, cursor, limit)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if len(pg.Messages) > limit || (pg.Next != 0 && len(pg.Messages) != limit) {
					t.Errorf("page %d: %d messages, next %d", pages, len(pg.Messages), pg.Next)
				}
				for _, m := range pg.Messages {
					got = append(got, m.Subject)
				}
				if pg.Next == 0 {
					break
				}
				if pg.Next != pg.Messages[len(pg.Messages)-1].ID {
					t.Errorf("page %d: next %d is not the last id %d", pages, pg.Next, pg.Messages[len(pg.Messages)-1].ID)
				}
				cursor = pg.Next
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			if wantPages := (len(want) + limit - 1) / limit; pages != wantPages {
				t.Errorf("got %d pages, want %d", pages, wantPages)
			}
		})
	}
}

func TestSearchTerms(t *testing.T) {
	tests := []struct {
		word           string
		like, likeJSON string
		exact          []string
	}{
		{"Zebra", "%Zebra%", "%Zebra%", nil},
		{"50%_x\\", `%50\%\_x\\%`, `%50\%\_x%%`, nil},
		{"Übung", "%_bung%", "%_bung%", []string{"%Übung%", "%übung%"}},
		{"grüße", "%gr__e%", "%gr__e%", []string{"%grüße%", "%grüẞe%", "%grÜße%", "%grÜẞe%"}},
		{"Größenübersicht", "%Gr__en_bersicht%", "%Gr__en_bersicht%", nil}, // 8 ways to write it
		{"a&b", "%a&b%", "%a%b%", nil},
		{"50%-Ü", `%50\%-_%`, `%50\%-_%`, []string{`%50\%-Ü%`, `%50\%-ü%`}},
		{"€-Preis", "%_-Preis%", "%_-Preis%", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := newSearchTerm(tt.word)
			if got.like != tt.like || got.likeJSON != tt.likeJSON || !slices.Equal(got.exact, tt.exact) {
				t.Errorf("got like %q, json %q, exact %q; want %q, %q, %q", got.like, got.likeJSON, got.exact, tt.like, tt.likeJSON, tt.exact)
			}
		})
	}
}

func TestSearchSender(t *testing.T) {
	tests := []struct {
		word      string
		pattern   string
		all, none bool
	}{
		{"otto", "%otto%", false, false},
		{"borsum", "", true, false},
		{"@GSBorsum.de", "", true, false},
		{"otto.weber@gsb", "%otto.weber", false, false},
		{"otto@web.de", "", false, true},
		{"a@b@c", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			p, all, none := newSearchTerm(tt.word).senderLike("gsborsum.de")
			if p != tt.pattern || all != tt.all || none != tt.none {
				t.Errorf("got %q %v %v, want %q %v %v", p, all, none, tt.pattern, tt.all, tt.none)
			}
		})
	}
}

// The search walks the person's own mailbox rows along an index, never
// the school's messages, and never sorts.
func TestSearchQueryPlans(t *testing.T) {
	e := newEnv(t)
	bulkInbox(t, e.db, e.anna.ID, e.ben.ID, 1000)
	bulkInbox(t, e.db, e.ben.ID, e.clara.ID, 1000)
	if _, err := e.db.W.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	terms, err := searchTerms("Übung Text")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		folder Folder
		want   string
	}{
		{"one folder", Inbox, "SEARCH b USING PRIMARY KEY (person_id=? AND message_id<?)"},
		{"all folders", "", "SEARCH b USING PRIMARY KEY (person_id=? AND message_id<?)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			query, args := searchQuery(e.ben.ID, tt.folder, 1<<62, terms, "gsborsum.de", 51)
			rows, err := e.db.R.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, args...)
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
			if !strings.HasPrefix(all, tt.want) {
				t.Errorf("plan %q does not start with %q", all, tt.want)
			}
			for _, bad := range []string{"TEMP B-TREE", "SCAN b", "SCAN m", "SCAN mail_"} {
				if strings.Contains(all, bad) {
					t.Errorf("plan %q has %q", all, bad)
				}
			}
		})
	}
}

// searchBulk puts n messages into owner's inbox in two statements, with
// texts of a few hundred characters (like a school's mail) and every
// tenth one with an attachment, for BenchmarkSearch.
func searchBulk(b testing.TB, db *store.DB, senderID, ownerID int64, n int) {
	b.Helper()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var before int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM mail_messages`).Scan(&before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
			INSERT INTO mail_messages (kind, sender_id, sender_login, sender_name, recipients, subject, body, sent_at)
			SELECT 'mail', ?, 'tina.lehmann', 'Tina Lehmann', '[{"address":"ben.becker@gsborsum.de","name":"Ben Becker","kind":"person"},{"address":"3a@gsborsum.de","name":"Klasse 3a","kind":"class"}]',
				'Hausaufgaben für Woche ' || i,
				'Liebe Kinder der Klasse 3a, bitte rechnet bis Freitag die Aufgaben ' || i || ' bis ' || (i + 5) ||
				' im Mathebuch auf Seite ' || (i % 180) || '. Wer krank war, fragt bitte seine Sitznachbarin oder seinen ' ||
				'Sitznachbarn, was wir gemacht haben. Denkt auch an das Lesetagebuch, aber schreibt ordentlich und ' ||
				'bringt am Montag eure Sportsachen mit. Viele Grüße, eure Frau Lehmann', ? FROM seq`,
			n, senderID, store.FormatTime(start)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_attachments (message_id, name, size, hash)
			SELECT id, 'Arbeitsblatt-' || id || '.pdf', 1000, 'x' FROM mail_messages WHERE id > ? AND id % 10 = 0`, before); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_boxes (person_id, message_id, folder, read)
			SELECT ?, id, 'inbox', id % 3 = 0 FROM mail_messages WHERE id > ?`, ownerID, before)
		return err
	})
	if err != nil {
		b.Fatalf("bulk insert: %v", err)
	}
}

// BenchmarkSearch searches an inbox of 100,000 messages of about 400
// characters each. A word in no message reads the whole mailbox: the
// worst case, and what a search costs at most. A word in every message
// costs what a page does.
func BenchmarkSearch(b *testing.B) {
	e := newEnv(b)
	const n = 100_000
	searchBulk(b, e.db, e.tina.ID, e.ben.ID, n)
	if _, err := e.db.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name   string
		q      string
		folder Folder
		found  int
	}{
		{"nowhere", "Krokodil", "", 0},
		{"nowhere in the inbox", "Krokodil", Inbox, 0},
		{"nowhere with an umlaut", "Übungsheft", "", 0},
		{"umlaut, and LIKE lets every text through", "über", "", 0}, // "_ber": "aber"
		{"many umlauts", "Größenübersicht", "", 0},
		{"two words, one nowhere", "Mathebuch Krokodil", "", 0},
		{"attachment deep down", "blatt-10.pdf", "", 1},
		{"everywhere", "Lehmann", "", 50},
		{"everywhere with an umlaut", "grüße", "", 50},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				p, err := e.svc.Search(ctx, e.ben.ID, bm.q, bm.folder, 0, 50)
				if err != nil || len(p.Messages) != bm.found {
					b.Fatalf("got %d messages, %v; want %d", len(p.Messages), err, bm.found)
				}
			}
		})
	}
}
