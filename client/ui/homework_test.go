package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The homework screens get their API by a type assertion on the UI's
// client; the API client must keep satisfying it.
var _ HomeworkAPI = (*serverapi.Client)(nil)

// hwOpen taps the homework tile and waits for the list.
func hwOpen(t *testing.T, u *UI) *HomeworkScreen {
	t.Helper()
	if u.Home == nil || u.Home.Tiles[wire.ModuleHomework] == nil {
		t.Fatal("no homework tile on the home screen")
	}
	test.Tap(u.Home.Tiles[wire.ModuleHomework])
	u.Wait()
	s, ok := u.screen(hwKey).(*HomeworkScreen)
	if !ok {
		t.Fatal("the homework tile opened no homework screen")
	}
	if s.Message.Visible() && s.Message.Importance == widget.DangerImportance {
		t.Fatalf("homework list: %q", s.Message.Text)
	}
	return s
}

// hwRow is the list's row of a homework; the test fails without one.
func hwRow(t *testing.T, s *HomeworkScreen, title string) *HomeworkRow {
	t.Helper()
	var titles []string
	for _, r := range s.Rows {
		if r.Title.Text == title {
			return r
		}
		titles = append(titles, r.Title.Text)
	}
	t.Fatalf("no homework %q in the list %q", title, titles)
	return nil
}

// hwDates asks the server for today's start and the earliest due date.
func hwDates(t *testing.T, c *serverapi.Client) (start, earliest time.Time) {
	t.Helper()
	dd, err := c.HomeworkDueDates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	start, ok1 := calParseDay(dd.Start)
	earliest, ok2 := calParseDay(dd.EarliestDue)
	if !ok1 || !ok2 || dd.MinSchoolDays != 2 {
		t.Fatalf("due dates: %+v", dd)
	}
	return start, earliest
}

// hwRetype replaces an entry's text key by key, waiting for what each
// key starts (the editor asks for the earliest due date as the start is
// typed).
func hwRetype(u *UI, e *widget.Entry, text string) {
	e.SetText("")
	u.Wait()
	typeKeys(u, e, text)
}

// hwRowOf is the hand-ins table's row of a pupil.
func hwRowOf(t *testing.T, v *HomeworkHandinsView, name string) *HandinRow {
	t.Helper()
	for _, r := range v.Rows {
		if r.Work.Name == name {
			return r
		}
	}
	t.Fatalf("no row for %s in the hand-ins", name)
	return nil
}

// hwCellText is what a cell says, or "(none)".
func hwCellText(c *OverviewCell) string {
	if c == nil {
		return "(none)"
	}
	return c.Text
}

// hwGermanDate is the server's way of writing a date ("Dienstag, 01.12.2026").
func hwGermanDate(d time.Time) string {
	days := []string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	return days[d.Weekday()] + ", " + d.Format("02.01.2006")
}

