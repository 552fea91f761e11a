package directory

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"kaspel/server/audit"
	"kaspel/server/store"
)

// PrincipalKind tells people and service accounts apart.
type PrincipalKind int

// The kinds of principals.
const (
	PersonPrincipal PrincipalKind = iota + 1
	ServicePrincipal
)

// Credentials are what a login attempt brings.
type Credentials struct {
	Kind     PrincipalKind
	Name     string // login or service account name
	Password string
	Source   string // remote address
	Service  string // ldap, api
	Computer string // the PC, where known
	// Action names the check in the protocol: "login" (the default), or
	// "password.verify" when a logged-in person confirms the old password.
	Action string
}

// Principal is who logged in.
type Principal struct {
	Kind       PrincipalKind
	ID         int64
	Name       string
	Role       Role // people only
	MustChange bool
}

// Authenticate checks a login attempt against the one set of rules that
// holds everywhere: throttling per account and source, the argon2id hash,
// then lock, leaving date and consent. Every attempt goes to the protocol,
// never with the password, and never with a name that matches no account
// (a child may type the password into the name field).
//
// A throttled attempt is refused without looking at the password. Unknown
// names cost one hash like known ones, so that timing does not tell which
// accounts exist.
func (d *Directory) Authenticate(ctx context.Context, c Credentials) (Principal, error) {
	p, reason, err := d.authenticate(ctx, c)
	if d.logins != nil {
		target := c.Name
		switch reason {
		case "unknown account", "unknown kind":
			target = "(unknown)"
		case "empty password", "throttled":
			// Refused before the name was looked up: it may be a
			// password typed into the name field.
			if !d.exists(ctx, c.Kind, c.Name) {
				target = "(unknown)"
			}
		}
		detail := reason
		if c.Kind == ServicePrincipal {
			detail = strings.TrimSuffix("service account; "+detail, "; ")
		}
		action := c.Action
		if action == "" {
			action = "login"
		}
		d.logins.Add(audit.Entry{
			At: d.now(), Actor: target, Action: action, Target: target, Success: err == nil,
			Source: c.Source, Service: c.Service, Computer: c.Computer, Detail: detail,
		})
	}
	return p, err
}

// exists reports whether name is an account of that kind.
func (d *Directory) exists(ctx context.Context, kind PrincipalKind, name string) bool {
	var err error
	switch kind {
	case PersonPrincipal:
		_, err = personByLogin(ctx, d.db.R, name)
	case ServicePrincipal:
		_, err = serviceByName(ctx, d.db.R, name)
	default:
		return false
	}
	return err == nil
}

func (d *Directory) authenticate(ctx context.Context, c Credentials) (Principal, string, error) {
	now := d.now()
	if c.Password == "" {
		return Principal{}, "empty password", ErrInvalidCredentials
	}
	if d.throttle.blocked(c.Name, c.Source, now) {
		return Principal{}, "throttled", ErrThrottled
	}
	switch c.Kind {
	case ServicePrincipal:
		return d.authenticateService(ctx, c, now)
	case PersonPrincipal:
		return d.authenticatePerson(ctx, c, now)
	}
	return Principal{}, "unknown kind", ErrInvalidCredentials
}

func (d *Directory) authenticatePerson(ctx context.Context, c Credentials, now time.Time) (Principal, string, error) {
	p, err := personByLogin(ctx, d.db.R, c.Name)
	if errors.Is(err, store.ErrNotFound) {
		d.burnHash(ctx, c.Password)
		d.throttle.failed("", c.Source, now)
		return Principal{}, "unknown account", ErrInvalidCredentials
	}
	if err != nil {
		return Principal{}, "error", err
	}
	if p.PasswordHash == "" {
		// No password set: nothing matches (glauth #471 accepted anything).
		d.burnHash(ctx, c.Password)
		d.throttle.failed(p.Login, c.Source, now)
		return Principal{}, "no password set", ErrInvalidCredentials
	}
	ok, err := d.hasher.Verify(ctx, p.PasswordHash, c.Password)
	if err != nil {
		return Principal{}, "error", fmt.Errorf("directory: check password of %s: %w", p.Login, err)
	}
	if !ok {
		d.throttle.failed(p.Login, c.Source, now)
		return Principal{}, "wrong password", ErrInvalidCredentials
	}
	if reason, err := d.usable(ctx, p, now); err != nil {
		return Principal{}, reason, err
	}
	d.throttle.succeeded(p.Login)
	if d.hasher.Outdated(p.PasswordHash) {
		go d.rehash(p, c.Password)
	}
	return Principal{Kind: PersonPrincipal, ID: p.ID, Name: p.Login, Role: p.Role, MustChange: p.MustChange}, "", nil
}

