package ui

import (
	"context"
	"errors"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// HomeworkAPI is what the homework screens need from the server
// (docs/api/homework.md); *serverapi.Client is one. The screens get it
// from u.api with a type assertion until the Client interface embeds it.
type HomeworkAPI interface {
	HomeworkList(ctx context.Context, q serverapi.HomeworkQuery) ([]wire.Homework, error)
	Homework(ctx context.Context, id int64) (wire.Homework, error)
	HomeworkGroups(ctx context.Context) ([]wire.HomeworkGroup, error)
	HomeworkDueDates(ctx context.Context, start string) (wire.HomeworkDueDates, error)
	SetHomework(ctx context.Context, in wire.HomeworkInput) (wire.Homework, error)
	UpdateHomework(ctx context.Context, id int64, in wire.HomeworkInput) (wire.Homework, error)
	DeleteHomework(ctx context.Context, id int64) error
	AddHomeworkFile(ctx context.Context, id int64, name string, r io.Reader, size int64) (wire.HomeworkFile, error)
	DeleteHomeworkFile(ctx context.Context, id, fileID int64) error
	HomeworkFile(ctx context.Context, id, fileID int64, w io.Writer) (string, int64, error)
	SetHomeworkProgress(ctx context.Context, id int64, state string) (wire.HomeworkWork, error)
	HandInText(ctx context.Context, id int64, text string) (wire.HomeworkWork, error)
	HandInFile(ctx context.Context, id int64, name string, r io.Reader, size int64) (wire.HomeworkFile, error)
	OwnHandInFile(ctx context.Context, id, fileID int64, w io.Writer) (string, int64, error)
	DeleteHandInFile(ctx context.Context, id, fileID int64) error
	HomeworkHandins(ctx context.Context, id int64) (wire.HomeworkHandins, error)
	HomeworkHandin(ctx context.Context, id int64, login string) (wire.HomeworkWork, error)
	HomeworkFeedback(ctx context.Context, id int64, login, text string) (wire.HomeworkWork, error)
	HandInFileOf(ctx context.Context, id int64, login string, fileID int64, w io.Writer) (string, int64, error)
	HomeworkOverview(ctx context.Context, group string, all bool) (wire.HomeworkOverview, error)
}

// hwKey is the homework screen's key in u.screens.
const hwKey = wire.ModuleHomework

func init() {
	registerTile(tile{key: wire.ModuleHomework, title: "homework.title", icon: theme.DocumentCreateIcon, order: 15, module: true,
		// The secretary neither sets nor does homework: the list would
		// always be empty.
		visible: func(s *wire.Session) bool { return s.User.Role != wire.RoleSecretary },
		open:    func(u *UI) { u.showHomework() },
		badge:   homeworkToDo})
}

// homeworkAPI is the UI's client as a HomeworkAPI, or nil.
func (u *UI) homeworkAPI() HomeworkAPI {
	h, _ := u.api.(HomeworkAPI)
	return h
}

// homeworkToDo counts, for the home tile, a pupil's homework that waits
// for them: new ones and overdue ones. Teachers get no count: what they
// look for (hand-ins) is in the overview.
func homeworkToDo(ctx context.Context, u *UI) (int, error) {
	api := u.homeworkAPI()
	if api == nil || u.sess == nil || u.sess.User.Role != wire.RolePupil {
		return 0, nil
	}
	list, err := api.HomeworkList(ctx, serverapi.HomeworkQuery{})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range list {
		if h.Work != nil && (h.Work.State == wire.HomeworkNew || h.Work.State == wire.HomeworkOverdue) {
			n++
		}
	}
	return n, nil
}

// HomeworkScreen is the list of homework. A pupil sees theirs, what is
// still to do first, each with a big coloured state and the server's
// sentence of where they stand ("Fällig bis Mittwoch, 02.12.2026 (noch
// 2 Tage)."), which a parent looking over the shoulder understands at a
// glance. A teacher sees the homework of their classes with how many
// handed in, a button to set a new one and one for the class overview.
//
// One homework, the editor, a homework's hand-ins and the class overview
// replace the list while they are open (Work, Editor, Handins, Classes;
// nil otherwise); "Zurück" brings the list back, loaded anew.
type HomeworkScreen struct {
	New      *widget.Button // teachers: "Neue Hausaufgabe"
	Overview *widget.Button // teachers: the class overview
	Group    *widget.Select // teachers: one class or all
	Older    *widget.Check  // also homework due more than four weeks ago
	Reload   *widget.Button
	Heading  *widget.Label
	Message  *widget.Label // the server's answer, or news ("gestellt")
	Empty    *widget.Label // instead of the rows when there is nothing
	Rows     []*HomeworkRow

	// The homework as last loaded, in the server's order.
	List []wire.Homework

	Work     *HomeworkWorkView     // a pupil's homework, while open
	Editor   *HomeworkEditor       // setting or changing one, while open
	Handins  *HomeworkHandinsView  // a homework's hand-ins, while open
	Classes  *HomeworkOverviewView // the class overview, while open
	Teaching bool                  // the person sets homework (teacher, admin)

	groups  []wire.HomeworkGroup // where the person may set homework
	api     HomeworkAPI
	u       *UI
	seq     int // drops the answers of loads that were overtaken
	rows    *fyne.Container
	scroll  *container.Scroll
	content fyne.CanvasObject
}

// HomeworkRow is a homework in the list: one big button with the state
// badge, the title and a line under it.
type HomeworkRow struct {
	Homework wire.Homework
	Open     *widget.Button
	Badge    *HomeworkBadge // pupils: their state; teachers: planned or done of all
	Late     *HomeworkBadge // pupils: handed in after the due day
	Feedback *HomeworkBadge // pupils: the teacher answered
	Title    *widget.Label
	Info     *widget.Label // pupils: the server's hint; teachers: class, due day, counts
}

// showHomework opens the list (built anew: homework changes while one
// looks elsewhere, and the states depend on the day).
func (u *UI) showHomework() {
	api := u.homeworkAPI()
	if api == nil || u.sess == nil {
		u.showError(userError(T("homework.unavailable")))
		return
	}
	s := &HomeworkScreen{api: api, u: u}
	role := u.sess.User.Role
	s.Teaching = role == wire.RoleTeacher || role == wire.RoleAdmin
	s.New = widget.NewButtonWithIcon(T("homework.new"), theme.ContentAddIcon(), func() { s.openEditor(nil) })
	s.New.Importance = widget.HighImportance
	s.Overview = widget.NewButtonWithIcon(T("homework.overview"), theme.GridIcon(), func() { s.openOverview("") })
	s.Group = widget.NewSelect(nil, func(string) { s.load("") })
	s.Group.PlaceHolder = T("homework.group.all")
	s.Older = widget.NewCheck(T("homework.older"), func(bool) { s.load("") })
	s.Reload = widget.NewButtonWithIcon(T("homework.reload"), theme.ViewRefreshIcon(), func() { s.load("") })
	s.Heading = widget.NewLabelWithStyle(T("homework.heading.pupil"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Heading.SizeName = theme.SizeNameSubHeadingText
	s.Message = newMessage()
	s.Empty = widget.NewLabelWithStyle(T("homework.empty.pupil"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.Empty.Wrapping = fyne.TextWrapWord
	s.Empty.Hide()
	if s.Teaching {
		s.Heading.SetText(T("homework.heading.teacher"))
		s.Empty.SetText(T("homework.empty.teacher"))
	}
	s.rows = container.NewVBox()
	s.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(s.rows, s.Empty)))

	showIf(s.New, s.Teaching)
	showIf(s.Overview, s.Teaching)
	showIf(s.Group, s.Teaching)
	bar := container.NewHBox()
	if s.Teaching {
		bar.Add(s.New)
		bar.Add(s.Overview)
		bar.Add(container.NewGridWrap(fyne.NewSize(200, s.Group.MinSize().Height), s.Group))
	}
	bar.Add(s.Older)
	bar.Add(spacer())
	bar.Add(s.Reload)
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(bar), s.Heading, s.Message), nil, nil, nil, s.scroll)
	u.setScreen(hwKey, s)
	s.back("")
}

// back shows the list again, loaded anew, with a note above it.
func (s *HomeworkScreen) back(note string) {
	s.Work, s.Editor, s.Handins, s.Classes = nil, nil, nil, nil
	s.u.openScreen(T("homework.title"), s.content)
	s.load(note)
}

// groupName is the class the filter shows, "" for all.
func (s *HomeworkScreen) groupName() string {
	for _, g := range s.groups {
		if hwGroupTitle(g) == s.Group.Selected {
			return g.Name
		}
	}
	return ""
}

// load asks for the list (and, for teachers, where they may set
// homework, once).
func (s *HomeworkScreen) load(note string) {
	s.seq++
	seq := s.seq
	q := serverapi.HomeworkQuery{Group: s.groupName(), All: s.Older.Checked}
	needGroups := s.Teaching && s.groups == nil
	var list []wire.Homework
	var groups []wire.HomeworkGroup
	s.u.runInSession(func(ctx context.Context) error {
		if needGroups {
			var err error
			if groups, err = s.api.HomeworkGroups(ctx); err != nil {
				return err
			}
		}
		var err error
		list, err = s.api.HomeworkList(ctx, q)
		return err
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if err != nil {
			hwFail(s.u, s.Message, err)
			return
		}
		if needGroups {
			s.setGroups(groups)
		}
		if note != "" {
			setInfo(s.Message, note)
		} else {
			clearMessage(s.Message)
		}
		s.List = list
		s.layout()
	})
}

// setGroups fills the class filter.
func (s *HomeworkScreen) setGroups(groups []wire.HomeworkGroup) {
	s.groups = groups
	if s.groups == nil {
		s.groups = []wire.HomeworkGroup{} // loaded, if empty
	}
	opts := []string{T("homework.group.all")}
	for _, g := range groups {
		opts = append(opts, hwGroupTitle(g))
	}
	s.Group.Options = opts
	s.Group.Refresh()
}

// layout shows the rows of the list.
func (s *HomeworkScreen) layout() {
	s.Rows = nil
	s.rows.Objects = nil
	for _, h := range s.List {
		r := s.row(h)
		s.Rows = append(s.Rows, r)
		s.rows.Add(r.object())
	}
	showIf(s.Empty, len(s.Rows) == 0)
	s.rows.Refresh()
	s.scroll.Refresh()
}

func (s *HomeworkScreen) row(h wire.Homework) *HomeworkRow {
	r := &HomeworkRow{Homework: h, Badge: newHomeworkBadge(), Late: newSmallHomeworkBadge(), Feedback: newSmallHomeworkBadge()}
	r.Open = widget.NewButton("", func() { s.open(h) })
	r.Title = widget.NewLabelWithStyle(h.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Title.SizeName = theme.SizeNameSubHeadingText
	r.Title.Truncation = fyne.TextTruncateEllipsis
	r.Info = widget.NewLabel("")
	r.Info.Truncation = fyne.TextTruncateEllipsis
	r.Late.SetLate()
	r.Late.Hide()
	r.Feedback.SetFeedback()
	r.Feedback.Hide()
	switch {
	case h.Work != nil:
		r.Badge.SetState(h.Work.State)
		showIf(r.Late, h.Work.Late)
		showIf(r.Feedback, h.Work.Feedback != "")
		r.Info.SetText(T("homework.row.pupil", "Group", h.GroupTitle, "Hint", h.Work.Hint))
	default:
		if h.Planned {
			r.Badge.SetPlanned()
		} else if h.Counts != nil {
			r.Badge.SetCount(h.Counts.Done, h.Counts.Pupils)
		} else {
			r.Badge.Hide()
		}
		r.Info.SetText(hwTeacherLine(h))
	}
	return r
}

// object lays a row out: the button takes the tap, badge and texts lie
// on top of it.
func (r *HomeworkRow) object() fyne.CanvasObject {
	badges := container.NewHBox(container.NewCenter(r.Badge), container.NewCenter(r.Late), container.NewCenter(r.Feedback))
	return container.NewStack(r.Open, container.NewBorder(nil, nil, container.NewPadded(badges), nil,
		container.NewVBox(r.Title, r.Info)))
}

// open shows a homework: pupils their own work, teachers the hand-ins.
func (s *HomeworkScreen) open(h wire.Homework) {
	if h.Work != nil || !s.Teaching {
		s.openWork(h.ID)
		return
	}
	s.openHandins(h.ID, "", "")
}

// hwTeacherLine is a teacher's line under a homework: the class, the due
// day and how many handed in.
func hwTeacherLine(h wire.Homework) string {
	due := hwDueTitle(h)
	line := T("homework.row.teacher", "Group", h.GroupTitle, "Due", due)
	if h.Planned {
		if d, ok := calParseDay(h.Start); ok {
			line = T("homework.row.planned", "Group", h.GroupTitle, "Start", calShortDate(d), "Due", due)
		}
	}
	if c := h.Counts; c != nil && !h.Planned {
		line += " · " + hwCountsText(*c)
	}
	return line
}

// hwCountsText sums up a class's work: "3 von 24 abgegeben, 1 verspätet,
// 2 überfällig".
func hwCountsText(c wire.HomeworkCounts) string {
	text := T("homework.counts.handed_in", "Count", c.HandedIn, "Pupils", c.Pupils)
	if c.Late > 0 {
		text += ", " + T("homework.counts.late", "Count", c.Late)
	}
	if c.Overdue > 0 {
		text += ", " + T("homework.counts.overdue", "Count", c.Overdue)
	}
	return text
}

// hwDueTitle is the due day as people read it; the server's title is
// German ("Mittwoch, 02.12.2026"), so in English the client writes it.
func hwDueTitle(h wire.Homework) string {
	if Language() == "de" && h.DueTitle != "" {
		return h.DueTitle
	}
	if d, ok := calParseDay(h.Due); ok {
		return calWeekdayLong(d) + ", " + calShortDate(d)
	}
	return h.Due
}

// hwGroupTitle is a class's or group's name as the pickers show it.
func hwGroupTitle(g wire.HomeworkGroup) string {
	if g.Title != "" {
		return g.Title
	}
	return g.Name
}

// hwStateName is a state in the chosen language (the server's titles
// are German only).
func hwStateName(state string) string {
	switch state {
	case wire.HomeworkNew:
		return T("homework.state.new")
	case wire.HomeworkStarted:
		return T("homework.state.started")
	case wire.HomeworkDone:
		return T("homework.state.done")
	case wire.HomeworkOverdue:
		return T("homework.state.overdue")
	}
	return state
}

// The states' colours: the same everywhere (list, homework, hand-ins,
// overview), so a child learns them once. Dark enough for white text.
var (
	hwBlue   = color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff}
	hwOrange = color.NRGBA{R: 0xe6, G: 0x51, B: 0x00, A: 0xff}
	hwGreen  = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	hwRed    = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	hwBrown  = color.NRGBA{R: 0x6d, G: 0x4c, B: 0x41, A: 0xff}
	hwGrey   = color.NRGBA{R: 0x54, G: 0x6e, B: 0x7a, A: 0xff}
	hwPurple = color.NRGBA{R: 0x6a, G: 0x1b, B: 0x9a, A: 0xff}
)

func hwStateColour(state string) color.NRGBA {
	switch state {
	case wire.HomeworkNew:
		return hwBlue
	case wire.HomeworkStarted:
		return hwOrange
	case wire.HomeworkDone:
		return hwGreen
	case wire.HomeworkOverdue:
		return hwRed
	}
	return hwGrey
}

// HomeworkBadge is a big coloured label: a state (Neu blue, Begonnen
// orange, Erledigt green, Überfällig red), "verspätet", "Geplant" or a
// count. Colour and word together: a child who cannot read yet knows
// the colour, one who does not see colours reads the word.
type HomeworkBadge struct {
	widget.BaseWidget
	State string // the state shown ("" for other badges)
	Text  string // what it says

	bg    *canvas.Rectangle
	label *canvas.Text
	small bool
}

func newHomeworkBadge() *HomeworkBadge {
	b := &HomeworkBadge{bg: canvas.NewRectangle(hwGrey), label: canvas.NewText("", color.White)}
	b.bg.CornerRadius = 8
	b.label.TextStyle = fyne.TextStyle{Bold: true}
	b.label.Alignment = fyne.TextAlignCenter
	b.ExtendBaseWidget(b)
	return b
}

// newSmallHomeworkBadge is a badge for table cells.
func newSmallHomeworkBadge() *HomeworkBadge {
	b := newHomeworkBadge()
	b.small = true
	return b
}

// CreateRenderer draws the badge.
func (b *HomeworkBadge) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(b.bg, container.NewPadded(b.label)))
}

