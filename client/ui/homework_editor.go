package ui

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// HomeworkEditor sets a homework for a class or group, or changes one.
// Dates are typed as people write them (02.12.2026). The start is today
// unless the teacher plans ahead; under the due date the editor says the
// earliest due date the school's minimum working period allows (asked of
// the server whenever the start changes), turns it red when the typed
// date is closer, and offers a button that takes it. The server decides:
// a due date too close is refused with its German message, shown here.
type HomeworkEditor struct {
	Group       *widget.Select // new homework only: the class or group
	Title       *widget.Entry
	Text        *widget.Entry
	Start       *widget.Entry
	Due         *widget.Entry
	StartPick   *DatePick // the calendar buttons beside Start and Due
	DuePick     *DatePick
	DueDay      *widget.Label  // the typed due date with its weekday
	Earliest    *widget.Label  // "Frühester Abgabetermin: …"
	UseEarliest *widget.Button // puts the earliest due date into the field
	AddFile     *widget.Button // new homework: worksheets, uploaded after saving
	Files       []string       // the worksheets chosen, as paths
	RemoveFiles []*widget.Button
	Save        *widget.Button
	Cancel      *widget.Button
	Message     *widget.Label

	// AddFromFiles chooses worksheets of „Meine Dateien“ (hidden while
	// the files module is off); FromFiles are those chosen, taken by the
	// server after saving.
	AddFromFiles *widget.Button
	FromFiles    []wire.FilesFile

	// EarliestDue is the earliest allowed due date for the start typed
	// (zero until the server said it).
	EarliestDue time.Time

	homework *wire.Homework // nil for a new one
	groups   []wire.HomeworkGroup
	dueAuto  bool // the due date is the editor's proposal and follows the start
	filling  bool // the editor itself changes the due date
	dueSeq   int  // drops answers for a start typed over meanwhile
	minDays  int
	saving   bool
	files    *fyne.Container
	box      *fyne.Container
	s        *HomeworkScreen
}

