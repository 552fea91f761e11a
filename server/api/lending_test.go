package api_test

import (
	"bytes"

	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// The textbook lending end to end: the real HTTPS listener on loopback,
// the Go client the desktop client (and the kiosk) uses. The server runs
// on the real clock, so the school year is laid around today: online
// registration open now, the year beginning in two months.

// lendingDay is a date relative to today in Berlin.
func lendingDay(days int) string {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC
	}
	return time.Now().In(loc).AddDate(0, 0, days).Format("2006-01-02")
}

// isbnOf completes 12 digits with the ISBN-13 check digit.
func isbnOf(d12 string) string {
	sum := 0
	for i, r := range d12 {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(r-'0') * w
	}
	return d12 + strconv.Itoa((10-sum%10)%10)
}

// lendingSchool is the school's lending set up by the coordinator: the
// year (registration open), three titles and a workbook on the list of
// grade 4, and copies.
type lendingSchool struct {
	coord                      *serverapi.Client // the admin, who does what the coordinator does
	year                       wire.LendingYear
	maths, reading, sachu, mwb wire.LendingTitle
	copies                     map[int64][]string // title -> barcodes
}

func lendingYearInput(name string) wire.LendingYearInput {
	return wire.LendingYearInput{Name: name, StartsOn: lendingDay(60), SecondHalfOn: lendingDay(240), EndsOn: lendingDay(400),
		RegistrationFrom: lendingDay(-10), RegistrationUntil: lendingDay(30), PaymentDue: lendingDay(45), ReturnDue: lendingDay(380),
		IBAN: "DE89 3704 0044 0532 0130 00", AccountHolder: "Förderverein GS Borsum", Bank: "Sparkasse Hildesheim",
		RateMinPct: 33, RateMaxPct: 40, RatePct: 35, MultiYearPct: 60, RoundToCents: 1, ReductionPct: 80,
		DamageLightPct: 25, DamageMediumPct: 50, DamageTotalPct: 100}
}

func (s *school) lendingSetup(coord *serverapi.Client) *lendingSchool {
	s.t.Helper()
	l := &lendingSchool{coord: coord, copies: map[int64][]string{}}
	var err error
	if l.year, err = coord.LendingCreateYear(ctx, lendingYearInput("Lehrjahr")); err != nil {
		s.t.Fatalf("lending setup: year: %v", err)
	}
	title := func(d12, name string, price int64, years int, consumable bool) wire.LendingTitle {
		t, err := coord.LendingCreateTitle(ctx, wire.LendingTitleInput{ISBN: isbnOf(d12), Title: name, Subject: "Fach", Grades: []int{4},
			PriceCents: price, YearsOfUse: years, Consumable: consumable})
		if err != nil {
			s.t.Fatalf("lending setup: title %s: %v", name, err)
		}
		return t
	}
	l.maths = title("978312345678", "Mathe-Welt 4", 2495, 1, false)
	l.reading = title("978306012345", "Lesebuch 4", 2200, 1, false)
	l.sachu = title("978314123456", "Sachunterricht 3/4", 2800, 2, false)
	l.mwb = title("978312345999", "Mathe-Welt 4 Arbeitsheft", 995, 1, true)
	if _, err := coord.LendingPutList(ctx, l.year.ID, 4, []int64{l.maths.ID, l.reading.ID, l.sachu.ID, l.mwb.ID}, true); err != nil {
		s.t.Fatalf("lending setup: list: %v", err)
	}
	for _, t := range []wire.LendingTitle{l.maths, l.reading, l.sachu} {
		cs, err := coord.LendingCreateCopies(ctx, wire.LendingCopiesInput{Title: t.ID, Count: 4})
		if err != nil {
			s.t.Fatalf("lending setup: copies: %v", err)
		}
		for _, c := range cs {
			l.copies[t.ID] = append(l.copies[t.ID], c.Code)
		}
	}
	return l
}

// apiError asserts an API error answer and returns it.
func lendingAPIError(t *testing.T, err error) *serverapi.Error {
	t.Helper()
	e, ok := err.(*serverapi.Error)
	if !ok {
		t.Fatalf("got %v, want an API error", err)
	}
	return e
}