func TestHomeworkSetHandedInAndFeedback(t *testing.T) {
	w := newWorld(t)
	sheet, sheetData := tempFile(t, "Arbeitsblatt.pdf", 20_000)
	answer, answerData := tempFile(t, "Rechnung.png", 50_000)
	start, earliest := hwDates(t, w.apiAs(w.Teacher))

	// The teacher sets the homework for 3a through the screens.
	tu := w.newUI(config.ModeStaff)
	tu.opts.PickFile = func(done func(string)) { done(sheet) }
	w.loggedIn(tu, w.Teacher)
	ts := hwOpen(t, tu)
	if !ts.Teaching || len(ts.Rows) != 0 || !ts.Empty.Visible() {
		t.Fatalf("the teacher's first list: teaching %v, %d rows", ts.Teaching, len(ts.Rows))
	}
	test.Tap(ts.New)
	tu.Wait()
	e := ts.Editor
	if e == nil {
		t.Fatal("no editor after Neue Hausaufgabe")
	}
	if e.Group.Selected != "Klasse 3a" {
		t.Errorf("the class teacher's only class is not chosen: %q of %v", e.Group.Selected, e.Group.Options)
	}
	if e.Start.Text != calShortDate(start) || e.Due.Text != calShortDate(earliest) {
		t.Errorf("editor dates: start %q, due %q; want today %s and the earliest due date %s",
			e.Start.Text, e.Due.Text, calShortDate(start), calShortDate(earliest))
	}
	if !strings.Contains(e.Earliest.Text, "Frühester Abgabetermin: "+calLongDate(earliest)) || !strings.Contains(e.Earliest.Text, "2 Schultage") {
		t.Errorf("earliest due date line: %q", e.Earliest.Text)
	}
	test.Type(e.Title, "Rechnen bis 100")
	test.Type(e.Text, "Buch Seite 12, Aufgaben 1 bis 4")
	test.Tap(e.AddFile)
	tu.Wait()
	if len(e.Files) != 1 {
		t.Fatalf("worksheets chosen: %v; message %q", e.Files, e.Message.Text)
	}
	test.Tap(e.Save)
	tu.Wait()
	v := ts.Handins
	if v == nil {
		t.Fatalf("not set: %q", e.Message.Text)
	}
	if v.Homework.Title != "Rechnen bis 100" || v.Homework.Group != "3a" || len(v.Sheets) != 1 || !strings.Contains(v.Message.Text, "gestellt") {
		t.Errorf("the homework's page: %+v, %d worksheets, message %q", v.Homework, len(v.Sheets), v.Message.Text)
	}
	if len(v.Rows) != 2 || hwRowOf(t, v, "Anna Schmidt").Badge.Text != "Neu" {
		t.Errorf("the class table: %d rows, want Anna and Ben, both Neu", len(v.Rows))
	}

	// Anna sees it as new, with the server's sentence.
	pu := w.newUI(config.ModeStaff)
	pu.opts.PickFile = func(done func(string)) { done(answer) }
	w.loggedIn(pu, w.Pupil)
	if got := pu.Home.Badge[wire.ModuleHomework].Text; got != "1 neu" {
		t.Errorf("badge on the homework tile: got %q, want %q", got, "1 neu")
	}
	list, err := w.apiAs(w.Pupil).HomeworkList(ctx, serverapi.HomeworkQuery{})
	if err != nil || len(list) != 1 || list[0].Work == nil {
		t.Fatalf("the pupil's list from the API: %+v, %v", list, err)
	}
	hint := list[0].Work.Hint
	if !strings.HasPrefix(hint, "Fällig bis "+hwGermanDate(earliest)) {
		t.Fatalf("the server's hint %q; want it to name the due day %s", hint, hwGermanDate(earliest))
	}
	ps := hwOpen(t, pu)
	if ps.Teaching || ps.New.Visible() || ps.Overview.Visible() {
		t.Error("a pupil's list offers to set homework")
	}
	r := hwRow(t, ps, "Rechnen bis 100")
	if r.Badge.Text != "Neu" || r.Badge.State != wire.HomeworkNew || !strings.Contains(r.Info.Text, hint) || r.Late.Visible() {
		t.Errorf("the pupil's row: badge %q, info %q; want Neu and %q", r.Badge.Text, r.Info.Text, hint)
	}
	test.Tap(r.Open)
	pu.Wait()
	wv := ps.Work
	if wv == nil {
		t.Fatalf("the homework did not open: %q", ps.Message.Text)
	}
	if wv.Badge.Text != "Neu" || wv.Hint.Text != hint || wv.Text.Text != "Buch Seite 12, Aufgaben 1 bis 4" || !wv.MarkStarted.Visible() {
		t.Errorf("the pupil's homework: badge %q, hint %q, text %q", wv.Badge.Text, wv.Hint.Text, wv.Text.Text)
	}
	if !strings.Contains(wv.Due.Text, hwGermanDate(earliest)) {
		t.Errorf("due line %q", wv.Due.Text)
	}
	if len(wv.Sheets) != 1 {
		t.Fatalf("worksheets shown to the pupil: %d", len(wv.Sheets))
	}
	test.Tap(wv.Sheets[0])
	pu.Wait()
	if got, err := os.ReadFile(wv.Saved); err != nil || !bytes.Equal(got, sheetData) || filepath.Base(wv.Saved) != "Arbeitsblatt.pdf" {
		t.Errorf("the worksheet saved as %q (%v); message %q", wv.Saved, err, wv.Message.Text)
	}

	// She marks it started, hands in a text and a file.
	test.Tap(wv.MarkStarted)
	pu.Wait()
	if wv.Badge.Text != "Begonnen" || wv.MarkStarted.Visible() || !wv.MarkNew.Visible() {
		t.Errorf("after 'Ich habe angefangen': badge %q, message %q", wv.Badge.Text, wv.Message.Text)
	}
	test.Type(wv.Answer, "Ich habe alle Aufgaben gerechnet.")
	test.Tap(wv.SendText)
	pu.Wait()
	if wv.Badge.Text != "Erledigt" || !strings.HasPrefix(wv.Hint.Text, "Abgegeben am") || wv.SendText.Text != "Text ändern" {
		t.Errorf("after handing in the text: badge %q, hint %q, button %q, message %q", wv.Badge.Text, wv.Hint.Text, wv.SendText.Text, wv.Message.Text)
	}
	test.Tap(wv.AddFile)
	pu.Wait()
	if len(wv.Files) != 1 || !strings.Contains(wv.Files[0].Text, "Rechnung.png") || !strings.Contains(wv.Message.Text, "abgegeben") {
		t.Fatalf("after handing in a file: %d files, message %q", len(wv.Files), wv.Message.Text)
	}
	if wv.MarkDone.Visible() || wv.MarkNew.Visible() {
		t.Error("a handed-in homework offers to mark it again")
	}

	// The teacher sees the hand-in in the class overview and gives feedback.
	test.Tap(v.Back)
	tu.Wait()
	test.Tap(ts.Overview)
	tu.Wait()
	ov := ts.Classes
	if ov == nil || ov.Group.Selected != "Klasse 3a" || ov.Heading.Text != "Übersicht: Klasse 3a" {
		t.Fatalf("overview: %+v", ov)
	}
	anna := ov.Cell("Anna Schmidt", "Rechnen bis 100")
	ben := ov.Cell("Ben Becker", "Rechnen bis 100")
	if anna == nil || ben == nil {
		t.Fatalf("overview rows %d, columns %d", len(ov.Rows), len(ov.Columns))
	}
	if anna.Text != "Erledigt · abgegeben" || ben.Text != "Neu" {
		t.Errorf("overview cells: Anna %q, Ben %q; want %q, %q", anna.Text, ben.Text, "Erledigt · abgegeben", "Neu")
	}
	test.Tap(anna)
	tu.Wait()
	v = ts.Handins
	if v == nil || v.Pupil.Work.Login != w.Pupil {
		t.Fatal("tapping Anna's cell did not open her work")
	}
	p := v.Pupil
	if p.Text.Text != "Ich habe alle Aufgaben gerechnet." || len(p.Files) != 1 || p.Badge.Text != "Erledigt" {
		t.Errorf("Anna's work: text %q, %d files, badge %q", p.Text.Text, len(p.Files), p.Badge.Text)
	}
	row := hwRowOf(t, v, "Anna Schmidt")
	if row.HandedIn.Text != "Text und 1 Datei" || row.Late.Visible() || row.Feedback.Visible() {
		t.Errorf("Anna's row: %q, late %v, feedback %v", row.HandedIn.Text, row.Late.Visible(), row.Feedback.Visible())
	}
	test.Tap(p.Files[0])
	tu.Wait()
	if got, err := os.ReadFile(v.Saved); err != nil || !bytes.Equal(got, answerData) {
		t.Errorf("Anna's file saved as %q (%v); message %q", v.Saved, err, p.Message.Text)
	}
	test.Tap(p.Give)
	if !strings.Contains(p.Message.Text, "Schreib zuerst") {
		t.Errorf("empty feedback: %q", p.Message.Text)
	}
	test.Type(p.Feedback, "Super gemacht!")
	test.Tap(p.Give)
	tu.Wait()
	if !row.Feedback.Visible() || !p.TakeBack.Visible() || !strings.Contains(p.Message.Text, "Anna Schmidt hat die Rückmeldung") {
		t.Errorf("after the feedback: row mark %v, message %q", row.Feedback.Visible(), p.Message.Text)
	}
	test.Tap(v.Back)
	tu.Wait()
	test.Tap(ts.Overview)
	tu.Wait()
	if c := ts.Classes.Cell("Anna Schmidt", "Rechnen bis 100"); c == nil || c.Text != "Erledigt · abgegeben · Rückmeldung" {
		t.Errorf("Anna's cell after the feedback: %q", hwCellText(c))
	}

	// Anna sees the feedback, and Erledigt.
	pu.ShowHome()
	pu.Wait()
	if got := pu.Home.Badge[wire.ModuleHomework].Text; got != "" {
		t.Errorf("badge with nothing left to do: %q", got)
	}
	ps = hwOpen(t, pu)
	r = hwRow(t, ps, "Rechnen bis 100")
	if r.Badge.Text != "Erledigt" || !strings.Contains(r.Info.Text, "Es gibt eine Rückmeldung.") || !r.Feedback.Visible() {
		t.Errorf("the pupil's row after the feedback: %q, %q, feedback mark %v", r.Badge.Text, r.Info.Text, r.Feedback.Visible())
	}
	test.Tap(r.Open)
	pu.Wait()
	wv = ps.Work
	if wv.Feedback.Text != "Super gemacht!" || !wv.FeedbackBox.Visible() || !strings.Contains(wv.FeedbackBy.Text, "Tina Lehmann") {
		t.Errorf("feedback shown: %q (%v) by %q", wv.Feedback.Text, wv.FeedbackBox.Visible(), wv.FeedbackBy.Text)
	}
	if wv.Badge.Text != "Erledigt" || !wv.Locked.Visible() || wv.SendText.Visible() || wv.AddFile.Visible() || wv.RemoveFiles[0].Visible() || !wv.Answer.Disabled() {
		t.Error("the hand-in is not closed after the feedback")
	}
}

