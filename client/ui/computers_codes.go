package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-pdf/fpdf"

	"kaspel/shared/wire"
)

// maxEnrollCodes is the server's limit of codes made at once.
const maxEnrollCodes = 100

// codeValidity is a choice of how long new codes stay valid.
type codeValidity struct {
	hours int
	key   string // translation key
}

// codeValidities are the choices; a day is the default (codes made in
// the morning for the afternoon's installation).
var codeValidities = []codeValidity{
	{1, "computers.codes.valid_1h"},
	{8, "computers.codes.valid_8h"},
	{24, "computers.codes.valid_1d"},
	{72, "computers.codes.valid_3d"},
	{168, "computers.codes.valid_7d"},
	{720, "computers.codes.valid_30d"},
}

// EnrollCodesTab makes one-time enrollment codes for kaspel-install and
// lists them. The server shows a new code exactly once, in the answer
// to its creation: the tab shows the new codes big, to read off or to
// print or save as a list, until the admin taps "Fertig"; afterwards the
// list names them by their first characters only.
type EnrollCodesTab struct {
	Room     *widget.Select // a room, or any room
	Count    *widget.Entry
	Validity *widget.Select
	Create   *widget.Button
	Message  *widget.Label

	// The new codes (shown once).
	FreshHeading *widget.Label
	FreshCodes   []*widget.Label
	PrintPDF     *widget.Button
	SaveText     *widget.Button
	Done         *widget.Button
	FreshMessage *widget.Label
	fresh        []wire.EnrollmentCode
	freshList    *fyne.Container
	freshBox     *fyne.Container

	Rows []*CodeRow

	s       *ComputersScreen
	rows    *fyne.Container
	content fyne.CanvasObject
}

// CodeRow is one code of the list.
type CodeRow struct {
	Code   wire.EnrollmentCode
	Hint   *widget.Label
	Info   *widget.Label
	Revoke *widget.Button
}