// MinSize keeps badges of one kind equally wide, so the titles beside
// them line up.
func (b *HomeworkBadge) MinSize() fyne.Size {
	b.ExtendBaseWidget(b)
	s := b.BaseWidget.MinSize()
	w, h := float32(150), float32(46)
	if b.small {
		w, h = 96, 0
	}
	return fyne.NewSize(max(s.Width, w), max(s.Height, h))
}

func (b *HomeworkBadge) set(text string, c color.Color) {
	b.Text = text
	b.label.Text = text
	b.label.TextSize = theme.TextSize() * 1.3
	if b.small {
		b.label.TextSize = theme.TextSize()
	}
	b.bg.FillColor = c
	b.Refresh()
}

// SetState shows a pupil's state.
func (b *HomeworkBadge) SetState(state string) {
	b.State = state
	b.set(hwStateName(state), hwStateColour(state))
}

// SetLate shows "verspätet".
func (b *HomeworkBadge) SetLate() {
	b.State = ""
	b.set(T("homework.late"), hwBrown)
}

// SetPlanned shows that the pupils do not see the homework yet.
func (b *HomeworkBadge) SetPlanned() {
	b.State = ""
	b.set(T("homework.planned"), hwGrey)
}

// SetCount shows how many of the class are done.
func (b *HomeworkBadge) SetCount(done, pupils int) {
	b.State = ""
	c := hwBlue
	if pupils > 0 && done == pupils {
		c = hwGreen
	}
	b.set(T("homework.badge.done_of", "Done", done, "Pupils", pupils), c)
}

