// Package directory is the school's register of people: pupils, teachers,
// the secretary and admins, their roles, classes and groups, passwords
// (argon2id), locks, parents' consent, the import of pupil lists, the
// promotion at the end of the school year and the deletion of leavers. It
// also checks logins for every way in (LDAP, the API), with one set of rules
// and one throttle, so that a locked account is locked everywhere.
package directory

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"kaspel/server/audit"
	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the directory's schema.
var Migrations = store.Migrations{Component: "directory", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config is the directory's part of the server configuration.
type Config struct {
	Hash           HashParams     `json:"password_hash"`
	Throttle       ThrottleConfig `json:"throttle"`
	PurgeGraceDays int            `json:"purge_grace_days"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{Hash: DefaultHashParams, Throttle: DefaultThrottle, PurgeGraceDays: 90}

// Errors a caller can test for with errors.Is.
var (
	ErrInvalidCredentials = errors.New("invalid login or password")
	ErrLocked             = errors.New("account locked")
	ErrLeft               = errors.New("account of a person who has left the school")
	ErrConsentRevoked     = errors.New("parents' consent revoked")
	ErrThrottled          = errors.New("too many failed logins")
	ErrNotAllowed         = errors.New("not allowed")
	ErrInvalid            = errors.New("invalid input")
)

// inputError is a mistake in what a person asked for (as opposed to a
// failure of the machine): its text is fit to show them, and it is
// ErrInvalid for errors.Is.
type inputError struct {
	err    error
	german string // the same in German, for the client; "" if none
}

func (e *inputError) Error() string        { return e.err.Error() }
func (e *inputError) Unwrap() error        { return e.err }
func (e *inputError) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error {
	return &inputError{err: fmt.Errorf(format, args...), german: german(format, args)}
}

// Directory is the directory service. It is safe for concurrent use.
type Directory struct {
	db       *store.DB
	cfg      Config
	hasher   *Hasher
	throttle *throttle
	logins   *audit.Log // may be nil: login attempts are then not recorded
	now      func() time.Time

	dummyOnce sync.Once
	dummyHash string

	serviceCache sync.Map // service DN -> verified credential, see auth.go
	cache        cache    // school and groups, see cache.go
	people       peopleCache
}

// New makes a directory over db. logins receives the protocol of login
// attempts; it may be nil in tools that never check passwords.
func New(db *store.DB, cfg Config, logins *audit.Log) (*Directory, error) {
	h, err := NewHasher(cfg.Hash)
	if err != nil {
		return nil, err
	}
	if cfg.PurgeGraceDays < 0 {
		return nil, fmt.Errorf("directory: purge_grace_days must not be negative")
	}
	return &Directory{db: db, cfg: cfg, hasher: h, throttle: newThrottle(cfg.Throttle), logins: logins, now: time.Now}, nil
}

// SetClock replaces the clock, for tests of dates (promotion, purge).
func (d *Directory) SetClock(now func() time.Time) { d.now = now }

// DB is the database the directory lives in, for modules that keep their
// own tables beside it.
func (d *Directory) DB() *store.DB { return d.db }

// Hasher is the directory's password hasher.
func (d *Directory) Hasher() *Hasher { return d.hasher }

// change runs fn in one transaction and writes its protocol line in the
// same transaction: an action is recorded if and only if it happened.
func (d *Directory) change(ctx context.Context, actor Actor, action, target string, fn func(tx *sql.Tx) (detail string, err error)) error {
	return d.db.Tx(ctx, func(tx *sql.Tx) error {
		detail, err := fn(tx)
		if err != nil {
			return err
		}
		return recordIn(ctx, tx, d.now(), actor, action, target, detail)
	})
}

func recordIn(ctx context.Context, tx *sql.Tx, at time.Time, actor Actor, action, target, detail string) error {
	return audit.Record(ctx, tx, audit.Entry{
		At: at, Actor: actor.Name, Action: action, Target: target, Success: true,
		Source: actor.Source, Service: actor.Service, Detail: detail,
	})
}

const (
	settingSchoolName    = "school.name"
	settingSchoolDomain  = "school.domain"
	settingLastPromotion = "promotion.last"
)

// InitSchool records the school's name and mail domain and creates the
// role groups. It fails if the school was set up already.
func (d *Directory) InitSchool(ctx context.Context, actor Actor, s School) error {
	if err := validateSchool(s); err != nil {
		return err
	}
	return d.change(ctx, actor, "school.init", s.Domain, func(tx *sql.Tx) (string, error) {
		if _, err := getSetting(ctx, tx, settingSchoolDomain); err == nil {
			return "", invalidf("the school is set up already")
		}
		if err := putSetting(ctx, tx, settingSchoolName, s.Name); err != nil {
			return "", err
		}
		if err := putSetting(ctx, tx, settingSchoolDomain, s.Domain); err != nil {
			return "", err
		}
		for _, r := range Roles {
			g := Group{Name: r.GroupName(), Kind: KindRole, Description: r.German()}
			if err := insertGroup(ctx, tx, &g); err != nil {
				return "", err
			}
		}
		return s.Name, nil
	})
}

// School returns the school's name and domain.
func (d *Directory) School(ctx context.Context) (School, error) {
	gen, err := generation(ctx, d.db.R)
	if err != nil {
		return School{}, err
	}
	s, _, err := d.cached(ctx, d.db.R, gen)
	if err != nil {
		return School{}, fmt.Errorf("directory: the school is not set up (run kaspel-server init): %w", err)
	}
	return s, nil
}

func schoolOf(ctx context.Context, q querier) (School, error) {
	name, err := getSetting(ctx, q, settingSchoolName)
	if err != nil {
		return School{}, fmt.Errorf("directory: the school is not set up (run kaspel-server init): %w", err)
	}
	domain, err := getSetting(ctx, q, settingSchoolDomain)
	if err != nil {
		return School{}, err
	}
	return School{Name: name, Domain: domain}, nil
}
