package pcroom

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

// codeAlphabet leaves out 0, 1, I and O, which look alike: an admin reads
// the code off a screen and types it at the PC. 32 symbols, so each one
// is 5 random bits (and a random byte maps onto them without bias).
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// codeLen symbols make 60 bits: far beyond guessing within a code's
// lifetime, short enough to type.
const codeLen = 12

// newCodeText makes a code like "7KQ4-XM2P-9HTR".
func newCodeText() (string, error) {
	b := make([]byte, codeLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("pcroom: random: %w", err)
	}
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return sb.String(), nil
}

// NormalizeCode makes a typed code comparable: upper case, without the
// hyphens and spaces.
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// CreateCodes makes n one-time enrollment codes valid for validity, for
// the room roomID only when it is not 0. The plain codes are in the
// answer only; the database keeps their hashes.
func (s *Service) CreateCodes(ctx context.Context, actor directory.Actor, n int, validity time.Duration, roomID int64) ([]NewCode, error) {
	if n == 0 {
		n = 1
	}
	if n < 1 || n > MaxCodes {
		return nil, refuse(Invalid, "count", fmt.Sprintf("Bitte 1 bis %d Codes auf einmal anlegen.", MaxCodes), "code count %d", n)
	}
	if validity == 0 {
		validity = DefaultCodeValidity
	}
	if validity < time.Hour || validity > MaxCodeValidity {
		return nil, refuse(Invalid, "valid_hours", "Ein Code gilt 1 Stunde bis 30 Tage.", "code validity %s", validity)
	}
	now := s.now()
	out := make([]NewCode, 0, n)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		room := ""
		if roomID != 0 {
			r, err := roomByID(ctx, tx, roomID)
			if err != nil {
				return err
			}
			room = r.Name
		}
		for range n {
			plain, err := newCodeText()
			if err != nil {
				return err
			}
			norm := NormalizeCode(plain)
			c := Code{Hint: norm[:4], RoomID: roomID, Room: room, CreatedAt: now, CreatedBy: actor.Name, Expires: now.Add(validity)}
			if err := insertCode(ctx, tx, &c, hash(norm)); err != nil {
				return err
			}
			out = append(out, NewCode{Code: c, Plain: plain})
		}
		detail := fmt.Sprintf("%d code(s) valid until %s", n, now.Add(validity).Format(time.RFC3339))
		return s.record(ctx, tx, actor, "pc.code.add", room, "", detail)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Codes lists the enrollment codes, newest first.
func (s *Service) Codes(ctx context.Context) ([]Code, error) {
	return listCodes(ctx, s.db.R)
}

// RevokeCode withdraws an unused code.
func (s *Service) RevokeCode(ctx context.Context, actor directory.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := codeByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !c.UsedAt.IsZero() {
			return refuse(Conflict, "", "Dieser Code wurde schon benutzt. Sperre stattdessen den Schlüssel des Computers.", "code used already")
		}
		if !c.RevokedAt.IsZero() {
			return nil
		}
		if err := revokeCode(ctx, tx, id, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "pc.code.revoke", c.Hint, "", "")
	})
}

// Enrollment is what a computer asks for when it is installed.
type Enrollment struct {
	Code   string
	Name   string
	Room   string
	Mode   string
	Source string // the installer's address, for the protocol
}

