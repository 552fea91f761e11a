package lending

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// The kiosk: one scan field, one call per scan. A USB scanner types the
// code and Enter; the length tells what it is (IServ's convention):
//
//   - 9 digits: a pupil card: the pupil's panel;
//   - 7 digits: a copy: issued to the selected pupil if it is in stock,
//     taken back if it is lent (a copy of someone else with a warning);
//   - 13 digits: an ISBN: the title (inventory: then scan its labels);
//   - letters: a name search.
//
// The answer says what happened with everything the screen shows next
// (the pupil's panel after the change, the warnings, a level for colour
// and sound), so the kiosk needs no second call. What the kiosk refuses
// in the course of work (an unknown code, a copy lent a fourth time) is
// an answer of kind "refused", not an error: the scan field stays, the
// screen turns red.

// Mode is what the kiosk is doing.
type Mode string

// The modes.
const (
	ModeDesk      Mode = "desk"      // the counter: a copy is issued or taken back, as its state says
	ModeReturn    Mode = "return"    // return day: copies only come back, with the condition
	ModeInventory Mode = "inventory" // the coordinator labels new copies of a title
	ModeClass     Mode = "class"     // class sets: each copy to the next pupil of the class who needs it
)

// ParseMode accepts the modes ("" is the counter).
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeDesk, ModeReturn, ModeInventory, ModeClass:
		return m, nil
	case "":
		return ModeDesk, nil
	}
	return "", refuse(Invalid, "mode", "Der Modus ist „desk“, „return“, „inventory“ oder „class“.", "mode %q", s)
}

// ScanRequest is one scan.
type ScanRequest struct {
	Code      string
	Mode      Mode
	Pupil     string          // the selected pupil's login (counter)
	Title     int64           // the selected title (inventory)
	Class     string          // the class (class sets)
	Condition ReturnCondition // at return ("" is ok)
	Year      int64           // 0: the current year
	// Confirm issues despite the warnings that held the previous scan of
	// the same copy (no registration, not paid, not booked).
	Confirm bool
}

// ScanKind is what a scan did.
type ScanKind string

// The kinds of answers.
const (
	ScanPupil     ScanKind = "pupil"      // a pupil selected
	ScanChoose    ScanKind = "choose"     // a name search found several
	ScanIssued    ScanKind = "issued"     // a copy lent
	ScanReturned  ScanKind = "returned"   // a copy back
	ScanTitle     ScanKind = "title"      // an ISBN: the title
	ScanCopyAdded ScanKind = "copy_added" // inventory: a new copy
	ScanCopy      ScanKind = "copy"       // inventory: a known copy
	ScanConfirm   ScanKind = "confirm"    // not issued yet: confirm the warnings
	ScanRefused   ScanKind = "refused"    // nothing happened
)

// Level is the colour (and sound) of an answer.
type Level string

// The levels.
const (
	LevelOK      Level = "ok"
	LevelWarning Level = "warning"
	LevelError   Level = "error"
)

// ScanResult is the answer to a scan.
type ScanResult struct {
	Kind              ScanKind
	Level             Level
	Message           string // one German sentence for the big display
	Warnings          []Warning
	NeedsConfirmation bool
	Year              Year
	Pupil             *Panel // the selected pupil after the scan
	Copy              *Copy
	Title             *Title
	Loan              *Loan
	Claim             *Claim
	Candidates        []directory.Listed // name search with several hits
	Class             *ClassProgress     // class sets
}

// ClassProgress tells how far a class set is.
type ClassProgress struct {
	Class     string
	TitleID   int64
	Title     string
	IssuedTo  string // the pupil who got the copy
	Remaining int    // pupils who still need the title (and paid)
	Unpaid    int    // pupils who need it but have not paid: skipped
}

func refused(msg string) ScanResult {
	return ScanResult{Kind: ScanRefused, Level: LevelError, Message: msg}
}

