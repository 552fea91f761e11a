package chat

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"kaspel/server/directory"
)

// safety bounds a test's waiting calls: it only ends a hung test, it is
// never what a test asserts.
const safety = time.Minute

// waitFor runs a live-update request in the background and hands back its
// answer.
func (e *env) waitFor(p directory.Person, cursor int64) <-chan Events {
	out := make(chan Events, 1)
	go func() {
		c, cancel := context.WithTimeout(ctx, safety)
		defer cancel()
		ev, err := e.svc.Events(c, p, cursor, time.Duration(e.svc.cfg.WaitSeconds)*time.Second)
		if err != nil {
			e.t.Errorf("Events(%s, %d): %v", p.Login, cursor, err)
		}
		out <- ev
	}()
	return out
}

// waiting blocks until the person has n requests waiting in the hub.
func (e *env) waiting(p directory.Person, n int) {
	e.t.Helper()
	deadline := time.Now().Add(safety)
	for {
		if _, his := e.svc.Waiting(p.ID); his >= n {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s never had %d requests waiting", p.Login, n)
		}
		runtime.Gosched()
	}
}

// cursor is the current cursor, as a client starts.
func (e *env) cursor(p directory.Person) int64 {
	e.t.Helper()
	ev, err := e.svc.Events(ctx, p, -1, 0)
	if err != nil || len(ev.Messages) != 0 {
		e.t.Fatalf("first Events: got %+v, %v", ev, err)
	}
	return ev.Cursor
}

// A waiting request returns when someone writes into one of the person's
// rooms, with the message; it is woken by the hub, not by polling.
func TestEventsWakeOnMessage(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	cur := e.cursor(e.ben)
	got := e.waitFor(e.ben, cur)
	e.waiting(e.ben, 1)
	m := e.send(e.anna, room, "Bist du da?")
	ev := <-got
	if len(ev.Messages) != 1 || ev.Messages[0].ID != m.ID || ev.Messages[0].Body != "Bist du da?" || ev.Messages[0].Mine {
		t.Fatalf("events: got %+v", ev)
	}
	if ev.Cursor <= cur {
		t.Errorf("cursor did not move: %d after %d", ev.Cursor, cur)
	}
	if all, _ := e.svc.Waiting(e.ben.ID); all != 0 {
		t.Errorf("%d requests still registered after answering", all)
	}

	// A direct room that did not exist while waiting reaches the partner.
	cur = ev.Cursor
	got = e.waitFor(e.ben, cur)
	e.waiting(e.ben, 1)
	dm := e.send(e.tina, e.direct(e.tina, e.ben), "Ben, kommst du bitte?")
	if ev := <-got; !slices.Equal(ids(ev.Messages), []int64{dm.ID}) {
		t.Errorf("direct message: got %+v", ev)
	}
}

// Changes of others' rooms do not answer a request, and what happened
// while nobody waited comes with the next request at once.
func TestEventsOnlyOwnRooms(t *testing.T) {
	e := newEnv(t)
	cur := e.cursor(e.clara)
	e.send(e.anna, e.classRoom(e.anna, "3a"), "Nur für 3a")
	ev, err := e.svc.Events(ctx, e.clara, cur, time.Millisecond)
	if err != nil || len(ev.Messages) != 0 || len(ev.Reports) != 0 {
		t.Fatalf("clara: got %+v, %v, want nothing", ev, err)
	}
	if ev.Cursor <= cur {
		t.Errorf("clara's cursor should pass changes that are not hers: %d after %d", ev.Cursor, cur)
	}
	m := e.send(e.otto, e.classRoom(e.otto, "4b"), "Hallo 4b")
	ev, err = e.svc.Events(ctx, e.clara, cur, time.Millisecond)
	if err != nil || !slices.Equal(ids(ev.Messages), []int64{m.ID}) {
		t.Errorf("clara after 4b's message: got %+v, %v", ev, err)
	}
}

func TestEventsDeletionAndReports(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	m := e.send(e.ben, room, "Doof")
	curTina, curAdam, curOtto := e.cursor(e.tina), e.cursor(e.adam), e.cursor(e.otto)

	tina, adam := e.waitFor(e.tina, curTina), e.waitFor(e.adam, curAdam)
	e.waiting(e.tina, 1)
	e.waiting(e.adam, 1)
	rep, err := e.svc.Report(ctx, e.anna, m.ID, "insult", "Hört nicht auf", e.tina.Login)
	if err != nil {
		t.Fatal(err)
	}
	for name, ch := range map[string]<-chan Events{"tina": tina, "adam": adam} {
		ev := <-ch
		if len(ev.Reports) != 1 || ev.Reports[0].ID != rep.ID || len(ev.Messages) != 0 {
			t.Errorf("%s's notice: got %+v", name, ev)
		}
	}
	if ev, _ := e.svc.Events(ctx, e.otto, curOtto, time.Millisecond); len(ev.Reports) != 0 {
		t.Errorf("a teacher not named gets the notice: %+v", ev.Reports)
	}

	cur := e.cursor(e.anna)
	got := e.waitFor(e.anna, cur)
	e.waiting(e.anna, 1)
	if err := e.svc.Delete(ctx, e.ben, m.ID); err != nil {
		t.Fatal(err)
	}
	ev := <-got
	if len(ev.Messages) != 1 || ev.Messages[0].ID != m.ID || !ev.Messages[0].Deleted || ev.Messages[0].Body != "" {
		t.Errorf("deletion: got %+v", ev)
	}
}

// The waiting requests are bounded per person; a request that leaves
// frees its place.
func TestEventsBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxWaitingPerPerson = 2 })
	cur := e.cursor(e.anna)
	c, cancel := context.WithCancel(ctx)
	done := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := e.svc.Events(c, e.anna, cur, time.Duration(e.svc.cfg.WaitSeconds)*time.Second)
			done <- err
		}()
	}
	e.waiting(e.anna, 2)
	if _, err := e.svc.Events(ctx, e.anna, cur, time.Second); kindOf(err) != RateLimited {
		t.Errorf("third waiting request: got %v, want refused", err)
	}
	if ev, err := e.svc.Events(ctx, e.ben, e.cursor(e.ben), time.Millisecond); err != nil || ev.Reset {
		t.Errorf("another person: got %+v, %v", ev, err)
	}
	cancel()
	for range 2 {
		if err := <-done; err != context.Canceled {
			t.Errorf("cancelled request: got %v", err)
		}
	}
	if all, his := e.svc.Waiting(e.anna.ID); all != 0 || his != 0 {
		t.Errorf("after the requests left: %d waiting (%d of anna)", all, his)
	}
}

func TestEventsReset(t *testing.T) {
	e := newEnv(t)
	ev, err := e.svc.Events(ctx, e.anna, 1_000_000, time.Second)
	if err != nil || !ev.Reset || ev.Cursor != 0 {
		t.Errorf("unknown cursor: got %+v, %v, want a reset", ev, err)
	}
}

// Many changes come in bounded answers that pick up where they stopped.
func TestEventsInChunks(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	cur := e.cursor(e.tina)
	want := e.fill(room, maxChanges+5, e.anna, e.ben)
	var got []int64
	for len(got) < len(want) {
		ev, err := e.svc.Events(ctx, e.tina, cur, time.Millisecond)
		if err != nil || len(ev.Messages) == 0 || len(ev.Messages) > maxChanges {
			t.Fatalf("after %d: got %d messages, %v", len(got), len(ev.Messages), err)
		}
		got, cur = append(got, ids(ev.Messages)...), ev.Cursor
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %d messages, want %d in order", len(got), len(want))
	}
}
