package pcroom

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Computers lists the computers, of one room when roomID is not 0.
func (s *Service) Computers(ctx context.Context, roomID int64) ([]Computer, error) {
	if roomID != 0 {
		if _, err := roomByID(ctx, s.db.R, roomID); err != nil {
			return nil, err
		}
		return queryComputers(ctx, s.db.R, "WHERE c.room_id = ?", roomID)
	}
	return queryComputers(ctx, s.db.R, "")
}

// Computer returns one computer.
func (s *Service) Computer(ctx context.Context, id int64) (Computer, error) {
	return computerByID(ctx, s.db.R, id)
}

// EditComputer renames a computer or moves it to another room (nil:
// unchanged).
func (s *Service) EditComputer(ctx context.Context, actor directory.Actor, id int64, name *string, roomID *int64) (Computer, error) {
	var c Computer
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = computerByID(ctx, tx, id)
		if err != nil {
			return err
		}
		var changes []string
		if name != nil {
			n, err := CleanComputerName(*name)
			if err != nil {
				return err
			}
			if n != c.Name {
				changes = append(changes, fmt.Sprintf("renamed from %s", c.Name))
				c.Name = n
			}
		}
		if roomID != nil && *roomID != c.RoomID {
			r, err := roomByID(ctx, tx, *roomID)
			if err != nil {
				return err
			}
			changes = append(changes, fmt.Sprintf("moved from %s to %s", c.Room, r.Name))
			c.RoomID, c.Room = r.ID, r.Name
		}
		if err := updateComputer(ctx, tx, c); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "pc.edit", c.Name, c.Name, strings.Join(changes, "; "))
	})
	return c, err
}

// RevokeComputer revokes a computer's key: its agent is refused from the
// next call on (a long poll in progress ends at once), and its waiting
// commands are dropped. The computer stays in the list, marked revoked,
// and can be enrolled again with a new code.
func (s *Service) RevokeComputer(ctx context.Context, actor directory.Actor, id int64) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := computerByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Revoked() {
			return nil
		}
		if err := revokeComputer(ctx, tx, id, s.now(), actor.Name); err != nil {
			return err
		}
		if err := dropPendingCommands(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "pc.revoke", c.Name, c.Name, "")
	})
	s.hub.wake(id)
	return err
}

// DeleteComputer removes a computer (taken out of service); its history
// stays in the protocol.
func (s *Service) DeleteComputer(ctx context.Context, actor directory.Actor, id int64) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := computerByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := deleteComputer(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "pc.delete", c.Name, c.Name, "")
	})
	s.hub.wake(id)
	return err
}

// Report is what an agent tells: who is logged in at the computer (""
// nobody) and since when, and, with a heartbeat, its mode and version.
type Report struct {
	User    string
	Since   time.Time
	Mode    string
	Version string
	Source  string // the agent's address
}

// Heartbeat records that the computer is alive, takes over the state the
// agent reports (so a report lost while the server was down is made up
// for), and tells whether the screen should be locked.
func (s *Service) Heartbeat(ctx context.Context, pc Computer, r Report) (locked bool, err error) {
	mode := pc.Mode
	if r.Mode != "" {
		if err := checkMode(r.Mode); err != nil {
			return false, err
		}
		mode = r.Mode
	}
	version, ok := cleanText(r.Version, 40, false)
	if !ok {
		version = ""
	}
	who, err := s.reportedPerson(ctx, r.User)
	if err != nil {
		return false, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := touchComputer(ctx, tx, pc.ID, s.now(), r.Source, version, mode); err != nil {
			return err
		}
		cur, err := computerByID(ctx, tx, pc.ID)
		if err != nil {
			return err
		}
		locked = cur.Locked
		return s.applyUser(ctx, tx, cur, who, r)
	})
	return locked, err
}

// ReportUser records a login or logout at the computer at once (the
// agent reports every change; the heartbeat only repeats the state).
func (s *Service) ReportUser(ctx context.Context, pc Computer, r Report) error {
	who, err := s.reportedPerson(ctx, r.User)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := computerByID(ctx, tx, pc.ID)
		if err != nil {
			return err
		}
		return s.applyUser(ctx, tx, cur, who, r)
	})
}

// reportedPerson looks up the reported login; "" is nobody.
func (s *Service) reportedPerson(ctx context.Context, login string) (directory.Person, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	if login == "" {
		return directory.Person{}, nil
	}
	p, err := s.dir.Person(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		return p, refuse(Invalid, "user", "Diesen Login gibt es nicht.", "reported unknown login %q", login)
	}
	return p, err
}

// applyUser changes who is at the computer, if it changed, and writes
// the protocol lines: the one before logged out, the new one logged in.
func (s *Service) applyUser(ctx context.Context, tx *sql.Tx, cur Computer, who directory.Person, r Report) error {
	if cur.UserID == who.ID {
		return nil
	}
	at := s.clampSince(r.Since)
	line := func(login, what string) error {
		return audit.Record(ctx, tx, audit.Entry{At: at, Actor: actorName(cur), Action: "pc.user", Target: login, Success: true,
			Source: r.Source, Service: "agent", Computer: cur.Name, Detail: what})
	}
	if cur.UserLogin != "" {
		if err := line(cur.UserLogin, "logout"); err != nil {
			return err
		}
	}
	if who.ID == 0 {
		return setComputerUser(ctx, tx, cur.ID, 0, "", "", time.Time{})
	}
	if err := setComputerUser(ctx, tx, cur.ID, who.ID, who.Login, who.Name(), at); err != nil {
		return err
	}
	return line(who.Login, "login")
}

// clampSince takes the agent's time of a change, but never one in the
// future or more than a day back (a wrong clock on the PC must not
// scramble the protocol).
func (s *Service) clampSince(t time.Time) time.Time {
	now := s.now()
	if t.IsZero() || t.After(now) || now.Sub(t) > 24*time.Hour {
		return now
	}
	return t
}