// openEditor shows the editor for a new homework (h nil) or a change.
func (s *HomeworkScreen) openEditor(h *wire.Homework) {
	u := s.u
	e := &HomeworkEditor{s: s, homework: h, groups: s.groups}
	touch := func(string) { u.touch() }
	e.Group = widget.NewSelect(nil, func(string) { u.touch() })
	e.Group.PlaceHolder = T("homework.edit.pick_group")
	e.Title = widget.NewEntry()
	e.Title.SetPlaceHolder(T("homework.edit.title_hint"))
	e.Title.OnChanged = touch
	e.Text = widget.NewMultiLineEntry()
	e.Text.Wrapping = fyne.TextWrapWord
	e.Text.SetMinRowsVisible(5)
	e.Text.SetPlaceHolder(T("homework.edit.text_hint"))
	e.Text.OnChanged = touch
	e.Start = widget.NewEntry()
	e.Start.SetPlaceHolder(T("calendar.date.hint"))
	e.Due = widget.NewEntry()
	e.Due.SetPlaceHolder(T("calendar.date.hint"))
	e.StartPick, e.DuePick = u.datePick(e.Start), u.datePick(e.Due)
	e.DueDay = widget.NewLabel("")
	e.Earliest = hwWrapped(T("homework.edit.earliest_loading"))
	e.UseEarliest = widget.NewButtonWithIcon(T("homework.edit.use_earliest"), theme.CalendarIcon(), func() {
		if !e.EarliestDue.IsZero() {
			e.setDue(e.EarliestDue, true)
		}
	})
	e.UseEarliest.Disable()
	e.AddFile = widget.NewButtonWithIcon(T("homework.edit.add_file"), theme.MailAttachmentIcon(), e.addFile)
	e.AddFromFiles = u.hwFromFilesButton(e.addFromFiles)
	e.files = container.NewVBox()
	e.Message = newMessage()
	e.Save = widget.NewButtonWithIcon(T("homework.edit.save_new"), theme.DocumentSaveIcon(), e.save)
	e.Save.Importance = widget.HighImportance
	e.Cancel = widget.NewButtonWithIcon(T("homework.edit.cancel"), theme.CancelIcon(), func() {
		if e.homework != nil {
			s.openHandins(e.homework.ID, "", "")
			return
		}
		s.back("")
	})

	title := T("homework.new")
	start := ""
	if h != nil {
		title = T("homework.edit.title_change")
		e.Save.SetText(T("homework.edit.save"))
		e.Title.SetText(h.Title)
		e.Text.SetText(h.Text)
		if d, ok := calParseDay(h.Start); ok {
			e.Start.SetText(calShortDate(d))
		}
		if d, ok := calParseDay(h.Due); ok {
			e.Due.SetText(calShortDate(d))
		}
		start = h.Start
	} else {
		e.dueAuto = true
		e.setGroups(s.groups)
	}
	// Typing reacts only from here on: the fields are filled.
	e.Start.OnChanged = func(string) {
		u.touch()
		if !e.filling {
			e.startChanged()
		}
	}
	e.Due.OnChanged = func(string) {
		u.touch()
		if !e.filling {
			e.dueAuto = false
		}
		e.showDue()
	}

	groupRow := hwField(T("homework.edit.group"), e.Group)
	filesRow := container.NewVBox(hwField(T("homework.edit.sheets"), e.files), container.NewHBox(e.AddFile, e.AddFromFiles))
	if h != nil {
		// A homework stays in its class; its worksheets are changed on
		// its page, where they are listed.
		groupRow = hwField(T("homework.edit.group"), widget.NewLabel(h.GroupTitle))
		filesRow.Hide()
	}
	e.box = container.NewVBox(
		groupRow,
		hwField(T("homework.edit.title"), e.Title),
		hwField(T("homework.edit.text"), e.Text),
		container.NewGridWithColumns(2,
			hwField(T("homework.edit.start"), e.StartPick.object()),
			hwField(T("homework.edit.due"), container.NewVBox(e.DuePick.object(), e.DueDay))),
		container.NewBorder(nil, nil, nil, e.UseEarliest, e.Earliest),
		filesRow,
		e.Message,
		container.NewHBox(e.Save, e.Cancel),
	)
	e.showFiles()
	e.showDue()
	s.Work, s.Editor, s.Handins, s.Classes = nil, e, nil, nil
	u.openScreen(title, container.NewVScroll(container.NewPadded(calNarrowed(640, e.box))))
	u.win.Canvas().Focus(e.Title)
	e.loadDueDates(start, h == nil && s.groups == nil)
}

// setGroups offers the classes and groups; the one the list is filtered
// by, or the only one, is chosen already.
func (e *HomeworkEditor) setGroups(groups []wire.HomeworkGroup) {
	e.groups = groups
	var opts []string
	for _, g := range groups {
		opts = append(opts, hwGroupTitle(g))
	}
	e.Group.Options = opts
	switch {
	case len(opts) == 1:
		e.Group.SetSelectedIndex(0)
	case e.s.groupName() != "":
		e.Group.SetSelected(e.s.Group.Selected)
	}
	e.Group.Refresh()
}

// startChanged asks for the earliest due date of a newly typed start.
func (e *HomeworkEditor) startChanged() {
	d, ok := calInputDate(e.Start.Text)
	if !ok || d.Year() < 2000 {
		e.EarliestDue = time.Time{}
		e.UseEarliest.Disable()
		setPlain(e.Earliest, T("homework.edit.earliest_need_start"))
		e.Earliest.Show()
		e.showDue()
		return
	}
	e.loadDueDates(d.Format(calDateLayout), false)
}

