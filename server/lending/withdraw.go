package lending

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Withdrawn is a registration taken back, with the account as it is
// afterwards (money paid already shows as to be paid back) and the text
// of the notice that went into the child's mailbox.
type Withdrawn struct {
	Registration Registration
	Account      Account
	Year         Year
	Message      string
}

// WithdrawOwn takes back the registration of the year whose registration
// is open (parents at home), only while it is open: families who decide
// to buy the books themselves, or who move away, before the school
// orders.
func (s *Service) WithdrawOwn(ctx context.Context, me directory.Person) (Withdrawn, error) {
	o, err := s.OwnOffer(ctx, me)
	if err != nil {
		return Withdrawn{}, err
	}
	if o.Year.ID == 0 || !o.Open {
		reason := o.Reason
		if reason == "" {
			reason = "Die Anmeldezeit ist vorbei. Bitte wenden Sie sich an das Sekretariat."
		}
		return Withdrawn{}, refuse(Conflict, "year", reason, "registration not open for %s", me.Login)
	}
	return s.withdraw(ctx, directory.Actor{Name: me.Login, Service: "api"}, o.Pupil.Person, o.Year, Online)
}

// WithdrawFor takes back a pupil's registration of a year (0: the year
// of the open registration, else the current one) for the lending staff,
// at any time: a child leaving the school, parents who call.
func (s *Service) WithdrawFor(ctx context.Context, me directory.Person, login string, yearID int64) (Withdrawn, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Withdrawn{}, err
	}
	p, err := s.pupilByLogin(ctx, login)
	if err != nil {
		return Withdrawn{}, err
	}
	y, err := s.secretaryYear(ctx, yearID)
	if err != nil {
		return Withdrawn{}, err
	}
	return s.withdraw(ctx, directory.Actor{Name: me.Login, Service: "api"}, p.Person, y, Secretary)
}

// withdraw marks the current registration of the pupil and year as
// withdrawn, tells the parents in the child's mailbox and records it in
// the protocol, in one transaction. Books of that year still out must
// come back first: a withdrawn registration would leave them lent
// without anyone paying for them.
func (s *Service) withdraw(ctx context.Context, actor directory.Actor, p directory.Person, y Year, ch Channel) (Withdrawn, error) {
	school, err := s.dir.School(ctx)
	if err != nil {
		return Withdrawn{}, fmt.Errorf("lending: school: %w", err)
	}
	now := s.now()
	var out Withdrawn
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		reg, err := currentRegistration(ctx, tx, p.ID, y.ID)
		if errors.Is(err, store.ErrNotFound) {
			return refuse(Conflict, "registration", fmt.Sprintf("Für das Schuljahr %s gibt es keine Anmeldung, die zurückgenommen werden könnte.", y.Name),
				"no registration of %s for %s", p.Login, y.Name)
		}
		if err != nil {
			return err
		}
		var out1 int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM lending_loans WHERE person_id = ? AND year_id = ? AND returned_at IS NULL`,
			p.ID, y.ID).Scan(&out1); err != nil {
			return wrap("withdraw: loans", err)
		}
		if out1 > 0 {
			books := "ein Buch"
			if out1 > 1 {
				books = fmt.Sprintf("%d Bücher", out1)
			}
			return refuse(Conflict, "loans", fmt.Sprintf("Aus dieser Anmeldung ist noch %s ausgeliehen. Es muss zuerst zurückgegeben werden.", books),
				"%s has %d books of %s out", p.Login, out1, y.Name)
		}
		before, err := accountOf(ctx, tx, p.ID, y.ID)
		if err != nil {
			return err
		}
		kept := KeptOnWithdrawal(before.RegistrationDue, y, dateOf(now))
		if _, err := tx.ExecContext(ctx, `UPDATE lending_accounts SET kept_cents = ? WHERE id = ?`, kept, before.ID); err != nil {
			return wrap("withdraw: kept", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE lending_registrations SET replaced_at = ?, withdrawn_by = ? WHERE id = ? AND replaced_at IS NULL`,
			store.FormatTime(now), actor.Name, reg.ID)
		if err := affectedOne(res, err, "withdraw", refuse(Conflict, "registration", "Die Anmeldung wurde gerade geändert. Bitte laden Sie neu.", "registration %d changed", reg.ID)); err != nil {
			return err
		}
		acc, err := accountOf(ctx, tx, p.ID, y.ID)
		if err != nil {
			return err
		}
		out = Withdrawn{Registration: *reg, Account: acc, Year: y}
		subject, body := withdrawalNotice(school.Name, p, y, acc, ch)
		out.Message = body
		if s.notify != nil {
			if err := s.notify.Deliver(ctx, tx, p, subject, body, now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor.Name, Action: "lending.withdraw", Target: p.Login,
			Success: true, Service: actor.Service, Detail: y.Name})
	})
	if err != nil {
		return Withdrawn{}, err
	}
	return out, nil
}

// KeptOnWithdrawal is what the school keeps of a registration's amount
// when it is taken back on the day: nothing before the school year
// starts, half in its first half-year (the decree refunds half to those
// who leave then), all of it in the second. Half is rounded so that the
// refund is never more than half.
func KeptOnWithdrawal(due int64, y Year, today string) int64 {
	switch {
	case today < y.Start:
		return 0
	case today < y.SecondHalf:
		return due - due/2
	}
	return due
}

// withdrawalNotice is the message to the parents: what was taken back,
// what the school keeps and what happens with money already paid.
func withdrawalNotice(school string, p directory.Person, y Year, acc Account, ch Channel) (string, string) {
	var b strings.Builder
	name := p.Name()
	subject := fmt.Sprintf("Schulbuchausleihe %s: Anmeldung von %s zurückgenommen", y.Name, name)
	fmt.Fprintf(&b, "Liebe Eltern,\n\ndie Anmeldung zur Schulbuchausleihe %s für %s ist zurückgenommen", y.Name, name)
	if ch == Secretary {
		b.WriteString(" (im Sekretariat)")
	}
	b.WriteString(".\n")
	if acc.Kept > 0 {
		fmt.Fprintf(&b, "\nDas Schuljahr hatte schon begonnen: Vom Leihentgelt bleiben %s zu zahlen.\n", Euro(acc.Kept))
	} else {
		b.WriteString("Die Bücher dieses Schuljahres kaufen Sie nun selbst.\n")
	}
	switch bal := acc.Balance(); {
	case bal < 0:
		fmt.Fprintf(&b, "\nSie haben bereits %s überwiesen (Verwendungszweck %s). ", Euro(acc.Paid), acc.Reference)
		if acc.ClaimsDue > 0 {
			b.WriteString("Offene Ersatzforderungen werden damit verrechnet. ")
		}
		fmt.Fprintf(&b, "Die Schule zahlt Ihnen %s zurück.\n", Euro(-bal))
	case bal > 0:
		fmt.Fprintf(&b, "\nBitte überweisen Sie noch %s mit dem Verwendungszweck %s.\n", Euro(bal), acc.Reference)
	}
	if acc.Kept == 0 {
		b.WriteString("\nBis zum Ende der Anmeldezeit können Sie Ihr Kind wieder anmelden.\n")
	}
	fmt.Fprintf(&b, "\nMit freundlichen Grüßen\n%s\n", school)
	return subject, b.String()
}