// usable checks the states that keep a person out whatever the password.
func (d *Directory) usable(ctx context.Context, p Person, now time.Time) (string, error) {
	if p.Locked() {
		return "locked", ErrLocked
	}
	if p.HasLeft(now) {
		return "left the school", ErrLeft
	}
	if p.Role == Pupil {
		revoked, err := revokedConsent(ctx, d.db.R, p.ID)
		if err != nil {
			return "error", err
		}
		if revoked {
			return "consent revoked", ErrConsentRevoked
		}
	}
	return "", nil
}

// rehash stores a hash with the current parameters after a login with an
// older one, so that raising the parameters takes effect without resets.
func (d *Directory) rehash(p Person, pw string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hash, err := d.hasher.Hash(ctx, pw)
	if err != nil {
		return
	}
	err = d.db.Tx(ctx, func(tx *sql.Tx) error {
		return rehashPerson(ctx, tx, p.ID, p.PasswordHash, hash)
	})
	if err != nil {
		slog.Warn("directory: re-hash password", "login", p.Login, "err", err)
	}
}

// burnHash spends the time of one verification, so that an unknown name
// answers as slowly as a known one.
func (d *Directory) burnHash(ctx context.Context, pw string) {
	d.dummyOnce.Do(func() {
		d.dummyHash, _ = d.hasher.Hash(ctx, "kaspel-dummy-password")
	})
	if d.dummyHash != "" {
		d.hasher.Verify(ctx, d.dummyHash, pw)
	}
}

// A service account binds on every connection sssd or an application
// opens; its secret is long and random (not a person's password), so after
// one argon2id check the process remembers an HMAC of it for a while and
// later binds cost microseconds. The HMAC key lives only in memory; the
// entry dies when the stored hash changes (a reset) or after serviceTTL.
const serviceTTL = 10 * time.Minute

var serviceKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("directory: crypto/rand failed: " + err.Error())
	}
	return k
}()

type serviceProof struct {
	hash    string // the stored hash the proof was made against
	mac     []byte
	expires time.Time
}

func serviceMAC(name, pw string) []byte {
	m := hmac.New(sha256.New, serviceKey)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(pw))
	return m.Sum(nil)
}

func (d *Directory) authenticateService(ctx context.Context, c Credentials, now time.Time) (Principal, string, error) {
	a, err := serviceByName(ctx, d.db.R, c.Name)
	if errors.Is(err, store.ErrNotFound) {
		d.burnHash(ctx, c.Password)
		d.throttle.failed("", c.Source, now)
		return Principal{}, "unknown account", ErrInvalidCredentials
	}
	if err != nil {
		return Principal{}, "error", err
	}
	mac := serviceMAC(a.Name, c.Password)
	if v, ok := d.serviceCache.Load(a.Name); ok {
		proof := v.(serviceProof)
		if proof.hash == a.PasswordHash && now.Before(proof.expires) && hmac.Equal(proof.mac, mac) {
			return Principal{Kind: ServicePrincipal, ID: a.ID, Name: a.Name}, "", nil
		}
	}
	ok, err := d.hasher.Verify(ctx, a.PasswordHash, c.Password)
	if err != nil {
		return Principal{}, "error", fmt.Errorf("directory: check password of service %s: %w", a.Name, err)
	}
	if !ok {
		d.throttle.failed(a.Name, c.Source, now)
		return Principal{}, "wrong password", ErrInvalidCredentials
	}
	d.throttle.succeeded(a.Name)
	d.serviceCache.Store(a.Name, serviceProof{hash: a.PasswordHash, mac: mac, expires: now.Add(serviceTTL)})
	return Principal{Kind: ServicePrincipal, ID: a.ID, Name: a.Name}, "", nil
}

// Recheck loads a principal again and tells whether it may still act:
// a connection bound an hour ago must not outlive a lock set a minute ago.
func (d *Directory) Recheck(ctx context.Context, pr Principal) (Principal, error) {
	switch pr.Kind {
	case ServicePrincipal:
		a, err := serviceByName(ctx, d.db.R, pr.Name)
		if err != nil {
			return Principal{}, err
		}
		return Principal{Kind: ServicePrincipal, ID: a.ID, Name: a.Name}, nil
	case PersonPrincipal:
		p, err := personByLogin(ctx, d.db.R, pr.Name)
		if err != nil {
			return Principal{}, err
		}
		if p.ID != pr.ID {
			// purged and the login given to someone else
			return Principal{}, fmt.Errorf("directory: %s: %w", pr.Name, store.ErrNotFound)
		}
		if _, err := d.usable(ctx, p, d.now()); err != nil {
			return Principal{}, err
		}
		return Principal{Kind: PersonPrincipal, ID: p.ID, Name: p.Login, Role: p.Role, MustChange: p.MustChange}, nil
	}
	return Principal{}, ErrInvalidCredentials
}
