package ui

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// HomeworkHandinsView is a homework's page for its teachers: the task,
// the dates and worksheets, buttons to change or delete it, and a table
// of the class: each pupil's state, what they handed in, whether late and
// whether feedback is given. Tapping a pupil shows their work beside the
// table with a field for short feedback. Feedback closes the pupil's
// hand-in; taking it back opens it again.
type HomeworkHandinsView struct {
	Back    *widget.Button
	Title   *widget.Label
	Info    *widget.Label // class, start and due day
	Planned *HomeworkBadge
	Text    *widget.Label
	Counts  *widget.Label
	Edit    *widget.Button
	Delete  *widget.Button
	Confirm *ConfirmBar

	Sheets       []*widget.Button
	RemoveSheets []*widget.Button
	AddSheet     *widget.Button
	// SheetFromFiles adds a worksheet from „Meine Dateien“ (hidden while
	// the files module is off).
	SheetFromFiles *widget.Button

	Rows    []*HandinRow
	NoRead  *widget.Label // the person manages it but may not read the hand-ins (an admin outside the class)
	Pupil   *HandinPane
	Message *widget.Label

	Homework wire.Homework
	Handins  []wire.HomeworkWork
	// Saved is the path of the file opened last (for tests).
	Saved string

	selected int // the row shown in the pane, -1 for none
	s        *HomeworkScreen
	table    *fyne.Container
}

// HandinRow is a pupil in the table; the whole row is a button.
type HandinRow struct {
	Work     wire.HomeworkWork
	Open     *widget.Button
	Name     *widget.Label
	Badge    *HomeworkBadge
	HandedIn *widget.Label // "Text und 1 Datei", "nichts"
	Late     *HomeworkBadge
	Feedback *HomeworkBadge
}

// HandinPane shows one pupil's work and takes the feedback.
type HandinPane struct {
	Name     *widget.Label
	Badge    *HomeworkBadge
	Late     *HomeworkBadge
	Hint     *widget.Label
	Text     *widget.Label // the handed-in text
	Files    []*widget.Button
	Feedback *widget.Entry
	Give     *widget.Button
	TakeBack *widget.Button
	Message  *widget.Label
	Empty    *widget.Label // before a pupil is chosen

	Work wire.HomeworkWork

	files *fyne.Container
	body  *fyne.Container
}

// hwTableWidths are the table's columns: name, state, hand-in, late,
// feedback.
var hwTableWidths = []float32{190, 110, 160, 100, 130}

// openHandins loads a homework's page; note is news to show on it,
// problem a failure to show in red.
func (s *HomeworkScreen) openHandins(id int64, note, problem string) {
	s.openHandinsAt(id, "", note, problem)
}

// openHandinsAt is openHandins with a pupil's work open in the pane.
func (s *HomeworkScreen) openHandinsAt(id int64, login, note, problem string) {
	var h wire.Homework
	var list wire.HomeworkHandins
	shown := s.u.hwShown()
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if h, err = s.api.Homework(ctx, id); err != nil {
			return err
		}
		if h.SeeHandins {
			list, err = s.api.HomeworkHandins(ctx, id)
		}
		return err
	}, func(err error) {
		if s.u.hwShown() != shown {
			return
		}
		if err != nil {
			msg := s.Message
			if s.Handins != nil {
				msg = s.Handins.Message
			} else if s.Classes != nil {
				msg = s.Classes.Message
			}
			hwFail(s.u, msg, err)
			return
		}
		s.showHandins(h, list.Handins, login, note, problem)
	})
}

