package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/encoding/charmap"

	"kaspel/shared/wire"
)

// LendingImportTab imports the bank statement. It always shows the
// server's dry run first — "23 Buchungen erkannt, 20 zugeordnet, 3 offen"
// with every booking and whom it goes to — and books only when the
// secretary taps "Buchen", sending the very same bytes. The server books
// a booking once, so the same file imported again books nothing (its
// counts say so). When the bank's columns are not found, the mapping
// (which column is the date, the amount, the purpose, the payer) is set
// once and stored on the server.
type LendingImportTab struct {
	Choose  *widget.Button
	Columns *widget.Button // opens the mapping
	File    *widget.Label
	Message *widget.Label
	Summary *widget.Label // the dry run's counts
	Book    *widget.Button
	Lines   []*widget.Label // one per booking of the dry run
	Result  *widget.Label   // after booking
	Mapping *LendingMappingForm

	Report *wire.LendingImport // the last answer (dry run or booked)

	s       *LendingMoneyScreen
	csv     []byte
	name    string
	lines   *fyne.Container
	preview *fyne.Container
	content fyne.CanvasObject
}

func (s *LendingMoneyScreen) newImportTab() *LendingImportTab {
	t := &LendingImportTab{s: s, File: widget.NewLabel(""), Message: newMessage(), Summary: newMessage(), Result: newMessage()}
	intro := widget.NewLabel(T("lendmoney.import.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.Choose = widget.NewButtonWithIcon(T("lendmoney.import.choose"), theme.FolderOpenIcon(), t.choose)
	t.Choose.Importance = widget.HighImportance
	t.Columns = widget.NewButtonWithIcon(T("lendmoney.import.columns"), theme.SettingsIcon(), t.openMapping)
	t.Summary.TextStyle.Bold = true
	t.Book = widget.NewButtonWithIcon(T("lendmoney.import.book"), theme.ConfirmIcon(), t.book)
	t.Book.Importance = widget.HighImportance
	t.Mapping = t.newMappingForm()
	t.lines = container.NewVBox()
	t.preview = container.NewVBox(t.Summary, container.NewHBox(t.Book), widget.NewSeparator(), t.lines)
	t.preview.Hide()
	t.content = container.NewVScroll(container.NewPadded(container.NewVBox(intro, container.NewHBox(t.Choose, t.Columns),
		t.File, t.Message, t.Mapping.box, t.Result, t.preview)))
	return t
}

func (t *LendingImportTab) choose() {
	t.s.u.touch()
	t.s.u.opts.PickFile(func(path string) {
		if path != "" {
			t.load(path)
		}
	})
}

// load reads the chosen file and runs the dry run.
func (t *LendingImportTab) load(path string) {
	u := t.s.u
	t.csv, t.name, t.Report = nil, filepath.Base(path), nil
	t.File.SetText(T("lendmoney.import.file", "Name", t.name))
	clearMessage(t.Result)
	var data []byte
	u.run(func(ctx context.Context) error {
		var err error
		data, err = readLimited(path, wire.MaxUpload)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.csv = data
		t.dryRun()
	})
}

// dryRun asks the server what the file would book.
func (t *LendingImportTab) dryRun() {
	u := t.s.u
	clearMessage(t.Message)
	t.preview.Hide()
	data := t.csv
	var rep wire.LendingImport
	u.run(func(ctx context.Context) error {
		var err error
		rep, err = u.api.LendingImport(ctx, data, true)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			// Most often the bank's columns are not known yet.
			if header := lmSniffHeader(data); len(header) > 0 {
				t.Mapping.open(header)
			}
			return
		}
		t.Report = &rep
		t.Mapping.close()
		t.showLines(rep)
		t.Summary.SetText(lmImportCounts(rep, true))
		showIf(t.Summary, true)
		showIf(t.Book, rep.Matched+rep.Unmatched > 0)
		t.preview.Show()
	})
}

// lmImportCounts is the dry run's or the import's counts in one line.
func lmImportCounts(rep wire.LendingImport, dry bool) string {
	n := rep.Matched + rep.Unmatched + rep.Duplicates
	key := "lendmoney.import.counts"
	if !dry {
		key = "lendmoney.import.booked"
	}
	text := T(key, "Count", n, "Matched", rep.Matched, "Unmatched", rep.Unmatched, "Total", euro(rep.TotalCents))
	if rep.Duplicates > 0 {
		text += " " + T("lendmoney.import.duplicates", "Count", rep.Duplicates)
	}
	if rep.Debits > 0 {
		text += " " + T("lendmoney.import.debits", "Count", rep.Debits)
	}
	return text
}

// showLines lists the bookings of an answer.
func (t *LendingImportTab) showLines(rep wire.LendingImport) {
	t.Lines = nil
	t.lines.RemoveAll()
	for _, l := range rep.Lines {
		lbl := widget.NewLabel(lmImportLine(l))
		lbl.Wrapping = fyne.TextWrapWord
		switch l.State {
		case "matched":
			lbl.Importance = widget.SuccessImportance
		case "unmatched":
			lbl.Importance = widget.WarningImportance
		default:
			lbl.Importance = widget.LowImportance
		}
		t.Lines = append(t.Lines, lbl)
		t.lines.Add(lbl)
	}
}

// lmImportLine is one booking: date, amount, payer, purpose and what
// happens to it.
func lmImportLine(l wire.LendingImportLine) string {
	what := ""
	switch l.State {
	case "matched":
		what = T("lendmoney.import.line.matched", "Name", l.PupilName, "Reference", l.Reference)
	case "unmatched":
		what = T("lendmoney.import.line.unmatched", "Reason", l.Reason)
	default:
		what = T("lendmoney.import.line.duplicate")
	}
	payer := l.Payer
	if payer == "" {
		payer = "–"
	}
	return T("lendmoney.import.line", "Date", shownDate(l.Date), "Amount", euro(l.AmountCents), "Payer", payer,
		"Purpose", l.Purpose, "What", what)
}

// book imports the file the dry run saw.
func (t *LendingImportTab) book() {
	u := t.s.u
	if t.csv == nil {
		return
	}
	data := t.csv
	var rep wire.LendingImport
	u.run(func(ctx context.Context) error {
		var err error
		rep, err = u.api.LendingImport(ctx, data, false)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.Report = &rep
		t.showLines(rep)
		t.Book.Hide()
		t.Summary.SetText(lmImportCounts(rep, false))
		if rep.Unmatched > 0 {
			setInfo(t.Result, T("lendmoney.import.done_open", "Count", rep.Unmatched))
		} else {
			setInfo(t.Result, T("lendmoney.import.done"))
		}
		t.s.Unmatched.load()
		t.s.Accounts.load()
	})
}

// openMapping opens the column mapping for the chosen file's header.
func (t *LendingImportTab) openMapping() {
	var header []string
	if t.Report != nil {
		header = t.Report.Header
	}
	if len(header) == 0 {
		header = lmSniffHeader(t.csv)
	}
	if len(header) == 0 {
		setProblem(t.Message, T("lendmoney.map.no_file"))
		return
	}
	t.Mapping.open(header)
}

// lmSniffHeader finds the header of a bank export the server could not
// read, so that its columns can be mapped: the first of the first 30
// rows with the most fields, for the separator that gives the most.
func lmSniffHeader(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := string(data)
	if !utf8.Valid(data) {
		if out, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			text = string(out)
		}
	}
	var best []string
	for _, sep := range []rune{';', ',', '\t'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
		for i := 0; i < 30; i++ {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				continue
			}
			if len(rec) > len(best) {
				best = rec
			}
		}
	}
	if len(best) < 3 {
		return nil
	}
	out := make([]string, 0, len(best))
	for _, h := range best {
		out = append(out, strings.TrimSpace(h))
	}
	return out
}

