package ui

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// openLendingAdmin logs login in and opens the coordinator's screen.
func openLendingAdmin(t *testing.T, w *world, u *UI, login string) *LendingAdminScreen {
	t.Helper()
	w.loggedIn(u, login)
	u.showLendingAdmin()
	u.Wait()
	s, ok := u.screen(laKey).(*LendingAdminScreen)
	if !ok {
		t.Fatalf("no coordinator's screen for %s:\n%s", login, texts(u))
	}
	return s
}

func TestLendingAdminParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"24,95", 2495, true}, {"24.95", 2495, true}, {"24,95 €", 2495, true}, {"9", 900, true},
		{"1.234,50", 123450, true}, {"0,5", 50, true}, {"-3,00", -300, true},
		{"", 0, false}, {"abc", 0, false}, {"1,234", 0, false}, {"1.2.3", 0, false},
	} {
		got, err := parseEuro(c.in)
		if ok := err == nil; got != c.want || ok != c.ok {
			t.Errorf("parseEuro(%q): got %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if got := euro(2495); got != "24,95 €" {
		t.Errorf("euro: got %q", got)
	}
	if got, ok := laNumbers("101-103, 110"); !ok || len(got) != 4 || got[3] != 110 {
		t.Errorf("laNumbers: got %v %v", got, ok)
	}
}

// The year under way is preselected; a wrong IBAN is refused at its
// field and the form keeps the input; a new year is created from the
// template.
func TestLendingAdminYear(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	if s.YearPick.Selected != seed.Year.Name || s.Year.Name.Text != seed.Year.Name {
		t.Fatalf("year preselected: got %q / %q, want %q", s.YearPick.Selected, s.Year.Name.Text, seed.Year.Name)
	}
	if want := shownDate(seed.Year.PaymentDue); s.Year.PaymentDue.Text != want {
		t.Errorf("payment due shown: got %q, want %q", s.Year.PaymentDue.Text, want)
	}
	s.Year.IBAN.SetText("DE89 3704 0044 0532 0130 01")
	s.Year.Rate.SetText("36,5")
	test.Tap(s.Year.Save)
	u.Wait()
	if !strings.Contains(s.Year.Hints["iban"].Text, "IBAN stimmt nicht") || !strings.Contains(s.Year.Message.Text, "IBAN stimmt nicht") {
		t.Errorf("IBAN refusal: field %q, message %q", s.Year.Hints["iban"].Text, s.Year.Message.Text)
	}
	if s.Year.Rate.Text != "36,5" {
		t.Errorf("the form lost the input: rate %q", s.Year.Rate.Text)
	}
	s.Year.IBAN.SetText("DE89 3704 0044 0532 0130 00")
	test.Tap(s.Year.Save)
	u.Wait()
	ys, err := w.apiAs(w.Admin).LendingYears(ctx)
	if err != nil || ys.Years[0].RatePct != 36.5 {
		t.Fatalf("rate after save: %+v, %v (message %q)", ys.Years, err, s.Year.Message.Text)
	}

	test.Tap(s.Year.New)
	if s.Year.Editing != 0 || s.Year.Rate.Text != "35" {
		t.Fatalf("new year form: editing %d, rate %q", s.Year.Editing, s.Year.Rate.Text)
	}
	next := seed.Year.StartYear() + 1
	d := func(day string, y int) string { return day + "." + strconv.Itoa(y) }
	s.Year.Name.SetText(strconv.Itoa(next) + "/" + strconv.Itoa((next+1)%100))
	for _, f := range []struct {
		e interface{ SetText(string) }
		v string
	}{
		{s.Year.StartsOn, d("06.08", next)}, {s.Year.SecondHalfOn, d("01.02", next+1)}, {s.Year.EndsOn, d("31.07", next+1)},
		{s.Year.RegistrationFrom, d("01.03", next)}, {s.Year.RegistrationUntil, d("15.06", next)},
		{s.Year.PaymentDue, d("15.07", next)}, {s.Year.ReturnDue, d("01.07", next+1)},
	} {
		f.e.SetText(f.v)
	}
	s.Year.IBAN.SetText("DE89 3704 0044 0532 0130 00")
	test.Tap(s.Year.Save)
	u.Wait()
	if s.YearPick.Selected != s.Year.Name.Text || s.Year.Editing == 0 || !strings.Contains(s.Year.Message.Text, "angelegt") {
		t.Errorf("new year: picked %q, editing %d, message %q", s.YearPick.Selected, s.Year.Editing, s.Year.Message.Text)
	}
}

// A wrong ISBN check digit is refused at the field with the server's
// German message; fixed, the title is listed. A title with copies cannot
// be deleted.
func TestLendingAdminTitles(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	if len(s.Titles.Rows) != len(seed.Titles) {
		t.Fatalf("titles listed: got %d, want %d", len(s.Titles.Rows), len(seed.Titles))
	}
	s.Tabs.Select(s.TitlesItem)
	tt := s.Titles
	test.Tap(tt.New)
	test.Type(tt.ISBN, "978-3-12-345678-0") // the right check digit is 7
	test.Type(tt.Title, "Rechenprofi 3")
	test.Type(tt.Publisher, "Schulbuchhaus")
	test.Type(tt.Subject, "Mathematik")
	test.Type(tt.Grades, "3")
	test.Type(tt.Price, "19.95")
	test.Tap(tt.Save)
	u.Wait()
	if !strings.Contains(tt.Hints["isbn"].Text, "falsche Prüfziffer") || !strings.Contains(tt.Message.Text, "falsche Prüfziffer") {
		t.Fatalf("ISBN refusal: field %q, message %q", tt.Hints["isbn"].Text, tt.Message.Text)
	}
	if tt.Title.Text != "Rechenprofi 3" || tt.Price.Text != "19.95" {
		t.Errorf("the form lost the input: %q %q", tt.Title.Text, tt.Price.Text)
	}
	tt.ISBN.SetText("978-3-12-345678-7")
	test.Tap(tt.Save)
	u.Wait()
	if tt.Hints["isbn"].Visible() {
		t.Errorf("the ISBN hint stayed: %q", tt.Hints["isbn"].Text)
	}
	var row *LendingTitleRow
	for _, r := range tt.Rows {
		if r.Open.Text == "Rechenprofi 3" {
			row = r
		}
	}
	if row == nil || !strings.Contains(row.Info.Text, "19,95 €") || !strings.Contains(row.Info.Text, "9783123456787") {
		t.Fatalf("new title not listed: %v\n%s", row, texts(u))
	}
	// the book lists offer it for grade 3
	s.Lists.Grade.SetSelected(laGradeName(3))
	if !strings.Contains(strings.Join(s.Lists.Add.Options, "\n"), "Rechenprofi 3") {
		t.Errorf("grade 3's list does not offer the new title: %v", s.Lists.Add.Options)
	}
	// a title with copies stays
	tt.Search.SetText("Zahlenreise 3")
	test.Tap(tt.Find)
	u.Wait()
	var maths *LendingTitleRow
	for _, r := range tt.Rows {
		if r.Title.ID == seed.Maths3.ID {
			maths = r
		}
	}
	if maths == nil {
		t.Fatalf("search: %d rows", len(tt.Rows))
	}
	test.Tap(maths.Open)
	test.Tap(tt.Delete)
	test.Tap(tt.Confirm.Yes)
	u.Wait()
	if tt.Message.Text == "" || tt.Message.Importance != widget.DangerImportance || tt.Editing != seed.Maths3.ID {
		t.Errorf("delete of a title in use: message %q, editing %d", tt.Message.Text, tt.Editing)
	}
	if _, err := w.apiAs(w.Admin).LendingTitle(ctx, seed.Maths3.ID); err != nil {
		t.Errorf("the title in use was deleted: %v", err)
	}
}

// A fee outside the band is refused at its row (the typed amount stays);
// inside, it is shown; "Regel" goes back to the default.
func TestLendingAdminFees(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	s.Tabs.Select(s.FeesItem)
	u.Wait()
	var r *LendingFeeRow
	for _, row := range s.Fees.Rows {
		if row.Fee.Title.ID == seed.Maths3.ID {
			r = row
		}
	}
	if r == nil {
		t.Fatalf("no fee row for %s", seed.Maths3.Title)
	}
	for _, row := range s.Fees.Rows {
		if row.Fee.Title.Consumable {
			t.Errorf("a workbook has a fee row: %s", row.Fee.Title.Title)
		}
	}
	// 24,95 €: the band 33-40 % is 8,23 € to 9,98 €
	r.Amount.SetText("15,00")
	test.Tap(r.Save)
	u.Wait()
	if !strings.Contains(r.Message.Text, "Das Leihentgelt muss zwischen") || r.Amount.Text != "15,00" {
		t.Fatalf("fee outside the band: message %q, amount %q", r.Message.Text, r.Amount.Text)
	}
	r.Amount.SetText("9.50")
	test.Tap(r.Save)
	u.Wait()
	if r.Amount.Text != "9,50" || !strings.Contains(r.Info.Text, "abweichend") || !r.Reset.Visible() {
		t.Fatalf("fee inside the band: amount %q, info %q, message %q", r.Amount.Text, r.Info.Text, r.Message.Text)
	}
	fees, err := w.apiAs(w.Admin).LendingFees(ctx, seed.Year.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fees.Fees {
		if f.Title.ID == seed.Maths3.ID && (f.FeeCents != 950 || !f.Override) {
			t.Errorf("fee on the server: %+v", f)
		}
	}
	test.Tap(r.Reset)
	u.Wait()
	if r.Fee.Override || r.Amount.Text != euroPlain(r.Fee.DefaultCents) {
		t.Errorf("reset: %+v, amount %q", r.Fee, r.Amount.Text)
	}
}

// Grade 3's list is made anew (order, add, remove) and published.
func TestLendingAdminBookList(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	admin := w.apiAs(w.Admin)
	if _, err := admin.LendingPutList(ctx, seed.Year.ID, 3, []int64{}, false); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	s.Tabs.Select(s.ListsItem)
	u.Wait()
	l := s.Lists
	l.Grade.SetSelected(laGradeName(3))
	if len(l.Rows) != 0 || l.Published.Checked {
		t.Fatalf("grade 3 should start empty and unpublished: %d rows", len(l.Rows))
	}
	for _, ti := range []wire.LendingTitle{{ID: seed.Maths3.ID}, {ID: seed.Reading3.ID}, {ID: seed.Workbook3.ID}, {ID: seed.Language3.ID}} {
		full := laTitleByID(s.AllTitle, ti.ID)
		if full == nil {
			t.Fatalf("title %d not offered", ti.ID)
		}
		l.Add.SetSelected(laTitleName(*full))
		test.Tap(l.AddButton)
	}
	if strings.Contains(strings.Join(l.Add.Options, "\n"), seed.Maths4.Title) {
		t.Errorf("grade 4's title offered for grade 3: %v", l.Add.Options)
	}
	test.Tap(l.Rows[3].Up)   // Sprachinsel before the workbook
	test.Tap(l.Rows[1].Drop) // without the reading book
	test.Tap(l.Published)
	test.Tap(l.Save)
	u.Wait()
	if !strings.Contains(l.Message.Text, "veröffentlicht") {
		t.Fatalf("save: %q", l.Message.Text)
	}
	lists, err := admin.LendingLists(ctx, seed.Year.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	published := false
	for _, li := range lists.Lists {
		if li.Grade == 3 {
			published = li.Published
			for _, lt := range li.Titles {
				got = append(got, lt.Title.ID)
			}
		}
	}
	want := []int64{seed.Maths3.ID, seed.Language3.ID, seed.Workbook3.ID}
	if !published || len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("grade 3 on the server: published %v, titles %v, want %v", published, got, want)
	}
}

// Five new copies are listed with 7-digit codes; a copy's history shows
// the seed's loan; a copy is sorted out.
func TestLendingAdminCopies(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	s.Tabs.Select(s.CopiesItem)
	c := s.Copies
	c.choose(seed.Maths4.ID)
	u.Wait()
	before := len(c.Rows)
	if before != len(seed.Copies[seed.Maths4.ID]) {
		t.Fatalf("copies of %s: got %d rows, want %d", seed.Maths4.Title, before, len(seed.Copies[seed.Maths4.ID]))
	}
	test.Type(c.Count, "5")
	test.Tap(c.Add)
	u.Wait()
	if len(c.Added) != 5 || len(c.Rows) != before+5 {
		t.Fatalf("added %d, rows %d (message %q)", len(c.Added), len(c.Rows), c.AddMessage.Text)
	}
	code7 := regexp.MustCompile(`^\d{7}$`)
	for _, a := range c.Added {
		found := false
		for _, r := range c.Rows {
			if r.Code.Text == a.Code {
				found = true
			}
		}
		if !code7.MatchString(a.Code) || !found {
			t.Errorf("new copy %q: 7 digits %v, listed %v", a.Code, code7.MatchString(a.Code), found)
		}
	}
	if !strings.Contains(c.AddMessage.Text, c.Added[0].Code) || !c.PrintNew.Visible() {
		t.Errorf("added message %q", c.AddMessage.Text)
	}
	// "Etiketten dafür drucken" prepares the reprint of their range
	test.Tap(c.PrintNew)
	if s.Tabs.Selected() != s.PrintItem || s.Print.From.Text != strconv.FormatInt(c.Added[0].Number, 10) {
		t.Errorf("print of the new copies: from %q", s.Print.From.Text)
	}

	// Anna's maths book: its history
	s.Tabs.Select(s.CopiesItem)
	c.Code.SetText(seed.AnnaMaths)
	test.Tap(c.Show)
	u.Wait()
	if c.Detail == nil || len(c.Detail.History) != 1 || !strings.Contains(c.Detail.History[0].Text, "Anna Schmidt") ||
		!strings.Contains(c.Detail.History[0].Text, "noch ausgeliehen") {
		t.Fatalf("history of %s: %+v\n%s", seed.AnnaMaths, c.Detail, texts(u))
	}
	if !c.Detail.Status.Disabled() {
		t.Error("the status of a lent copy can be changed")
	}
	// sort out a copy in stock
	free := seed.Free[seed.Maths3.ID][0]
	c.Code.SetText(free)
	test.Tap(c.Show)
	u.Wait()
	c.Detail.Status.SetSelected(laStateName("retired"))
	test.Tap(c.Detail.Save)
	u.Wait()
	got, err := w.apiAs(w.Admin).LendingCopy(ctx, free)
	if err != nil || got.Status != "retired" || c.Detail.Copy.Status != "retired" {
		t.Errorf("sorted out: %+v, %v (message %q)", got.Status, err, c.Detail.Message.Text)
	}
}

// labelsRecorder passes every call to the real server and keeps what
// the labels were asked with.
type labelsRecorder struct {
	Client
	mu  sync.Mutex
	got []wire.LendingLabelsInput
}

func (r *labelsRecorder) LendingLabels(ctx context.Context, in wire.LendingLabelsInput) ([]byte, error) {
	r.mu.Lock()
	r.got = append(r.got, in)
	r.mu.Unlock()
	return r.Client.LendingLabels(ctx, in)
}

// Labels from position 5 on L4736REV arrive as a PDF at the opener.
func TestLendingAdminLabels(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	rec := &labelsRecorder{Client: w.client()}
	u := w.newUIWith(rec, config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	s.Tabs.Select(s.PrintItem)
	p := s.Print
	if p.Sheet.Selected != laSheetName(laSheetSmall) {
		t.Errorf("sheet preselected: %q", p.Sheet.Selected)
	}
	p.Start.SetText("5")
	p.What.SetSelected(T("lending_admin.print.what_new"))
	p.Count.SetText("10")
	test.Tap(p.Labels)
	u.Wait()
	opened := w.opened.list()
	if len(opened) != 1 {
		t.Fatalf("opened %v; message %q", opened, p.LabelsMessage.Text)
	}
	data, err := os.ReadFile(opened[0])
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Fatalf("not a PDF: %v %q", err, data[:min(len(data), 10)])
	}
	if len(rec.got) != 1 || rec.got[0].Start != 5 || rec.got[0].Sheet != "L4736REV" || rec.got[0].Count != 10 {
		t.Errorf("labels asked with %+v", rec.got)
	}
	// a start position off the sheet: the server's refusal at the field
	p.Start.SetText("49")
	test.Tap(p.Labels)
	u.Wait()
	if !strings.Contains(p.LabelHints["start"].Text, "Startposition") || len(w.opened.list()) != 1 {
		t.Errorf("start 49: hint %q, opened %v", p.LabelHints["start"].Text, w.opened.list())
	}
	// a document of the year
	test.Tap(p.Payments)
	u.Wait()
	if len(w.opened.list()) != 2 {
		t.Errorf("payments list not opened: %q", p.DocsMessage.Text)
	}
}

// The order list shows per title needed minus what can go out.
func TestLendingAdminOrders(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	admin := w.apiAs(w.Admin)
	lost := "lost"
	for _, code := range seed.Free[seed.Reading3.ID][:5] { // one of six left for Anna and Ben
		if _, err := admin.LendingUpdateCopy(ctx, code, wire.LendingCopyChange{Status: &lost}); err != nil {
			t.Fatal(err)
		}
	}
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	s.Tabs.Select(s.OrdersItem)
	u.Wait()
	if len(s.Orders.Rows) == 0 {
		t.Fatalf("no order rows: %q", s.Orders.Message.Text)
	}
	var reading *LendingOrderRow
	for _, r := range s.Orders.Rows {
		n, _ := strconv.Atoi(r.Needed.Text)
		a, _ := strconv.Atoi(r.Available.Text)
		o, _ := strconv.Atoi(r.Order.Text)
		if o != max(0, n-a) {
			t.Errorf("%s: needed %d, available %d, order %d", r.Title.Text, n, a, o)
		}
		if r.Row.Title.ID == seed.Reading3.ID {
			reading = r
		}
	}
	if reading == nil || reading.Needed.Text != "2" || reading.Available.Text != "1" || reading.Order.Text != "1" {
		t.Errorf("reading book's row: %+v", reading)
	}
}

// Only the coordinator gets in: a teacher without the right sees no
// "Verwaltung" on the lending screen and is refused; with the right
// "lending" (granted through the admin API) the teacher gets in.
func TestLendingAdminAccess(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	tool := func(u *UI) *widget.Button {
		t.Helper()
		u.showLending()
		u.Wait()
		k, ok := u.screen(lendingKey).(*KioskScreen)
		if !ok {
			t.Fatalf("no lending screen:\n%s", texts(u))
		}
		return k.Tools[laKey]
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	if tool(u) != nil {
		t.Error("a teacher without the right sees the entry")
	}
	u.showLendingAdmin()
	u.Wait()
	if u.screen(laKey) != nil {
		t.Error("a teacher without the right got in")
	}
	u.Logout("")
	u.Wait()

	if _, err := w.apiAs(w.Admin).SetRight(ctx, w.Teacher, "lending", true); err != nil {
		t.Fatal(err)
	}
	u2 := w.newUI(config.ModeStaff)
	w.loggedIn(u2, w.Teacher)
	b := tool(u2)
	if b == nil || b.Text != "Verwaltung" {
		t.Fatalf("the coordinator sees no entry: %v", b)
	}
	test.Tap(b)
	u2.Wait()
	s, ok := u2.screen(laKey).(*LendingAdminScreen)
	if !ok || len(s.Titles.Rows) == 0 || s.YearID == 0 {
		t.Fatalf("the coordinator did not get in:\n%s", texts(u2))
	}
}
