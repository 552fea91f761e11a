package directory_test

import (
	"errors"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

func TestRecordConsent(t *testing.T) {
	e := newEnv(t) // today is 2026-08-20
	anna := e.pupil("Anna", "Müller", "1a")
	carl, _ := e.add("Carl", "Berg", directory.Teacher)
	tests := []struct {
		name, login, guardian, date string
		wantErr                     error
	}{
		{"today", anna, "Maria Müller", "2026-08-20", nil},
		{"in the past", anna, "Maria Müller", "2026-06-01", nil},
		{"tomorrow", anna, "Maria Müller", "2026-08-21", directory.ErrInvalid},
		{"not a date", anna, "Maria Müller", "20.08.2026", directory.ErrInvalid},
		{"no such day", anna, "Maria Müller", "2026-02-30", directory.ErrInvalid},
		{"no guardian", anna, " ", "2026-08-20", directory.ErrInvalid},
		{"for a teacher", carl.Login, "Niemand", "2026-08-20", directory.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.audit(audit.Query{Action: "consent.record"}))
			err := e.dir.RecordConsent(e.ctx, admin, tt.login, tt.guardian, tt.date)
			wantErr(t, "RecordConsent", err, tt.wantErr)
			want := before
			if tt.wantErr == nil {
				want++
			}
			if got := len(e.audit(audit.Query{Action: "consent.record"})); got != want {
				t.Errorf("consent.record lines: %d, want %d", got, want)
			}
		})
	}
	d, err := e.dir.Details(e.ctx, anna)
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Consent; c == nil || c.SignedOn != "2026-06-01" || c.RecordedBy != "cli:root" || c.Revoked() {
		t.Errorf("newest consent = %+v, want the one signed 2026-06-01, recorded by cli:root", c)
	}
	if n := e.count(`SELECT COUNT(*) FROM consents`); n != 2 {
		t.Errorf("consent rows: %d, want 2", n)
	}
}

func TestRevokeConsent(t *testing.T) {
	e := newEnv(t) // today is 2026-08-20
	anna := e.pupil("Anna", "Müller", "1a")
	ben := e.pupil("Ben", "Schäfer", "1a")
	carl, _ := e.add("Carl", "Berg", directory.Teacher)
	if err := e.dir.RecordConsent(e.ctx, admin, anna, "Maria Müller", "2026-08-10"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, login, date string
		wantErr           error
	}{
		{"before it was signed", anna, "2026-08-09", directory.ErrInvalid},
		{"in the future", anna, "2026-08-21", directory.ErrInvalid},
		{"not a date", anna, "gestern", directory.ErrInvalid},
		{"for a teacher", carl.Login, "2026-08-20", directory.ErrInvalid},
		{"on the day it was signed", anna, "2026-08-10", nil},
		{"twice", anna, "2026-08-20", directory.ErrInvalid},
		// A revocation without a recorded consent is recorded too: the
		// parents' word counts even if the form was never filed.
		{"without a recorded consent", ben, "2026-08-20", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.audit(audit.Query{Action: "consent.revoke"}))
			err := e.dir.RevokeConsent(e.ctx, admin, tt.login, tt.date)
			wantErr(t, "RevokeConsent", err, tt.wantErr)
			want := before
			if tt.wantErr == nil {
				want++
			}
			if got := len(e.audit(audit.Query{Action: "consent.revoke"})); got != want {
				t.Errorf("consent.revoke lines: %d, want %d", got, want)
			}
		})
	}
	d, _ := e.dir.Details(e.ctx, anna)
	if c := d.Consent; c == nil || !c.Revoked() || c.RevokedOn != "2026-08-10" || c.Guardian != "Maria Müller" || c.SignedOn != "2026-08-10" {
		t.Errorf("anna's consent = %+v, want signed and revoked on 2026-08-10 by Maria Müller", c)
	}
	d, _ = e.dir.Details(e.ctx, ben)
	if c := d.Consent; c == nil || !c.Revoked() {
		t.Errorf("ben's consent = %+v, want revoked", c)
	}
	d, _ = e.dir.Details(e.ctx, carl.Login)
	if d.Consent != nil {
		t.Errorf("teacher's consent = %+v, want none", d.Consent)
	}
	l := e.audit(audit.Query{Action: "consent.revoke", Target: anna})
	if len(l) != 1 || l[0].Actor != "cli:root" || l[0].Detail != "revoked 2026-08-10" {
		t.Errorf("protocol = %+v, want one line by cli:root with the date", l)
	}
	if err := e.dir.RecordConsent(e.ctx, admin, anna, "Maria Müller", "2026-08-20"); err != nil {
		t.Errorf("a new consent after revocation: %v", err)
	}
	if _, err := e.login(anna, "x"); !errors.Is(err, directory.ErrInvalidCredentials) {
		t.Errorf("login = %v, want ErrInvalidCredentials", err)
	}
}
