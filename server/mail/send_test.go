package mail

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSendDelivers(t *testing.T) {
	e := newEnv(t)
	m := e.send(e.anna, Draft{To: []string{"3a"}, Subject: "  Ausflug\nmorgen ", Body: "Wir treffen uns um 8.\r\n"})
	if got, want := m.Subject, "Ausflug morgen"; got != want {
		t.Errorf("subject: got %q, want %q", got, want)
	}
	if got, want := m.Body, "Wir treffen uns um 8.\n"; got != want {
		t.Errorf("body: got %q, want %q", got, want)
	}
	if got, want := m.Folder, Sent; got != want {
		t.Errorf("sender's copy: got folder %v, want %v", got, want)
	}
	if got, want := m.From.Address, e.anna.Login+"@gsborsum.de"; got != want {
		t.Errorf("from: got %q, want %q", got, want)
	}
	if len(m.To) != 1 || m.To[0].Address != "3a@gsborsum.de" || m.To[0].Name != "Klasse 3a" {
		t.Errorf("to: got %+v, want the class as written", m.To)
	}
	for _, p := range []struct {
		name   string
		folder Folder
		want   int
	}{{e.ben.Login, Inbox, 1}, {e.tina.Login, Inbox, 1}, {e.anna.Login, Inbox, 0}, {e.anna.Login, Sent, 1}, {e.clara.Login, Inbox, 0}} {
		person, _ := e.dir.Person(ctx, p.name)
		if got := len(e.folder(person, p.folder)); got != p.want {
			t.Errorf("%s %s: got %d messages, want %d", p.name, p.folder, got, p.want)
		}
	}
}