// SetFeedback shows that a teacher gave feedback.
func (b *HomeworkBadge) SetFeedback() {
	b.State = ""
	b.set(T("homework.feedback.given"), hwPurple)
}

// hwShown is what the window shows now. An answer that would change the
// screen is dropped when the person went elsewhere while it was on the
// way: a slow server must not pull a child back to a homework they left.
func (u *UI) hwShown() fyne.CanvasObject {
	if len(u.body.Objects) == 0 {
		return nil
	}
	return u.body.Objects[0]
}

// hwFail shows the German answer of a failed call in a message line; an
// ended session or a locked account goes to the login instead.
func hwFail(u *UI, l *widget.Label, err error) {
	if calSessionGone(err) {
		u.handle(err)
		return
	}
	setProblem(l, hwErrorText(err))
}

// hwErrorText is what a person reads about an error: the client's own
// message for a file it refused, or the server's German one.
func hwErrorText(err error) string {
	var file *hwFileError
	if errors.As(err, &file) {
		return file.text()
	}
	return errorText(err)
}

// hwFileError is a file refused on this computer before any upload: over
// 20 MB, or not readable.
type hwFileError struct {
	name     string
	size     int64
	tooLarge bool
}

func (e *hwFileError) Error() string { return "ui: homework file " + e.name + " refused" }