func TestHomeworkDateRefusals(t *testing.T) {
	w := newWorld(t)
	start, earliest := hwDates(t, w.apiAs(w.Teacher))
	saturday := earliest
	for saturday.Weekday() != time.Saturday {
		saturday = saturday.AddDate(0, 0, 1)
	}
	tests := []struct {
		name       string
		start, due time.Time
		want       []string
	}{
		{"due date too close", start, start, []string{
			"Die Bearbeitungszeit ist zu kurz: Zwischen Beginn und Abgabe müssen mindestens 2 Schultage liegen",
			"Der früheste Abgabetermin ist " + hwGermanDate(earliest) + "."}},
		{"start in the past", start.AddDate(0, 0, -1), earliest, []string{"Der Beginn liegt in der Vergangenheit."}},
		{"due on a Saturday", start, saturday, []string{"Am " + hwGermanDate(saturday) + " ist keine Schule."}},
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hwOpen(t, u)
			test.Tap(s.New)
			u.Wait()
			e := s.Editor
			test.Type(e.Title, "Lesen")
			if !tt.start.Equal(start) {
				hwRetype(u, e.Start, calShortDate(tt.start))
			}
			hwRetype(u, e.Due, calShortDate(tt.due))
			tooEarly := e.Earliest.Importance == widget.DangerImportance
			if want := tt.due.Before(earliest); tooEarly != want {
				t.Errorf("the earliest due date line warns %v (%q), want %v", tooEarly, e.Earliest.Text, want)
			}
			test.Tap(e.Save)
			u.Wait()
			if s.Editor != e || s.Handins != nil {
				t.Fatal("the editor closed after a refusal")
			}
			for _, want := range tt.want {
				if !strings.Contains(e.Message.Text, want) {
					t.Errorf("message %q; want the server's %q", e.Message.Text, want)
				}
			}
			if e.Message.Importance != widget.DangerImportance || e.Title.Text != "Lesen" {
				t.Error("the refusal is not shown as one, or the form lost its input")
			}
			test.Tap(e.Cancel)
		})
	}
	// The button takes the earliest allowed date, and that is accepted.
	s := hwOpen(t, u)
	test.Tap(s.New)
	u.Wait()
	e := s.Editor
	test.Type(e.Title, "Lesen")
	hwRetype(u, e.Due, calShortDate(start))
	test.Tap(e.UseEarliest)
	if e.Due.Text != calShortDate(earliest) || e.Earliest.Importance == widget.DangerImportance {
		t.Errorf("after 'Diesen Termin nehmen': due %q, warning %v", e.Due.Text, e.Earliest.Importance == widget.DangerImportance)
	}
	test.Tap(e.Save)
	u.Wait()
	if s.Handins == nil || s.Handins.Homework.Due != earliest.Format(calDateLayout) {
		t.Fatalf("not saved with the earliest due date: %q", e.Message.Text)
	}
}