// The story of the issue: the coordinator sets the year up, parents
// register online, the secretary takes the money from the bank statement
// and issues the books at the kiosk, the class teacher hands out a class
// set, and a damaged book comes back.
func TestLendingEndToEnd(t *testing.T) {
	s := newSchool(t)
	kai := s.Rig.AddPerson("Kai", "Koordinator", directory.Teacher, teacherPW)
	if err := s.Rig.Dir.SetRight(ctx, testrig.Admin, kai, directory.RightLending, true); err != nil {
		t.Fatal(err)
	}
	coord := s.anon()
	if _, err := coord.Login(ctx, kai, teacherPW, "PC-01"); err != nil {
		t.Fatal(err)
	}
	ab, err := coord.LendingAbilities(ctx)
	if err != nil || !ab.Coordinator || !ab.Staff || ab.CurrentYear != nil {
		t.Errorf("coordinator's abilities: got %+v, %v", ab, err)
	}
	_, err = coord.LendingCreateTitle(ctx, wire.LendingTitleInput{ISBN: "978-3-12-345678-0", Title: "Tippfehler", PriceCents: 1000, YearsOfUse: 1})
	if e := lendingAPIError(t, err); e.Status != 400 || e.Code != wire.CodeInvalid || !slices.Equal(e.Fields, []string{"isbn"}) ||
		!strings.Contains(e.Message, "falsche Prüfziffer") {
		t.Errorf("an ISBN with a typo: got %+v", e)
	}
	l := s.lendingSetup(coord)
	_, err = s.as(s.Teacher).LendingCreateTitle(ctx, wire.LendingTitleInput{ISBN: isbnOf("978399999999"), Title: "X", PriceCents: 100, YearsOfUse: 1})
	if e := lendingAPIError(t, err); e.Status != 403 || e.Code != wire.CodeForbidden {
		t.Errorf("a teacher enters a title: got %+v", e)
	}
	nine := int64(900)
	if f, err := coord.LendingSetFee(ctx, l.year.ID, l.maths.ID, &nine); err != nil || f.FeeCents != 900 || f.DefaultCents != 873 {
		t.Errorf("fee override: got %+v, %v", f, err)
	}
	if _, err := coord.LendingSetFee(ctx, l.year.ID, l.maths.ID, nil); err != nil {
		t.Fatal(err)
	}

	// Anna's parents register at home, through her account.
	anna := s.as(s.Pupil)
	offer, err := anna.LendingOwnOffer(ctx)
	if err != nil || !offer.Open || offer.Grade != 4 || len(offer.Titles) != 4 || offer.Titles[0].FeeCents != 873 {
		t.Fatalf("offer: got %+v, %v", offer, err)
	}
	reg, err := anna.LendingRegisterOwn(ctx, wire.LendingRegistrationInput{Package: true, Guardian: "Eva Schmidt", AcceptTerms: true})
	if err != nil {
		t.Fatal(err)
	}
	ref := reg.Account.Reference
	if reg.Registration.DueCents != 3323 || reg.Bank.IBAN != "DE89 3704 0044 0532 0130 00" || !strings.HasPrefix(ref, "SBA-") ||
		reg.Account.Status != "due" || !strings.Contains(reg.Message, ref) {
		t.Errorf("registration: got %+v", reg)
	}
	page, err := anna.MailPage(ctx, "inbox", "", 10)
	if err != nil || len(page.Messages) != 1 || !page.Messages[0].System || !strings.Contains(page.Messages[0].Subject, "Schulbuchausleihe") {
		t.Fatalf("Anna's inbox: got %+v, %v", page, err)
	}
	msg, err := anna.MailMessage(ctx, page.Messages[0].ID)
	if err != nil || !strings.Contains(msg.Body, "Verwendungszweck: "+ref) || !strings.Contains(msg.Body, "33,23 €") {
		t.Errorf("the confirmation: %v\n%s", err, msg.Body)
	}
	own, err := anna.LendingOwn(ctx)
	if err != nil || own.Registration == nil || own.Account == nil || own.Account.Reference != ref || own.Bank.AccountHolder != "Förderverein GS Borsum" {
		t.Errorf("Anna's own state: got %+v, %v", own, err)
	}
	_, err = anna.LendingRegisterOwn(ctx, wire.LendingRegistrationInput{Package: true, Guardian: "Eva Schmidt"})
	if e := lendingAPIError(t, err); e.Status != 400 || !slices.Equal(e.Fields, []string{"accept_terms"}) {
		t.Errorf("without the terms: got %+v", e)
	}
	// Ben's parents have no internet: the secretary registers him.
	sabine := s.as(s.Secretary)
	benReg, err := sabine.LendingRegisterPupil(ctx, s.Pupil2, wire.LendingRegistrationInput{Year: l.year.ID, Guardian: "Jörg Becker", AcceptTerms: true,
		Choices:   []wire.LendingChoice{{Title: l.maths.ID, Choice: "borrow"}, {Title: l.reading.ID, Choice: "buy"}, {Title: l.sachu.ID, Choice: "borrow"}},
		Reduction: true, ReductionProof: "accepted"})
	if err != nil || benReg.Registration.Channel != "secretary" || benReg.Registration.DueCents != 2042 || benReg.Registration.Waiting {
		t.Fatalf("Ben's registration: got %+v, %v", benReg.Registration, err)
	}

	// The kiosk: Anna's card, a copy held for payment, then confirmed.
	cards, err := sabine.LendingCards(ctx, wire.LendingCardsInput{Pupil: s.Pupil})
	if err != nil || !bytes.HasPrefix(cards, []byte("%PDF")) {
		t.Fatalf("card: %v", err)
	}
	panel, err := sabine.LendingPupil(ctx, s.Pupil, 0)
	if err != nil || len(panel.Card) != 9 || panel.Account == nil || panel.Account.Reference != ref || len(panel.Missing) != 3 {
		t.Fatalf("panel: got %+v, %v", panel, err)
	}
	res, err := sabine.LendingScan(ctx, wire.LendingScan{Code: panel.Card})
	if err != nil || res.Kind != wire.LendingScanPupil || res.Pupil.Pupil != s.Pupil || res.Level != wire.LendingLevelWarning {
		t.Fatalf("card scan: got %+v, %v", res, err)
	}
	maths := l.copies[l.maths.ID]
	res, err = sabine.LendingScan(ctx, wire.LendingScan{Code: maths[0], Pupil: s.Pupil})
	if err != nil || res.Kind != wire.LendingScanConfirm || !res.NeedsConfirmation || res.Warnings[0].Code != "unpaid" {
		t.Fatalf("unpaid: got %+v, %v", res, err)
	}
	res, err = sabine.LendingScan(ctx, wire.LendingScan{Code: maths[0], Pupil: s.Pupil, Confirm: true})
	if err != nil || res.Kind != wire.LendingScanIssued || res.Copy.Status != "lent" || len(res.Pupil.Missing) != 2 {
		t.Fatalf("issued: got %+v, %v", res, err)
	}

	// The bank statement pays Anna.
	csv := "Buchungstag;Verwendungszweck;Beguenstigter/Zahlungspflichtiger;Betrag\n" +
		lendingDay(0)[8:10] + "." + lendingDay(0)[5:7] + "." + lendingDay(0)[:4] + ";\"Buecher Anna " + strings.ToLower(ref) + "\";Eva Schmidt;33,23\n" +
		lendingDay(0)[8:10] + "." + lendingDay(0)[5:7] + "." + lendingDay(0)[:4] + ";Spende;Max Muster;50,00\n"
	imp, err := sabine.LendingImport(ctx, []byte(csv), false)
	if err != nil || imp.Matched != 1 || imp.Unmatched != 1 || imp.Lines[0].Reference != ref {
		t.Fatalf("import: got %+v, %v", imp, err)
	}
	if again, err := sabine.LendingImport(ctx, []byte(csv), false); err != nil || again.Duplicates != 2 || again.Matched != 0 {
		t.Errorf("the same statement again: got %+v, %v", again, err)
	}
	lines, err := sabine.LendingUnmatched(ctx)
	if err != nil || len(lines) != 1 {
		t.Fatalf("unmatched: %+v, %v", lines, err)
	}
	if l, err := sabine.LendingResolveLine(ctx, lines[0].ID, ""); err != nil || l.State != "ignored" {
		t.Errorf("ignore the donation: got %+v, %v", l, err)
	}
	res, err = sabine.LendingScan(ctx, wire.LendingScan{Code: l.copies[l.reading.ID][0], Pupil: s.Pupil})
	if err != nil || res.Kind != wire.LendingScanIssued || res.Level != wire.LendingLevelOK || res.Pupil.Account.Status != "paid" {
		t.Fatalf("issue after payment: got %+v, %v", res, err)
	}

	// The class teacher hands out the Sachunterricht class set: Ben paid
	// nothing yet and is skipped, Anna gets one.
	tina := s.as(s.Teacher)
	class, err := tina.LendingClass(ctx, "3a", 0)
	if err != nil || len(class.Pupils) != 3 || class.Pupils[0].Reference != "" || class.Pupils[0].Pupil != s.Pupil2 {
		t.Fatalf("the class teacher's view: got %+v, %v", class, err)
	}
	sachu := l.copies[l.sachu.ID]
	res, err = tina.LendingScan(ctx, wire.LendingScan{Code: sachu[0], Mode: wire.LendingModeClass, Class: "3a"})
	if err != nil || res.Kind != wire.LendingScanIssued || res.Class.IssuedTo != "Anna Schmidt" || res.Class.Unpaid != 1 || res.Pupil != nil {
		t.Fatalf("class set: got %+v, %v", res, err)
	}
	_, err = s.as(s.OtherTeacher).LendingScan(ctx, wire.LendingScan{Code: sachu[1], Mode: wire.LendingModeClass, Class: "3a"})
	if e := lendingAPIError(t, err); e.Status != 403 {
		t.Errorf("another class's teacher: got %+v", e)
	}
	_, err = tina.LendingScan(ctx, wire.LendingScan{Code: sachu[1]})
	if e := lendingAPIError(t, err); e.Status != 403 {
		t.Errorf("a teacher at the counter: got %+v", e)
	}

	// Return day: the maths book comes back badly damaged.
	res, err = sabine.LendingScan(ctx, wire.LendingScan{Code: maths[0], Mode: wire.LendingModeReturn, Condition: wire.LendingReturnTotal})
	if err != nil || res.Kind != wire.LendingScanReturned || res.Claim == nil || res.Claim.AmountCents != 2495-873 || res.Claim.State != "provisional" {
		t.Fatalf("return: got %+v, %v", res, err)
	}
	claims, err := sabine.LendingClaims(ctx, l.year.ID, "")
	if err != nil || len(claims) != 1 || claims[0].Reference != ref {
		t.Errorf("claims: got %+v, %v", claims, err)
	}
	cp, err := sabine.LendingCopy(ctx, maths[0])
	if err != nil || cp.Status != "damaged" || len(cp.History) != 1 || cp.History[0].Pupil != s.Pupil || cp.History[0].ReturnCondition != "total" {
		t.Errorf("the copy's history: got %+v, %v", cp, err)
	}
	_, err = tina.LendingCopy(ctx, maths[0])
	if e := lendingAPIError(t, err); e.Status != 403 {
		t.Errorf("a teacher reads the history: got %+v", e)
	}
	detail, err := sabine.LendingAccount(ctx, ref)
	if err != nil || detail.Account.PaidCents != 3323 || len(detail.Payments) != 1 || len(detail.Claims) != 1 || detail.Account.BalanceCents != 2495-873 {
		t.Errorf("Anna's account: got %+v, %v", detail, err)
	}

	// The documents download as PDF.
	for _, doc := range []struct {
		name, class string
		grade       int
		c           *serverapi.Client
	}{{"issue-list", "3a", 0, tina}, {"missing", "", 0, sabine}, {"claim-letters", "", 0, sabine}, {"payments", "", 0, sabine},
		{"book-list", "", 4, tina}, {"order-list", "", 0, coord}} {
		pdf, err := doc.c.LendingDocument(ctx, doc.name, l.year.ID, doc.class, doc.grade)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("%s: %v", doc.name, err)
		}
	}
	labels, err := coord.LendingLabels(ctx, wire.LendingLabelsInput{Sheet: "3474", Start: 3, Count: 5})
	if err != nil || !bytes.HasPrefix(labels, []byte("%PDF-")) {
		t.Errorf("labels: %v", err)
	}
	_, err = sabine.LendingDocument(ctx, "order-list", l.year.ID, "", 0)
	if e := lendingAPIError(t, err); e.Status != 403 {
		t.Errorf("the secretary's order list: got %+v", e)
	}
	orders, err := coord.LendingOrders(ctx, l.year.ID)
	if err != nil || len(orders.Rows) != 3 {
		t.Errorf("orders: got %+v, %v", orders, err)
	}
	accounts, err := sabine.LendingAccounts(ctx, l.year.ID)
	if err != nil || len(accounts.Accounts) != 2 || accounts.PaidCents != 3323 {
		t.Errorf("treasury: got %+v, %v", accounts, err)
	}

	// Switched off, the module is gone for everyone, the page too.
	adm := s.as(s.Admin)
	if _, err := adm.SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleLending, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err = sabine.LendingScan(ctx, wire.LendingScan{Code: panel.Card})
	wantCode(t, err, wire.CodeNotFound, "scan with the module off")
	if status, code := s.raw("", "GET", "/buecher/", nil); status != http.StatusNotFound || code != pageAnswer {
		t.Errorf("the parents' page with the module off: got %d %s, want 404 as a page", status, code)
	}
}

