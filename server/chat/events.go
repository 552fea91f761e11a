package chat

import (
	"context"
	"time"

	"kaspel/server/directory"
)

// Events is what changed for a person after a change number: new and
// deleted messages in their rooms, and new reports that concern them
// (naming them as the teacher to inform, or any report for an admin;
// without chat content). Cursor is the change number to ask after next.
// Reset says the cursor was one the server does not know (a restored
// backup): the client reloads its rooms.
type Events struct {
	Cursor   int64
	Reset    bool
	Messages []Message
	Reports  []Report
}

// errTooManyWaiting refuses a live-update request when the person has
// MaxWaitingPerPerson of them open already (or the server MaxWaiting).
var errTooManyWaiting = refuse(RateLimited, "", "Kaspel ist zu oft gleichzeitig geöffnet. Bitte schließe andere Fenster und versuche es gleich noch einmal.",
	"too many live-update requests waiting")

// Events answers a live-update request (long poll). Without a cursor
// (negative) it answers at once with the current change number, from
// which the client then asks. With one, it answers at once if something changed
// for the person after it, and otherwise waits up to wait (at most
// Config.WaitSeconds) for a message or report to wake it. The wait costs
// one goroutine and a channel: storing a message wakes only the requests
// of its room's people, which then read the database once.
func (s *Service) Events(ctx context.Context, me directory.Person, cursor int64, wait time.Duration) (Events, error) {
	if cursor < 0 {
		cur, err := currentSeq(ctx, s.db.R)
		return Events{Cursor: cur}, err
	}
	if limit := time.Duration(s.cfg.WaitSeconds) * time.Second; wait < 0 || wait > limit {
		wait = limit
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Events{}, err
	}
	// Register before the first read: a message stored between the read
	// and the wait then finds the waiter and its wake-up is kept.
	w, ok := s.hub.register(me.ID, g.topics())
	if !ok {
		return Events{}, errTooManyWaiting
	}
	defer s.hub.unregister(w)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		ev, err := s.changes(ctx, g, cursor)
		if err != nil || ev.Reset || len(ev.Messages) > 0 || len(ev.Reports) > 0 {
			return ev, err
		}
		select {
		case <-w.C:
		case <-timer.C:
			return ev, nil
		case <-ctx.Done():
			return Events{}, ctx.Err()
		}
	}
}

// changes reads what changed for the person after the cursor. The
// counter is read first: every change up to it is committed (numbers are
// taken inside the writing transaction), so the rooms and rows read after
// it hold all of them, and the next cursor may move up to it even when
// nothing concerned the person.
func (s *Service) changes(ctx context.Context, g *grants, cursor int64) (Events, error) {
	upTo, err := currentSeq(ctx, s.db.R)
	if err != nil {
		return Events{}, err
	}
	if cursor > upTo {
		return Events{Cursor: upTo, Reset: true}, nil
	}
	if cursor == upTo {
		return Events{Cursor: upTo}, nil
	}
	ids, err := s.roomIDs(ctx, g)
	if err != nil {
		return Events{}, err
	}
	msgs, err := changesIn(ctx, s.db.R, ids, cursor, upTo, maxChanges)
	if err != nil {
		return Events{}, err
	}
	if len(msgs) == maxChanges {
		upTo = msgs[len(msgs)-1].seq // the rest comes with the next request
	}
	admin := g.me.Role == directory.Admin
	reps, err := reportNotices(ctx, s.db.R, g.me.ID, admin, cursor, upTo, maxChanges)
	if err != nil {
		return Events{}, err
	}
	if len(reps) == maxChanges {
		upTo = reps[len(reps)-1].seq
		for len(msgs) > 0 && msgs[len(msgs)-1].seq > upTo {
			msgs = msgs[:len(msgs)-1]
		}
	}
	ev := Events{Cursor: upTo, Messages: make([]Message, len(msgs))}
	for i, m := range msgs {
		ev.Messages[i] = toMessage(m, g.me.ID, false)
	}
	for _, r := range reps {
		rep, err := s.toReport(ctx, r, admin)
		if err != nil {
			return Events{}, err
		}
		ev.Reports = append(ev.Reports, rep)
	}
	return ev, nil
}

// roomIDs lists the rooms the person is in: this year's rooms of their
// classes and groups (those that exist) and their direct rooms.
func (s *Service) roomIDs(ctx context.Context, g *grants) ([]int64, error) {
	gids := make([]int64, 0, len(g.groups))
	for id := range g.groups {
		gids = append(gids, id)
	}
	rooms, err := groupRooms(ctx, s.db.R, g.year, gids)
	if err != nil {
		return nil, err
	}
	direct, err := directRoomsOf(ctx, s.db.R, g.me.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(rooms)+len(direct))
	for _, r := range rooms {
		ids = append(ids, r.id)
	}
	for _, r := range direct {
		ids = append(ids, r.id)
	}
	return ids, nil
}

// Waiting reports how many live-update requests wait, in all and of one
// person (for tests and the server's status).
func (s *Service) Waiting(personID int64) (all, his int) { return s.hub.waiting(personID) }
