package chat

import (
	"strconv"
	"sync"
)

// hub wakes the live-update requests that wait for news. A waiting
// request registers the topics it cares about (its person, its classes and
// groups, the admins); storing a message wakes the waiters of the room's
// topic, and only those re-read the database. Nothing polls: a request
// that nobody wakes costs one goroutine and a channel until it times out.
//
// The hub bounds how many requests wait at once, per person and in all,
// so that a client in a loop (or a forgotten window on every PC) cannot
// pile up goroutines.
type hub struct {
	mu        sync.Mutex
	topics    map[string]map[*waiter]struct{}
	perPerson map[int64]int
	total     int
	maxPer    int
	maxAll    int
}

// waiter is one waiting request. C receives a value when something
// changed for one of its topics; it is buffered, so a wake-up between the
// request's database read and its wait is not lost.
type waiter struct {
	C      chan struct{}
	person int64
	topics []string
}

func newHub(maxPerPerson, maxAll int) *hub {
	return &hub{topics: map[string]map[*waiter]struct{}{}, perPerson: map[int64]int{}, maxPer: maxPerPerson, maxAll: maxAll}
}

// Topics.
func personTopic(id int64) string { return "p" + strconv.FormatInt(id, 10) }
func groupTopic(id int64) string  { return "g" + strconv.FormatInt(id, 10) }

const adminTopic = "admins"

// register adds a waiter for the topics; false when the person (or the
// server) has too many waiting already.
func (h *hub) register(person int64, topics []string) (*waiter, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perPerson[person] >= h.maxPer || h.total >= h.maxAll {
		return nil, false
	}
	w := &waiter{C: make(chan struct{}, 1), person: person, topics: topics}
	for _, t := range topics {
		set := h.topics[t]
		if set == nil {
			set = map[*waiter]struct{}{}
			h.topics[t] = set
		}
		set[w] = struct{}{}
	}
	h.perPerson[person]++
	h.total++
	return w, true
}

// unregister removes a waiter; its request has answered.
func (h *hub) unregister(w *waiter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range w.topics {
		if set := h.topics[t]; set != nil {
			delete(set, w)
			if len(set) == 0 {
				delete(h.topics, t)
			}
		}
	}
	if h.perPerson[w.person]--; h.perPerson[w.person] <= 0 {
		delete(h.perPerson, w.person)
	}
	h.total--
}

// notify wakes every waiter of the topics.
func (h *hub) notify(topics ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics {
		for w := range h.topics[t] {
			select {
			case w.C <- struct{}{}:
			default: // woken already
			}
		}
	}
}

// waiting is how many requests wait, in all and of one person.
func (h *hub) waiting(person int64) (all, his int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.total, h.perPerson[person]
}
