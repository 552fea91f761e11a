package mail

import (
	"strings"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

func (e *env) protocol(action, target string) []audit.Entry {
	e.t.Helper()
	list, err := audit.List(ctx, e.db, audit.Query{Action: action, Target: target})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

func TestInspection(t *testing.T) {
	e := newEnv(t)
	secret := e.send(e.ben, Draft{To: []string{e.anna.Login}, Subject: "Geheim", Body: "Nicht weitersagen"})
	actor := directory.Actor{Name: e.adam.Login, Source: "10.0.0.5", Service: "api"}

	in, err := e.svc.Inspect(ctx, e.adam, actor, e.anna.Login, "Verdacht auf Mobbing (Meldung Klassenlehrerin)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := in.Expires, start.Add(InspectionValidity); !got.Equal(want) {
		t.Errorf("expires: got %v, want %v", got, want)
	}
	if in.OwnerLogin != e.anna.Login || len(in.ID) != 32 {
		t.Errorf("got %+v", in)
	}

	t.Run("the owner is told at once", func(t *testing.T) {
		inbox := e.folder(e.anna, Inbox)
		if len(inbox) != 2 {
			t.Fatalf("anna's inbox: got %d messages, want 2", len(inbox))
		}
		m, err := e.svc.Message(ctx, e.anna.ID, inbox[0], false)
		if err != nil {
			t.Fatal(err)
		}
		if !m.System || m.From.Kind != SystemAddress || m.From.Address != "" {
			t.Errorf("got from %+v (system %v), want a notice of the server", m.From, m.System)
		}
		for _, part := range []string{"Ein Administrator (Adam Admin) hat am 27.11.2026 um 10:00 Uhr dein Postfach eingesehen.",
			"Grund: Verdacht auf Mobbing (Meldung Klassenlehrerin)"} {
			if !strings.Contains(m.Body, part) {
				t.Errorf("notice %q lacks %q", m.Body, part)
			}
		}
	})
	t.Run("the protocol has it", func(t *testing.T) {
		list := e.protocol("mail.inspect", e.anna.Login)
		if len(list) != 1 {
			t.Fatalf("got %d protocol lines, want 1", len(list))
		}
		l := list[0]
		if l.Actor != e.adam.Login || l.Detail != "Verdacht auf Mobbing (Meldung Klassenlehrerin)" || !l.Success || l.Source != "10.0.0.5" {
			t.Errorf("got %+v", l)
		}
	})
	t.Run("valid for this admin only", func(t *testing.T) {
		got, err := e.svc.Inspection(ctx, e.adam.ID, in.ID)
		if err != nil || got.OwnerID != e.anna.ID {
			t.Fatalf("got %+v, %v", got, err)
		}
		if _, err := e.svc.Inspection(ctx, e.alma.ID, in.ID); kindOf(err) != NotFound {
			t.Errorf("another admin: got %v, want NotFound", err)
		}
		if _, err := e.svc.Inspection(ctx, e.adam.ID, "nonsense"); kindOf(err) != NotFound {
			t.Errorf("made-up id: got %v, want NotFound", err)
		}
	})
	t.Run("reading leaves the mailbox as it was", func(t *testing.T) {
		if _, err := e.svc.Message(ctx, in.OwnerID, secret.ID, false); err != nil {
			t.Fatal(err)
		}
		if got := e.counts(e.anna)[Inbox]; got != "2/2" {
			t.Errorf("anna's inbox: got %s, want 2/2", got)
		}
	})
	t.Run("expires", func(t *testing.T) {
		e.clock.add(InspectionValidity + time.Second)
		if _, err := e.svc.Inspection(ctx, e.adam.ID, in.ID); kindOf(err) != NotFound {
			t.Errorf("got %v, want NotFound", err)
		}
	})
}

func TestInspectionRefusals(t *testing.T) {
	e := newEnv(t)
	actor := directory.Actor{Name: "x", Service: "api"}
	tests := []struct {
		name   string
		by     directory.Person
		login  string
		reason string
		kind   Kind
	}{
		{"no reason", e.adam, e.anna.Login, "  ", Invalid},
		{"reason too long", e.adam, e.anna.Login, strings.Repeat("x", MaxReason+1), Invalid},
		{"teacher", e.tina, e.anna.Login, "Verdacht", Forbidden},
		{"secretary", e.sabine, e.anna.Login, "Verdacht", Forbidden},
		{"own mailbox", e.adam, e.adam.Login, "Verdacht", Invalid},
		{"unknown login", e.adam, "niemand", "Verdacht", NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Inspect(ctx, tt.by, actor, tt.login, tt.reason)
			if got := kindOf(err); got != tt.kind {
				t.Errorf("got %v (%v), want %v", got, err, tt.kind)
			}
		})
	}
	checks := map[string]int{
		"protocol":    len(e.protocol("mail.inspect", "")),
		"notices":     e.count(`SELECT COUNT(*) FROM mail_messages WHERE kind = 'system'`),
		"inspections": e.count(`SELECT COUNT(*) FROM mail_inspections`),
	}
	for what, n := range checks {
		if n != 0 {
			t.Errorf("%s after refusals: got %d, want 0", what, n)
		}
	}
}

// Inspection, notice and protocol line are one transaction: when the
// protocol cannot be written, there is no inspection and no notice either.
func TestInspectionIsOneTransaction(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.W.ExecContext(ctx, `ALTER TABLE audit RENAME TO audit_gone`); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Inspect(ctx, e.adam, directory.Actor{Name: e.adam.Login}, e.anna.Login, "Verdacht")
	if err == nil {
		t.Fatal("got no error with the protocol table gone")
	}
	for what, n := range map[string]int{
		"notices":     e.count(`SELECT COUNT(*) FROM mail_messages`),
		"mailbox":     e.count(`SELECT COUNT(*) FROM mail_boxes`),
		"inspections": e.count(`SELECT COUNT(*) FROM mail_inspections`),
	} {
		if n != 0 {
			t.Errorf("%s: got %d, want 0", what, n)
		}
	}
}