// LendingMappingForm names the bank export's columns once: date, amount,
// purpose (one or several columns), payer, IBAN and a Soll/Haben column
// for banks whose amounts carry no sign.
type LendingMappingForm struct {
	Date    *widget.Select
	Amount  *widget.Select
	Purpose *widget.CheckGroup
	Payer   *widget.Select
	IBAN    *widget.Select
	Sign    *widget.Select
	Save    *widget.Button
	Cancel  *widget.Button
	Message *widget.Label

	t   *LendingImportTab
	box *fyne.Container
}

func (t *LendingImportTab) newMappingForm() *LendingMappingForm {
	m := &LendingMappingForm{t: t, Message: newMessage()}
	m.Date = widget.NewSelect(nil, nil)
	m.Amount = widget.NewSelect(nil, nil)
	m.Purpose = widget.NewCheckGroup(nil, nil)
	m.Purpose.Horizontal = true
	m.Payer = widget.NewSelect(nil, nil)
	m.IBAN = widget.NewSelect(nil, nil)
	m.Sign = widget.NewSelect(nil, nil)
	for _, s := range []*widget.Select{m.Date, m.Amount, m.Payer, m.IBAN, m.Sign} {
		s.PlaceHolder = T("lendmoney.map.pick")
	}
	m.Save = widget.NewButtonWithIcon(T("lendmoney.map.save"), theme.DocumentSaveIcon(), m.save)
	m.Save.Importance = widget.HighImportance
	m.Cancel = widget.NewButtonWithIcon(T("lendmoney.map.cancel"), theme.CancelIcon(), m.close)
	intro := widget.NewLabel(T("lendmoney.map.intro"))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(T("lendmoney.map.date"), m.Date),
		widget.NewFormItem(T("lendmoney.map.amount"), m.Amount),
		widget.NewFormItem(T("lendmoney.map.purpose"), m.Purpose),
		widget.NewFormItem(T("lendmoney.map.payer"), m.Payer),
		widget.NewFormItem(T("lendmoney.map.iban"), m.IBAN),
		widget.NewFormItem(T("lendmoney.map.sign"), m.Sign),
	)
	m.box = container.NewVBox(widget.NewCard(T("lendmoney.map.title"), "", container.NewVBox(intro, form, m.Message,
		container.NewHBox(m.Save, m.Cancel))))
	m.box.Hide()
	return m
}