// Errors answer in the API's one shape with the lending's German texts.
func TestLendingErrors(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	l := s.lendingSetup(adm)
	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
		field  string
	}{
		{"year with a bad IBAN", func() error {
			in := lendingYearInput("2099/00")
			in.IBAN = "DE00 1234"
			_, err := adm.LendingCreateYear(ctx, in)
			return err
		}, 400, wire.CodeInvalid, "iban"},
		{"year name taken", func() error { _, err := adm.LendingCreateYear(ctx, lendingYearInput("Lehrjahr")); return err }, 409, wire.CodeConflict, "name"},
		{"rate outside the band", func() error {
			in := lendingYearInput("2099/01")
			in.RatePct = 45
			_, err := adm.LendingCreateYear(ctx, in)
			return err
		}, 400, wire.CodeInvalid, "rate_pct"},
		{"fee outside the band", func() error {
			f := int64(2000)
			_, err := adm.LendingSetFee(ctx, l.year.ID, l.maths.ID, &f)
			return err
		}, 400, wire.CodeInvalid, "fee_cents"},
		{"unknown copy", func() error { _, err := adm.LendingCopy(ctx, "0999999"); return err }, 404, wire.CodeNotFound, "code"},
		{"title with copies deleted", func() error { return adm.LendingDeleteTitle(ctx, l.maths.ID) }, 409, wire.CodeConflict, ""},
		{"unknown mode", func() error { _, err := adm.LendingScan(ctx, wire.LendingScan{Code: "1", Mode: "jump"}); return err }, 400, wire.CodeInvalid, "mode"},
		{"unknown choice", func() error {
			_, err := adm.LendingRegisterPupil(ctx, s.Pupil, wire.LendingRegistrationInput{Choices: []wire.LendingChoice{{Title: 1, Choice: "steal"}}})
			return err
		}, 400, wire.CodeInvalid, "choices"},
		{"pupil unknown", func() error { _, err := adm.LendingPupil(ctx, "niemand", 0); return err }, 404, wire.CodeNotFound, "pupil"},
		{"bank export without header", func() error { _, err := adm.LendingImport(ctx, []byte("a;b\n1;2\n"), true); return err }, 400, wire.CodeInvalid, "file"},
		{"labels on an unknown sheet", func() error {
			_, err := adm.LendingLabels(ctx, wire.LendingLabelsInput{Sheet: "L7160", Count: 1})
			return err
		}, 400, wire.CodeInvalid, "sheet"},
		{"pupil's own state for staff", func() error { _, err := adm.LendingOwn(ctx); return err }, 403, wire.CodeForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := lendingAPIError(t, tt.call())
			if e.Status != tt.status || e.Code != tt.code || e.Message == "" || !strings.HasSuffix(e.Message, ".") {
				t.Errorf("got %+v, want %d %s with a German sentence", e, tt.status, tt.code)
			}
			if tt.field != "" && !slices.Equal(e.Fields, []string{tt.field}) {
				t.Errorf("got fields %v, want [%s]", e.Fields, tt.field)
			}
			for _, bad := range internals {
				if strings.Contains(e.Message, bad) {
					t.Errorf("the message %q contains %q", e.Message, bad)
				}
			}
		})
	}
}

