package lending

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"kaspel/server/directory"
)

// The lists and letters of the lending, as PDF for the school's printer.

// classesByPupil maps the current pupils to their class.
func (s *Service) classesByPupil(ctx context.Context) (map[int64]string, error) {
	pupils, err := s.dir.CurrentPupils(ctx)
	if err != nil {
		return nil, fmt.Errorf("lending: pupils: %w", err)
	}
	out := make(map[int64]string, len(pupils))
	for _, p := range pupils {
		out[p.ID] = classOf(p.Classes)
	}
	return out, nil
}

func (s *Service) schoolName(ctx context.Context) (string, error) {
	school, err := s.dir.School(ctx)
	if err != nil {
		return "", fmt.Errorf("lending: school: %w", err)
	}
	return school.Name, nil
}

// IssueList prints a class's issue list: one row per pupil, one column
// per borrowed title, the copy's number where one was issued and a box
// to tick where one is still missing (the class's teachers and lending
// staff).
func (s *Service) IssueList(ctx context.Context, me directory.Person, class string, yearID int64) ([]byte, error) {
	st, err := s.Class(ctx, me, class, yearID)
	if err != nil {
		return nil, err
	}
	school, err := s.schoolName(ctx)
	if err != nil {
		return nil, err
	}
	d := newDoc("L", "Ausgabeliste "+st.Class, s.now())
	d.pdf.AddPage()
	cols := []tableCol{{"Name", 55, "L"}, {"Angemeldet", 24, "C"}}
	titleW := 0.0
	if n := len(st.Titles); n > 0 {
		titleW = (267 - 79 - 18) / float64(n)
		if titleW > 40 {
			titleW = 40
		}
	}
	for _, t := range st.Titles {
		cols = append(cols, tableCol{t.Title, titleW, "C"})
	}
	cols = append(cols, tableCol{"Fehlt", 18, "C"})
	tb := &table{d: d, cols: cols, rowH: 7, header: func() {
		d.heading(school, fmt.Sprintf("Ausgabeliste Klasse %s – Schulbuchausleihe %s", st.Class, st.Year.Name),
			"Nummer = ausgegebenes Exemplar, [  ] = noch auszugeben, – = nicht geliehen.")
	}}
	tb.start()
	for _, p := range st.Pupils {
		reg := "nein"
		if p.Registered {
			reg = p.Status.German()
		}
		cells := []string{p.Pupil.LastName + ", " + p.Pupil.FirstName, reg}
		for _, t := range st.Titles {
			cell := "–"
			for _, b := range p.Booked {
				if b.TitleID == t.TitleID {
					cell = "[  ]"
					if b.Code != "" {
						cell = b.Code
					}
				}
			}
			cells = append(cells, cell)
		}
		cells = append(cells, strconv.Itoa(p.Missing))
		tb.row(cells...)
	}
	return d.bytes()
}

// MissingList prints the books of a year still out, by class and pupil;
// after the return deadline they are overdue (lending staff).
func (s *Service) MissingList(ctx context.Context, me directory.Person, yearID int64) ([]byte, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return nil, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return nil, err
	}
	loans, err := loansOfYear(ctx, s.db.R, y.ID, nil, true)
	if err != nil {
		return nil, err
	}
	classes, err := s.classesByPupil(ctx)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(loans, func(i, j int) bool {
		ci, cj := classes[loans[i].PersonID], classes[loans[j].PersonID]
		if ci != cj {
			return classLess(ci, cj)
		}
		return false
	})
	school, err := s.schoolName(ctx)
	if err != nil {
		return nil, err
	}
	overdue := s.today() > y.ReturnDue
	sub := fmt.Sprintf("Rückgabetermin: %s. %d Bücher sind noch nicht zurück.", germanDate(y.ReturnDue), len(loans))
	if overdue {
		sub += " Der Termin ist verstrichen."
	}
	d := newDoc("P", "Fehlende Rückgaben "+y.Name, s.now())
	d.pdf.AddPage()
	tb := &table{d: d, rowH: 6.5, cols: []tableCol{{"Klasse", 16, "L"}, {"Name", 50, "L"}, {"Titel", 66, "L"}, {"Nummer", 22, "C"}, {"Ausgegeben", 26, "C"}},
		header: func() { d.heading(school, "Fehlende Rückgaben – Schulbuchausleihe "+y.Name, sub) }}
	tb.start()
	for _, l := range loans {
		cls := classes[l.PersonID]
		if l.PersonID == 0 {
			cls = "(ehem.)"
		}
		tb.row(cls, l.PupilName, l.Title, l.Code, l.IssuedAt.In(berlin).Format("02.01.2006"))
	}
	if len(loans) == 0 {
		d.pdf.SetFont("Helvetica", "", 11)
		d.pdf.CellFormat(0, 8, d.tr("Alle Bücher sind zurück."), "", 1, "L", false, 0, "")
	}
	return d.bytes()
}