func (s *HomeworkScreen) showHandins(h wire.Homework, handins []wire.HomeworkWork, login, note, problem string) {
	u := s.u
	v := &HomeworkHandinsView{s: s, Homework: h, Handins: handins, selected: -1}
	v.Back = widget.NewButtonWithIcon(T("nav.back"), theme.NavigateBackIcon(), func() { s.back("") })
	v.Title = widget.NewLabelWithStyle(h.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Title.SizeName = theme.SizeNameHeadingText
	v.Title.Wrapping = fyne.TextWrapWord
	start := h.Start
	if d, ok := calParseDay(h.Start); ok {
		start = calShortDate(d)
	}
	v.Info = widget.NewLabel(T("homework.page.info", "Group", h.GroupTitle, "Start", start, "Due", hwDueTitle(h)))
	v.Info.Wrapping = fyne.TextWrapWord
	v.Planned = newHomeworkBadge()
	v.Planned.SetPlanned()
	showIf(v.Planned, h.Planned)
	v.Text = hwWrapped(h.Text)
	showIf(v.Text, strings.TrimSpace(h.Text) != "")
	v.Counts = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if h.Counts != nil {
		v.Counts.SetText(hwCountsText(*h.Counts))
	} else {
		v.Counts.Hide()
	}
	v.Message = newMessage()
	v.Confirm = newConfirmBar()
	v.Edit = widget.NewButtonWithIcon(T("homework.page.edit"), theme.DocumentCreateIcon(), func() {
		hw := v.Homework
		s.openEditor(&hw)
	})
	v.Edit.Importance = widget.HighImportance
	v.Delete = widget.NewButtonWithIcon(T("homework.page.delete"), theme.DeleteIcon(), func() {
		v.Confirm.Ask(T("homework.page.delete_question", "Title", h.Title), T("homework.page.delete_yes"), v.delete)
	})
	v.AddSheet = widget.NewButtonWithIcon(T("homework.page.add_sheet"), theme.MailAttachmentIcon(), v.addSheet)
	v.SheetFromFiles = u.hwFromFilesButton(v.addSheetFromFiles)
	showIf(v.Edit, h.Manage)
	showIf(v.Delete, h.Manage)
	showIf(v.AddSheet, h.Manage && len(h.Files) < 10)
	showIf(v.SheetFromFiles, h.Manage && len(h.Files) < 10 && u.hwFilesOn())

	sheets := container.NewVBox()
	for _, f := range h.Files {
		f := f
		b := hwFileButton(f, func() {
			u.hwSaveOpen(f.Name, func(ctx context.Context, w io.Writer) error {
				_, _, err := s.api.HomeworkFile(ctx, h.ID, f.ID, w)
				return err
			}, v.Message, &v.Saved)
		})
		rm := widget.NewButtonWithIcon(T("homework.work.remove_file"), theme.ContentRemoveIcon(), func() { v.removeSheet(f) })
		showIf(rm, h.Manage)
		v.Sheets = append(v.Sheets, b)
		v.RemoveSheets = append(v.RemoveSheets, rm)
		sheets.Add(container.NewBorder(nil, nil, nil, rm, b))
	}
	if len(h.Files) == 0 {
		sheets.Add(widget.NewLabelWithStyle(T("homework.edit.no_sheets"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}

	v.NoRead = hwWrapped(T("homework.page.no_read"))
	showIf(v.NoRead, !h.SeeHandins)
	v.table = container.NewVBox()
	v.Pupil = v.newPane()
	v.layoutTable()

	left := container.NewVBox(
		container.NewHBox(v.Back),
		v.Title, container.NewHBox(v.Planned), v.Info, v.Text,
		hwField(T("homework.edit.sheets"), sheets),
		container.NewHBox(v.AddSheet, v.SheetFromFiles, v.Edit, v.Delete),
		v.Confirm.box,
		v.Message,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("homework.page.class"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.Counts, v.NoRead, v.table,
	)
	var content fyne.CanvasObject = container.NewVScroll(container.NewPadded(left))
	if h.SeeHandins {
		split := container.NewHSplit(content, container.NewVScroll(container.NewPadded(v.Pupil.body)))
		split.Offset = 0.6
		content = split
	}
	switch {
	case problem != "":
		setProblem(v.Message, problem)
	case note != "":
		setInfo(v.Message, note)
	}
	s.Work, s.Editor, s.Handins, s.Classes = nil, nil, v, nil
	u.openScreen(T("homework.title"), content)
	for i, w := range handins {
		if login != "" && w.Login == login {
			v.selectRow(i)
		}
	}
}

// layoutTable draws the class's table with a header.
func (v *HomeworkHandinsView) layoutTable() {
	v.table.RemoveAll()
	v.Rows = nil
	if !v.Homework.SeeHandins {
		return
	}
	head := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.Add(container.New(hwColumns{widths: hwTableWidths},
		head("homework.table.pupil"), head("homework.table.state"), head("homework.table.handin"),
		head("homework.table.late"), head("homework.table.feedback")))
	for i, w := range v.Handins {
		i := i
		r := &HandinRow{Work: w, Badge: newSmallHomeworkBadge(), Late: newSmallHomeworkBadge(), Feedback: newSmallHomeworkBadge()}
		r.Open = widget.NewButton("", func() { v.selectRow(i) })
		r.Open.Importance = widget.LowImportance
		r.Name = widget.NewLabel(w.Name)
		r.Name.Truncation = fyne.TextTruncateEllipsis
		r.HandedIn = widget.NewLabel("")
		r.HandedIn.Truncation = fyne.TextTruncateEllipsis
		r.Late.SetLate()
		r.Feedback.SetFeedback()
		r.set(w)
		v.Rows = append(v.Rows, r)
		v.table.Add(container.NewStack(r.Open, container.New(hwColumns{widths: hwTableWidths},
			r.Name, container.NewCenter(r.Badge), r.HandedIn, container.NewCenter(r.Late), container.NewCenter(r.Feedback))))
	}
	if len(v.Handins) == 0 {
		v.table.Add(widget.NewLabelWithStyle(T("homework.page.no_pupils"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	v.table.Refresh()
}

// set shows a pupil's work in the row.
func (r *HandinRow) set(w wire.HomeworkWork) {
	r.Work = w
	r.Badge.SetState(w.State)
	r.HandedIn.SetText(hwFilesText(w))
	showIf(r.Late, w.Late)
	showIf(r.Feedback, w.Feedback != "")
}

// selectRow shows a pupil's work in the pane.
func (v *HomeworkHandinsView) selectRow(i int) {
	if i < 0 || i >= len(v.Rows) {
		return
	}
	v.s.u.touch()
	v.selected = i
	for j, r := range v.Rows {
		// The chosen row is grey like a pressed button: the labels on
		// top of it stay readable (they would not be on the green).
		if j == i {
			r.Open.Importance = widget.MediumImportance
		} else {
			r.Open.Importance = widget.LowImportance
		}
		r.Open.Refresh()
	}
	v.Pupil.show(v, v.Handins[i])
}

func (v *HomeworkHandinsView) newPane() *HandinPane {
	u := v.s.u
	p := &HandinPane{Badge: newHomeworkBadge(), Late: newHomeworkBadge()}
	p.Name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Name.SizeName = theme.SizeNameSubHeadingText
	p.Late.SetLate()
	p.Hint = hwWrapped("")
	p.Text = hwWrapped("")
	p.Text.Selectable = true
	p.Feedback = widget.NewMultiLineEntry()
	p.Feedback.Wrapping = fyne.TextWrapWord
	p.Feedback.SetMinRowsVisible(3)
	p.Feedback.SetPlaceHolder(T("homework.feedback.hint"))
	p.Feedback.OnChanged = func(string) { u.touch() }
	p.Give = widget.NewButtonWithIcon(T("homework.feedback.give"), theme.MailSendIcon(), func() { v.giveFeedback(false) })
	p.Give.Importance = widget.HighImportance
	p.TakeBack = widget.NewButtonWithIcon(T("homework.feedback.take_back"), theme.ContentUndoIcon(), func() { v.giveFeedback(true) })
	p.Message = newMessage()
	p.Empty = hwWrapped(T("homework.page.pick_pupil"))
	p.files = container.NewVBox()
	work := container.NewVBox(
		p.Name, container.NewHBox(p.Badge, p.Late), p.Hint,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(T("homework.page.their_text"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.Text, p.files,
		widget.NewSeparator(),
		hwField(T("homework.feedback.title"), p.Feedback),
		container.NewHBox(p.Give, p.TakeBack),
		p.Message,
	)
	work.Hide()
	p.body = container.NewVBox(p.Empty, work)
	return p
}

// show fills the pane with a pupil's work.
func (p *HandinPane) show(v *HomeworkHandinsView, w wire.HomeworkWork) {
	u := v.s.u
	p.Work = w
	p.Empty.Hide()
	p.body.Objects[1].Show()
	p.Name.SetText(w.Name)
	p.Badge.SetState(w.State)
	showIf(p.Late, w.Late)
	p.Hint.SetText(w.Hint)
	if strings.TrimSpace(w.Text) != "" {
		p.Text.SetText(w.Text)
		p.Text.TextStyle.Italic = false
	} else {
		p.Text.SetText(T("homework.page.no_text"))
		p.Text.TextStyle.Italic = true
	}
	p.Text.Refresh()
	p.files.RemoveAll()
	p.Files = nil
	id := v.Homework.ID
	for _, f := range w.Files {
		f := f
		login := w.Login
		b := hwFileButton(f, func() {
			u.hwSaveOpen(f.Name, func(ctx context.Context, wr io.Writer) error {
				_, _, err := v.s.api.HandInFileOf(ctx, id, login, f.ID, wr)
				return err
			}, p.Message, &v.Saved)
		})
		p.Files = append(p.Files, b)
		p.files.Add(b)
	}
	p.Feedback.SetText(w.Feedback)
	if w.Feedback != "" {
		p.Give.SetText(T("homework.feedback.change"))
	} else {
		p.Give.SetText(T("homework.feedback.give"))
	}
	showIf(p.TakeBack, w.Feedback != "")
	clearMessage(p.Message)
	p.body.Refresh()
}

// giveFeedback sends the feedback (or, with takeBack, an empty one,
// which opens the pupil's hand-in again).
func (v *HomeworkHandinsView) giveFeedback(takeBack bool) {
	i := v.selected
	if i < 0 || i >= len(v.Handins) {
		return
	}
	p := v.Pupil
	text := strings.TrimSpace(p.Feedback.Text)
	if takeBack {
		text = ""
	} else if text == "" {
		setProblem(p.Message, T("homework.feedback.empty"))
		return
	}
	id, login := v.Homework.ID, v.Handins[i].Login
	p.Give.Disable()
	p.TakeBack.Disable()
	var w wire.HomeworkWork
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		w, err = v.s.api.HomeworkFeedback(ctx, id, login, text)
		return err
	}, func(err error) {
		p.Give.Enable()
		p.TakeBack.Enable()
		if err != nil {
			hwFail(v.s.u, p.Message, err)
			return
		}
		old := v.Handins[i]
		if w.Files == nil {
			w.Files = old.Files
		}
		if w.Text == "" && w.HandedIn {
			w.Text = old.Text
		}
		v.Handins[i] = w
		v.Rows[i].set(w)
		p.show(v, w)
		if takeBack {
			setInfo(p.Message, T("homework.feedback.taken_back", "Name", w.Name))
		} else {
			setInfo(p.Message, T("homework.feedback.sent", "Name", w.Name))
		}
	})
}

// delete deletes the homework (the server refuses once something is
// handed in, and says so).
func (v *HomeworkHandinsView) delete() {
	id, title := v.Homework.ID, v.Homework.Title
	v.s.u.runInSession(func(ctx context.Context) error { return v.s.api.DeleteHomework(ctx, id) }, func(err error) {
		if v.s.Handins != v {
			return // gone elsewhere; the list shows it no more anyway
		}
		if err != nil {
			hwFail(v.s.u, v.Message, err)
			return
		}
		v.s.back(T("homework.page.deleted", "Title", title))
	})
}

// addSheet attaches a worksheet; over 20 MB is refused before the upload.
func (v *HomeworkHandinsView) addSheet() {
	v.s.u.opts.PickFile(func(path string) {
		if path == "" {
			return
		}
		id := v.Homework.ID
		setPlain(v.Message, T("homework.file.uploading", "Name", filepath.Base(path)))
		v.s.u.runInSession(func(ctx context.Context) error {
			return hwUpload(ctx, path, func(ctx context.Context, name string, r io.Reader, size int64) error {
				_, err := v.s.api.AddHomeworkFile(ctx, id, name, r, size)
				return err
			})
		}, func(err error) {
			if err != nil {
				hwFail(v.s.u, v.Message, err)
				return
			}
			v.s.openHandinsAt(id, v.selectedLogin(), T("homework.page.sheet_added", "Name", filepath.Base(path)), "")
		})
	})
}

// removeSheet takes a worksheet off the homework.
func (v *HomeworkHandinsView) removeSheet(f wire.HomeworkFile) {
	id := v.Homework.ID
	v.s.u.runInSession(func(ctx context.Context) error { return v.s.api.DeleteHomeworkFile(ctx, id, f.ID) }, func(err error) {
		if err != nil {
			hwFail(v.s.u, v.Message, err)
			return
		}
		v.s.openHandinsAt(id, v.selectedLogin(), T("homework.work.file_removed", "Name", f.Name), "")
	})
}

func (v *HomeworkHandinsView) selectedLogin() string {
	if v.selected >= 0 && v.selected < len(v.Handins) {
		return v.Handins[v.selected].Login
	}
	return ""
}

// hwColumns lays a table row out in columns of fixed widths, so that the
// rows line up under the header; the last column takes what is left.
type hwColumns struct{ widths []float32 }

func (l hwColumns) width(i int, o fyne.CanvasObject) float32 {
	if i < len(l.widths) {
		return l.widths[i]
	}
	return o.MinSize().Width
}

// MinSize is the columns side by side.
func (l hwColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	pad := theme.Padding()
	for i, o := range objs {
		w += l.width(i, o) + pad
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

// Layout places the columns.
func (l hwColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	pad := theme.Padding()
	for i, o := range objs {
		w := l.width(i, o)
		if i == len(objs)-1 {
			w = max(w, size.Width-x)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

var _ fyne.Layout = hwColumns{}
