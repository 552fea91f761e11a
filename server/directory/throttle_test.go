package directory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

const (
	pcA = "192.0.2.10:50123" // the PC in room 1
	pcB = "192.0.2.20:40000" // the PC in room 2
)

func (e *env) loginFrom(name, pw, source string) error {
	_, err := e.dir.Authenticate(e.ctx, directory.Credentials{
		Kind: directory.PersonPrincipal, Name: name, Password: pw, Source: source, Service: "ldap",
	})
	return err
}

func throttle(cfg directory.ThrottleConfig) func(*directory.Config) {
	return func(c *directory.Config) { c.Throttle = cfg }
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if want == nil && got != nil || want != nil && !errors.Is(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// TestThrottlePerAccount: failures of one account block it from every
// source, and only it. The per-source limit is off here.
func TestThrottlePerAccount(t *testing.T) {
	e := newEnv(t, throttle(directory.ThrottleConfig{AccountFailures: 3, WindowSeconds: 600}))
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	ben := e.withPassword("Ben", "Schäfer", directory.Pupil, "Regen-Wolke-58", "1a")

	for i := 0; i < 3; i++ {
		wantErr(t, "wrong password", e.loginFrom(anna, "Sonne-Hase-48", pcA), directory.ErrInvalidCredentials)
	}
	wantErr(t, "right password after 3 failures", e.loginFrom(anna, "Sonne-Hase-47", pcA), directory.ErrThrottled)
	wantErr(t, "right password from another PC", e.loginFrom(anna, "Sonne-Hase-47", pcB), directory.ErrThrottled)
	wantErr(t, "login typed in upper case", e.loginFrom("Anna.Mueller", "Sonne-Hase-47", pcB), directory.ErrThrottled)
	wantErr(t, "another account from the same PC", e.loginFrom(ben, "Regen-Wolke-58", pcA), nil)

	// A throttled attempt is refused without hashing: with every hashing
	// slot taken it still answers at once.
	release := e.dir.Hasher().HoldAll()
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	_, err := e.dir.Authenticate(ctx, directory.Credentials{Kind: directory.PersonPrincipal, Name: anna, Password: "Sonne-Hase-47", Source: pcA})
	cancel()
	release()
	wantErr(t, "throttled attempt while hashing is blocked", err, directory.ErrThrottled)

	got := e.audit(audit.Query{Action: "login", Target: anna, Limit: 1})
	if len(got) != 1 || got[0].Success || got[0].Detail != "throttled" {
		t.Errorf("protocol of a throttled attempt = %+v, want one failed line with detail throttled", got)
	}

	// The oldest failure leaves the window after 10 minutes.
	e.clock.add(10 * time.Minute)
	wantErr(t, "right password after the window", e.loginFrom(anna, "Sonne-Hase-47", pcA), nil)
}

// TestThrottleSuccessForgets: a good login forgets the account's failures.
func TestThrottleSuccessForgets(t *testing.T) {
	e := newEnv(t, throttle(directory.ThrottleConfig{AccountFailures: 3, WindowSeconds: 600}))
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	for round := 0; round < 3; round++ {
		for i := 0; i < 2; i++ {
			wantErr(t, "wrong password", e.loginFrom(anna, "falsch", pcA), directory.ErrInvalidCredentials)
		}
		wantErr(t, "right password after 2 failures", e.loginFrom(anna, "Sonne-Hase-47", pcA), nil)
	}
}

// TestThrottleWindow: failures older than the window do not count.
func TestThrottleWindow(t *testing.T) {
	e := newEnv(t, throttle(directory.ThrottleConfig{AccountFailures: 3, WindowSeconds: 600}))
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	t0 := e.clock.now()
	for _, at := range []time.Duration{0, 5 * time.Minute, 9 * time.Minute} {
		e.clock.set(t0.Add(at))
		wantErr(t, "wrong password", e.loginFrom(anna, "falsch", pcA), directory.ErrInvalidCredentials)
	}
	e.clock.set(t0.Add(10*time.Minute - time.Second))
	wantErr(t, "one second before the first failure leaves the window", e.loginFrom(anna, "Sonne-Hase-47", pcA), directory.ErrThrottled)
	e.clock.set(t0.Add(10 * time.Minute))
	wantErr(t, "when the first failure leaves the window", e.loginFrom(anna, "Sonne-Hase-47", pcA), nil)
}

// TestThrottlePerSource: failures from one address, at any accounts and
// at names that do not exist, block that address only. The per-account
// limit is off here.
func TestThrottlePerSource(t *testing.T) {
	e := newEnv(t, throttle(directory.ThrottleConfig{SourceFailures: 3, WindowSeconds: 600, TrustedSources: []string{"198.51.100.0/24", "2001:db8::7"}}))
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	ben := e.withPassword("Ben", "Schäfer", directory.Pupil, "Regen-Wolke-58", "1a")
	carl := e.withPassword("Carl", "Berg", directory.Teacher, "Tafel-Kreide-99")

	wantErr(t, "wrong password for anna", e.loginFrom(anna, "falsch", pcA), directory.ErrInvalidCredentials)
	wantErr(t, "wrong password for ben", e.loginFrom(ben, "falsch", pcA), directory.ErrInvalidCredentials)
	wantErr(t, "unknown name", e.loginFrom("niemand.da", "falsch", "192.0.2.10:1"), directory.ErrInvalidCredentials)

	wantErr(t, "carl from the guessing PC", e.loginFrom(carl, "Tafel-Kreide-99", pcA), directory.ErrThrottled)
	wantErr(t, "carl from the guessing PC, other port", e.loginFrom(carl, "Tafel-Kreide-99", "192.0.2.10:2"), directory.ErrThrottled)
	wantErr(t, "carl from the guessing PC as IPv4-mapped IPv6", e.loginFrom(carl, "Tafel-Kreide-99", "[::ffff:192.0.2.10]:3"), directory.ErrThrottled)
	wantErr(t, "carl from another PC", e.loginFrom(carl, "Tafel-Kreide-99", pcB), nil)
	wantErr(t, "anna from another PC", e.loginFrom(anna, "Sonne-Hase-47", pcB), nil)

	// A good login does not wipe the record of guesses from its address.
	src := "192.0.2.30:1000"
	wantErr(t, "failure 1", e.loginFrom(anna, "falsch", src), directory.ErrInvalidCredentials)
	wantErr(t, "failure 2", e.loginFrom(ben, "falsch", src), directory.ErrInvalidCredentials)
	wantErr(t, "good login in between", e.loginFrom(carl, "Tafel-Kreide-99", src), nil)
	wantErr(t, "failure 3", e.loginFrom(anna, "falsch", src), directory.ErrInvalidCredentials)
	wantErr(t, "after 3 failures with a success in between", e.loginFrom(carl, "Tafel-Kreide-99", src), directory.ErrThrottled)

	// Trusted sources (a web application binding for many) are exempt.
	for _, trusted := range []string{"198.51.100.7:8080", "[2001:db8::7]:389"} {
		for i := 0; i < 5; i++ {
			wantErr(t, "failure from trusted "+trusted, e.loginFrom(ben, "falsch", trusted), directory.ErrInvalidCredentials)
		}
		wantErr(t, "good login from trusted "+trusted, e.loginFrom(carl, "Tafel-Kreide-99", trusted), nil)
	}

	e.clock.add(10 * time.Minute)
	wantErr(t, "carl from the guessing PC after the window", e.loginFrom(carl, "Tafel-Kreide-99", pcA), nil)
}

func TestThrottleOff(t *testing.T) {
	e := newEnv(t, throttle(directory.ThrottleConfig{AccountFailures: 1, SourceFailures: 1, WindowSeconds: 0}))
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	for i := 0; i < 5; i++ {
		wantErr(t, "wrong password", e.loginFrom(anna, "falsch", pcA), directory.ErrInvalidCredentials)
	}
	wantErr(t, "right password with the throttle off", e.loginFrom(anna, "Sonne-Hase-47", pcA), nil)
}

// TestThrottleUnknownNames: guessing names that do not exist counts
// against the source, not against an account of that name created later.
func TestThrottleUnknownNames(t *testing.T) {
	e := newEnv(t, throttle(directory.ThrottleConfig{AccountFailures: 2, WindowSeconds: 600}))
	for i := 0; i < 5; i++ {
		wantErr(t, "unknown name", e.loginFrom("dora.klein", "falsch", pcA), directory.ErrInvalidCredentials)
	}
	dora := e.withPassword("Dora", "Klein", directory.Pupil, "Sonne-Hase-47", "2a")
	wantErr(t, "the new account", e.loginFrom(dora, "Sonne-Hase-47", pcA), nil)
}
