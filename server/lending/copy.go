package lending

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"kaspel/server/directory"
)

// Copies and their labels. A copy's number is printed as a 7-digit Code
// 128 barcode on a label. Labels can be printed ahead (a sheet of new
// numbers reserved at once) and stuck into new books, which the
// coordinator then scans in inventory mode: ISBN once, then the labels.

// CopiesInput enters copies of a title at once.
type CopiesInput struct {
	Title      int64
	Count      int     // new numbers, after the highest one in use or reserved
	Numbers    []int64 // or these numbers (pre-printed labels)
	AcquiredOn string  // YYYY-MM-DD; default today
	Condition  Condition
	// LoanCount is how often the copies were lent before Kaspel (old
	// stock), so that the decree's limit counts those loans too.
	LoanCount int
	Note      string
}

// CreateCopies enters copies of a title (coordinator).
func (s *Service) CreateCopies(ctx context.Context, me directory.Person, in CopiesInput) ([]Copy, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return nil, err
	}
	cond, err := parseCondition(string(in.Condition))
	if err != nil {
		return nil, err
	}
	acquired := strings.TrimSpace(in.AcquiredOn)
	if acquired == "" {
		acquired = s.today()
	}
	if _, ok := parseDate(acquired); !ok {
		return nil, refuse(Invalid, "acquired_on", "Bitte das Anschaffungsdatum als Datum angeben (z. B. 2026-08-01).", "bad date %q", acquired)
	}
	switch {
	case in.Count < 0 || in.Count > MaxCopies || len(in.Numbers) > MaxCopies:
		return nil, refuse(Invalid, "count", fmt.Sprintf("Es können höchstens %d Exemplare auf einmal erfasst werden.", MaxCopies), "too many copies")
	case in.Count == 0 && len(in.Numbers) == 0:
		return nil, refuse(Invalid, "count", "Bitte die Anzahl der Exemplare angeben.", "no copies")
	case in.Count > 0 && len(in.Numbers) > 0:
		return nil, refuse(Invalid, "count", "Bitte entweder die Anzahl oder die Nummern angeben.", "count and numbers")
	case in.LoanCount < 0 || in.LoanCount > s.cfg.MaxLoans:
		return nil, refuse(Invalid, "loan_count", fmt.Sprintf("Bisherige Ausleihen: 0 bis %d.", s.cfg.MaxLoans), "loan count %d", in.LoanCount)
	}
	for _, n := range in.Numbers {
		if n < 1 || n > maxCopyNo {
			return nil, refuse(Invalid, "numbers", "Buchnummern haben höchstens 7 Ziffern.", "number %d", n)
		}
	}
	note := oneLine(in.Note)
	if utf8.RuneCountInString(note) > MaxText {
		return nil, refuse(Invalid, "note", fmt.Sprintf("Die Notiz darf höchstens %d Zeichen lang sein.", MaxText), "note too long")
	}
	var out []Copy
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := titleByID(ctx, tx, in.Title)
		if err != nil {
			return err
		}
		if t.Consumable {
			return refuse(Invalid, "title", "Verbrauchsmaterial wird nicht verliehen: davon gibt es keine Exemplare.", "copies of a consumable")
		}
		numbers := in.Numbers
		if in.Count > 0 {
			first, err := s.reserveNumbers(ctx, tx, int64(in.Count))
			if err != nil {
				return err
			}
			for i := 0; i < in.Count; i++ {
				numbers = append(numbers, first+int64(i))
			}
		}
		now := s.now()
		for _, n := range numbers {
			c := Copy{Number: n, TitleID: t.ID, Title: t.Title, ISBN: t.ISBN, AcquiredOn: acquired, Condition: cond, Status: InStock,
				LoanCount: in.LoanCount, Note: note, CreatedAt: now, UpdatedAt: now}
			if err := insertCopy(ctx, tx, &c); err != nil {
				if errors.Is(err, errCopyTaken) {
					return refuse(Conflict, "numbers", fmt.Sprintf("Die Buchnummer %s ist schon vergeben.", CopyCode(n)), "number %d taken", n)
				}
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// reserveNumbers takes n new copy numbers: after the highest copy and
// the highest label printed ahead.
func (s *Service) reserveNumbers(ctx context.Context, tx *sql.Tx, n int64) (int64, error) {
	highest, err := maxCopyNumber(ctx, tx)
	if err != nil {
		return 0, err
	}
	first, err := takeNumbers(ctx, tx, "next_copy_number", n, 1, highest)
	if err != nil {
		return 0, err
	}
	if first+n-1 > maxCopyNo {
		return 0, refuse(Conflict, "count", "Die 7-stelligen Buchnummern sind aufgebraucht.", "copy numbers used up")
	}
	return first, nil
}

// addScannedCopy enters a copy whose pre-printed label was scanned in
// inventory mode, as a copy of the selected title.
func (s *Service) addScannedCopy(ctx context.Context, w who, req ScanRequest, number int64) (ScanResult, error) {
	if req.Title == 0 {
		return refused(fmt.Sprintf("Das Buch %s ist noch nicht erfasst. Bitte zuerst die ISBN des Titels scannen.", CopyCode(number))), nil
	}
	copies, err := s.CreateCopies(ctx, w.me, CopiesInput{Title: req.Title, Numbers: []int64{number}})
	if e, ok := AsError(err); ok && e.Kind != Forbidden {
		return refused(e.German), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	c := copies[0]
	t, err := titleByID(ctx, s.db.R, req.Title)
	if err != nil {
		return ScanResult{}, err
	}
	return ScanResult{Kind: ScanCopyAdded, Level: LevelOK, Copy: &c, Title: &t,
		Message: fmt.Sprintf("Neu erfasst: %s (%s). Jetzt %d im Bestand.", t.Title, c.Code, t.InStock)}, nil
}

// GetCopy returns a copy with its whole history (lending staff: the
// history tells who had the book, which is nobody else's business).
func (s *Service) GetCopy(ctx context.Context, me directory.Person, code string) (Copy, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Copy{}, err
	}
	n, ok := ParseCopyCode(normalizeCode(code))
	if !ok {
		return Copy{}, errNoCopy
	}
	c, err := copyByNumber(ctx, s.db.R, n)
	if err != nil {
		return c, err
	}
	if c.History, err = loansOfCopy(ctx, s.db.R, c.ID); err != nil {
		return c, err
	}
	for i := range c.History {
		if c.History[i].Open() {
			l := c.History[i]
			c.Loan = &l
		}
	}
	return c, nil
}

// CopyChange changes a copy; nil fields stay.
type CopyChange struct {
	Status    *CopyStatus
	Condition *Condition
	Note      *string
}

// UpdateCopy changes a copy's state, condition or note (coordinator): a
// damaged copy back into stock or sorted out, a lost one found again.
// Lending and taking back go through the kiosk, never through here.
func (s *Service) UpdateCopy(ctx context.Context, me directory.Person, code string, ch CopyChange) (Copy, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Copy{}, err
	}
	n, ok := ParseCopyCode(normalizeCode(code))
	if !ok {
		return Copy{}, errNoCopy
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := copyByNumber(ctx, tx, n)
		if err != nil {
			return err
		}
		status, cond, note := c.Status, c.Condition, c.Note
		if ch.Status != nil {
			switch *ch.Status {
			case InStock, Damaged, Lost, Retired:
			default:
				return refuse(Invalid, "status", "Der Stand ist „in_stock“, „damaged“, „lost“ oder „retired“; ausgeliehen wird an der Ausleihe.", "status %q", *ch.Status)
			}
			if c.Status == Lent {
				return refuse(Conflict, "status", "Das Buch ist ausgeliehen. Bitte erst an der Ausleihe zurücknehmen.", "copy lent")
			}
			if *ch.Status == InStock && CheckLoanCount(c.LoanCount, s.cfg.MaxLoans) == LoanOver {
				return refuse(Conflict, "status", fmt.Sprintf("Das Buch wurde schon %d-mal ausgeliehen und kann nicht zurück in den Bestand.", c.LoanCount), "over the limit")
			}
			status = *ch.Status
		}
		if ch.Condition != nil {
			if cond, err = parseCondition(string(*ch.Condition)); err != nil {
				return err
			}
		}
		if ch.Note != nil {
			note = oneLine(*ch.Note)
			if utf8.RuneCountInString(note) > MaxText {
				return refuse(Invalid, "note", fmt.Sprintf("Die Notiz darf höchstens %d Zeichen lang sein.", MaxText), "note too long")
			}
		}
		return setCopy(ctx, tx, c.ID, status, cond, note, 0, s.now())
	})
	if err != nil {
		return Copy{}, err
	}
	return s.GetCopy(ctx, me, code)
}