// hwCountingClient counts the uploads the UI starts.
type hwCountingClient struct {
	*serverapi.Client
	uploads atomic.Int32
}

func (c *hwCountingClient) HandInFile(ctx context.Context, id int64, name string, r io.Reader, size int64) (wire.HomeworkFile, error) {
	c.uploads.Add(1)
	return c.Client.HandInFile(ctx, id, name, r, size)
}

func (c *hwCountingClient) AddHomeworkFile(ctx context.Context, id int64, name string, r io.Reader, size int64) (wire.HomeworkFile, error) {
	c.uploads.Add(1)
	return c.Client.AddHomeworkFile(ctx, id, name, r, size)
}

// hwHugeFile is a sparse file of 25 MB on paper.
func hwHugeFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(25 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestHomeworkHandInTooLarge(t *testing.T) {
	w := newWorld(t)
	huge := hwHugeFile(t, "Tafelbild.mov")
	teacher := w.apiAs(w.Teacher)
	start, earliest := hwDates(t, teacher)
	h, err := teacher.SetHomework(ctx, wire.HomeworkInput{Group: "3a", Title: "Malen", Text: "Male dein Haus.",
		Start: start.Format(calDateLayout), Due: earliest.Format(calDateLayout)})
	if err != nil {
		t.Fatal(err)
	}

	api := &hwCountingClient{Client: w.client()}
	u := w.newUIWith(api, config.ModeStaff)
	u.opts.PickFile = func(done func(string)) { done(huge) }
	w.loggedIn(u, w.Pupil)
	s := hwOpen(t, u)
	test.Tap(hwRow(t, s, "Malen").Open)
	u.Wait()
	v := s.Work
	if v == nil {
		t.Fatal("the homework did not open")
	}
	test.Tap(v.AddFile)
	u.Wait()
	for _, want := range []string{"Tafelbild.mov", "zu groß", "25 MB", "höchstens 20 MB", "nicht hochgeladen"} {
		if !strings.Contains(v.Message.Text, want) {
			t.Errorf("message for a 25 MB file: %q; want it to contain %q", v.Message.Text, want)
		}
	}
	if !v.Message.Visible() || v.Message.Importance != widget.DangerImportance {
		t.Error("the refusal is not shown as one")
	}
	if api.uploads.Load() != 0 || len(v.Files) != 0 || v.Badge.Text != "Neu" {
		t.Errorf("a 25 MB file went up: %d upload calls, %d files, badge %q", api.uploads.Load(), len(v.Files), v.Badge.Text)
	}
	got, err := w.apiAs(w.Pupil).Homework(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Work != nil && (got.Work.HandedIn || len(got.Work.Files) != 0) {
		t.Errorf("the server has a hand-in: %+v", got.Work)
	}
	if v.AddFile.Disabled() {
		t.Error("after the refusal the pupil cannot choose another file")
	}

	// A teacher's worksheet of 25 MB is refused the same way.
	tu := w.newUIWith(api, config.ModeStaff)
	tu.opts.PickFile = func(done func(string)) { done(huge) }
	w.loggedIn(tu, w.Teacher)
	ts := hwOpen(t, tu)
	test.Tap(ts.New)
	tu.Wait()
	test.Tap(ts.Editor.AddFile)
	tu.Wait()
	if len(ts.Editor.Files) != 0 || !strings.Contains(ts.Editor.Message.Text, "höchstens 20 MB") {
		t.Errorf("a 25 MB worksheet: %d files, message %q", len(ts.Editor.Files), ts.Editor.Message.Text)
	}
	if api.uploads.Load() != 0 {
		t.Errorf("%d uploads", api.uploads.Load())
	}
}

// TestHomeworkTextsInBothLanguages checks the texts built at run time
// (states, counts with plurals), which TestTranslationsComplete cannot
// see in the code.
func TestHomeworkTextsInBothLanguages(t *testing.T) {
	t.Cleanup(func() { SetLanguage("de") })
	tests := []struct {
		lang, states, one, two string
	}{
		{"de", "Neu Begonnen Erledigt Überfällig", "Text und 1 Datei", "2 Dateien"},
		{"en", "New Started Done Overdue", "Text and 1 file", "2 files"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if err := SetLanguage(tt.lang); err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, s := range []string{wire.HomeworkNew, wire.HomeworkStarted, wire.HomeworkDone, wire.HomeworkOverdue} {
				states = append(states, hwStateName(s))
			}
			if got := strings.Join(states, " "); got != tt.states {
				t.Errorf("states: got %q, want %q", got, tt.states)
			}
			if got := hwFilesText(wire.HomeworkWork{HandedIn: true, Text: "x", FileCount: 1}); got != tt.one {
				t.Errorf("one file: got %q, want %q", got, tt.one)
			}
			if got := hwFilesText(wire.HomeworkWork{HandedIn: true, FileCount: 2}); got != tt.two {
				t.Errorf("two files: got %q, want %q", got, tt.two)
			}
		})
	}
}