// classLess sorts "" last and "10a" after "9a".
func classLess(a, b string) bool {
	if a == "" || b == "" {
		return b == ""
	}
	if ga, gb := gradeOf(a), gradeOf(b); ga != gb {
		return ga < gb
	}
	return a < b
}

// ClaimLetters prints a letter to the parents for every account of the
// year with live claims (of one class, or all): the books, their
// Zeitwert, the amount, the bank account and the payment reference
// (lending staff).
func (s *Service) ClaimLetters(ctx context.Context, me directory.Person, yearID int64, class string) ([]byte, int, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return nil, 0, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return nil, 0, err
	}
	var ids []int64
	if class != "" {
		pupils, err := s.dir.PupilsOfClass(ctx, class)
		if err != nil {
			return nil, 0, refuse(NotFound, "class", "Diese Klasse gibt es nicht.", "class %q: %v", class, err)
		}
		ids = make([]int64, 0, len(pupils))
		for _, p := range pupils {
			ids = append(ids, p.ID)
		}
	}
	claims, err := claimsFiltered(ctx, s.db.R, y.ID, "", ids)
	if err != nil {
		return nil, 0, err
	}
	byAccount := map[int64][]Claim{}
	var order []int64
	for _, c := range claims {
		if c.PersonID == 0 {
			continue
		}
		if _, ok := byAccount[c.AccountID]; !ok {
			order = append(order, c.AccountID)
		}
		byAccount[c.AccountID] = append(byAccount[c.AccountID], c)
	}
	school, err := s.schoolName(ctx)
	if err != nil {
		return nil, 0, err
	}
	classes, err := s.classesByPupil(ctx)
	if err != nil {
		return nil, 0, err
	}
	d := newDoc("P", "Ersatzforderungen "+y.Name, s.now())
	letters := 0
	payBy := s.now().In(berlin).AddDate(0, 0, 14).Format("02.01.2006")
	for _, id := range order {
		acc, err := accountByID(ctx, s.db.R, id)
		if err != nil {
			return nil, 0, err
		}
		open := min(acc.ClaimsDue, acc.Balance())
		if open <= 0 {
			continue // paid already
		}
		letters++
		d.claimLetter(school, y, acc, classes[acc.PersonID], byAccount[id], open, payBy, s.now().In(berlin).Format("02.01.2006"))
	}
	if letters == 0 {
		d.pdf.AddPage()
		d.heading(school, "Ersatzforderungen – Schulbuchausleihe "+y.Name, "Es gibt keine offenen Ersatzforderungen.")
	}
	out, err := d.bytes()
	return out, letters, err
}