func TestSendRefusesEmptyAndOversized(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		d    Draft
		kind Kind
	}{
		{"empty", Draft{To: []string{e.ben.Login}, Subject: " ", Body: "\n "}, Invalid},
		{"subject too long", Draft{To: []string{e.ben.Login}, Subject: strings.Repeat("x", MaxSubject+1)}, Invalid},
		{"body too long", Draft{To: []string{e.ben.Login}, Body: strings.Repeat("x", MaxBody+1)}, Invalid},
		{"reply and forward", Draft{To: []string{e.ben.Login}, Subject: "x", ReplyTo: 1, ForwardOf: 1}, Invalid},
		{"same upload twice", Draft{To: []string{e.ben.Login}, Subject: "x", Attachments: []int64{1, 1}}, Invalid},
		{"body only is fine", Draft{To: []string{e.ben.Login}, Body: "Hallo"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Send(ctx, e.anna, tt.d)
			if got := kindOf(err); got != tt.kind {
				t.Errorf("got %v (%v), want kind %v", got, err, tt.kind)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PupilsPerHour = 3; c.StaffPerHour = 5 })
	to := Draft{To: []string{e.ben.Login}, Subject: "Hallo"}
	// Refused messages do not count.
	if _, err := e.svc.Send(ctx, e.anna, Draft{To: []string{"x@example.org"}, Subject: "x"}); kindOf(err) != Invalid {
		t.Fatalf("got %v, want Invalid", err)
	}
	if _, err := e.svc.Send(ctx, e.anna, Draft{To: []string{e.ben.Login}, Subject: "x", Attachments: []int64{4711}}); kindOf(err) != Invalid {
		t.Fatalf("with a missing upload: got %v, want Invalid", err)
	}
	for i := 0; i < 3; i++ {
		e.send(e.anna, to)
		e.clock.add(time.Minute)
	}
	_, err := e.svc.Send(ctx, e.anna, to)
	me, ok := AsError(err)
	if !ok || me.Kind != RateLimited {
		t.Fatalf("4th message within the hour: got %v, want RateLimited", err)
	}
	// The first message was at 10:00 Berlin time; it leaves the window at 11:00.
	if !strings.Contains(me.German, "schon 3 Nachrichten") || !strings.Contains(me.German, "Ab 11:00 Uhr") {
		t.Errorf("got message %q, want the count and the time it goes again", me.German)
	}
	// Per person: Ben may still write; staff have their own, higher limit.
	e.send(e.ben, Draft{To: []string{e.anna.Login}, Subject: "Antwort"})
	for i := 0; i < 5; i++ {
		e.send(e.tina, Draft{To: []string{"3a"}, Subject: "Info"})
	}
	if _, err := e.svc.Send(ctx, e.tina, to); kindOf(err) != RateLimited {
		t.Errorf("staff over their limit: got %v, want RateLimited", err)
	}
	// An hour after the first message, one more goes.
	e.clock.add(time.Hour - 3*time.Minute)
	e.send(e.anna, to)
	if _, err := e.svc.Send(ctx, e.anna, to); kindOf(err) != RateLimited {
		t.Errorf("got %v, want RateLimited again", err)
	}
	if got, want := len(e.folder(e.anna, Sent)), 4; got != want {
		t.Errorf("sent: got %d, want %d", got, want)
	}
}

func TestReplyAndForward(t *testing.T) {
	e := newEnv(t)
	up, err := e.svc.Upload(ctx, e.anna, "Plan.pdf", strings.NewReader("%PDF Plan"))
	if err != nil {
		t.Fatal(err)
	}
	orig := e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "Hausaufgaben", Body: "Seite 12", Attachments: []int64{up.ID}})

	t.Run("reply", func(t *testing.T) {
		r := e.send(e.ben, Draft{To: []string{e.anna.Login}, Body: "Danke!", ReplyTo: orig.ID})
		if got, want := r.Subject, "AW: Hausaufgaben"; got != want {
			t.Errorf("subject: got %q, want %q", got, want)
		}
		if got, want := r.InReplyTo, orig.ID; got != want {
			t.Errorf("in reply to: got %d, want %d", got, want)
		}
		if got := e.folder(e.anna, Inbox); !slices.Contains(got, r.ID) {
			t.Errorf("anna's inbox %v lacks the reply %d", got, r.ID)
		}
		// Replying to a reply does not pile up prefixes.
		rr := e.send(e.anna, Draft{To: []string{e.ben.Login}, Body: "Gern", ReplyTo: r.ID})
		if got, want := rr.Subject, "AW: Hausaufgaben"; got != want {
			t.Errorf("reply to reply: got %q, want %q", got, want)
		}
	})
	t.Run("reply to a message one does not have", func(t *testing.T) {
		_, err := e.svc.Send(ctx, e.clara, Draft{To: []string{e.anna.Login}, Body: "?", ReplyTo: orig.ID})
		if got := kindOf(err); got != NotFound {
			t.Errorf("got %v (%v), want NotFound", got, err)
		}
	})
	t.Run("forward carries text and attachments", func(t *testing.T) {
		f := e.send(e.ben, Draft{To: []string{e.tina.Login}, Body: "Schauen Sie mal", ForwardOf: orig.ID})
		if got, want := f.Subject, "WG: Hausaufgaben"; got != want {
			t.Errorf("subject: got %q, want %q", got, want)
		}
		for _, part := range []string{"Schauen Sie mal", "Weitergeleitete Nachricht", "Von: Anna Schmidt <" + e.anna.Login + "@gsborsum.de>", "Betreff: Hausaufgaben", "Seite 12"} {
			if !strings.Contains(f.Body, part) {
				t.Errorf("body %q lacks %q", f.Body, part)
			}
		}
		if len(f.Attachments) != 1 || f.Attachments[0].Hash != up.Hash || f.Attachments[0].Name != "Plan.pdf" {
			t.Fatalf("attachments: got %+v, want the original's", f.Attachments)
		}
		if got, want := f.ForwardOf, orig.ID; got != want {
			t.Errorf("forward of: got %d, want %d", got, want)
		}
		_, file, err := e.svc.OpenAttachment(ctx, e.tina.ID, f.ID, f.Attachments[0].ID)
		if err != nil {
			t.Fatalf("tina opens the forwarded attachment: %v", err)
		}
		file.Close()
	})
	t.Run("forward of a message one does not have", func(t *testing.T) {
		_, err := e.svc.Send(ctx, e.clara, Draft{To: []string{e.otto.Login}, ForwardOf: orig.ID})
		if got := kindOf(err); got != NotFound {
			t.Errorf("got %v (%v), want NotFound", got, err)
		}
	})
	t.Run("reply to a notice of the server", func(t *testing.T) {
		if _, err := e.svc.Inspect(ctx, e.adam, admin, e.ben.Login, "Verdacht"); err != nil {
			t.Fatal(err)
		}
		notice := e.folder(e.ben, Inbox)[0]
		// It has no sender; a reply still needs an address and gets its subject.
		r := e.send(e.ben, Draft{To: []string{e.adam.Login}, Body: "Warum?", ReplyTo: notice})
		if got, want := r.Subject, "AW: Dein Postfach wurde eingesehen"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestPrefixed(t *testing.T) {
	tests := []struct{ prefix, in, want string }{
		{"AW: ", "Hallo", "AW: Hallo"},
		{"AW: ", "AW: Hallo", "AW: Hallo"},
		{"AW: ", "Re: Hallo", "Re: Hallo"},
		{"AW: ", "WG: Hallo", "AW: WG: Hallo"},
		{"WG: ", "Hallo", "WG: Hallo"},
		{"WG: ", "Fwd: Hallo", "Fwd: Hallo"},
		{"WG: ", "AW: Hallo", "WG: AW: Hallo"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix+tt.in, func(t *testing.T) {
			if got := prefixed(tt.prefix, tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
