package chat

import (
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/server/directory"
)

// Who may write to whom directly: pupils to the people of their classes,
// staff to anyone, nobody to leavers or themselves.
func TestDirectWhoMayWriteToWhom(t *testing.T) {
	e := newEnv(t)
	leaver := e.add("Lena", "Weg", directory.Pupil, "3a")
	if err := e.dir.SetLeaving(ctx, admin, leaver.Login, "2026-07-31"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		from     directory.Person
		to       string
		wantKind Kind // 0: allowed
	}{
		{"pupil to a classmate", e.anna, e.ben.Login, 0},
		{"pupil to the class teacher", e.anna, e.tina.Login, 0},
		{"pupil to a pupil of another class", e.anna, e.clara.Login, Forbidden},
		{"pupil to a teacher of another class", e.anna, e.otto.Login, Forbidden},
		{"pupil to the secretary", e.anna, e.sabine.Login, Forbidden},
		{"pupil to an admin", e.anna, e.adam.Login, Forbidden},
		{"teacher to a pupil of another class", e.tina, e.clara.Login, 0},
		{"secretary to a pupil", e.sabine, e.anna.Login, 0},
		{"admin to a teacher", e.adam, e.otto.Login, 0},
		{"login written differently", e.anna, "  " + strings.ToUpper(e.ben.Login) + " ", 0},
		{"to oneself", e.anna, e.anna.Login, Invalid},
		{"to nobody", e.anna, "niemand", NotFound},
		{"teacher to a leaver", e.tina, leaver.Login, Forbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.svc.OpenDirect(ctx, tt.from, tt.to)
			if got := kindOf(err); got != tt.wantKind {
				t.Fatalf("got %v (kind %d), want kind %d", err, got, tt.wantKind)
			}
			if err == nil {
				if r.Kind != DirectRoom || !r.MayWrite || r.With.Login != strings.ToLower(strings.TrimSpace(tt.to)) {
					t.Errorf("room: got %+v", r)
				}
				if _, err := e.svc.Send(ctx, tt.from, r.ID, "Hallo"); err != nil {
					t.Errorf("send: %v", err)
				}
			}
		})
	}
}