// normalizeCode drops what a scanner or a person adds around a code:
// spaces, and hyphens in numbers ("978-3-12-...").
func normalizeCode(s string) string {
	s = strings.TrimSpace(s)
	if d := strings.NewReplacer("-", "", " ", "").Replace(s); allDigits(d) {
		return d
	}
	return s
}

// Scan handles one scan of the kiosk.
func (s *Service) Scan(ctx context.Context, me directory.Person, req ScanRequest) (ScanResult, error) {
	w, err := s.whoIs(ctx, me)
	if err != nil {
		return ScanResult{}, err
	}
	if req.Mode, err = ParseMode(string(req.Mode)); err != nil {
		return ScanResult{}, err
	}
	if req.Condition, err = ParseReturnCondition(string(req.Condition)); err != nil {
		return ScanResult{}, err
	}
	switch {
	case req.Mode == ModeInventory && !w.coordinator:
		return ScanResult{}, errCoordOnly
	case req.Mode == ModeClass:
		if err := s.mayHandOut(ctx, w, req.Class); err != nil {
			return ScanResult{}, err
		}
	case !w.staff:
		return ScanResult{}, errStaffOnly
	}
	y, err := s.yearOrCurrent(ctx, req.Year)
	if err != nil {
		return ScanResult{}, err
	}
	res, err := s.scan(ctx, w, y, req)
	res.Year = y
	return res, err
}

// mayHandOut: class sets are for lending staff and the class's teachers.
func (s *Service) mayHandOut(ctx context.Context, w who, class string) error {
	if strings.TrimSpace(class) == "" {
		return refuse(Invalid, "class", "Bitte wählen Sie die Klasse für den Klassensatz.", "no class")
	}
	if w.staff {
		return nil
	}
	ok, err := s.dir.TeachesClass(ctx, w.me, class)
	if err != nil {
		return fmt.Errorf("lending: classes of %s: %w", w.me.Login, err)
	}
	if !ok {
		return refuse(Forbidden, "class", "Klassensätze geben nur die Lehrkräfte der Klasse und das Sekretariat aus.", "%s does not teach %s", w.me.Login, class)
	}
	return nil
}

func (s *Service) scan(ctx context.Context, w who, y Year, req ScanRequest) (ScanResult, error) {
	code := normalizeCode(req.Code)
	if code == "" {
		if req.Pupil != "" && req.Mode != ModeClass {
			return s.selectPupilByLogin(ctx, y, req.Pupil)
		}
		return refused("Es wurde nichts gescannt."), nil
	}
	if !allDigits(code) {
		if req.Mode == ModeClass || req.Mode == ModeInventory {
			return refused("Hier werden nur Barcodes gescannt."), nil
		}
		return s.nameSearch(ctx, y, code)
	}
	switch len(code) {
	case CardCodeLen:
		if req.Mode == ModeClass || req.Mode == ModeInventory {
			return refused("Hier werden nur Bücher gescannt, keine Schülerausweise."), nil
		}
		if !ValidCardCode(code) {
			return refused("Der Schülerausweis wurde nicht richtig gelesen. Bitte noch einmal scannen."), nil
		}
		id, err := personOfCard(ctx, s.db.R, code)
		if errors.Is(err, store.ErrNotFound) {
			return refused("Dieser Schülerausweis gehört zu keinem Kind."), nil
		}
		if err != nil {
			return ScanResult{}, err
		}
		return s.selectPupil(ctx, y, id)
	case ISBNLen:
		return s.scanISBN(ctx, req, code)
	case CopyCodeLen:
		number, ok := ParseCopyCode(code)
		if !ok {
			return refused("Diese Buchnummer gibt es nicht."), nil
		}
		return s.scanCopy(ctx, w, y, req, number)
	}
	return refused(fmt.Sprintf("Der Code %s ist weder ein Buch (7 Ziffern) noch ein Schülerausweis (9 Ziffern) noch eine ISBN (13 Ziffern).", clip(code, 20))), nil
}

