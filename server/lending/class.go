package lending

import (
	"context"
	"fmt"

	"kaspel/server/directory"
)

// A class's state: for the class teacher (who hands out class sets and
// reminds parents) and for lending staff. Teachers see who is registered
// and paid and which books each child has or still needs; never amounts,
// reductions or exemptions, which are the family's business.

// ClassState is a class's lending state in a year.
type ClassState struct {
	Class  string
	Year   Year
	Titles []RegisteredTitle // every title any pupil of the class borrows
	Pupils []ClassPupil
	// Staff tells that the amounts are included.
	Staff bool
}

// ClassPupil is one pupil's row.
type ClassPupil struct {
	Pupil      directory.Listed
	Card       string
	Registered bool
	Status     Status // none, waiting, due, paid, refund
	PaidUp     bool
	Booked     []Booked // borrowed titles with the copy issued
	Missing    int
	// For lending staff only:
	Reference string
	Due, Paid int64
}

// classRows collects a class's pupils with their registrations, accounts
// and open loans for the year.
func (s *Service) classRows(ctx context.Context, class string, y Year) ([]ClassPupil, []RegisteredTitle, error) {
	pupils, err := s.dir.PupilsOfClass(ctx, class)
	if err != nil {
		return nil, nil, refuse(NotFound, "class", "Diese Klasse gibt es nicht.", "class %q: %v", class, err)
	}
	ids := make([]int64, len(pupils))
	for i, p := range pupils {
		ids[i] = p.ID
	}
	q := s.db.R
	regs, err := registrationsOf(ctx, q, y.ID, ids)
	if err != nil {
		return nil, nil, err
	}
	accounts, err := accountsOf(ctx, q, y.ID, ids)
	if err != nil {
		return nil, nil, err
	}
	byPerson := map[int64]Account{}
	for _, a := range accounts {
		byPerson[a.PersonID] = a
	}
	loans, err := openLoansOfPeople(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	has := map[int64]map[int64]string{}
	for _, l := range loans {
		if has[l.PersonID] == nil {
			has[l.PersonID] = map[int64]string{}
		}
		has[l.PersonID][l.TitleID] = l.Code
	}
	cards, err := cardsOf(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	var titles []RegisteredTitle
	seen := map[int64]bool{}
	rows := make([]ClassPupil, len(pupils))
	for i, p := range pupils {
		row := ClassPupil{Pupil: p, Card: cards[p.ID], Status: StatusNone}
		if a, ok := byPerson[p.ID]; ok {
			row.Status, row.PaidUp, row.Reference = a.Status, a.PaidUp(), a.Reference
			row.Due, row.Paid = a.RegistrationDue+a.ClaimsDue, a.Paid
		}
		if r := regs[p.ID]; r != nil {
			row.Registered = true
			for _, t := range r.Titles {
				if t.Choice != Borrow {
					continue
				}
				b := Booked{RegisteredTitle: t, Code: has[p.ID][t.TitleID]}
				row.Booked = append(row.Booked, b)
				if b.Code == "" {
					row.Missing++
				}
				if !seen[t.TitleID] {
					seen[t.TitleID] = true
					titles = append(titles, t)
				}
			}
		}
		rows[i] = row
	}
	return rows, titles, nil
}

// Class returns a class's state in a year (0: the current one): for its
// teachers and lending staff.
func (s *Service) Class(ctx context.Context, me directory.Person, class string, yearID int64) (ClassState, error) {
	w, err := s.whoIs(ctx, me)
	if err != nil {
		return ClassState{}, err
	}
	if err := s.mayHandOut(ctx, w, class); err != nil {
		return ClassState{}, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return ClassState{}, err
	}
	name, _ := directory.NormalizeClass(class)
	rows, titles, err := s.classRows(ctx, class, y)
	if err != nil {
		return ClassState{}, err
	}
	if !w.staff {
		for i := range rows {
			rows[i].Reference, rows[i].Due, rows[i].Paid = "", 0, 0
			if rows[i].Status == StatusRefund || rows[i].Status == StatusWaiting {
				// Whether a family waits for a proof of benefits or gets
				// money back is not the teacher's business.
				if rows[i].PaidUp {
					rows[i].Status = StatusPaid
				} else {
					rows[i].Status = StatusDue
				}
			}
		}
	}
	return ClassState{Class: name, Year: y, Titles: titles, Pupils: rows, Staff: w.staff}, nil
}

// classIssue lends a scanned copy to the next pupil of the class (in
// class-list order) who borrows its title, has paid and has no copy of
// it yet. Pupils who have not paid are skipped: the class teacher cannot
// settle that, the secretary can.
func (s *Service) classIssue(ctx context.Context, w who, y Year, req ScanRequest, c Copy) (ScanResult, error) {
	if res, no := s.copyNotLendable(c); no {
		return res, nil
	}
	rows, _, err := s.classRows(ctx, req.Class, y)
	if err != nil {
		return ScanResult{}, err
	}
	name, _ := directory.NormalizeClass(req.Class)
	prog := &ClassProgress{Class: name, TitleID: c.TitleID, Title: c.Title}
	var target *ClassPupil
	for i := range rows {
		r := &rows[i]
		needs := false
		for _, b := range r.Booked {
			if b.TitleID == c.TitleID && b.Code == "" {
				needs = true
			}
		}
		switch {
		case !needs:
		case !r.PaidUp:
			prog.Unpaid++
		case target == nil:
			target = r
		default:
			prog.Remaining++
		}
	}
	if target == nil {
		msg := fmt.Sprintf("Alle Kinder der Klasse %s, die „%s“ leihen, haben es schon.", name, c.Title)
		if prog.Unpaid > 0 {
			msg += fmt.Sprintf(" %d weitere haben noch nicht bezahlt (Sekretariat).", prog.Unpaid)
		}
		return ScanResult{Kind: ScanRefused, Level: LevelWarning, Copy: &c, Class: prog, Message: msg}, nil
	}
	loan, err := s.issue(ctx, w.me.Login, c.Number, target.Pupil, y)
	if e, ok := AsError(err); ok && e.Kind == Conflict {
		return refused(e.German), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	prog.IssuedTo = target.Pupil.Name()
	res, err := s.issuedResult(ctx, y, c.Number, loan, target.Pupil, nil)
	if err != nil {
		return ScanResult{}, err
	}
	res.Class = prog
	res.Message = fmt.Sprintf("%s → %s. Noch %d.", c.Title, target.Pupil.Name(), prog.Remaining)
	if !w.staff {
		// The teacher's screen shows the class, not the family's account.
		res.Pupil = nil
	}
	return res, nil
}
