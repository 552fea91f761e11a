package pcroom

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// safety bounds waiting for an event that must come; it is no timing
// assertion.
const safety = 20 * time.Second

func kinds(cmds []Command) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Kind)
	}
	return out
}

func TestSendToAll(t *testing.T) {
	e := newEnv(t)
	names, err := e.svc.Send(ctx, tina, e.room.ID, Lock, "ignored", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The staff computer in the room is not locked by "lock all".
	if !slices.Equal(names, []string{"PC-01", "PC-02"}) {
		t.Errorf("got %v, want PC-01 and PC-02", names)
	}
	for _, pc := range []Computer{e.pc1, e.pc2} {
		cmds, err := e.svc.Commands(ctx, pc, 0)
		if err != nil || !slices.Equal(kinds(cmds), []string{Lock}) || cmds[0].Text != "" || cmds[0].CreatedBy != tina.Name {
			t.Errorf("%s: got %+v, %v, want one lock by tina", pc.Name, cmds, err)
		}
		c, _ := e.svc.Computer(ctx, pc.ID)
		if !c.Locked {
			t.Errorf("%s is not marked locked", pc.Name)
		}
		locked, err := e.svc.Heartbeat(ctx, pc, Report{})
		if err != nil || !locked {
			t.Errorf("%s: heartbeat says locked=%v (%v), want true", pc.Name, locked, err)
		}
	}
	cmds, err := e.svc.Commands(ctx, e.staffPC, 0)
	if err != nil || len(cmds) != 0 {
		t.Errorf("staff PC: got %+v, %v, want nothing", cmds, err)
	}
	if _, err := e.svc.Send(ctx, tina, e.room.ID, Unlock, "", []int64{e.pc1.ID}); err != nil {
		t.Fatal(err)
	}
	c, _ := e.svc.Computer(ctx, e.pc1.ID)
	if c.Locked {
		t.Error("PC-01 still marked locked after the unlock")
	}
	lines := e.protocol("pc.lock")
	if len(lines) != 1 || lines[0].Actor != tina.Name || lines[0].Target != "PC-Raum" || lines[0].Detail != "PC-01, PC-02" {
		t.Errorf("protocol: got %+v", lines)
	}
	if l := e.protocol("pc.unlock"); len(l) != 1 || l[0].Computer != "PC-01" {
		t.Errorf("protocol: got %+v, want the unlock of PC-01", l)
	}
}

func TestSendRefusals(t *testing.T) {
	e := newEnv(t)
	other, _ := e.svc.AddRoom(ctx, admin, "Leer", "")
	tests := []struct {
		name       string
		room       int64
		kind, text string
		ids        []int64
		want       Kind
	}{
		{"unknown kind", e.room.ID, "reboot", "", nil, Invalid},
		{"empty message", e.room.ID, Message, "  ", nil, Invalid},
		{"long message", e.room.ID, Message, strings.Repeat("ä", MaxMessageRunes+1), nil, Invalid},
		{"control characters", e.room.ID, Message, "Hallo\x07", nil, Invalid},
		{"no room", 999, Lock, "", nil, NotFound},
		{"room without computers", other.ID, Lock, "", nil, Conflict},
		{"staff computer", e.room.ID, Lock, "", []int64{e.staffPC.ID}, Conflict},
		{"computer of another room", other.ID, Lock, "", []int64{e.pc1.ID}, NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Send(ctx, tina, tt.room, tt.kind, tt.text, tt.ids)
			wantKind(t, err, tt.want, tt.name)
		})
	}
	// Nothing was queued by the refusals.
	cmds, _ := e.svc.Commands(ctx, e.pc1, 0)
	if len(cmds) != 0 {
		t.Errorf("got %+v after refusals", cmds)
	}
	// A message of the maximal length with line breaks is fine.
	text := "Bitte\n" + strings.Repeat("ü", MaxMessageRunes-6)
	if _, err := e.svc.Send(ctx, tina, e.room.ID, Message, text, []int64{e.pc1.ID, e.pc1.ID}); err != nil {
		t.Fatal(err)
	}
	cmds, _ = e.svc.Commands(ctx, e.pc1, 0)
	if len(cmds) != 1 || cmds[0].Text != text {
		t.Errorf("got %+v, want the message once", cmds)
	}
	if l := e.protocol("pc.message"); len(l) != 1 || strings.Contains(l[0].Detail, "Bitte") {
		t.Errorf("protocol: got %+v, want one line without the text", l)
	}
}