// BenchmarkLendingScanHTTPS times scans through the real server: HTTPS
// on loopback, the session check, JSON both ways — what the kiosk
// waits for between the scanner's Enter and the screen's colour — in a
// school of 1,000 pupils and 10,000 copies.
func BenchmarkLendingScanHTTPS(b *testing.B) {
	s := newSchool(b)
	f, err := lending.BuildFixture(ctx, s.DB, s.Rig.Dir, 1000, 10000)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Rig.Dir.ChangePassword(ctx, testrig.Admin, f.Secretary.Login, staffPW); err != nil {
		b.Fatal(err)
	}
	c := s.anon()
	if _, err := c.Login(ctx, f.Secretary.Login, staffPW, "Ausleihe"); err != nil {
		b.Fatal(err)
	}
	type turn struct{ login, code, card string }
	var turns []turn
	for _, p := range f.Plans {
		for _, code := range p.Copies {
			turns = append(turns, turn{p.Login, code, p.Card})
		}
	}
	times := make([]time.Duration, 0, 3*b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tn := turns[i%len(turns)]
		for _, req := range []wire.LendingScan{{Code: tn.card}, {Code: tn.code, Pupil: tn.login, Confirm: true}, {Code: tn.code, Mode: wire.LendingModeReturn}} {
			req.Year = f.Year.ID
			t0 := time.Now()
			res, err := c.LendingScan(ctx, req)
			times = append(times, time.Since(t0))
			if err != nil || res.Kind == wire.LendingScanRefused {
				b.Fatalf("scan %+v: %v %s", req, err, res.Message)
			}
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(lending.Percentile(times, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lending.Percentile(times, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(times))/float64(b.N), "scans/op")
}