// Enroll uses a one-time code to register a computer and returns it with
// its key (shown this once). A computer whose key was revoked can be
// enrolled again under its name; an active one cannot: its key would be
// taken over by whoever knows a code and its name.
func (s *Service) Enroll(ctx context.Context, e Enrollment) (Computer, string, error) {
	name, err := CleanComputerName(e.Name)
	if err != nil {
		return Computer{}, "", err
	}
	if err := checkMode(e.Mode); err != nil {
		return Computer{}, "", err
	}
	roomName, err := cleanRoomName(e.Room)
	if err != nil {
		return Computer{}, "", refuse(Invalid, "room", "Bitte den Raum angeben, in dem der Computer steht.", "enroll without a room")
	}
	norm := NormalizeCode(e.Code)
	if len(norm) != codeLen {
		return Computer{}, "", refuse(Invalid, "code", "Ein Anmeldecode hat 12 Zeichen, z. B. 7KQ4-XM2P-9HTR.", "malformed enrollment code")
	}
	key, err := secret(32)
	if err != nil {
		return Computer{}, "", err
	}
	now := s.now()
	pc := Computer{Name: name, Mode: e.Mode, EnrolledAt: now}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		code, err := codeByHash(ctx, tx, hash(norm))
		if errors.Is(err, ErrNoCode) {
			return ErrCodeUnknown
		}
		if err != nil {
			return err
		}
		switch code.State(now) {
		case CodeUsedUp:
			return ErrCodeUsed
		case CodeTimeout, CodeRevoked:
			return ErrCodeExpired
		}
		room, err := roomByName(ctx, tx, roomName)
		if errors.Is(err, ErrNoRoom) {
			return refuse(Invalid, "room", fmt.Sprintf("Den Raum „%s“ gibt es nicht. Ein Admin legt ihn zuerst an.", roomName), "no room %q", roomName)
		}
		if err != nil {
			return err
		}
		if code.RoomID != 0 && code.RoomID != room.ID {
			return refuse(Invalid, "room", fmt.Sprintf("Dieser Code gilt nur für den Raum „%s“.", code.Room), "code for room %q used for %q", code.Room, room.Name)
		}
		pc.RoomID, pc.Room = room.ID, room.Name
		old, err := computerByName(ctx, tx, name)
		switch {
		case err == nil && !old.Revoked():
			return refuse(Conflict, "name", fmt.Sprintf("Der Computer „%s“ ist schon angemeldet. Ein Admin sperrt zuerst seinen Schlüssel, dann kann er neu angemeldet werden.", old.Name),
				"computer %q is enrolled", old.Name)
		case err == nil:
			pc.ID, pc.Name = old.ID, old.Name
			if err := reenrollComputer(ctx, tx, pc, hash(key)); err != nil {
				return err
			}
		case errors.Is(err, ErrNoComputer):
			if err := insertComputer(ctx, tx, &pc, hash(key)); err != nil {
				return err
			}
		default:
			return err
		}
		if err := useCode(ctx, tx, code.ID, now, pc.ID, pc.Name); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actorName(pc), Action: "pc.enroll", Target: pc.Name, Success: true,
			Source: e.Source, Service: "agent", Computer: pc.Name, Detail: fmt.Sprintf("room %s, mode %s, code %s", pc.Room, pc.Mode, code.Hint)})
	})
	if err != nil {
		if why, ok := AsError(err); ok && (why.Kind == CodeUnknown || why.Kind == CodeUsed || why.Kind == CodeExpired) {
			s.recordFailedEnrollment(ctx, name, e.Source, why)
		}
		return Computer{}, "", err
	}
	return pc, key, nil
}

// recordFailedEnrollment writes a failed attempt to the protocol (in its
// own transaction: the attempt's was rolled back).
func (s *Service) recordFailedEnrollment(ctx context.Context, name, source string, why *Error) {
	s.db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: "pc:" + name, Action: "pc.enroll", Target: name, Success: false,
			Source: source, Service: "agent", Computer: name, Detail: why.msg})
	})
}

// Authenticate finds the computer of a key. Unknown and revoked keys are
// refused alike.
func (s *Service) Authenticate(ctx context.Context, key string) (Computer, error) {
	if key == "" {
		return Computer{}, ErrKeyRefused
	}
	c, err := computerByKey(ctx, s.db.R, hash(key))
	if errors.Is(err, ErrNoComputer) {
		return Computer{}, ErrKeyRefused
	}
	return c, err
}
