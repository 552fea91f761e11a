package chat

import (
	"testing"
	"time"
)

func TestLimiterWindows(t *testing.T) {
	l := newLimiter()
	t0 := start
	type step struct {
		at       time.Duration // after t0
		ok       bool
		byMinute bool
		retry    time.Duration // after t0, when refused
	}
	// 2 per minute, 3 per hour.
	steps := []step{
		{0, true, false, 0},
		{10 * time.Second, true, false, 0},
		{20 * time.Second, false, true, time.Minute},                          // the first leaves the minute at 1:00
		{61 * time.Second, true, false, 0},                                    // the minute has room again
		{2 * time.Minute, false, false, time.Hour},                            // third in the hour was at 1:01: the hour is full
		{time.Hour + time.Second, true, false, 0},                             // the first left the hour
		{time.Hour + 2*time.Second, false, false, time.Hour + 10*time.Second}, // the hour holds 0:10, 1:01 and 60:01
	}
	for i, s := range steps {
		ok, retry, byMinute, _ := l.take(1, 2, 3, t0.Add(s.at))
		if ok != s.ok || (!ok && (byMinute != s.byMinute || !retry.Equal(t0.Add(s.retry)))) {
			t.Errorf("step %d at %v: got ok=%v byMinute=%v retry=%v, want ok=%v byMinute=%v retry=%v",
				i, s.at, ok, byMinute, retry.Sub(t0), s.ok, s.byMinute, s.retry)
		}
	}
	if ok, _, _, _ := l.take(2, 2, 3, t0.Add(20*time.Second)); !ok {
		t.Errorf("another person is limited by the first")
	}
}

func TestLimiterUndo(t *testing.T) {
	l := newLimiter()
	_, _, _, undo := l.take(1, 1, 10, start)
	if ok, _, _, _ := l.take(1, 1, 10, start); ok {
		t.Fatal("second message within the minute let through")
	}
	undo()
	if ok, _, _, _ := l.take(1, 1, 10, start); !ok {
		t.Errorf("after undo: refused, want the reservation given back")
	}
}

func TestHubWakesOnlyTopics(t *testing.T) {
	h := newHub(2, 3)
	a, ok := h.register(1, []string{personTopic(1), groupTopic(7)})
	if !ok {
		t.Fatal("first register refused")
	}
	b, _ := h.register(2, []string{personTopic(2)})
	h.notify(groupTopic(7), groupTopic(8))
	select {
	case <-a.C:
	default:
		t.Error("the group's waiter was not woken")
	}
	select {
	case <-b.C:
		t.Error("a waiter of another topic was woken")
	default:
	}
	h.notify(personTopic(2))
	h.notify(personTopic(2)) // a second wake-up before the first is taken is not queued twice
	<-b.C
	select {
	case <-b.C:
		t.Error("woken twice")
	default:
	}
	if _, ok := h.register(1, nil); !ok {
		t.Error("second of person 1 refused")
	}
	if _, ok := h.register(1, nil); ok {
		t.Error("third of person 1 let in (at most 2)")
	}
	if _, ok := h.register(3, nil); ok {
		t.Error("fourth in all let in (at most 3)")
	}
	h.unregister(a)
	if _, ok := h.register(3, nil); !ok {
		t.Error("a freed place was not given again")
	}
	if all, his := h.waiting(1); all != 3 || his != 1 {
		t.Errorf("waiting: got %d (%d of person 1), want 3 (1)", all, his)
	}
}