func TestDeliveryAndAck(t *testing.T) {
	e := newEnv(t)
	for _, k := range []string{Lock, Logout} {
		if _, err := e.svc.Send(ctx, tina, e.room.ID, k, "", []int64{e.pc1.ID}); err != nil {
			t.Fatal(err)
		}
	}
	cmds, err := e.svc.Commands(ctx, e.pc1, 0)
	if err != nil || !slices.Equal(kinds(cmds), []string{Lock, Logout}) {
		t.Fatalf("got %+v, %v, want lock then logout", cmds, err)
	}
	// Delivered once: not again at once.
	again, _ := e.svc.Commands(ctx, e.pc1, 0)
	if len(again) != 0 {
		t.Errorf("delivered twice: %+v", again)
	}
	// Not acknowledged: delivered again once the answer must have been lost.
	e.clock.add(Redeliver)
	again, _ = e.svc.Commands(ctx, e.pc1, 0)
	if !slices.Equal(kinds(again), []string{Lock, Logout}) {
		t.Errorf("redelivery: got %+v", again)
	}
	// Another computer's ack does nothing.
	if err := e.svc.Ack(ctx, e.pc2, []int64{cmds[0].ID, cmds[1].ID}); err != nil {
		t.Fatal(err)
	}
	e.clock.add(Redeliver)
	again, _ = e.svc.Commands(ctx, e.pc1, 0)
	if len(again) != 2 {
		t.Errorf("after a foreign ack: got %+v, want both again", again)
	}
	if err := e.svc.Ack(ctx, e.pc1, []int64{cmds[0].ID, cmds[1].ID}); err != nil {
		t.Fatal(err)
	}
	e.clock.add(Redeliver)
	again, _ = e.svc.Commands(ctx, e.pc1, 0)
	if len(again) != 0 {
		t.Errorf("after the ack: got %+v", again)
	}

	// A command for a computer that was off until it expired is dropped.
	if _, err := e.svc.Send(ctx, tina, e.room.ID, Message, "Pause!", []int64{e.pc2.ID}); err != nil {
		t.Fatal(err)
	}
	e.clock.add(CommandTTL)
	again, _ = e.svc.Commands(ctx, e.pc2, 0)
	if len(again) != 0 {
		t.Errorf("expired command delivered: %+v", again)
	}
	// The sweep removes old commands.
	e.clock.add(25 * time.Hour)
	if err := e.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	e.db.R.QueryRow(`SELECT COUNT(*) FROM pc_commands`).Scan(&n)
	if n != 0 {
		t.Errorf("%d commands left after the sweep", n)
	}
}

// A long poll returns as soon as a teacher sends a command.
func TestLongPollWakes(t *testing.T) {
	e := newEnv(t)
	type result struct {
		cmds []Command
		err  error
	}
	got := make(chan result, 1)
	polling := make(chan struct{})
	go func() {
		// wait longer than the safety bound: only the wake can end it in time
		c, cancel := context.WithTimeout(ctx, 2*safety)
		defer cancel()
		close(polling)
		cmds, err := e.svc.Commands(c, e.pc1, MaxWait)
		got <- result{cmds, err}
	}()
	<-polling
	if _, err := e.svc.Send(ctx, tina, e.room.ID, Message, "Hallo", []int64{e.pc1.ID}); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.err != nil || len(r.cmds) != 1 || r.cmds[0].Text != "Hallo" {
			t.Errorf("got %+v, %v", r.cmds, r.err)
		}
	case <-time.After(safety):
		t.Fatal("the long poll did not return after the command")
	}
}

// Revoking a computer ends its long poll with a refusal.
func TestRevokeEndsLongPoll(t *testing.T) {
	e := newEnv(t)
	got := make(chan error, 1)
	go func() {
		_, err := e.svc.Commands(ctx, e.pc1, MaxWait)
		got <- err
	}()
	// The poll may start before or after the revocation: either way it is
	// refused (at once, or when the revocation wakes it).
	if err := e.svc.RevokeComputer(ctx, admin, e.pc1.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		wantIs(t, err, ErrKeyRefused, "poll of a revoked computer")
	case <-time.After(MaxWait + safety):
		t.Fatal("the long poll did not end")
	}
}
