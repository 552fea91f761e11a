// Package session keeps the API's login sessions: an opaque random token
// per login, stored only as its SHA-256, that expires after an idle time
// and after a maximum age. A session belongs to a person; purging the
// person deletes it.
package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the sessions table's schema (after the directory's).
var Migrations = store.Migrations{Component: "session", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config bounds sessions.
type Config struct {
	// IdleMinutes ends a session that was not used for this long.
	IdleMinutes int `json:"idle_minutes"`
	// MaxHours ends every session this long after the login.
	MaxHours int `json:"max_hours"`
}

// DefaultConfig: an hour idle (a lesson and a break), a school day at most.
var DefaultConfig = Config{IdleMinutes: 60, MaxHours: 12}

// ErrNoSession means the token is unknown or the session expired.
var ErrNoSession = errors.New("session: no such session or expired")

// Session is a login.
type Session struct {
	ID       int64
	PersonID int64
	Created  time.Time
	LastSeen time.Time
	Computer string
	Source   string
	Expires  time.Time
}

// Service creates and checks sessions.
type Service struct {
	db  *store.DB
	cfg Config
	now func() time.Time

	mu      sync.Mutex
	touched map[int64]time.Time // when last_seen was last written, per session
}

// New makes the service.
func New(db *store.DB, cfg Config) *Service {
	if cfg.IdleMinutes <= 0 {
		cfg.IdleMinutes = DefaultConfig.IdleMinutes
	}
	if cfg.MaxHours <= 0 {
		cfg.MaxHours = DefaultConfig.MaxHours
	}
	return &Service{db: db, cfg: cfg, now: time.Now, touched: map[int64]time.Time{}}
}

// SetClock replaces the clock, for tests of expiry.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func (s *Service) expires(created, lastSeen time.Time) time.Time {
	idle := lastSeen.Add(time.Duration(s.cfg.IdleMinutes) * time.Minute)
	max := created.Add(time.Duration(s.cfg.MaxHours) * time.Hour)
	if max.Before(idle) {
		return max
	}
	return idle
}

// Create starts a session and returns its token, which is shown once.
func (s *Service) Create(ctx context.Context, personID int64, computer, source string) (string, Session, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", Session{}, fmt.Errorf("session: token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	sess := Session{PersonID: personID, Created: now, LastSeen: now, Computer: computer, Source: source}
	sess.Expires = s.expires(now, now)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		sess.ID, err = insertSession(ctx, tx, hashToken(token), sess)
		return err
	})
	if err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// touchEvery is how often last_seen is written: once a minute is exact
// enough for an idle time in minutes and spares a write per request.
const touchEvery = time.Minute

// Lookup finds the session of a token and marks it used.
func (s *Service) Lookup(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNoSession
	}
	sess, err := sessionByHash(ctx, s.db.R, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	s.mu.Lock()
	if t, ok := s.touched[sess.ID]; ok && t.After(sess.LastSeen) {
		sess.LastSeen = t // written by this process, maybe not yet visible
	}
	s.mu.Unlock()
	sess.Expires = s.expires(sess.Created, sess.LastSeen)
	if !now.Before(sess.Expires) {
		s.deleteID(ctx, sess.ID)
		return Session{}, ErrNoSession
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error { return touchSession(ctx, tx, sess.ID, now) })
		if err != nil {
			return Session{}, err
		}
		s.mu.Lock()
		s.touched[sess.ID] = now
		s.mu.Unlock()
		sess.LastSeen = now
		sess.Expires = s.expires(sess.Created, now)
	}
	return sess, nil
}

func (s *Service) deleteID(ctx context.Context, id int64) {
	s.db.Tx(ctx, func(tx *sql.Tx) error { return deleteSession(ctx, tx, id) })
	s.mu.Lock()
	delete(s.touched, id)
	s.mu.Unlock()
}

// Delete ends the session of a token (logout).
func (s *Service) Delete(ctx context.Context, token string) error {
	sess, err := sessionByHash(ctx, s.db.R, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSession
	}
	if err != nil {
		return err
	}
	s.deleteID(ctx, sess.ID)
	return nil
}

// DeleteAllOf ends every session of a person (after a lock or a password
// reset), except the one with id keep (0: none).
func (s *Service) DeleteAllOf(ctx context.Context, personID, keep int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return deletePersonSessions(ctx, tx, personID, keep) })
}

// Sweep deletes expired sessions; the server runs it now and then.
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	now := s.now()
	idleCut := now.Add(-time.Duration(s.cfg.IdleMinutes) * time.Minute)
	ageCut := now.Add(-time.Duration(s.cfg.MaxHours) * time.Hour)
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = deleteExpired(ctx, tx, idleCut, ageCut)
		return err
	})
	s.mu.Lock()
	s.touched = map[int64]time.Time{}
	s.mu.Unlock()
	return n, err
}