// loadDueDates asks the server for the earliest due date of a start (""
// for today: the server's today, which is the school's, whatever this
// computer's clock says); a new homework gets the start and, until the
// teacher types their own, the earliest due date filled in. With groups
// it also loads where the person may set homework.
func (e *HomeworkEditor) loadDueDates(start string, groups bool) {
	e.dueSeq++
	seq := e.dueSeq
	var dd wire.HomeworkDueDates
	var gl []wire.HomeworkGroup
	e.s.u.runInSession(func(ctx context.Context) error {
		if groups {
			var err error
			if gl, err = e.s.api.HomeworkGroups(ctx); err != nil {
				return err
			}
		}
		var err error
		dd, err = e.s.api.HomeworkDueDates(ctx, start)
		return err
	}, func(err error) {
		if seq != e.dueSeq || e.s.Editor != e {
			return
		}
		if err != nil {
			hwFail(e.s.u, e.Earliest, err)
			return
		}
		if groups {
			e.s.setGroups(gl)
			e.setGroups(gl)
		}
		if start == "" && e.homework == nil {
			if d, ok := calParseDay(dd.Start); ok {
				e.filling = true
				e.Start.SetText(calShortDate(d))
				e.filling = false
			}
		}
		d, ok := calParseDay(dd.EarliestDue)
		if !ok {
			return
		}
		e.EarliestDue, e.minDays = d, dd.MinSchoolDays
		e.UseEarliest.Enable()
		if e.dueAuto {
			e.setDue(d, true)
		}
		e.showDue()
	})
}

// setDue puts a date into the due field; auto keeps it following the
// start.
func (e *HomeworkEditor) setDue(d time.Time, auto bool) {
	e.filling = true
	e.Due.SetText(calShortDate(d))
	e.filling = false
	e.dueAuto = auto
	e.showDue()
}

// showDue says which day the typed due date is, and how it stands to the
// earliest allowed one.
func (e *HomeworkEditor) showDue() {
	due, ok := calInputDate(e.Due.Text)
	switch {
	case strings.TrimSpace(e.Due.Text) == "":
		e.DueDay.SetText("")
	case !ok:
		e.DueDay.SetText(T("homework.edit.not_a_date"))
	default:
		e.DueDay.SetText(calLongDate(due))
	}
	if e.EarliestDue.IsZero() {
		return
	}
	text := T("homework.edit.earliest", "Date", calLongDate(e.EarliestDue), "Days", e.minDays)
	if ok && due.Before(e.EarliestDue) {
		setProblem(e.Earliest, T("homework.edit.too_early", "Earliest", text))
		return
	}
	setPlain(e.Earliest, text)
}

// addFile chooses a worksheet; it is uploaded when the homework is
// saved. One over 20 MB is refused at once.
func (e *HomeworkEditor) addFile() {
	e.s.u.opts.PickFile(func(path string) {
		if path == "" {
			return
		}
		e.s.u.runInSession(func(context.Context) error {
			f, _, err := hwOpenFile(path)
			if err == nil {
				f.Close()
			}
			return err
		}, func(err error) {
			if err != nil {
				hwFail(e.s.u, e.Message, err)
				return
			}
			if len(e.Files)+len(e.FromFiles) >= 10 {
				setProblem(e.Message, T("homework.edit.too_many_files"))
				return
			}
			clearMessage(e.Message)
			e.Files = append(e.Files, path)
			e.showFiles()
		})
	})
}

