package forum

import (
	"sync"
	"time"
)

// limiter counts the posts each person wrote in the last hour. It lives
// in memory, as mail's does: a restart forgets the counts, which only
// ever lets someone post a little more, and the rule asks for a brake on
// flooding, not for an account book.
type limiter struct {
	mu   sync.Mutex
	sent map[int64][]time.Time // person id -> post times within the window, oldest first
}

// window is the span the limits count over.
const window = time.Hour

// take reserves one post for the person if fewer than limit were written
// in the window. It returns a function that gives the reservation back
// (the post failed after all) and, when refused, the time the oldest post
// of the window leaves it.
func (l *limiter) take(personID int64, limit int, now time.Time) (ok bool, retry time.Time, undo func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.sent[personID]
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-window)) {
		cut++
	}
	times = times[cut:]
	if len(times) >= limit {
		l.sent[personID] = times
		return false, times[0].Add(window), func() {}
	}
	times = append(times, now)
	l.sent[personID] = times
	return true, time.Time{}, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		ts := l.sent[personID]
		for i := len(ts) - 1; i >= 0; i-- {
			if ts[i].Equal(now) {
				l.sent[personID] = append(ts[:i:i], ts[i+1:]...)
				break
			}
		}
		if len(l.sent[personID]) == 0 {
			delete(l.sent, personID)
		}
	}
}
