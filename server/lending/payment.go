package lending

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Payments: parents transfer the fee with the payment reference; the
// secretary imports the bank's CSV export, and every booking whose
// purpose holds a valid reference is booked on its account. Bookings
// without one are kept for matching by hand. A booking is imported once,
// however often (or overlapping) the statement is imported.

const settingMapping = "bank_mapping"

// Mapping returns the school's stored column mapping (zero: none yet,
// the usual header names are tried).
func (s *Service) Mapping(ctx context.Context, me directory.Person) (Mapping, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Mapping{}, err
	}
	return s.mapping(ctx)
}

func (s *Service) mapping(ctx context.Context) (Mapping, error) {
	v, err := getSetting(ctx, s.db.R, settingMapping)
	if errors.Is(err, store.ErrNotFound) {
		return Mapping{}, nil
	}
	if err != nil {
		return Mapping{}, err
	}
	var m Mapping
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return Mapping{}, fmt.Errorf("lending: stored mapping: %w", err)
	}
	return m, nil
}

// SetMapping stores the column mapping of the school's bank export.
func (s *Service) SetMapping(ctx context.Context, me directory.Person, m Mapping) (Mapping, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Mapping{}, err
	}
	m.Date, m.Amount, m.Payer, m.IBAN, m.Sign = oneLine(m.Date), oneLine(m.Amount), oneLine(m.Payer), oneLine(m.IBAN), oneLine(m.Sign)
	var purpose []string
	for _, p := range m.Purpose {
		if p = oneLine(p); p != "" {
			purpose = append(purpose, p)
		}
	}
	m.Purpose = purpose
	if m.Date == "" || m.Amount == "" || len(m.Purpose) == 0 {
		return Mapping{}, refuse(Invalid, "mapping", "Bitte die Spalten für Buchungstag, Betrag und Verwendungszweck angeben.", "incomplete mapping")
	}
	data, err := json.Marshal(m)
	if err != nil {
		return Mapping{}, fmt.Errorf("lending: mapping: %w", err)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error { return setSetting(ctx, tx, settingMapping, string(data)) })
	return m, err
}

// ImportedLine is a booking of an import with what became of it.
type ImportedLine struct {
	StatementLine
	State     string // matched, unmatched, duplicate
	Reference string // the account it was booked on
	PupilName string
	Reason    string // why it was not matched, in German
	LineID    int64  // the stored line (unmatched ones are matched by hand with it)
}

// ImportReport is what an import did (or, dry, would do).
type ImportReport struct {
	DryRun     bool
	Encoding   string
	Separator  string
	Header     []string
	Mapping    Mapping
	Lines      []ImportedLine
	Matched    int
	Unmatched  int
	Duplicates int
	Debits     int
	Skipped    int
	Total      int64 // the matched amount
}