func (d *doc) claimLetter(school string, y Year, acc Account, class string, claims []Claim, open int64, payBy, today string) {
	p := d.pdf
	p.AddPage()
	p.SetFont("Helvetica", "", 9)
	d.text(15, 12, 180, 5, school+" · Schulbuchausleihe", "L")
	d.text(15, 12, 180, 5, today, "R")
	p.SetFont("Helvetica", "", 11)
	to := "An die Eltern von " + acc.PupilName
	if class != "" {
		to += ", Klasse " + class
	}
	d.text(15, 40, 180, 6, to, "L")
	p.SetFont("Helvetica", "B", 13)
	d.text(15, 62, 180, 7, "Ersatz für beschädigte oder nicht zurückgegebene Schulbücher", "L")
	p.SetFont("Helvetica", "", 11)
	p.SetXY(15, 74)
	provisional := false
	for _, c := range claims {
		provisional = provisional || c.State == ClaimProvisional
	}
	intro := fmt.Sprintf("Liebe Eltern,\n\nbei der Schulbuchausleihe %s sind die folgenden Bücher beschädigt, verloren oder nicht zurückgegeben worden. "+
		"Nach den Leihbedingungen ersetzen Sie den Zeitwert (Ladenpreis abzüglich der Leihentgelte der genutzten Jahre), "+
		"bei Beschädigung den Anteil nach der Schwere des Schadens:", y.Name)
	p.MultiCell(180, 5.5, d.tr(intro), "", "L", false)
	p.Ln(3)
	tb := &table{d: d, rowH: 6.5, header: func() {}, cols: []tableCol{{"Buch", 70, "L"}, {"Nummer", 20, "C"}, {"Grund", 30, "L"},
		{"Zeitwert", 20, "R"}, {"Anteil", 15, "R"}, {"Betrag", 25, "R"}}}
	p.SetX(15)
	tb.start()
	for _, c := range claims {
		p.SetX(15)
		tb.row(c.Title, c.Code, c.Kind.German(), Euro(c.Value), fmt.Sprintf("%d %%", c.Percent), Euro(c.Amount))
	}
	p.Ln(4)
	p.SetX(15)
	var b strings.Builder
	fmt.Fprintf(&b, "Offen: %s. Bitte überweisen Sie den Betrag bis zum %s", Euro(open), payBy)
	if y.AccountHolder != "" || y.IBAN != "" {
		b.WriteString(" auf das Konto der Schule:\n")
		if y.AccountHolder != "" {
			fmt.Fprintf(&b, "Kontoinhaber: %s\n", y.AccountHolder)
		}
		if y.IBAN != "" {
			fmt.Fprintf(&b, "IBAN: %s\n", FormatIBAN(y.IBAN))
		}
		if y.Bank != "" {
			fmt.Fprintf(&b, "Bank: %s\n", y.Bank)
		}
	} else {
		b.WriteString(".\n")
	}
	fmt.Fprintf(&b, "Verwendungszweck: %s\n", acc.Reference)
	if provisional {
		fmt.Fprintf(&b, "\nDie Forderung ist vorläufig bis zum Rückgabetermin (%s): Wird ein Buch bis dahin gefunden und zurückgegeben, entfällt der Ersatz dafür.\n", germanDate(y.ReturnDue))
	}
	b.WriteString("\nWenn Sie Fragen haben, wenden Sie sich bitte an das Sekretariat.\n\nMit freundlichen Grüßen\n" + school)
	p.MultiCell(180, 5.5, d.tr(b.String()), "", "L", false)
}