// A pupil may answer staff who started a direct chat with them, but not
// start one; a pupil who changed class no longer writes to the old class.
func TestPupilAnswersStaff(t *testing.T) {
	e := newEnv(t)
	room := e.direct(e.sabine, e.anna)
	e.send(e.sabine, room, "Bitte bring die Einverständniserklärung mit.")
	if _, err := e.svc.Send(ctx, e.anna, room, "Mach ich!"); err != nil {
		t.Errorf("pupil answering the secretary: %v", err)
	}
	r, err := e.svc.Room(ctx, e.anna, room)
	if err != nil || !r.MayWrite || r.Title != "Sabine Sekretär" {
		t.Errorf("room as anna: got %+v, %v", r, err)
	}

	withBen := e.direct(e.anna, e.ben)
	if err := e.dir.EditPerson(ctx, admin, e.ben.Login, directory.Edit{Classes: &[]string{"4b"}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Send(ctx, e.anna, withBen, "Bist du noch da?")
	if kindOf(err) != Forbidden {
		t.Errorf("pupil to a former classmate: got %v, want refused", err)
	}
	if r, err := e.svc.Room(ctx, e.anna, withBen); err != nil || r.MayWrite {
		t.Errorf("the old chat stays readable but not writable: got %+v, %v", r, err)
	}
}

func TestRoomsFollowMembership(t *testing.T) {
	e := newEnv(t)
	annaRoom := e.classRoom(e.anna, "3a")
	if tina := e.classRoom(e.tina, "3a"); tina != annaRoom {
		t.Errorf("tina's 3a room %d, anna's %d: want one room per class", tina, annaRoom)
	}
	e.send(e.anna, annaRoom, "Hallo 3a")
	for _, tt := range []struct {
		name string
		p    directory.Person
		want Kind
	}{
		{"classmate", e.ben, 0},
		{"class teacher", e.tina, 0},
		{"pupil of another class", e.clara, NotFound},
		{"teacher of another class", e.otto, NotFound},
		{"admin", e.adam, NotFound},
		{"secretary", e.sabine, NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := e.svc.History(ctx, tt.p, annaRoom, 0, 10)
			if kindOf(err) != tt.want {
				t.Fatalf("history: got %v, want kind %d", err, tt.want)
			}
			if err == nil && (len(p.Messages) == 0 || p.Messages[0].Body != "Hallo 3a") {
				t.Errorf("history: got %+v", p)
			}
			_, err = e.svc.Send(ctx, tt.p, annaRoom, "Ich auch")
			if kindOf(err) != tt.want {
				t.Errorf("send: got %v, want kind %d", err, tt.want)
			}
		})
	}
	rooms, err := e.svc.Rooms(ctx, e.adam)
	if err != nil || len(rooms) != 0 {
		t.Errorf("the admin's rooms: got %+v, %v, want none", rooms, err)
	}
}

func TestHistoryPagesAndUnread(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	all := e.fill(room, 7, e.anna, e.ben)
	rooms, err := e.svc.Rooms(ctx, e.tina)
	if err != nil || len(rooms) != 1 || rooms[0].Unread != 7 || rooms[0].LastMessage.IsZero() {
		t.Fatalf("tina's rooms: got %+v, %v, want 7 unread", rooms, err)
	}
	if rooms, _ := e.svc.Rooms(ctx, e.anna); rooms[0].Unread != 3 {
		t.Errorf("anna's unread: got %d, want 3 (ben's)", rooms[0].Unread)
	}
	p1, err := e.svc.History(ctx, e.tina, room, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := e.svc.History(ctx, e.tina, room, p1.Next, 3)
	if err != nil {
		t.Fatal(err)
	}
	p3, err := e.svc.History(ctx, e.tina, room, p2.Next, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := append(append(ids(p3.Messages), ids(p2.Messages)...), ids(p1.Messages)...); !slices.Equal(got, all) || p3.Next != 0 {
		t.Errorf("pages: got %v (last next %d), want %v", got, p3.Next, all)
	}
	if err := e.svc.MarkRead(ctx, e.tina, room, all[4]); err != nil {
		t.Fatal(err)
	}
	if rooms, _ := e.svc.Rooms(ctx, e.tina); rooms[0].Unread != 2 {
		t.Errorf("after reading up to the 5th: got %d unread, want 2", rooms[0].Unread)
	}
	if err := e.svc.MarkRead(ctx, e.tina, room, 0); err != nil {
		t.Fatal(err)
	}
	if rooms, _ := e.svc.Rooms(ctx, e.tina); rooms[0].Unread != 0 {
		t.Errorf("after reading all: got %d unread", rooms[0].Unread)
	}
	if _, err := e.svc.History(ctx, e.tina, room, 0, MaxPage+1); kindOf(err) != Invalid {
		t.Errorf("oversized page: got %v", err)
	}
}

func TestMessageText(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	for _, tt := range []struct {
		name, in, want string
		kind           Kind
	}{
		{"plain", "Hallo", "Hallo", 0},
		{"trimmed, line ends", "  Zeile 1\r\nZeile 2\n ", "Zeile 1\nZeile 2", 0},
		{"control characters go", "a\x00b\x07c", "abc", 0},
		{"empty", " \n\t ", "", Invalid},
		{"too long", strings.Repeat("ä", MaxBody+1), "", Invalid},
		{"longest", strings.Repeat("ä", MaxBody), strings.Repeat("ä", MaxBody), 0},
		{"invalid UTF-8", "a\xffb", "", Invalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.add(time.Minute)
			m, err := e.svc.Send(ctx, e.tina, room, tt.in)
			if kindOf(err) != tt.kind {
				t.Fatalf("got %v, want kind %d", err, tt.kind)
			}
			if err == nil && m.Body != tt.want {
				t.Errorf("got %q, want %q", m.Body, tt.want)
			}
		})
	}
}

func TestMuteAndDelete(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	annas := e.send(e.anna, room, "Blöder Witz")
	bens := e.send(e.ben, room, "Noch einer")

	t.Run("only teachers of the class mute", func(t *testing.T) {
		if _, err := e.svc.SetPupilsMayWrite(ctx, e.anna, room, false); kindOf(err) != Forbidden {
			t.Errorf("pupil: got %v, want forbidden", err)
		}
		if _, err := e.svc.SetPupilsMayWrite(ctx, e.otto, room, false); kindOf(err) != NotFound {
			t.Errorf("teacher of another class: got %v, want not found", err)
		}
		r, err := e.svc.SetPupilsMayWrite(ctx, e.tina, room, false)
		if err != nil || r.PupilsMayWrite || !r.MayModerate {
			t.Fatalf("tina: got %+v, %v", r, err)
		}
		if _, err := e.svc.Send(ctx, e.anna, room, "Hallo?"); kindOf(err) != Forbidden {
			t.Errorf("pupil in a muted room: got %v", err)
		}
		if r, _ := e.svc.Room(ctx, e.anna, room); r.MayWrite {
			t.Errorf("muted room says a pupil may write")
		}
		e.send(e.tina, room, "Gute Nacht!")
		p, _ := e.svc.History(ctx, e.ben, room, 0, 10)
		notice := p.Messages[2]
		if !notice.System || !strings.Contains(notice.Body, "Tina Lehmann hat den Raum stummgeschaltet") {
			t.Errorf("notice: got %+v", notice)
		}
		if _, err := e.svc.SetPupilsMayWrite(ctx, e.tina, room, true); err != nil {
			t.Fatal(err)
		}
		e.send(e.anna, room, "Guten Morgen")
	})

	t.Run("delete", func(t *testing.T) {
		if err := e.svc.Delete(ctx, e.ben, annas.ID); kindOf(err) != Forbidden {
			t.Errorf("a classmate's message: got %v", err)
		}
		if err := e.svc.Delete(ctx, e.clara, annas.ID); kindOf(err) != NotFound {
			t.Errorf("a message of another class: got %v", err)
		}
		if err := e.svc.Delete(ctx, e.anna, annas.ID); err != nil {
			t.Errorf("the own message: %v", err)
		}
		if err := e.svc.Delete(ctx, e.anna, annas.ID); kindOf(err) != NotFound {
			t.Errorf("deleted twice: got %v", err)
		}
		if err := e.svc.Delete(ctx, e.tina, bens.ID); err != nil {
			t.Errorf("the class teacher: %v", err)
		}
		p, _ := e.svc.History(ctx, e.anna, room, 0, 10)
		for _, m := range p.Messages[:2] {
			if !m.Deleted || m.Body != "" {
				t.Errorf("deleted message shown: %+v", m)
			}
		}
		// The text stays stored for a report (see TestReportWindow).
		if n := e.count(`SELECT COUNT(*) FROM chat_messages WHERE id = ? AND body = 'Blöder Witz'`, annas.ID); n != 1 {
			t.Errorf("deleted message's text: %d rows, want kept", n)
		}
	})
}

// The rate limit: per minute and per hour, per person, refused messages
// do not count, and the next minute lets the person write again.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PupilsPerMinute, c.PupilsPerHour = 3, 5 })
	room := e.classRoom(e.anna, "3a")
	send := func(p directory.Person) error {
		_, err := e.svc.Send(ctx, p, room, "Spam")
		return err
	}
	for i := range 3 {
		if err := send(e.anna); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	err := send(e.anna)
	if kindOf(err) != RateLimited || !strings.Contains(err.(*Error).German, "in der letzten Minute schon 3") {
		t.Fatalf("4th within a minute: got %v", err)
	}
	if err := send(e.ben); err != nil {
		t.Errorf("ben is not held up by anna: %v", err)
	}
	if err := send(e.tina); err != nil {
		t.Errorf("staff have their own limit: %v", err)
	}
	e.clock.add(time.Minute)
	for i := range 2 {
		if err := send(e.anna); err != nil {
			t.Fatalf("after a minute, message %d: %v", i+1, err)
		}
	}
	e.clock.add(time.Minute)
	err = send(e.anna)
	if kindOf(err) != RateLimited || !strings.Contains(err.(*Error).German, "in der letzten Stunde schon 5") {
		t.Fatalf("6th within the hour: got %v", err)
	}
	e.clock.add(time.Hour)
	if err := send(e.anna); err != nil {
		t.Errorf("an hour later: %v", err)
	}
}

func TestChainLetters(t *testing.T) {
	e := newEnv(t)
	chain := "Schick das an 10 Leute, sonst passiert dir heute Nacht etwas Schlimmes!"
	rooms := []int64{e.classRoom(e.anna, "3a"), e.direct(e.anna, e.ben), e.direct(e.anna, e.tina)}
	e.send(e.anna, rooms[0], chain)
	e.send(e.anna, rooms[0], chain) // the same room again is no chain
	e.send(e.anna, rooms[1], strings.ToUpper(chain))
	_, err := e.svc.Send(ctx, e.anna, rooms[2], "  "+chain)
	if kindOf(err) != RateLimited || !strings.Contains(err.(*Error).German, "Kettenbriefe") {
		t.Errorf("third room: got %v, want refused as a chain letter", err)
	}
	for _, r := range rooms {
		e.send(e.anna, r, "Danke!") // short texts go everywhere
	}
}

// After the promotion a class room starts fresh: next year's 3a does not
// read this year's, and the promoted pupils meet in 4a's new room.
func TestNewSchoolYearNewRooms(t *testing.T) {
	e := newEnv(t)
	old := e.classRoom(e.anna, "3a")
	e.send(e.anna, old, "Letzter Schultag!")
	if _, err := e.dir.Promote(ctx, admin, directory.PromoteOptions{}); err != nil {
		t.Fatal(err)
	}
	newcomer := e.add("Nina", "Neu", directory.Pupil, "3a")
	fresh := e.classRoom(newcomer, "3a")
	if fresh == old {
		t.Fatalf("3a kept its room %d across the promotion", old)
	}
	if p, err := e.svc.History(ctx, newcomer, fresh, 0, 10); err != nil || len(p.Messages) != 0 {
		t.Errorf("next year's 3a: got %+v, %v, want empty", p, err)
	}
	if _, err := e.svc.History(ctx, newcomer, old, 0, 10); kindOf(err) != NotFound {
		t.Errorf("last year's room to next year's pupil: got %v", err)
	}
	if _, err := e.svc.History(ctx, e.tina, old, 0, 10); kindOf(err) != NotFound {
		t.Errorf("last year's room to its teacher: got %v", err)
	}
	if _, err := e.svc.History(ctx, e.anna, e.classRoom(e.anna, "4a"), 0, 10); err != nil {
		t.Errorf("anna in 4a: %v", err)
	}
}

func TestContacts(t *testing.T) {
	e := newEnv(t)
	logins := func(p directory.Person, q string) []string {
		list, err := e.svc.Contacts(ctx, p, q, 20)
		if err != nil {
			t.Fatalf("Contacts(%s, %q): %v", p.Login, q, err)
		}
		out := []string{}
		for _, c := range list {
			out = append(out, c.Login)
		}
		return out
	}
	if got, want := logins(e.anna, ""), []string{e.ben.Login, e.tina.Login}; !slices.Equal(got, want) {
		t.Errorf("anna's contacts: got %v, want %v", got, want)
	}
	if got := logins(e.anna, "clara"); len(got) != 0 {
		t.Errorf("anna searching another class: got %v, want none", got)
	}
	if got := logins(e.tina, "clara"); !slices.Equal(got, []string{e.clara.Login}) {
		t.Errorf("tina searching clara: got %v", got)
	}
	if got := logins(e.tina, "4b"); !slices.Contains(got, e.clara.Login) || !slices.Contains(got, e.otto.Login) {
		t.Errorf("tina searching a class: got %v", got)
	}
	if err := e.dir.RecordConsent(ctx, admin, e.ben.Login, "Berta Becker", "2026-08-20"); err != nil {
		t.Fatal(err)
	}
	if err := e.dir.RevokeConsent(ctx, admin, e.ben.Login, "2026-11-01"); err != nil {
		t.Fatal(err)
	}
	if got := logins(e.anna, ""); slices.Contains(got, e.ben.Login) {
		t.Errorf("a pupil whose consent is revoked is offered: %v", got)
	}
	if _, err := e.svc.OpenDirect(ctx, e.tina, e.ben.Login); kindOf(err) != NotFound {
		t.Errorf("a chat with a pupil whose consent is revoked: got %v", err)
	}
}

func TestSweepKeepsReportedRooms(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RetentionDays = 30 })
	class := e.classRoom(e.anna, "3a")
	direct := e.direct(e.anna, e.ben)
	reported := e.send(e.ben, class, "Gemein")
	e.send(e.anna, direct, "Alt")
	if _, err := e.svc.Report(ctx, e.anna, reported.ID, "insult", "", ""); err != nil {
		t.Fatal(err)
	}
	e.clock.add(31 * 24 * time.Hour)
	recent := e.send(e.anna, direct, "Neu")
	n, err := e.svc.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("sweep: got %d, %v, want 1 removed", n, err)
	}
	if p, _ := e.svc.History(ctx, e.anna, direct, 0, 10); !slices.Equal(ids(p.Messages), []int64{recent.ID}) {
		t.Errorf("direct room after the sweep: got %v", ids(p.Messages))
	}
	if p, _ := e.svc.History(ctx, e.anna, class, 0, 10); !slices.Equal(ids(p.Messages), []int64{reported.ID}) {
		t.Errorf("room with an open report: got %v, want kept", ids(p.Messages))
	}
}