// Import reads a bank statement and books the payments it can match.
func (s *Service) Import(ctx context.Context, me directory.Person, actor directory.Actor, data []byte, dryRun bool) (ImportReport, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return ImportReport{}, err
	}
	m, err := s.mapping(ctx)
	if err != nil {
		return ImportReport{}, err
	}
	st, err := ParseStatement(data, m)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{DryRun: dryRun, Encoding: st.Encoding, Separator: st.Separator, Header: st.Header, Mapping: st.Mapping,
		Debits: st.Debits, Skipped: st.Skipped}
	work := func(q querier, tx *sql.Tx) error {
		var importID int64
		if tx != nil {
			var err error
			if importID, err = insertImport(ctx, tx, s.now(), actor.Name, st.Encoding); err != nil {
				return err
			}
		}
		for _, l := range st.Lines {
			il := ImportedLine{StatementLine: l}
			known, err := bankLineKnown(ctx, q, l.Fingerprint)
			if err != nil {
				return err
			}
			if known {
				il.State, il.Reason = "duplicate", "Schon importiert."
				rep.Duplicates++
				rep.Lines = append(rep.Lines, il)
				continue
			}
			acc, reason, err := s.matchPurpose(ctx, q, l.Purpose)
			if err != nil {
				return err
			}
			bl := BankLine{ImportID: importID, Row: l.Row, BookedOn: l.Date, Amount: l.Amount, Payer: l.Payer, IBAN: l.IBAN, Purpose: l.Purpose,
				State: "unmatched"}
			if acc != nil {
				bl.State, il.Reference, il.PupilName = "matched", acc.Reference, acc.PupilName
				rep.Matched++
				rep.Total += l.Amount
			} else {
				il.Reason = reason
				rep.Unmatched++
			}
			il.State = bl.State
			if tx != nil {
				if err := insertBankLine(ctx, tx, &bl, l.Fingerprint); err != nil {
					return err
				}
				il.LineID = bl.ID
				if acc != nil {
					p := Payment{AccountID: acc.ID, Amount: l.Amount, BookedOn: l.Date, Source: "bank", BankLineID: bl.ID, Payer: l.Payer,
						CreatedAt: s.now(), CreatedBy: actor.Name}
					if err := insertPayment(ctx, tx, &p); err != nil {
						return err
					}
				}
			}
			rep.Lines = append(rep.Lines, il)
		}
		if tx == nil {
			return nil
		}
		if err := finishImport(ctx, tx, importID, len(st.Lines), rep.Matched, rep.Unmatched, rep.Duplicates); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "lending.import", Target: "bank", Success: true,
			Source: actor.Source, Service: actor.Service,
			Detail: fmt.Sprintf("%d bookings: %d matched (%s), %d unmatched, %d already imported", len(st.Lines), rep.Matched, Euro(rep.Total), rep.Unmatched, rep.Duplicates)})
	}
	if dryRun {
		err = work(s.db.R, nil)
	} else {
		err = s.db.Tx(ctx, func(tx *sql.Tx) error { return work(tx, tx) })
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// matchPurpose finds the account a purpose text names: exactly one valid
// payment reference of an existing account. It answers nil and the
// German reason otherwise.
func (s *Service) matchPurpose(ctx context.Context, q querier, purpose string) (*Account, string, error) {
	refs := FindReferences(s.cfg.ReferencePrefix, purpose)
	var found []Account
	for _, r := range refs {
		a, err := accountByReference(ctx, q, r)
		if errors.Is(err, errNoAccount) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		found = append(found, a)
	}
	switch {
	case len(found) == 1:
		return &found[0], "", nil
	case len(found) > 1:
		return nil, "Mehrere Verwendungszwecke in einer Überweisung: bitte von Hand aufteilen.", nil
	case len(refs) > 0:
		return nil, "Der Verwendungszweck gehört zu keiner Anmeldung.", nil
	}
	return nil, "Kein gültiger Verwendungszweck gefunden.", nil
}

// Unmatched lists the bookings waiting to be matched by hand.
func (s *Service) Unmatched(ctx context.Context, me directory.Person) ([]BankLine, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return nil, err
	}
	return unmatchedLines(ctx, s.db.R)
}

// ResolveLine books an unmatched booking on the account of a reference,
// or (reference "") marks it as no lending payment.
func (s *Service) ResolveLine(ctx context.Context, me directory.Person, actor directory.Actor, lineID int64, reference string) (BankLine, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return BankLine{}, err
	}
	reference = strings.TrimSpace(reference)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := bankLineByID(ctx, tx, lineID)
		if err != nil {
			return err
		}
		if reference == "" {
			if err := resolveBankLine(ctx, tx, lineID, "ignored", s.now(), actor.Name); err != nil {
				return err
			}
			return nil
		}
		acc, err := s.accountOfReference(ctx, tx, reference)
		if err != nil {
			return err
		}
		if err := resolveBankLine(ctx, tx, lineID, "matched", s.now(), actor.Name); err != nil {
			return err
		}
		p := Payment{AccountID: acc.ID, Amount: l.Amount, BookedOn: l.BookedOn, Source: "bank", BankLineID: l.ID, Payer: l.Payer,
			Note: "von Hand zugeordnet", CreatedAt: s.now(), CreatedBy: actor.Name}
		if err := insertPayment(ctx, tx, &p); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "lending.payment.match", Target: acc.PupilLogin,
			Success: true, Source: actor.Source, Service: actor.Service, Detail: fmt.Sprintf("%s %s", acc.Reference, Euro(l.Amount))})
	})
	if err != nil {
		return BankLine{}, err
	}
	return bankLineByID(ctx, s.db.R, lineID)
}

