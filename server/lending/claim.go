package lending

import (
	"context"
	"database/sql"
	"fmt"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

// Claims: a damaged or lost book costs a share of its Zeitwert (the shop
// price less the fees of the years it was used). A claim made at the
// return is provisional until the return deadline of the loan's year —
// the book may turn up, the grade be talked over — and then fixed by the
// nightly job, which also claims every book still out after the deadline
// (except two-year volumes that pupils registered for the next year keep).

// Claims lists the claims of a year (0: all) in a state ("": the live
// ones, provisional and fixed) for lending staff.
func (s *Service) Claims(ctx context.Context, me directory.Person, yearID int64, state ClaimState) ([]Claim, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return nil, err
	}
	switch state {
	case "", ClaimProvisional, ClaimFixed, ClaimCancelled:
	default:
		return nil, refuse(Invalid, "state", "Der Stand einer Forderung ist „provisional“, „fixed“ oder „cancelled“.", "claim state %q", state)
	}
	return claimsFiltered(ctx, s.db.R, yearID, state, nil)
}

// CancelClaim waives a claim with a reason (lending staff): the book
// turned up, the damage was there before, the school decided so.
func (s *Service) CancelClaim(ctx context.Context, me directory.Person, actor directory.Actor, id int64, reason string) (Claim, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Claim{}, err
	}
	reason = oneLine(reason)
	if reason == "" {
		return Claim{}, refuse(Invalid, "reason", "Bitte geben Sie den Grund an, warum die Forderung aufgehoben wird.", "no reason")
	}
	if utf8.RuneCountInString(reason) > MaxText {
		return Claim{}, refuse(Invalid, "reason", fmt.Sprintf("Der Grund darf höchstens %d Zeichen lang sein.", MaxText), "reason too long")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := claimByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := cancelClaim(ctx, tx, id, s.now(), me.Login, reason); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "lending.claim.cancel", Target: c.PupilLogin,
			Success: true, Source: actor.Source, Service: actor.Service, Detail: fmt.Sprintf("%s %s %s: %s", c.Reference, c.Code, Euro(c.Amount), reason)})
	})
	if err != nil {
		return Claim{}, err
	}
	return claimByID(ctx, s.db.R, id)
}

// NightlyReport says what the nightly job did.
type NightlyReport struct {
	Fixed   int64 // provisional claims fixed
	Created int   // claims for books not returned
	Kept    int   // two-year volumes kept by pupils registered for the next year
}

// Nightly is the daily work after the return deadlines: claims for every
// book still out after its deadline, and provisional claims of years
// whose deadline passed fixed. The server's housekeeping calls it every
// hour, so it first looks (on the read connections) whether there is
// anything to do, and only then writes, in one transaction that checks
// again: a loan has at most one live claim, and a fixed claim stays
// fixed, so it may run any number of times.
func (s *Service) Nightly(ctx context.Context) (NightlyReport, error) {
	var rep NightlyReport
	years, err := listYears(ctx, s.db.R)
	if err != nil || len(years) == 0 {
		return rep, err
	}
	today := s.today()
	passed := false
	for _, y := range years {
		passed = passed || y.ReturnDue < today
	}
	if !passed {
		return rep, nil
	}
	due, kept, err := s.overdueLoans(ctx, s.db.R, years, today)
	if err != nil {
		return rep, err
	}
	rep.Kept = kept
	toFix, err := provisionalPastDeadline(ctx, s.db.R, today)
	if err != nil {
		return rep, err
	}
	if len(due) == 0 && toFix == 0 {
		return rep, nil
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, l := range due {
			old, err := liveClaimOfLoan(ctx, tx, l.ID)
			if err != nil {
				return err
			}
			if open, err := loanByID(ctx, tx, l.ID); err != nil || !open.Open() || old != nil {
				if err != nil {
					return err
				}
				continue // came back or claimed meanwhile
			}
			if _, err := s.makeClaim(ctx, tx, "system:nightly", l, ClaimNotReturned); err != nil {
				return err
			}
			rep.Created++
		}
		rep.Fixed, err = fixClaims(ctx, tx, today, s.now())
		return err
	})
	return rep, err
}

// overdueLoans are the open loans past their deadline without a live
// claim: a loan is due at its year's return deadline, a two-year volume
// of a pupil registered for the next year at that year's. kept counts
// the volumes spared so.
func (s *Service) overdueLoans(ctx context.Context, q querier, years []Year, today string) ([]Loan, int, error) {
	byID := map[int64]Year{}
	for _, y := range years {
		byID[y.ID] = y
	}
	loans, err := openLoans(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	var ids []int64
	for _, l := range loans {
		if l.PersonID != 0 {
			ids = append(ids, l.PersonID)
		}
	}
	registered := map[int64]map[int64]bool{} // next year -> pupils
	var due []Loan
	kept := 0
	for _, l := range loans {
		y := byID[l.YearID]
		if y.ReturnDue >= today || l.PersonID == 0 {
			continue
		}
		if next, ok := nextYear(years, y); ok && l.YearsOfUse == 2 {
			if registered[next.ID] == nil {
				if registered[next.ID], err = registeredFor(ctx, q, next.ID, ids); err != nil {
					return nil, 0, err
				}
			}
			if registered[next.ID][l.PersonID] && next.ReturnDue >= today {
				kept++
				continue
			}
		}
		old, err := liveClaimOfLoan(ctx, q, l.ID)
		if err != nil {
			return nil, 0, err
		}
		if old == nil {
			due = append(due, l)
		}
	}
	return due, kept, nil
}