// When a leaver's account is purged, their direct chats go with it; what
// they wrote in a class room stays under their name (the others' chat
// would otherwise have holes), and their reports stay without them.
func TestPurgedPerson(t *testing.T) {
	e := newEnv(t)
	class := e.classRoom(e.anna, "3a")
	direct := e.direct(e.anna, e.ben)
	e.send(e.anna, direct, "Tschüss Ben")
	bens := e.send(e.ben, class, "Doof")
	annas := e.send(e.anna, class, "Tschüss 3a")
	rep, err := e.svc.Report(ctx, e.anna, bens.ID, "insult", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.dir.SetLeaving(ctx, admin, e.anna.Login, "2026-11-27"); err != nil {
		t.Fatal(err)
	}
	e.clock.add(100 * 24 * time.Hour)
	if gone, err := e.dir.Purge(ctx, admin, directory.PurgeOptions{}); err != nil || len(gone) != 1 {
		t.Fatalf("purge: got %v, %v", gone, err)
	}
	if rooms, _ := e.svc.Rooms(ctx, e.ben); len(rooms) != 1 || rooms[0].Kind != GroupRoom {
		t.Errorf("ben's rooms after anna's purge: got %+v, want the class room only", rooms)
	}
	if n := e.count(`SELECT COUNT(*) FROM chat_rooms WHERE kind = 'direct'`); n != 0 {
		t.Errorf("direct rooms left: %d", n)
	}
	p, _ := e.svc.History(ctx, e.ben, class, 0, 10)
	if last := p.Messages[len(p.Messages)-1]; last.ID != annas.ID || last.From.Name != "Anna Schmidt" {
		t.Errorf("anna's class message after the purge: got %+v", last)
	}
	list, err := e.svc.AdminReports(ctx, e.adam, "open")
	if err != nil || len(list) != 1 || list[0].ID != rep.ID || list[0].Reporter.Name != "Anna Schmidt" {
		t.Errorf("the report after the reporter's purge: got %+v, %v", list, err)
	}
}