// accountOfReference finds an account by a reference as a person typed
// it ("sba 2026 000123").
func (s *Service) accountOfReference(ctx context.Context, q querier, reference string) (Account, error) {
	refs := FindReferences(s.cfg.ReferencePrefix, reference)
	if len(refs) != 1 {
		return Account{}, refuse(Invalid, "reference", fmt.Sprintf("„%s“ ist kein gültiger Verwendungszweck (wie %s).", clip(reference, 30),
			Reference(s.cfg.ReferencePrefix, 2026, 12)), "bad reference %q", reference)
	}
	return accountByReference(ctx, q, refs[0])
}

// PaymentInput is money the secretary takes (cash) or pays back
// (negative amount).
type PaymentInput struct {
	Reference string // the account; or
	Pupil     string // the pupil's login with
	Year      int64  // the year (0: current)
	Amount    int64
	Date      string // YYYY-MM-DD; default today
	Note      string
}

// AddPayment books a payment by hand (lending staff).
func (s *Service) AddPayment(ctx context.Context, me directory.Person, actor directory.Actor, in PaymentInput) (Account, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Account{}, err
	}
	if in.Amount == 0 || in.Amount > 1_000_000 || in.Amount < -1_000_000 {
		return Account{}, refuse(Invalid, "amount_cents", "Bitte einen Betrag angeben (negativ für eine Rückzahlung).", "amount %d", in.Amount)
	}
	date := strings.TrimSpace(in.Date)
	if date == "" {
		date = s.today()
	}
	if _, ok := parseDate(date); !ok {
		return Account{}, refuse(Invalid, "date", "Bitte das Datum angeben (z. B. 2026-08-01).", "bad date %q", date)
	}
	note := oneLine(in.Note)
	if utf8.RuneCountInString(note) > MaxText {
		return Account{}, refuse(Invalid, "note", fmt.Sprintf("Die Notiz darf höchstens %d Zeichen lang sein.", MaxText), "note too long")
	}
	var acc Account
	var err error
	if in.Reference != "" {
		acc, err = s.accountOfReference(ctx, s.db.R, in.Reference)
	} else {
		var p directory.Listed
		if p, err = s.pupilByLogin(ctx, in.Pupil); err != nil {
			return Account{}, err
		}
		var y Year
		if y, err = s.yearOrCurrent(ctx, in.Year); err != nil {
			return Account{}, err
		}
		acc, err = accountOf(ctx, s.db.R, p.ID, y.ID)
		if errors.Is(err, store.ErrNotFound) {
			err = refuse(NotFound, "pupil", "Für dieses Kind gibt es in diesem Schuljahr keine Anmeldung und keine Forderung.", "no account")
		}
	}
	if err != nil {
		return Account{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		p := Payment{AccountID: acc.ID, Amount: in.Amount, BookedOn: date, Source: "manual", Note: note, CreatedAt: s.now(), CreatedBy: actor.Name}
		if err := insertPayment(ctx, tx, &p); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "lending.payment", Target: acc.PupilLogin, Success: true,
			Source: actor.Source, Service: actor.Service, Detail: fmt.Sprintf("%s %s %s", acc.Reference, Euro(in.Amount), note)})
	})
	if err != nil {
		return Account{}, err
	}
	return accountByID(ctx, s.db.R, acc.ID)
}

// Accounts lists a year's accounts with what is due and paid: the
// treasury's overview (lending staff).
func (s *Service) Accounts(ctx context.Context, me directory.Person, yearID int64) (Year, []Account, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Year{}, nil, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return y, nil, err
	}
	list, err := accountsOf(ctx, s.db.R, y.ID, nil)
	return y, list, err
}

// AccountDetail is one account with its payments and claims.
type AccountDetail struct {
	Account  Account
	Payments []Payment
	Claims   []Claim
}

// AccountByReference returns an account with its payments (lending staff).
func (s *Service) AccountByReference(ctx context.Context, me directory.Person, reference string) (AccountDetail, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return AccountDetail{}, err
	}
	acc, err := s.accountOfReference(ctx, s.db.R, reference)
	if err != nil {
		return AccountDetail{}, err
	}
	d := AccountDetail{Account: acc}
	if d.Payments, err = paymentsOf(ctx, s.db.R, acc.ID); err != nil {
		return d, err
	}
	claims, err := claimsFiltered(ctx, s.db.R, acc.YearID, "", []int64{acc.PersonID})
	if err != nil {
		return d, err
	}
	for _, c := range claims {
		if c.AccountID == acc.ID {
			d.Claims = append(d.Claims, c)
		}
	}
	return d, nil
}