func (s *Service) selectPupil(ctx context.Context, y Year, personID int64) (ScanResult, error) {
	pn, err := s.panel(ctx, personID, y)
	if errors.Is(err, errNoPupil) {
		return refused("Dieses Kind ist nicht (mehr) an der Schule."), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	res := ScanResult{Kind: ScanPupil, Level: LevelOK, Pupil: &pn, Warnings: pn.Warnings, Message: pupilLine(pn)}
	if len(pn.Warnings) > 0 {
		res.Level = LevelWarning
	}
	return res, nil
}

func (s *Service) selectPupilByLogin(ctx context.Context, y Year, login string) (ScanResult, error) {
	p, err := s.pupilByLogin(ctx, login)
	if errors.Is(err, errNoPupil) {
		return refused("Dieses Kind gibt es nicht."), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	return s.selectPupil(ctx, y, p.ID)
}

func pupilLine(pn Panel) string {
	line := pn.Pupil.Name()
	if pn.Class != "" {
		line += " (" + pn.Class + ")"
	}
	switch {
	case pn.Registration == nil:
		return line + ": nicht angemeldet."
	case len(pn.Missing) == 0:
		return line + ": alle Bücher ausgegeben."
	case len(pn.Missing) == 1:
		return line + ": 1 Buch fehlt noch."
	}
	return fmt.Sprintf("%s: %d Bücher fehlen noch.", line, len(pn.Missing))
}

func (s *Service) nameSearch(ctx context.Context, y Year, term string) (ScanResult, error) {
	found, err := s.searchPupils(ctx, term)
	if e, ok := AsError(err); ok {
		return refused(e.German), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	switch len(found) {
	case 0:
		return refused(fmt.Sprintf("Kein Kind gefunden für „%s“.", clip(term, 30))), nil
	case 1:
		return s.selectPupil(ctx, y, found[0].ID)
	}
	return ScanResult{Kind: ScanChoose, Level: LevelWarning, Candidates: found,
		Message: fmt.Sprintf("%d Kinder gefunden: bitte auswählen.", len(found))}, nil
}

func (s *Service) scanISBN(ctx context.Context, req ScanRequest, code string) (ScanResult, error) {
	if !ValidISBN(code) {
		return refused("Diese ISBN wurde nicht richtig gelesen (Prüfziffer). Bitte noch einmal scannen."), nil
	}
	t, err := titleByISBN(ctx, s.db.R, code)
	if errors.Is(err, errNoTitle) {
		msg := fmt.Sprintf("Den Titel mit der ISBN %s gibt es noch nicht.", code)
		if req.Mode == ModeInventory {
			msg += " Bitte zuerst den Titel anlegen."
		}
		return refused(msg), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	msg := fmt.Sprintf("%s: %d im Bestand, %d ausgeliehen.", t.Title, t.InStock, t.Lent)
	if req.Mode == ModeInventory {
		if t.Consumable {
			return refused(t.Title + " ist Verbrauchsmaterial und wird nicht verliehen."), nil
		}
		msg = t.Title + ": jetzt die Etiketten der neuen Exemplare scannen."
	}
	return ScanResult{Kind: ScanTitle, Level: LevelOK, Title: &t, Message: msg}, nil
}

func (s *Service) scanCopy(ctx context.Context, w who, y Year, req ScanRequest, number int64) (ScanResult, error) {
	c, err := copyByNumber(ctx, s.db.R, number)
	if errors.Is(err, errNoCopy) {
		if req.Mode == ModeInventory {
			return s.addScannedCopy(ctx, w, req, number)
		}
		return refused(fmt.Sprintf("Das Buch %s ist nicht erfasst.", CopyCode(number))), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	if c.Status == Lent {
		if c.Loan, err = openLoanOfCopy(ctx, s.db.R, c.ID); err != nil {
			return ScanResult{}, err
		}
	}
	switch req.Mode {
	case ModeInventory:
		res := ScanResult{Kind: ScanCopy, Level: LevelOK, Copy: &c,
			Message: fmt.Sprintf("%s ist schon erfasst: %s, %s, %d-mal verliehen.", c.Code, c.Title, c.Status.German(), c.LoanCount)}
		if req.Title != 0 && c.TitleID != req.Title {
			res.Level = LevelWarning
			res.Message = fmt.Sprintf("%s gehört zu einem anderen Titel: %s.", c.Code, c.Title)
		}
		return res, nil
	case ModeClass:
		return s.classIssue(ctx, w, y, req, c)
	case ModeReturn:
		if c.Loan == nil {
			return ScanResult{Kind: ScanRefused, Level: LevelWarning, Copy: &c,
				Message: fmt.Sprintf("%s (%s) ist nicht ausgeliehen.", c.Title, c.Code)}, nil
		}
		return s.takeBack(ctx, w, y, req, c)
	}
	if c.Loan != nil {
		return s.takeBack(ctx, w, y, req, c)
	}
	if req.Pupil == "" {
		return ScanResult{Kind: ScanRefused, Level: LevelWarning, Copy: &c,
			Message: fmt.Sprintf("%s (%s) ist im Bestand. Zum Ausgeben bitte zuerst den Schülerausweis scannen.", c.Title, c.Code)}, nil
	}
	p, err := s.pupilByLogin(ctx, req.Pupil)
	if errors.Is(err, errNoPupil) {
		return refused("Das ausgewählte Kind gibt es nicht (mehr)."), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	return s.issueAtDesk(ctx, w, y, req, c, p)
}

// copyNotLendable is the refusal for a copy that cannot go out.
func (s *Service) copyNotLendable(c Copy) (ScanResult, bool) {
	switch c.Status {
	case InStock:
	case Lent:
		who := ""
		if c.Loan != nil {
			who = " an " + c.Loan.PupilName
		}
		return ScanResult{Kind: ScanRefused, Level: LevelError, Copy: &c, Message: fmt.Sprintf("%s (%s) ist schon%s ausgeliehen.", c.Title, c.Code, who)}, true
	default:
		return ScanResult{Kind: ScanRefused, Level: LevelError, Copy: &c,
			Message: fmt.Sprintf("%s (%s) ist als „%s“ erfasst und wird nicht ausgegeben.", c.Title, c.Code, c.Status.German())}, true
	}
	if CheckLoanCount(c.LoanCount, s.cfg.MaxLoans) == LoanOver {
		return ScanResult{Kind: ScanRefused, Level: LevelError, Copy: &c,
			Message: fmt.Sprintf("%s (%s) wurde schon %d-mal ausgeliehen und darf nicht mehr ausgeliehen werden (höchstens %d-mal). Bitte aussortieren.",
				c.Title, c.Code, c.LoanCount, s.cfg.MaxLoans)}, true
	}
	return ScanResult{}, false
}

// issueAtDesk lends a copy to the selected pupil. What the secretary
// should know before (no registration, not paid, not booked, the title
// already out to the pupil) holds the issue until she confirms; the last
// loan the decree allows is only a warning.
func (s *Service) issueAtDesk(ctx context.Context, w who, y Year, req ScanRequest, c Copy, p directory.Listed) (ScanResult, error) {
	if res, no := s.copyNotLendable(c); no {
		return res, nil
	}
	pn, err := s.panel(ctx, p.ID, y)
	if err != nil {
		return ScanResult{}, err
	}
	var hold []Warning
	switch {
	case pn.Registration == nil:
		hold = append(hold, Warning{WarnNotRegistered, fmt.Sprintf("%s ist für %s nicht angemeldet.", p.Name(), y.Name)})
	case !pn.Registration.Borrows(c.TitleID):
		hold = append(hold, Warning{WarnNotBooked, fmt.Sprintf("%s hat „%s“ nicht zum Leihen angemeldet.", p.Name(), c.Title)})
	}
	if a := pn.Account; pn.Registration != nil && a != nil && !a.PaidUp() {
		hold = append(hold, Warning{WarnUnpaid, fmt.Sprintf("Die Anmeldung ist noch nicht bezahlt (%s offen).", Euro(a.RegistrationDue-a.Paid))})
	}
	for _, l := range pn.Loans {
		if l.TitleID == c.TitleID {
			hold = append(hold, Warning{WarnHasTitle, fmt.Sprintf("%s hat „%s“ schon (%s).", p.Name(), c.Title, l.Code)})
			break
		}
	}
	if len(hold) > 0 && !req.Confirm {
		return ScanResult{Kind: ScanConfirm, Level: LevelWarning, NeedsConfirmation: true, Warnings: hold, Pupil: &pn, Copy: &c,
			Message: "Noch nicht ausgegeben: " + hold[0].German + " Zum Ausgeben bestätigen oder das Buch noch einmal scannen."}, nil
	}
	loan, err := s.issue(ctx, w.me.Login, c.Number, p, y)
	if e, ok := AsError(err); ok && e.Kind == Conflict {
		return refused(e.German), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	return s.issuedResult(ctx, y, c.Number, loan, p, hold)
}

func (s *Service) issuedResult(ctx context.Context, y Year, number int64, loan Loan, p directory.Listed, warnings []Warning) (ScanResult, error) {
	c, err := copyByNumber(ctx, s.db.R, number)
	if err != nil {
		return ScanResult{}, err
	}
	c.Loan = &loan
	pn, err := s.panel(ctx, p.ID, y)
	if err != nil {
		return ScanResult{}, err
	}
	res := ScanResult{Kind: ScanIssued, Level: LevelOK, Copy: &c, Loan: &loan, Pupil: &pn, Warnings: warnings,
		Message: fmt.Sprintf("Ausgegeben: %s (%s) an %s.", c.Title, c.Code, p.Name())}
	if CheckLoanCount(c.LoanCount, s.cfg.MaxLoans) == LoanOver {
		res.Warnings = append(res.Warnings, Warning{WarnLastLoan, fmt.Sprintf("Das ist die %d. und letzte Ausleihe dieses Buches: Nach der Rückgabe wird es aussortiert.", c.LoanCount)})
	}
	if len(res.Warnings) > 0 {
		res.Level = LevelWarning
	}
	return res, nil
}

// issue lends a copy in one transaction, checking its state again there.
func (s *Service) issue(ctx context.Context, by string, number int64, p directory.Listed, y Year) (Loan, error) {
	var loan Loan
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := copyByNumber(ctx, tx, number)
		if err != nil {
			return err
		}
		if c.Status != InStock {
			return refuse(Conflict, "code", fmt.Sprintf("%s (%s) ist nicht im Bestand (%s).", c.Title, c.Code, c.Status.German()), "copy %s is %s", c.Code, c.Status)
		}
		if CheckLoanCount(c.LoanCount, s.cfg.MaxLoans) == LoanOver {
			return refuse(Conflict, "code", fmt.Sprintf("%s (%s) wurde schon %d-mal ausgeliehen.", c.Title, c.Code, c.LoanCount), "copy %s over the loan limit", c.Code)
		}
		t, err := titleByID(ctx, tx, c.TitleID)
		if err != nil {
			return err
		}
		over, err := feeOverrides(ctx, tx, y.ID)
		if err != nil {
			return err
		}
		loan = Loan{CopyID: c.ID, CopyNumber: c.Number, Code: c.Code, TitleID: t.ID, Title: t.Title, YearsOfUse: t.YearsOfUse,
			PersonID: p.ID, PupilLogin: p.Login, PupilName: p.Name(), YearID: y.ID, YearName: y.Name, Fee: feeOf(y, t, over).Fee,
			IssuedAt: s.now(), IssuedBy: by}
		if err := insertLoan(ctx, tx, &loan); err != nil {
			return err
		}
		return setCopy(ctx, tx, c.ID, Lent, c.Condition, c.Note, 1, s.now())
	})
	return loan, err
}

// takeBack returns a lent copy with the condition of the request.
func (s *Service) takeBack(ctx context.Context, w who, y Year, req ScanRequest, c Copy) (ScanResult, error) {
	loan := *c.Loan
	claim, after, err := s.returnLoan(ctx, w.me.Login, loan, req.Condition)
	if e, ok := AsError(err); ok && e.Kind == Conflict {
		return refused(e.German), nil
	}
	if err != nil {
		return ScanResult{}, err
	}
	res := ScanResult{Kind: ScanReturned, Level: LevelOK, Copy: &after, Loan: &loan, Claim: claim,
		Message: fmt.Sprintf("Zurück: %s (%s) von %s.", c.Title, c.Code, loan.PupilName)}
	if req.Condition != ReturnOK {
		res.Message = fmt.Sprintf("Zurück (%s): %s (%s) von %s.", req.Condition.German(), c.Title, c.Code, loan.PupilName)
		if req.Condition == ReturnLost {
			res.Message = fmt.Sprintf("Als verloren gemeldet: %s (%s) von %s.", c.Title, c.Code, loan.PupilName)
		}
	}
	if claim != nil {
		res.Level = LevelWarning
		res.Message += fmt.Sprintf(" Ersatzforderung: %s (%s).", Euro(claim.Amount), claim.State.German())
	}
	if after.Status == Retired {
		res.Level = LevelWarning
		res.Warnings = append(res.Warnings, Warning{WarnLastLoan, fmt.Sprintf("Dieses Buch war %d-mal ausgeliehen und wird jetzt ausgesondert.", after.LoanCount)})
	}
	panelOf := loan.PersonID
	if req.Pupil != "" {
		p, err := s.pupilByLogin(ctx, req.Pupil)
		switch {
		case err == nil:
			panelOf = p.ID
			if p.ID != loan.PersonID {
				res.Level = LevelWarning
				res.Warnings = append(res.Warnings, Warning{WarnOtherPupil, fmt.Sprintf("Dieses Buch war an %s ausgeliehen, nicht an %s.", loan.PupilName, p.Name())})
			}
		case !errors.Is(err, errNoPupil):
			return ScanResult{}, err
		}
	}
	if panelOf != 0 {
		pn, err := s.panel(ctx, panelOf, y)
		switch {
		case err == nil:
			res.Pupil = &pn
		case !errors.Is(err, errNoPupil):
			return ScanResult{}, err
		}
	}
	return res, nil
}

// ReturnLoan takes back a loan by its id: for a lost book, which cannot
// be scanned (lending staff).
func (s *Service) ReturnLoan(ctx context.Context, me directory.Person, loanID int64, cond ReturnCondition) (ScanResult, error) {
	w, err := s.staff(ctx, me)
	if err != nil {
		return ScanResult{}, err
	}
	if cond, err = ParseReturnCondition(string(cond)); err != nil {
		return ScanResult{}, err
	}
	loan, err := loanByID(ctx, s.db.R, loanID)
	if err != nil {
		return ScanResult{}, err
	}
	if !loan.Open() {
		return ScanResult{}, refuse(Conflict, "loan", "Dieses Buch ist schon zurückgegeben.", "loan %d closed", loanID)
	}
	c, err := copyByNumber(ctx, s.db.R, loan.CopyNumber)
	if err != nil {
		return ScanResult{}, err
	}
	c.Loan = &loan
	y, err := yearByID(ctx, s.db.R, loan.YearID)
	if err != nil {
		return ScanResult{}, err
	}
	res, err := s.takeBack(ctx, w, y, ScanRequest{Condition: cond}, c)
	res.Year = y
	return res, err
}

// afterReturn is a copy's state after it comes back in a condition:
// slight damage stays in stock as worn, clear damage and unusable books
// wait for the coordinator, lost ones are lost, and a copy lent as often
// as the decree allows is sorted out.
func afterReturn(c Copy, cond ReturnCondition, max int) (CopyStatus, Condition) {
	status, condition := InStock, c.Condition
	switch cond {
	case ReturnLight:
		condition = ConditionWorn
	case ReturnMedium, ReturnTotal:
		status, condition = Damaged, ConditionDamaged
	case ReturnLost:
		return Lost, c.Condition
	}
	if status == InStock && CheckLoanCount(c.LoanCount, max) == LoanOver {
		status = Retired
	}
	return status, condition
}

// returnLoan closes a loan in one transaction: the copy's new state, the
// claim for damage or loss (its Zeitwert from the fees of the years it
// was used), and a claim for not returning it cancelled, since it is
// back.
func (s *Service) returnLoan(ctx context.Context, by string, loan Loan, cond ReturnCondition) (*Claim, Copy, error) {
	var claim *Claim
	var after Copy
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := closeLoan(ctx, tx, loan.ID, now, by, cond); err != nil {
			return err
		}
		c, err := copyByNumber(ctx, tx, loan.CopyNumber)
		if err != nil {
			return err
		}
		status, condition := afterReturn(c, cond, s.cfg.MaxLoans)
		if err := setCopy(ctx, tx, c.ID, status, condition, c.Note, 0, now); err != nil {
			return err
		}
		if old, err := liveClaimOfLoan(ctx, tx, loan.ID); err != nil {
			return err
		} else if old != nil && old.Kind == ClaimNotReturned {
			if err := cancelClaim(ctx, tx, old.ID, now, by, "Buch zurückgegeben"); err != nil {
				return err
			}
		}
		if cond != ReturnOK {
			kind := ClaimKind(cond)
			if claim, err = s.makeClaim(ctx, tx, by, loan, kind); err != nil {
				return err
			}
		}
		after, err = copyByNumber(ctx, tx, loan.CopyNumber)
		return err
	})
	return claim, after, err
}

// makeClaim creates the claim for a loan: the kind's share of the copy's
// Zeitwert, provisional until the return deadline of the loan's year.
// A loan whose pupil was purged gets none (nobody to ask).
func (s *Service) makeClaim(ctx context.Context, tx *sql.Tx, by string, loan Loan, kind ClaimKind) (*Claim, error) {
	if loan.PersonID == 0 {
		return nil, nil
	}
	y, err := yearByID(ctx, tx, loan.YearID)
	if err != nil {
		return nil, err
	}
	p, err := s.dir.PersonByID(ctx, loan.PersonID)
	if err != nil {
		return nil, fmt.Errorf("lending: pupil of loan %d: %w", loan.ID, err)
	}
	acc, err := s.ensureAccount(ctx, tx, p, y)
	if err != nil {
		return nil, err
	}
	c, err := copyByNumber(ctx, tx, loan.CopyNumber)
	if err != nil {
		return nil, err
	}
	t, err := titleByID(ctx, tx, c.TitleID)
	if err != nil {
		return nil, err
	}
	fees, err := feesOfCopy(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	pct := 100
	switch kind {
	case ClaimLight:
		pct = y.Rules.DamageLightPct
	case ClaimMedium:
		pct = y.Rules.DamageMediumPct
	case ClaimTotal:
		pct = y.Rules.DamageTotalPct
	}
	value := CurrentValue(t.Price, fees)
	now := s.now()
	cl := Claim{AccountID: acc.ID, Reference: acc.Reference, LoanID: loan.ID, PersonID: p.ID, PupilLogin: p.Login, PupilName: p.Name(),
		YearID: y.ID, YearName: y.Name, Code: c.Code, Title: t.Title, Kind: kind, Value: value, Percent: pct,
		Amount: ClaimAmount(value, pct), State: ClaimProvisional, CreatedAt: now, CreatedBy: by}
	if dateOf(now) > y.ReturnDue {
		cl.State, cl.FixedAt = ClaimFixed, now
	}
	if err := insertClaim(ctx, tx, &cl); err != nil {
		return nil, err
	}
	return &cl, nil
}
