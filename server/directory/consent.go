package directory

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"kaspel/server/store"
)

// RecordConsent records that a guardian signed the consent form for a
// pupil on the given date (YYYY-MM-DD). A new record replaces a revoked one.
func (d *Directory) RecordConsent(ctx context.Context, actor Actor, login, guardian, signedOn string) error {
	if err := validName("guardian's name", guardian); err != nil {
		return err
	}
	if _, err := time.Parse(store.DateFormat, signedOn); err != nil {
		return invalidf("%q is not a date like 2026-08-20", signedOn)
	}
	if signedOn > d.now().Format(store.DateFormat) {
		return invalidf("the consent cannot be signed in the future (%s)", signedOn)
	}
	return d.change(ctx, actor, "consent.record", login, func(tx *sql.Tx) (string, error) {
		p, err := personByLogin(ctx, tx, login)
		if err != nil {
			return "", err
		}
		if p.Role != Pupil {
			return "", invalidf("consent is recorded for pupils only")
		}
		return "signed " + signedOn, insertConsent(ctx, tx, p.ID, Consent{
			Guardian: strings.TrimSpace(guardian), SignedOn: signedOn, RecordedBy: actor.Name,
		})
	})
}

// RevokeConsent records that the parents withdrew their consent on the
// given date. From then on the pupil can log in nowhere.
func (d *Directory) RevokeConsent(ctx context.Context, actor Actor, login, revokedOn string) error {
	if _, err := time.Parse(store.DateFormat, revokedOn); err != nil {
		return invalidf("%q is not a date like 2026-08-20", revokedOn)
	}
	// A revocation blocks logins from the moment it is recorded, so a
	// future date would not mean what it says.
	if revokedOn > d.now().Format(store.DateFormat) {
		return invalidf("the consent cannot be revoked in the future (%s)", revokedOn)
	}
	return d.change(ctx, actor, "consent.revoke", login, func(tx *sql.Tx) (string, error) {
		p, err := personByLogin(ctx, tx, login)
		if err != nil {
			return "", err
		}
		if p.Role != Pupil {
			return "", invalidf("consent is recorded for pupils only")
		}
		c, err := latestConsent(ctx, tx, p.ID)
		if err != nil {
			return "", err
		}
		if c == nil {
			c = &Consent{Guardian: "(nicht erfasst)", SignedOn: revokedOn}
		} else if c.Revoked() {
			return "", invalidf("the consent for %s is revoked already", login)
		}
		if revokedOn < c.SignedOn {
			return "", invalidf("revoked (%s) before it was signed (%s)", revokedOn, c.SignedOn)
		}
		c.RevokedOn, c.RecordedBy = revokedOn, actor.Name
		return "revoked " + revokedOn, insertConsent(ctx, tx, p.ID, *c)
	})
}