// open shows the mapping for a header, with the stored mapping chosen.
func (m *LendingMappingForm) open(header []string) {
	u := m.t.s.u
	none := T("lendmoney.map.none")
	var cols []string
	for _, h := range header {
		if h != "" {
			cols = append(cols, h)
		}
	}
	m.Date.Options, m.Amount.Options = cols, cols
	optional := append([]string{none}, cols...)
	m.Payer.Options, m.IBAN.Options, m.Sign.Options = optional, optional, optional
	m.Purpose.Options = cols
	for _, s := range []*widget.Select{m.Date, m.Amount, m.Payer, m.IBAN, m.Sign} {
		s.ClearSelected()
		s.Refresh()
	}
	m.Purpose.SetSelected(nil)
	m.Purpose.Refresh()
	clearMessage(m.Message)
	m.box.Show()
	var stored wire.LendingMapping
	u.run(func(ctx context.Context) error {
		var err error
		stored, err = u.api.LendingMapping(ctx)
		return err
	}, func(err error) {
		if err != nil {
			return // nothing stored yet: the person picks
		}
		m.preselect(stored, cols)
	})
}

// preselect chooses the stored columns that the file has.
func (m *LendingMappingForm) preselect(stored wire.LendingMapping, cols []string) {
	has := func(c string) bool {
		for _, h := range cols {
			if strings.EqualFold(h, c) {
				return true
			}
		}
		return false
	}
	pick := func(s *widget.Select, c string) {
		if c != "" && has(c) {
			s.SetSelected(c)
		}
	}
	pick(m.Date, stored.Date)
	pick(m.Amount, stored.Amount)
	pick(m.Payer, stored.Payer)
	pick(m.IBAN, stored.IBAN)
	pick(m.Sign, stored.Sign)
	var purpose []string
	for _, p := range stored.Purpose {
		if has(p) {
			purpose = append(purpose, p)
		}
	}
	if len(purpose) > 0 {
		m.Purpose.SetSelected(purpose)
	}
}

func (m *LendingMappingForm) close() { m.box.Hide() }

// Mapping is what the form says.
func (m *LendingMappingForm) Mapping() wire.LendingMapping {
	opt := func(s *widget.Select) string {
		if s.Selected == T("lendmoney.map.none") {
			return ""
		}
		return s.Selected
	}
	var purpose []string
	for _, o := range m.Purpose.Options { // in the file's order
		for _, p := range m.Purpose.Selected {
			if p == o {
				purpose = append(purpose, p)
			}
		}
	}
	return wire.LendingMapping{Date: m.Date.Selected, Amount: m.Amount.Selected, Purpose: purpose,
		Payer: opt(m.Payer), IBAN: opt(m.IBAN), Sign: opt(m.Sign)}
}

// save stores the mapping and runs the dry run again.
func (m *LendingMappingForm) save() {
	u := m.t.s.u
	mp := m.Mapping()
	if mp.Date == "" || mp.Amount == "" || len(mp.Purpose) == 0 {
		setProblem(m.Message, T("lendmoney.map.incomplete"))
		return
	}
	u.run(func(ctx context.Context) error {
		_, err := u.api.LendingSetMapping(ctx, mp)
		return err
	}, func(err error) {
		if err != nil {
			u.report(m.Message, err)
			return
		}
		m.close()
		setInfo(m.t.Result, T("lendmoney.map.saved"))
		if m.t.csv != nil {
			m.t.dryRun()
		}
	})
}