// PaymentList prints the treasury's list of a year: every account with
// what is due, what was paid and the balance, and the totals (lending
// staff).
func (s *Service) PaymentList(ctx context.Context, me directory.Person, yearID int64) ([]byte, error) {
	y, accounts, err := s.Accounts(ctx, me, yearID)
	if err != nil {
		return nil, err
	}
	classes, err := s.classesByPupil(ctx)
	if err != nil {
		return nil, err
	}
	school, err := s.schoolName(ctx)
	if err != nil {
		return nil, err
	}
	d := newDoc("P", "Zahlungsliste "+y.Name, s.now())
	d.pdf.AddPage()
	tb := &table{d: d, rowH: 6, cols: []tableCol{{"Name", 46, "L"}, {"Kl.", 10, "C"}, {"Verwendungszweck", 36, "L"}, {"Soll", 22, "R"},
		{"Bezahlt", 22, "R"}, {"Offen", 22, "R"}, {"Stand", 22, "L"}},
		header: func() {
			d.heading(school, "Leihentgelte und Zahlungen – Schulbuchausleihe "+y.Name, "Stand: "+s.now().In(berlin).Format("02.01.2006 15:04")+" Uhr")
		}}
	tb.start()
	var due, paid int64
	for _, a := range accounts {
		total := a.RegistrationDue + a.ClaimsDue
		due += total
		paid += a.Paid
		tb.row(a.PupilName, classes[a.PersonID], a.Reference, Euro(total), Euro(a.Paid), Euro(a.Balance()), a.Status.German())
	}
	d.pdf.SetFont("Helvetica", "B", 9)
	tb.row("Summe", "", fmt.Sprintf("%d Konten", len(accounts)), Euro(due), Euro(paid), Euro(due-paid), "")
	return d.bytes()
}

// BookListPDF prints a grade's book list of a year with each title's shop
// price and fee: what the school lends and what parents buy (any member
// of staff; parents see it on their page).
func (s *Service) BookListPDF(ctx context.Context, me directory.Person, yearID int64, grade int) ([]byte, error) {
	if me.Role == directory.Pupil {
		return nil, errStaffOnly
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return nil, err
	}
	list, err := s.list(ctx, s.db.R, y.ID, grade)
	if err != nil {
		return nil, err
	}
	school, err := s.schoolName(ctx)
	if err != nil {
		return nil, err
	}
	d := newDoc("P", fmt.Sprintf("Bücherliste Klasse %d", grade), s.now())
	d.pdf.AddPage()
	sub := "Entwurf: noch nicht veröffentlicht."
	if list.Published {
		sub = fmt.Sprintf("Anmeldung vom %s bis zum %s, Zahlung bis zum %s.", germanDate(y.RegistrationFrom), germanDate(y.RegistrationUntil), germanDate(y.PaymentDue))
	}
	tb := &table{d: d, rowH: 6.5, cols: []tableCol{{"Fach", 28, "L"}, {"Titel", 70, "L"}, {"ISBN", 32, "C"}, {"Ladenpreis", 25, "R"}, {"Leihentgelt", 25, "R"}},
		header: func() {
			d.heading(school, fmt.Sprintf("Bücherliste Klasse %d – Schuljahr %s", grade, y.Name), sub)
		}}
	tb.start()
	var fees, buy int64
	for _, t := range list.Titles {
		fee := Euro(t.Fee)
		switch {
		case t.Consumable:
			fee = "kaufen"
			buy += t.Price
		case t.YearsOfUse == 2:
			fee += " (2 J.)"
			fees += t.Fee
		default:
			fees += t.Fee
		}
		tb.row(t.Subject, t.Title.Title, t.ISBN, Euro(t.Price), fee)
	}
	d.pdf.Ln(4)
	d.pdf.SetX(15)
	d.pdf.SetFont("Helvetica", "", 10)
	reduced := roundDiv(fees*int64(y.Rules.ReductionPct), 100)
	text := fmt.Sprintf("Leihentgelt für alle Bücher zum Leihen: %s (Familien mit drei oder mehr schulpflichtigen Kindern: %s; "+
		"befreit bei Bürgergeld, SGB VIII, SGB XII, AsylbLG, Kinderzuschlag oder Wohngeld mit Nachweis). "+
		"Verbrauchsmaterial (Arbeitshefte) kaufen Sie selbst: zusammen etwa %s.", Euro(fees), Euro(reduced), Euro(buy))
	if y.Rules.PackageOnly {
		text += " Die Schule verleiht nur das ganze Bücherpaket."
	}
	d.pdf.MultiCell(180, 5, d.tr(text), "", "L", false)
	return d.bytes()
}

