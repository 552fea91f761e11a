package lending

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// Panel is everything the kiosk shows about a pupil after a scan, and
// what the child's account shows the parents: the registration of the
// year with its payment state, the booked titles and which of them are
// still missing, the books the pupil has, and open claims.
type Panel struct {
	Pupil        directory.Listed
	Class        string
	Card         string // the 9-digit card number ("" if none printed yet)
	Year         Year
	Registration *Registration // nil: not registered for the year
	Account      *Account      // nil: nothing registered or claimed in the year
	Booked       []Booked      // the borrowed titles of the registration
	Missing      []Booked      // those of them not issued yet
	Loans        []Loan        // the books the pupil has now (every year)
	Claims       []Claim       // live claims (every year)
	ClaimsOpen   int64         // what of the claims is not paid yet
	Warnings     []Warning
}

// Booked is a borrowed title of a registration and the copy the pupil
// has of it.
type Booked struct {
	RegisteredTitle
	Code string // the copy issued ("" if none yet)
}

// Warning is something the kiosk shows in colour and the secretary
// should act on.
type Warning struct {
	Code   string // not_registered, unpaid, proof_pending, open_claims, refund, third_loan, not_booked, has_title, other_pupil
	German string
}

// The warnings' codes.
const (
	WarnNotRegistered = "not_registered"
	WarnUnpaid        = "unpaid"
	WarnProofPending  = "proof_pending"
	WarnOpenClaims    = "open_claims"
	WarnRefund        = "refund"
	WarnLastLoan      = "last_loan"
	WarnNotBooked     = "not_booked"
	WarnHasTitle      = "has_title"
	WarnOtherPupil    = "other_pupil"
)

// panel builds a pupil's panel for a year (no access check).
func (s *Service) panel(ctx context.Context, personID int64, y Year) (Panel, error) {
	p, err := s.dir.PupilWithClasses(ctx, personID)
	if errors.Is(err, store.ErrNotFound) {
		return Panel{}, errNoPupil
	}
	if err != nil {
		return Panel{}, fmt.Errorf("lending: pupil %d: %w", personID, err)
	}
	pn := Panel{Pupil: p, Class: classOf(p.Classes), Year: y}
	q := s.db.R
	if pn.Card, err = cardOf(ctx, q, personID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return pn, err
	}
	reg, err := currentRegistration(ctx, q, personID, y.ID)
	switch {
	case err == nil:
		pn.Registration = reg
	case !errors.Is(err, store.ErrNotFound):
		return pn, err
	}
	acc, err := accountOf(ctx, q, personID, y.ID)
	switch {
	case err == nil:
		pn.Account = &acc
	case !errors.Is(err, store.ErrNotFound):
		return pn, err
	}
	if pn.Loans, err = openLoansOf(ctx, q, personID); err != nil {
		return pn, err
	}
	if pn.Claims, err = liveClaimsOfPerson(ctx, q, personID); err != nil {
		return pn, err
	}
	seen := map[int64]bool{}
	for _, c := range pn.Claims {
		if seen[c.AccountID] {
			continue
		}
		seen[c.AccountID] = true
		a, err := accountByID(ctx, q, c.AccountID)
		if err != nil {
			return pn, err
		}
		// Payments cover the registration first, then the claims.
		if open := min(a.ClaimsDue, a.Balance()); open > 0 {
			pn.ClaimsOpen += open
		}
	}
	has := map[int64]string{}
	for _, l := range pn.Loans {
		has[l.TitleID] = l.Code
	}
	if reg != nil {
		for _, t := range reg.Titles {
			if t.Choice != Borrow {
				continue
			}
			b := Booked{RegisteredTitle: t, Code: has[t.TitleID]}
			pn.Booked = append(pn.Booked, b)
			if b.Code == "" {
				pn.Missing = append(pn.Missing, b)
			}
		}
	}
	pn.Warnings = panelWarnings(pn)
	return pn, nil
}

// panelWarnings are the panel's standing warnings, most urgent first.
func panelWarnings(pn Panel) []Warning {
	var w []Warning
	if pn.Registration == nil {
		w = append(w, Warning{WarnNotRegistered, fmt.Sprintf("Nicht angemeldet für %s.", pn.Year.Name)})
	}
	if a := pn.Account; a != nil && pn.Registration != nil {
		switch {
		case a.Status == StatusRefund:
			w = append(w, Warning{WarnRefund, fmt.Sprintf("Zu viel bezahlt: %s zurückzahlen.", Euro(-a.Balance()))})
		case !a.PaidUp():
			w = append(w, Warning{WarnUnpaid, fmt.Sprintf("Noch nicht bezahlt: %s offen.", Euro(a.RegistrationDue-a.Paid))})
		}
	}
	if r := pn.Registration; r != nil && r.Waiting {
		what := "Ermäßigung"
		if r.Exemption != ExemptNone {
			what = "Befreiung"
		}
		w = append(w, Warning{WarnProofPending, fmt.Sprintf("Nachweis für die %s fehlt noch.", what)})
	}
	if pn.ClaimsOpen > 0 {
		w = append(w, Warning{WarnOpenClaims, fmt.Sprintf("Offene Ersatzforderung: %s.", Euro(pn.ClaimsOpen))})
	}
	return w
}

// PupilPanel is the panel of a pupil by login, for lending staff
// (yearID 0: the current year).
func (s *Service) PupilPanel(ctx context.Context, me directory.Person, login string, yearID int64) (Panel, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Panel{}, err
	}
	p, err := s.pupilByLogin(ctx, login)
	if err != nil {
		return Panel{}, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return Panel{}, err
	}
	return s.panel(ctx, p.ID, y)
}

// Own is what a pupil's account (the parents) sees: the panel of the
// year whose registration is open (or the current one), the account of
// the current year, and the school's bank account.
type Own struct {
	Panel
	// Other is the panel of the current year when the registration year
	// is another (the books the child has now belong to it).
	Other *Panel
}

// OwnState returns the child's own lending state.
func (s *Service) OwnState(ctx context.Context, me directory.Person) (Own, error) {
	if me.Role != directory.Pupil {
		return Own{}, errPupilsOnly
	}
	y, _, err := s.registrationYear(ctx)
	if err != nil {
		return Own{}, err
	}
	pn, err := s.panel(ctx, me.ID, y)
	if err != nil {
		return Own{}, err
	}
	out := Own{Panel: pn}
	if cur, err := s.currentYear(ctx); err == nil && cur.ID != y.ID {
		other, err := s.panel(ctx, me.ID, cur)
		if err != nil {
			return out, err
		}
		out.Other = &other
	}
	return out, nil
}

// SearchPupils finds pupils by a part of the name or login, or by a
// class name, for the kiosk's name search (staff).
func (s *Service) SearchPupils(ctx context.Context, me directory.Person, term string) ([]directory.Listed, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return nil, err
	}
	return s.searchPupils(ctx, term)
}

func (s *Service) searchPupils(ctx context.Context, term string) ([]directory.Listed, error) {
	term = strings.TrimSpace(term)
	if len([]rune(term)) < 2 {
		return nil, refuse(Invalid, "q", "Bitte mindestens zwei Buchstaben des Namens eingeben.", "search term too short")
	}
	found, err := s.dir.SearchPeople(ctx, term, 4*maxSearched)
	if err != nil {
		return nil, fmt.Errorf("lending: search %q: %w", term, err)
	}
	var out []directory.Listed
	for _, p := range found {
		if p.Role == directory.Pupil && len(out) < maxSearched {
			out = append(out, p)
		}
	}
	return out, nil
}