func (s *ComputersScreen) newEnrollCodesTab() *EnrollCodesTab {
	t := &EnrollCodesTab{s: s, Message: newMessage(), FreshMessage: newMessage(),
		rows: container.NewVBox(), freshList: container.NewVBox()}
	t.Room = widget.NewSelect([]string{T("computers.codes.any_room")}, nil)
	t.Room.SetSelected(T("computers.codes.any_room"))
	t.Count = widget.NewEntry()
	t.Count.SetText("1")
	var names []string
	for _, v := range codeValidities {
		names = append(names, T(v.key))
	}
	t.Validity = widget.NewSelect(names, nil)
	t.Validity.SetSelected(T("computers.codes.valid_1d"))
	t.Create = widget.NewButtonWithIcon(T("computers.codes.create"), theme.ContentAddIcon(), t.create)
	t.Create.Importance = widget.HighImportance

	t.FreshHeading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.FreshHeading.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel(T("computers.codes.fresh_note"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.WarningImportance
	t.PrintPDF = widget.NewButtonWithIcon(T("computers.codes.print"), theme.DocumentPrintIcon(), t.printPDF)
	t.PrintPDF.Importance = widget.HighImportance
	t.SaveText = widget.NewButtonWithIcon(T("computers.codes.save_text"), theme.DocumentSaveIcon(), t.saveText)
	t.Done = widget.NewButtonWithIcon(T("computers.codes.done"), theme.ConfirmIcon(), t.forget)
	t.freshBox = container.NewVBox(widget.NewSeparator(), t.FreshHeading, note, t.freshList,
		container.NewHBox(t.PrintPDF, t.SaveText, t.Done), t.FreshMessage, widget.NewSeparator())
	t.freshBox.Hide()

	intro := widget.NewLabel(T("computers.codes.intro"))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(T("computers.codes.room"), t.Room),
		widget.NewFormItem(T("computers.codes.count"), t.Count),
		widget.NewFormItem(T("computers.codes.validity"), t.Validity),
	)
	t.content = adminPanel(intro, form, container.NewHBox(t.Create), t.Message, t.freshBox,
		heading(T("computers.codes.list")), t.rows)
	return t
}

// setRooms offers the rooms (and any room) in the picker.
func (t *EnrollCodesTab) setRooms(rooms []wire.Room) {
	keep := t.Room.Selected
	t.Room.Options = append([]string{T("computers.codes.any_room")}, roomNames(rooms)...)
	t.Room.Refresh()
	if roomByName(rooms, keep) == 0 {
		keep = T("computers.codes.any_room")
	}
	t.Room.SetSelected(keep)
}

// load lists the codes, newest first.
func (t *EnrollCodesTab) load() {
	u := t.s.u
	var codes []wire.EnrollmentCode
	u.run(func(ctx context.Context) error {
		var err error
		codes, err = t.s.api.EnrollmentCodes(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.fill(codes)
	})
}

func (t *EnrollCodesTab) fill(codes []wire.EnrollmentCode) {
	t.Rows = nil
	t.rows.Objects = nil
	if len(codes) == 0 {
		t.rows.Add(widget.NewLabel(T("computers.codes.empty")))
	}
	now := t.s.u.opts.Now()
	for _, c := range codes {
		row := &CodeRow{Code: c,
			Hint: widget.NewLabelWithStyle(T("computers.codes.hint", "Hint", c.Hint), fyne.TextAlignLeading,
				fyne.TextStyle{Bold: true, Monospace: true}),
			Info: widget.NewLabel(codeInfo(c, now)),
		}
		row.Info.Truncation = fyne.TextTruncateEllipsis
		row.Revoke = widget.NewButtonWithIcon(T("computers.codes.revoke"), theme.CancelIcon(), func() { t.revoke(row) })
		if c.State != "open" {
			row.Revoke.Disable()
		}
		t.Rows = append(t.Rows, row)
		t.rows.Add(container.NewBorder(nil, nil, row.Hint, row.Revoke, row.Info))
	}
	t.rows.Refresh()
}

// codeInfo is the list's line about a code: its room and state.
func codeInfo(c wire.EnrollmentCode, now time.Time) string {
	room := c.Room
	if room == "" {
		room = T("computers.codes.any_room")
	}
	var state string
	switch c.State {
	case "open":
		state = T("computers.codes.state_open", "Until", sinceText(c.Expires, now))
	case "used":
		state = T("computers.codes.state_used", "Computer", c.Computer, "At", sinceText(c.UsedAt, now))
	case "expired":
		state = T("computers.codes.state_expired")
	case "revoked":
		state = T("computers.codes.state_revoked")
	default:
		state = c.State
	}
	return strings.Join([]string{room, state, T("computers.codes.by", "Name", c.CreatedBy)}, " · ")
}

// Row is the row of a code by its id, or nil.
func (t *EnrollCodesTab) Row(id int64) *CodeRow {
	for _, r := range t.Rows {
		if r.Code.ID == id {
			return r
		}
	}
	return nil
}

// create asks the server for new codes and shows them.
func (t *EnrollCodesTab) create() {
	u := t.s.u
	n, err := strconv.Atoi(strings.TrimSpace(t.Count.Text))
	if err != nil || n < 1 || n > maxEnrollCodes {
		setProblem(t.Message, T("computers.codes.count_invalid", "Max", maxEnrollCodes))
		u.win.Canvas().Focus(t.Count)
		return
	}
	req := wire.EnrollmentCodeRequest{Count: n, RoomID: roomByName(t.s.rooms, t.Room.Selected), ValidHours: 24}
	for _, v := range codeValidities {
		if T(v.key) == t.Validity.Selected {
			req.ValidHours = v.hours
		}
	}
	t.forget()
	var codes []wire.EnrollmentCode
	u.run(func(ctx context.Context) error {
		var err error
		codes, err = t.s.api.CreateEnrollmentCodes(ctx, req)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		clearMessage(t.Message)
		t.show(codes)
		t.load()
	})
}

// show puts new codes into the box, large enough to read off the screen.
func (t *EnrollCodesTab) show(codes []wire.EnrollmentCode) {
	t.fresh = codes
	t.FreshCodes = nil
	t.freshList.Objects = nil
	for _, c := range codes {
		l := widget.NewLabelWithStyle(c.Code, fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
		l.SizeName = theme.SizeNameHeadingText
		l.Selectable = true
		t.FreshCodes = append(t.FreshCodes, l)
		t.freshList.Add(l)
	}
	t.FreshHeading.SetText(t.freshTitle())
	clearMessage(t.FreshMessage)
	t.freshBox.Show()
	t.freshList.Refresh()
}

// freshTitle says how many codes there are, for which room and how long.
func (t *EnrollCodesTab) freshTitle() string {
	if len(t.fresh) == 0 {
		return ""
	}
	c := t.fresh[0]
	room := c.Room
	if room == "" {
		room = T("computers.codes.any_room")
	}
	return T("computers.codes.fresh_heading", "Count", len(t.fresh), "Room", room,
		"Until", c.Expires.Local().Format("02.01.2006 15:04"))
}

// Fresh is the new codes the box shows (none once forgotten).
func (t *EnrollCodesTab) Fresh() []wire.EnrollmentCode {
	if !t.freshBox.Visible() {
		return nil
	}
	return t.fresh
}

// Shown lists the codes the box shows (none once forgotten).
func (t *EnrollCodesTab) Shown() []string {
	if !t.freshBox.Visible() {
		return nil
	}
	out := make([]string, len(t.fresh))
	for i, c := range t.fresh {
		out[i] = c.Code
	}
	return out
}

// forget hides the new codes; only the list's hints remain.
func (t *EnrollCodesTab) forget() {
	t.fresh = nil
	t.FreshCodes = nil
	t.freshList.Objects = nil
	t.FreshHeading.SetText("")
	clearMessage(t.FreshMessage)
	t.freshBox.Hide()
}

// revoke withdraws an unused code (one that got lost or was typed where
// it should not have been).
func (t *EnrollCodesTab) revoke(row *CodeRow) {
	u := t.s.u
	u.touch()
	u.run(func(ctx context.Context) error { return t.s.api.RevokeEnrollmentCode(ctx, row.Code.ID) }, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		setInfo(t.Message, T("computers.codes.revoked", "Hint", row.Code.Hint))
		t.load()
	})
}

// sheetName is the file name of a saved code list.
func (t *EnrollCodesTab) sheetName(ext string) string {
	name := "anmeldecodes"
	if len(t.fresh) > 0 && t.fresh[0].Room != "" {
		name += "-" + t.fresh[0].Room
	}
	return name + "-" + t.s.u.opts.Now().Format("2006-01-02-1504") + ext
}

// printPDF saves the new codes as a PDF list and opens it to print.
func (t *EnrollCodesTab) printPDF() {
	u := t.s.u
	codes, school, name := t.fresh, u.schoolName(), t.sheetName(".pdf")
	var path string
	u.run(func(ctx context.Context) error {
		pdf, err := codeSheetPDF(school, codes)
		if err != nil {
			return userError(T("admin.print.failed"))
		}
		path, err = u.savePDF(name, pdf)
		return err
	}, func(err error) { u.openPrinted(path, err, t.FreshMessage) })
}

// saveText saves the new codes as a text file (to paste into a mail or
// a deployment script) and opens it.
func (t *EnrollCodesTab) saveText() {
	u := t.s.u
	text := codeSheetText(u.schoolName(), t.fresh)
	name := t.sheetName(".txt")
	var path string
	u.run(func(ctx context.Context) error {
		var err error
		path, err = u.saveFile(name, func(w io.Writer) error {
			_, err := io.WriteString(w, text)
			return err
		})
		if err != nil {
			return userError(T("admin.print.failed"))
		}
		return nil
	}, func(err error) { u.openPrinted(path, err, t.FreshMessage) })
}

// codeSheetLines are the words around the codes on a printed or saved
// list: the title, the school, what the codes are for and how to use one.
func codeSheetLines(school string, codes []wire.EnrollmentCode) (title string, head []string, howto string) {
	title = T("computers.sheet.title")
	head = []string{school}
	if len(codes) > 0 {
		room := codes[0].Room
		if room == "" {
			room = T("computers.codes.any_room")
		}
		head = append(head, T("computers.sheet.room", "Room", room,
			"Until", codes[0].Expires.Local().Format("02.01.2006 15:04")))
	}
	head = append(head, T("computers.sheet.once"))
	return title, head, T("computers.sheet.howto")
}

// codeSheetText is the list as plain text.
func codeSheetText(school string, codes []wire.EnrollmentCode) string {
	title, head, howto := codeSheetLines(school, codes)
	var b strings.Builder
	b.WriteString(title + "\n")
	for _, l := range head {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	for i, c := range codes {
		fmt.Fprintf(&b, "%3d   %s   %s ________________\n", i+1, c.Code, T("computers.sheet.computer"))
	}
	b.WriteString("\n" + howto + "\n")
	return b.String()
}

// codeSheetPDF is the list as an A4 page to print: one line per code with
// room to write down which computer got it.
func codeSheetPDF(school string, codes []wire.EnrollmentCode) ([]byte, error) {
	title, head, howto := codeSheetLines(school, codes)
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: umlauts in the core fonts
	pdf.SetTitle(tr(title), false)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 10, tr(title), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	for _, l := range head {
		pdf.MultiCell(0, 6, tr(l), "", "L", false)
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 10)
	pdf.CellFormat(12, 8, "#", "B", 0, "L", false, 0, "")
	pdf.CellFormat(80, 8, tr(T("computers.sheet.code")), "B", 0, "L", false, 0, "")
	pdf.CellFormat(0, 8, tr(T("computers.sheet.computer")), "B", 1, "L", false, 0, "")
	for i, c := range codes {
		pdf.SetFont("Helvetica", "", 11)
		pdf.CellFormat(12, 11, strconv.Itoa(i+1), "B", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(80, 11, c.Code, "B", 0, "L", false, 0, "")
		pdf.CellFormat(0, 11, "", "B", 1, "L", false, 0, "")
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, tr(howto), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("ui: code sheet: %w", err)
	}
	return buf.Bytes(), nil
}
