// Package pcroom is the server side of the PC room: rooms, the computers
// enrolled in them, one-time enrollment codes, and the room commands a
// teacher sends (lock, unlock, log out, show a message).
//
// A computer is enrolled once, by the installer, with a code an admin
// made; it gets a random key that its agent sends with every call. The
// key is a computer's credential only: it authenticates heartbeats, the
// report of who is logged in and the fetching of commands, and nothing a
// person does. Keys and codes are stored as SHA-256 only.
//
// Commands wait in a queue per computer until the agent fetches them (a
// long poll that a new command wakes at once) and acknowledges them. The
// lock is also kept as the computer's state, so a computer that restarts
// while locked comes back locked. Who logged in or out at which computer
// goes to the protocol as "pc.user" lines, as the usage rules foresee.
package pcroom

import (
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"kaspel/server/directory"
	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the PC room's schema (after the directory's: computers
// refer to the person logged in).
var Migrations = store.Migrations{Component: "pcroom", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Modes of a computer's client (the client's --mode).
const (
	ModePCRoom = "pcroom"
	ModeStaff  = "staff"
	ModeKiosk  = "kiosk"
)

// Kinds of room commands.
const (
	Lock    = "lock"
	Unlock  = "unlock"
	Logout  = "logout"
	Message = "message"
)

// Timing of the agents.
const (
	// HeartbeatInterval is how often an agent reports.
	HeartbeatInterval = 30 * time.Second
	// OnlineWindow: a computer heard from within it counts as online.
	// Three heartbeats, so one lost packet does not turn a PC grey.
	OnlineWindow = 3 * HeartbeatInterval
	// CommandTTL: a command not delivered by then is dropped. A message
	// or a logout from an earlier lesson must not surprise the next
	// class; the lock itself is a state and survives (see Heartbeat).
	CommandTTL = 10 * time.Minute
	// Redeliver: a command fetched but not acknowledged this long ago
	// (the answer was lost on the way) is delivered again. The agent
	// ignores ids it has seen.
	Redeliver = 30 * time.Second
	// MaxWait bounds a long poll.
	MaxWait = 30 * time.Second
)

// Limits of the input.
const (
	DefaultCodeValidity = 24 * time.Hour
	MaxCodeValidity     = 30 * 24 * time.Hour
	MaxCodes            = 100
	MaxMessageRunes     = 500
	maxRoomName         = 40
	maxComputerName     = 64
	maxNote             = 200
)

// Room is a room with computers.
type Room struct {
	ID        int64
	Name      string
	Note      string
	Computers int
	CreatedAt time.Time
}

// Computer is an enrolled computer.
type Computer struct {
	ID         int64
	Name       string
	RoomID     int64
	Room       string
	Mode       string
	EnrolledAt time.Time
	RevokedAt  time.Time
	RevokedBy  string
	LastSeen   time.Time
	Source     string
	Version    string
	UserID     int64 // 0: nobody (or the person was purged)
	UserLogin  string
	UserName   string
	UserSince  time.Time
	Locked     bool
}

// Revoked reports whether the computer's key was revoked.
func (c Computer) Revoked() bool { return !c.RevokedAt.IsZero() }

// Commandable reports whether a teacher's room commands reach it: only
// PC-room computers do. The secretary's lending station and the
// staff-room PCs are shown in their room but never locked by a class
// teacher's "lock all".
func (c Computer) Commandable() bool { return c.Mode == ModePCRoom && !c.Revoked() }

// Code is an enrollment code as the admin's list shows it.
type Code struct {
	ID        int64
	Hint      string
	RoomID    int64
	Room      string
	CreatedAt time.Time
	CreatedBy string
	Expires   time.Time
	UsedAt    time.Time
	Computer  string
	RevokedAt time.Time
}

// Code states.
const (
	CodeOpen    = "open"
	CodeUsedUp  = "used"
	CodeTimeout = "expired"
	CodeRevoked = "revoked"
)

// State is open, used, expired or revoked at now.
func (c Code) State(now time.Time) string {
	switch {
	case !c.UsedAt.IsZero():
		return CodeUsedUp
	case !c.RevokedAt.IsZero():
		return CodeRevoked
	case !now.Before(c.Expires):
		return CodeTimeout
	}
	return CodeOpen
}

// NewCode is a freshly made code with its plain text, shown once.
type NewCode struct {
	Code
	Plain string
}

// Command is a queued room command.
type Command struct {
	ID         int64
	ComputerID int64
	Kind       string
	Text       string
	CreatedAt  time.Time
	CreatedBy  string
}

// Service holds the rules of the PC room.
type Service struct {
	db  *store.DB
	dir *directory.Directory
	now func() time.Time
	hub hub
}

// New makes the service.
func New(db *store.DB, dir *directory.Directory) *Service {
	return &Service{db: db, dir: dir, now: time.Now, hub: hub{waits: map[int64]chan struct{}{}}}
}

// SetClock replaces the clock, for tests of expiry and online state.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Online reports whether the computer's agent was heard from lately.
func (s *Service) Online(c Computer) bool {
	return !c.Revoked() && !c.LastSeen.IsZero() && s.now().Sub(c.LastSeen) < OnlineWindow
}

// hub wakes the long polls of computers that got a command.
type hub struct {
	mu    sync.Mutex
	waits map[int64]chan struct{}
}

// wait returns a channel closed at the next wake of the computer. Take it
// before looking at the queue, so a command queued in between is not
// missed.
func (h *hub) wait(id int64) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch, ok := h.waits[id]
	if !ok {
		ch = make(chan struct{})
		h.waits[id] = ch
	}
	return ch
}

func (h *hub) wake(ids ...int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range ids {
		if ch, ok := h.waits[id]; ok {
			close(ch)
			delete(h.waits, id)
		}
	}
}

// secret returns n random bytes as unpadded base64url.
func secret(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("pcroom: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// cleanText trims s and checks its length and that it has no control
// characters (newlines only where allowNewline).
func cleanText(s string, max int, allowNewline bool) (string, bool) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max || !utf8.ValidString(s) {
		return s, false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(allowNewline && r == '\n') {
			return s, false
		}
	}
	return s, true
}

// cleanRoomName checks a room name: 1-40 characters, no control characters.
func cleanRoomName(s string) (string, error) {
	s, ok := cleanText(s, maxRoomName, false)
	if !ok || s == "" {
		return s, refuse(Invalid, "name", "Der Raumname muss 1 bis 40 Zeichen haben.", "room name %q", s)
	}
	return s, nil
}

// CleanComputerName checks a computer name: 1-64 letters, digits, spaces,
// dots, hyphens and underscores (host names and "PC 07" fit).
func CleanComputerName(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := s == "" || utf8.RuneCountInString(s) > maxComputerName
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .-_", r)) {
			bad = true
		}
	}
	if bad {
		return s, refuse(Invalid, "name", "Der Computername muss 1 bis 64 Zeichen haben: Buchstaben, Ziffern, Leerzeichen, Punkt, Bindestrich oder Unterstrich.",
			"computer name %q", s)
	}
	return s, nil
}

func checkMode(mode string) error {
	switch mode {
	case ModePCRoom, ModeStaff, ModeKiosk:
		return nil
	}
	return refuse(Invalid, "mode", "Die Betriebsart muss pcroom, staff oder kiosk sein.", "mode %q", mode)
}

// actorName is how a computer appears as the actor of a protocol line.
func actorName(c Computer) string { return "pc:" + c.Name }

// CodeState is the code's state now (by the service's clock).
func (s *Service) CodeState(c Code) string { return c.State(s.now()) }
