package chat

import (
	"crypto/sha256"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// limiter counts the messages each person wrote in the last minute and
// hour, and remembers which longer texts went to which rooms (a joke
// chain is the same text pasted into room after room). Like mail's, it
// lives in memory: a restart forgets the counts, which only ever lets
// someone write a little more, and the usage rules ask for a brake on
// mass messages, not for an account book.
type limiter struct {
	mu     sync.Mutex
	sent   map[int64][]time.Time // person id -> times within the hour, oldest first
	chains map[int64][]chainMark // person id -> longer texts within the hour, oldest first
}

type chainMark struct {
	at   time.Time
	text [16]byte // a digest of the normalised text
	room int64
}

const (
	minute = time.Minute
	hour   = time.Hour
	// chainMin is the length from which a text counts for the chain
	// check: "ok" and "Danke!" go to many rooms without being a chain.
	chainMin = 40
)

func newLimiter() *limiter {
	return &limiter{sent: map[int64][]time.Time{}, chains: map[int64][]chainMark{}}
}

// take reserves one message for the person if fewer than perMinute were
// written in the last minute and fewer than perHour in the last hour. It
// returns a function that gives the reservation back (the message failed
// after all) and, when refused, the time when writing is possible again
// and whether the minute's limit (not the hour's) was the reason.
func (l *limiter) take(personID int64, perMinute, perHour int, now time.Time) (ok bool, retry time.Time, byMinute bool, undo func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.sent[personID]
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-hour)) {
		cut++
	}
	times = times[cut:]
	l.sent[personID] = times
	if len(times) >= perHour {
		return false, times[len(times)-perHour].Add(hour), false, func() {}
	}
	inMinute := 0
	for i := len(times) - 1; i >= 0 && times[i].After(now.Add(-minute)); i-- {
		inMinute++
	}
	if inMinute >= perMinute {
		return false, times[len(times)-perMinute].Add(minute), true, func() {}
	}
	l.sent[personID] = append(times, now)
	return true, time.Time{}, false, func() {
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

// chain checks a longer text against the person's texts of the last hour:
// it may go to at most maxRooms different rooms. It records the text for
// the room when it is let through.
func (l *limiter) chain(personID, roomID int64, body string, maxRooms int, now time.Time) bool {
	norm := strings.ToLower(strings.Join(strings.Fields(body), " "))
	if utf8.RuneCountInString(norm) < chainMin {
		return true
	}
	sum := sha256.Sum256([]byte(norm))
	var digest [16]byte
	copy(digest[:], sum[:])
	l.mu.Lock()
	defer l.mu.Unlock()
	marks := l.chains[personID]
	cut := 0
	for cut < len(marks) && !marks[cut].at.After(now.Add(-hour)) {
		cut++
	}
	marks = marks[cut:]
	rooms := map[int64]bool{}
	for _, m := range marks {
		if m.text == digest {
			rooms[m.room] = true
		}
	}
	if !rooms[roomID] && len(rooms) >= maxRooms {
		l.chains[personID] = marks
		return false
	}
	l.chains[personID] = append(marks, chainMark{at: now, text: digest, room: roomID})
	return true
}
