package pcroom

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"kaspel/server/directory"
)

// Send queues a room command for the computers ids of the room, or for
// every commandable computer of the room when ids is empty, and wakes
// their agents. Any teacher (and admin) may command any room: in a
// primary school whoever has the class in the PC room supervises it, and
// substitutions are not in Kaspel; every command goes to the protocol
// with who sent it. It returns the names of the computers that got it.
func (s *Service) Send(ctx context.Context, actor directory.Actor, roomID int64, kind, text string, ids []int64) ([]string, error) {
	switch kind {
	case Lock, Unlock, Logout:
		text = ""
	case Message:
		var ok bool
		text, ok = cleanText(text, MaxMessageRunes, true)
		if !ok {
			return nil, refuse(Invalid, "text", fmt.Sprintf("Eine Nachricht hat höchstens %d Zeichen.", MaxMessageRunes), "message too long")
		}
		if text == "" {
			return nil, errEmptyMessage
		}
	default:
		return nil, refuse(Invalid, "kind", "Diesen Befehl gibt es nicht (lock, unlock, logout, message).", "unknown command %q", kind)
	}
	now := s.now()
	var targets []Computer
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		room, err := roomByID(ctx, tx, roomID)
		if err != nil {
			return err
		}
		inRoom, err := queryComputers(ctx, tx, "WHERE c.room_id = ?", roomID)
		if err != nil {
			return err
		}
		targets = targets[:0]
		if len(ids) == 0 {
			for _, c := range inRoom {
				if c.Commandable() {
					targets = append(targets, c)
				}
			}
			if len(targets) == 0 {
				return errNoTargets
			}
		}
		for _, id := range ids {
			i := slices.IndexFunc(inRoom, func(c Computer) bool { return c.ID == id })
			if i < 0 {
				return refuse(NotFound, "computers", "Diesen Computer gibt es in diesem Raum nicht.", "computer %d not in room %d", id, roomID)
			}
			c := inRoom[i]
			if !c.Commandable() {
				return refuse(Conflict, "computers", fmt.Sprintf("„%s“ nimmt keine Raumbefehle an: Das geht nur bei PC-Raum-Computern.", c.Name),
					"computer %q is not commandable", c.Name)
			}
			if !slices.ContainsFunc(targets, func(t Computer) bool { return t.ID == id }) {
				targets = append(targets, c)
			}
		}
		names := make([]string, 0, len(targets))
		for _, c := range targets {
			cmd := Command{ComputerID: c.ID, Kind: kind, Text: text, CreatedAt: now, CreatedBy: actor.Name}
			if err := insertCommand(ctx, tx, &cmd, now.Add(CommandTTL)); err != nil {
				return err
			}
			if kind == Lock || kind == Unlock {
				if err := setLocked(ctx, tx, c.ID, kind == Lock); err != nil {
					return err
				}
			}
			names = append(names, c.Name)
		}
		computer := ""
		if len(targets) == 1 {
			computer = targets[0].Name
		}
		// The text of a message is not protocolled: the protocol records
		// who used which PC and what was done, it is no chat log.
		return s.record(ctx, tx, actor, "pc."+kind, room.Name, computer, strings.Join(names, ", "))
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(targets))
	for i, c := range targets {
		names[i] = c.Name
		s.hub.wake(c.ID)
	}
	return names, nil
}

// Commands returns the commands due for the computer. When none are due
// it waits up to wait for one (a long poll: a teacher's command wakes it
// at once). A computer whose key is revoked meanwhile gets ErrKeyRefused.
func (s *Service) Commands(ctx context.Context, pc Computer, wait time.Duration) ([]Command, error) {
	if wait > MaxWait {
		wait = MaxWait
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		woken := s.hub.wait(pc.ID)
		due, err := s.takeDue(ctx, pc.ID)
		if err != nil || len(due) > 0 || wait <= 0 {
			return due, err
		}
		select {
		case <-woken:
		case <-timer.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// takeDue returns the due commands and marks them delivered. It looks on
// the read connections first: most polls find nothing, and those need no
// write transaction.
func (s *Service) takeDue(ctx context.Context, id int64) ([]Command, error) {
	cur, err := computerByID(ctx, s.db.R, id)
	if err != nil || cur.Revoked() {
		return nil, ErrKeyRefused
	}
	due, err := dueCommands(ctx, s.db.R, id, s.now())
	if err != nil || len(due) == 0 {
		return nil, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if due, err = dueCommands(ctx, tx, id, now); err != nil || len(due) == 0 {
			return err
		}
		ids := make([]int64, len(due))
		for i, c := range due {
			ids[i] = c.ID
		}
		return markDelivered(ctx, tx, ids, now)
	})
	return due, err
}

// Ack marks commands as carried out; ids that are not the computer's are
// ignored.
func (s *Service) Ack(ctx context.Context, pc Computer, ids []int64) error {
	if len(ids) > 1000 {
		return refuse(Invalid, "ids", "Zu viele Befehle auf einmal.", "ack of %d ids", len(ids))
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := ackCommands(ctx, tx, pc.ID, ids, s.now())
		return err
	})
}

// Sweep removes commands older than a day and enrollment codes that ended
// more than 30 days ago; the server's housekeeping calls it.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := deleteOldCommands(ctx, tx, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		_, err := deleteOldCodes(ctx, tx, now.Add(-30*24*time.Hour))
		return err
	})
}