// showFiles lists the chosen worksheets, each with a remove button.
func (e *HomeworkEditor) showFiles() {
	e.files.RemoveAll()
	e.RemoveFiles = nil
	for i, p := range e.Files {
		i := i
		rm := widget.NewButtonWithIcon(T("homework.work.remove_file"), theme.ContentRemoveIcon(), func() {
			e.Files = append(e.Files[:i:i], e.Files[i+1:]...)
			e.showFiles()
		})
		e.RemoveFiles = append(e.RemoveFiles, rm)
		e.files.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), rm, widget.NewLabel(filepath.Base(p))))
	}
	for i, f := range e.FromFiles {
		i := i
		rm := widget.NewButtonWithIcon(T("homework.work.remove_file"), theme.ContentRemoveIcon(), func() {
			e.FromFiles = append(e.FromFiles[:i:i], e.FromFiles[i+1:]...)
			e.showFiles()
		})
		e.RemoveFiles = append(e.RemoveFiles, rm)
		e.files.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.FolderOpenIcon()), rm,
			widget.NewLabel(T("homework.files.chosen", "Name", f.Name))))
	}
	if len(e.Files)+len(e.FromFiles) == 0 {
		e.files.Add(widget.NewLabelWithStyle(T("homework.edit.no_sheets"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	e.files.Refresh()
}

// input reads the form into what the API takes, or says what is wrong.
func (e *HomeworkEditor) input() (wire.HomeworkInput, error) {
	var in wire.HomeworkInput
	if e.homework == nil {
		i := e.Group.SelectedIndex()
		if i < 0 || i >= len(e.groups) {
			return in, userError(T("homework.edit.pick_group"))
		}
		in.Group = e.groups[i].Name
	}
	in.Title = strings.TrimSpace(e.Title.Text)
	in.Text = strings.TrimSpace(e.Text.Text)
	start, ok := calInputDate(e.Start.Text)
	if !ok {
		return in, userError(T("homework.edit.bad_date", "Field", T("homework.edit.start")))
	}
	due, ok := calInputDate(e.Due.Text)
	if !ok {
		return in, userError(T("homework.edit.bad_date", "Field", T("homework.edit.due")))
	}
	in.Start, in.Due = start.Format(calDateLayout), due.Format(calDateLayout)
	return in, nil
}

// save sets or changes the homework, then uploads the chosen worksheets
// and shows the homework's page. A refusal (a due date too close, a day
// without school) keeps the editor open with the server's message.
func (e *HomeworkEditor) save() {
	if e.saving {
		return
	}
	in, err := e.input()
	if err != nil {
		setProblem(e.Message, hwErrorText(err))
		return
	}
	e.saving = true
	e.Save.Disable()
	setPlain(e.Message, T("homework.edit.saving"))
	old := e.homework
	files := append([]string(nil), e.Files...)
	fromFiles := append([]wire.FilesFile(nil), e.FromFiles...)
	filesAPI := e.s.u.homeworkFilesAPI()
	var h wire.Homework
	var uploadErr error
	e.s.u.runInSession(func(ctx context.Context) error {
		var err error
		if old == nil {
			h, err = e.s.api.SetHomework(ctx, in)
		} else {
			h, err = e.s.api.UpdateHomework(ctx, old.ID, in)
		}
		if err != nil {
			return err
		}
		for _, p := range files {
			err := hwUpload(ctx, p, func(ctx context.Context, name string, r io.Reader, size int64) error {
				_, err := e.s.api.AddHomeworkFile(ctx, h.ID, name, r, size)
				return err
			})
			if err != nil && uploadErr == nil {
				uploadErr = err // the homework stands; its page says which file failed
			}
		}
		for _, f := range fromFiles {
			if filesAPI == nil {
				break
			}
			if _, err := filesAPI.AddHomeworkFileFromFiles(ctx, h.ID, f.ID); err != nil && uploadErr == nil {
				uploadErr = err
			}
		}
		return nil
	}, func(err error) {
		e.saving = false
		e.Save.Enable()
		if err != nil {
			hwFail(e.s.u, e.Message, err)
			return
		}
		if e.s.Editor != e {
			return // cancelled meanwhile: the list shows the homework
		}
		note := T("homework.edit.saved_new", "Title", h.Title, "Group", h.GroupTitle)
		if old != nil {
			note = T("homework.edit.saved", "Title", h.Title)
		}
		problem := ""
		if uploadErr != nil {
			problem = hwErrorText(uploadErr)
		}
		e.s.openHandins(h.ID, note, problem)
	})
}