// text is made on the UI goroutine, where the translations are read.
func (e *hwFileError) text() string {
	if e.tooLarge {
		return T("homework.file.too_large", "Name", e.name, "Size", mailSize(e.size), "Limit", wire.MaxUpload>>20)
	}
	return T("homework.file.unreadable", "Name", e.name)
}

// hwOpenFile opens a file to upload and checks it first: a file over
// 20 MB is refused here, before a byte goes over the network. It runs on
// the worker (the file may lie on a slow network drive).
func hwOpenFile(path string) (*os.File, int64, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, &hwFileError{name: name}
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, &hwFileError{name: name}
	}
	if st.Size() > wire.MaxUpload {
		f.Close()
		return nil, 0, &hwFileError{name: name, size: st.Size(), tooLarge: true}
	}
	return f, st.Size(), nil
}

// hwUpload uploads a file through send after the check of hwOpenFile.
func hwUpload(ctx context.Context, path string, send func(ctx context.Context, name string, r io.Reader, size int64) error) error {
	f, size, err := hwOpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return send(ctx, filepath.Base(path), f, size)
}

// hwSaveOpen downloads a file into the files folder and opens it with the
// system's viewer; say shows how it went. saved gets the path (tests read
// it). An answer after a logout is dropped and the file removed.
func (u *UI) hwSaveOpen(name string, fetch func(ctx context.Context, w io.Writer) error, say *widget.Label, saved *string) {
	sess := u.sess
	var path string
	u.run(func(ctx context.Context) error {
		var err error
		path, err = u.saveFile(name, func(w io.Writer) error { return fetch(ctx, w) })
		return err
	}, func(err error) {
		if sess == nil || u.sess == nil || u.sess.User.Login != sess.User.Login {
			if err == nil {
				os.Remove(path)
			}
			return
		}
		if err != nil {
			if serverapi.Code(err) == "" && !errors.Is(err, serverapi.ErrUnreachable) {
				setProblem(say, T("homework.file.save_failed", "Name", name)) // the local disk, not the server
				return
			}
			hwFail(u, say, err)
			return
		}
		*saved = path
		if err := u.opts.OpenFile(path); err != nil {
			setInfo(say, T("homework.file.saved_not_opened", "Name", filepath.Base(path), "Folder", filepath.Dir(path)))
			return
		}
		setInfo(say, T("homework.file.opened", "Name", filepath.Base(path)))
	})
}

// hwFileButton is a button that saves and opens a file: "Blatt.pdf (1,2 MB)".
func hwFileButton(f wire.HomeworkFile, tap func()) *widget.Button {
	b := widget.NewButtonWithIcon(T("homework.file.button", "Name", f.Name, "Size", mailSize(f.Size)), theme.FileIcon(), tap)
	b.Alignment = widget.ButtonAlignLeading
	return b
}

// hwField is a bold caption over an input.
func hwField(label string, w fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w)
}

// hwWrapped is a label that wraps long text (a homework's text, a
// hand-in, feedback).
func hwWrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// hwFilesText says what a pupil handed in: "Text und 2 Dateien".
func hwFilesText(w wire.HomeworkWork) string {
	n := w.FileCount
	if len(w.Files) > n {
		n = len(w.Files)
	}
	hasText := strings.TrimSpace(w.Text) != "" || (w.HandedIn && n == 0)
	switch {
	case !w.HandedIn:
		return T("homework.handin.nothing")
	case hasText && n > 0:
		return T("homework.handin.text_files", "Count", n)
	case n > 0:
		return T("homework.handin.files", "Count", n)
	}
	return T("homework.handin.text")
}