// OrderRow is a title's need for a year.
type OrderRow struct {
	Title     Title
	Needed    int // registrations borrowing it
	Available int // copies that can go out (in stock, or out and coming back, under the loan limit)
	Order     int // Needed - Available, not below 0
}

// OrderRows works out what to order for a year: for every title on a
// list of the year the registrations that borrow it, less the copies
// that can go out then — in stock or lent and coming back by the return
// deadline, below the loan limit; a two-year volume lent in the year
// before stays with its pupil (coordinator).
func (s *Service) OrderRows(ctx context.Context, me directory.Person, yearID int64) (Year, []OrderRow, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Year{}, nil, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return y, nil, err
	}
	years, err := listYears(ctx, s.db.R)
	if err != nil {
		return y, nil, err
	}
	var prev *Year
	for i := range years {
		if years[i].Start < y.Start {
			prev = &years[i]
		}
	}
	lists, err := s.lists(ctx, s.db.R, y.ID, 0)
	if err != nil {
		return y, nil, err
	}
	regs, err := registrationsOf(ctx, s.db.R, y.ID, nil)
	if err != nil {
		return y, nil, err
	}
	need := map[int64]int{}
	for _, r := range regs {
		for _, t := range r.Titles {
			if t.Choice == Borrow {
				need[t.TitleID]++
			}
		}
	}
	var out []OrderRow
	seen := map[int64]bool{}
	for _, l := range lists {
		for _, t := range l.Titles {
			if seen[t.ID] || t.Consumable {
				continue
			}
			seen[t.ID] = true
			copies, err := copiesOfTitle(ctx, s.db.R, t.ID)
			if err != nil {
				return y, nil, err
			}
			avail := 0
			for _, c := range copies {
				if CheckLoanCount(c.LoanCount, s.cfg.MaxLoans) == LoanOver || c.Status != InStock && c.Status != Lent {
					continue
				}
				if c.Status == Lent && t.YearsOfUse == 2 && prev != nil {
					loan, err := openLoanOfCopy(ctx, s.db.R, c.ID)
					if err != nil {
						return y, nil, err
					}
					if loan != nil && loan.YearID == prev.ID {
						continue
					}
				}
				avail++
			}
			row := OrderRow{Title: t.Title, Needed: need[t.ID], Available: avail}
			row.Order = max(0, row.Needed-row.Available)
			out = append(out, row)
		}
	}
	return y, out, nil
}

// OrderList prints the order list of a year (coordinator).
func (s *Service) OrderList(ctx context.Context, me directory.Person, yearID int64) ([]byte, error) {
	y, rows, err := s.OrderRows(ctx, me, yearID)
	if err != nil {
		return nil, err
	}
	school, err := s.schoolName(ctx)
	if err != nil {
		return nil, err
	}
	d := newDoc("P", "Bestellliste "+y.Name, s.now())
	d.pdf.AddPage()
	tb := &table{d: d, rowH: 6.5, cols: []tableCol{{"Titel", 62, "L"}, {"ISBN", 32, "C"}, {"Ladenpreis", 22, "R"}, {"Bedarf", 16, "R"},
		{"Verfügbar", 18, "R"}, {"Bestellen", 18, "R"}, {"Kosten", 12 + 10, "R"}},
		header: func() {
			d.heading(school, "Bestellliste – Schulbuchausleihe "+y.Name, "Bedarf: Anmeldungen, die das Buch leihen. Verfügbar: Exemplare im Bestand oder ausgeliehen und bis zur Rückgabe zurück, unter der Ausleihgrenze.")
		}}
	tb.start()
	var total int64
	for _, r := range rows {
		cost := int64(r.Order) * r.Title.Price
		total += cost
		tb.row(r.Title.Title, r.Title.ISBN, Euro(r.Title.Price), strconv.Itoa(r.Needed), strconv.Itoa(r.Available), strconv.Itoa(r.Order), Euro(cost))
	}
	d.pdf.SetFont("Helvetica", "B", 9)
	tb.row("Summe", "", "", "", "", "", Euro(total))
	return d.bytes()
}