// CopiesOfTitle lists a title's copies (lending staff).
func (s *Service) CopiesOfTitle(ctx context.Context, me directory.Person, titleID int64) ([]Copy, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return nil, err
	}
	if _, err := titleByID(ctx, s.db.R, titleID); err != nil {
		return nil, err
	}
	return copiesOfTitle(ctx, s.db.R, titleID)
}

// ensureCards gives every pupil without a card one (in the given order)
// and returns the card numbers per person.
func (s *Service) ensureCards(ctx context.Context, pupils []directory.Listed) (map[int64]string, error) {
	ids := make([]int64, len(pupils))
	for i, p := range pupils {
		ids[i] = p.ID
	}
	var out map[int64]string
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		have, err := cardsOf(ctx, tx, ids)
		if err != nil {
			return err
		}
		var missing []int64
		for _, id := range ids {
			if _, ok := have[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			first, err := takeNumbers(ctx, tx, "next_card", int64(len(missing)), 1, 0)
			if err != nil {
				return err
			}
			for i, id := range missing {
				number := CardCode(first + int64(i))
				if err := insertCard(ctx, tx, id, number, s.now()); err != nil {
					return err
				}
				have[id] = number
			}
		}
		out = have
		return nil
	})
	return out, err
}

// Card returns a pupil's card number, giving the pupil one if needed
// (lending staff: a card reprinted for one child).
func (s *Service) Card(ctx context.Context, me directory.Person, login string) (string, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return "", err
	}
	p, err := s.pupilByLogin(ctx, login)
	if err != nil {
		return "", err
	}
	cards, err := s.ensureCards(ctx, []directory.Listed{p})
	if err != nil {
		return "", err
	}
	return cards[p.ID], nil
}
