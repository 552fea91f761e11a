package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The school's settings for naming a teacher in a report
// (wire.ChatReportOptions.Teacher).
const (
	chatTeacherOff      = "off"
	chatTeacherRequired = "required"
	chatReasonOther     = "other" // needs a note
)

// ChatReportForm is "Melden": the message quoted, the reasons to pick
// from, a note, and — where the school wants it — the teacher who is to
// know. Send stays off until what the server needs is there, so a child
// does not meet an error for a forgotten choice.
type ChatReportForm struct {
	Dialog  *dialog.CustomDialog
	Quote   *widget.Label
	Reasons *widget.RadioGroup
	Note    *widget.Entry
	Teacher *widget.RadioGroup // nil when the school names no teacher
	Message *widget.Label      // the server's refusal
	Send    *widget.Button
	Cancel  *widget.Button

	Options  wire.ChatReportOptions
	message  wire.ChatMessage
	reasons  map[string]string // title shown -> key
	teachers map[string]string // name shown -> login
}

// chatAskReport opens the report form for a message (the school's
// reasons and teachers are asked for once per screen).
func (u *UI) chatAskReport(s *ChatScreen, m wire.ChatMessage) {
	u.touch()
	s.mu.Lock()
	opts := s.options
	s.mu.Unlock()
	if opts != nil {
		u.chatShowReportForm(s, m, *opts)
		return
	}
	var o wire.ChatReportOptions
	u.runInSession(func(ctx context.Context) error {
		var err error
		o, err = s.api.ChatReportOptions(ctx)
		return err
	}, func(err error) {
		s.mu.Lock()
		failed := u.chatFailed(err, s.setStatus)
		if !failed {
			s.options = &o
		}
		s.mu.Unlock()
		if !failed {
			u.chatShowReportForm(s, m, o)
		}
	})
}

func (u *UI) chatShowReportForm(s *ChatScreen, m wire.ChatMessage, o wire.ChatReportOptions) {
	f := &ChatReportForm{Options: o, message: m, reasons: map[string]string{}, teachers: map[string]string{}}
	bold := func(text string) *widget.Label {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	f.Quote = widget.NewLabelWithStyle(T("chat.report.quote", "Text", chatQuote(m.Body)), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	f.Quote.Wrapping = fyne.TextWrapWord
	var titles []string
	for _, r := range o.Reasons {
		t := chatReasonTitle(r)
		f.reasons[t] = r.Key
		titles = append(titles, t)
	}
	f.Reasons = widget.NewRadioGroup(titles, func(string) { f.update() })
	f.Note = widget.NewMultiLineEntry()
	f.Note.Wrapping = fyne.TextWrapWord
	f.Note.SetMinRowsVisible(2)
	f.Note.SetPlaceHolder(T("chat.report.note_hint"))
	f.Note.OnChanged = func(string) {
		u.touch()
		f.update()
	}
	f.Message = widget.NewLabel("")
	f.Message.Wrapping = fyne.TextWrapWord
	f.Message.Hide()
	f.Send = widget.NewButtonWithIcon(T("chat.report.send"), theme.WarningIcon(), func() { u.chatSendReport(s, f) })
	f.Send.Importance = widget.WarningImportance
	f.Cancel = widget.NewButtonWithIcon(T("chat.report.cancel"), theme.CancelIcon(), func() {
		f.Dialog.Hide()
		s.Report = nil
	})

	form := container.NewVBox(
		bold(T("chat.report.intro", "Name", m.From.Name)), f.Quote,
		bold(T("chat.report.why")), f.Reasons,
		f.Note,
	)
	if o.Teacher != chatTeacherOff && len(o.Teachers) > 0 {
		var names []string
		for _, t := range o.Teachers {
			name := t.Name
			if _, taken := f.teachers[name]; taken {
				name = T("chat.report.teacher_login", "Name", t.Name, "Login", t.Login)
			}
			f.teachers[name] = t.Login
			names = append(names, name)
		}
		f.Teacher = widget.NewRadioGroup(names, func(string) { f.update() })
		which := T("chat.report.teacher_optional")
		if o.Teacher == chatTeacherRequired {
			which = T("chat.report.teacher_required")
		}
		form.Add(bold(which))
		// Staff may name any teacher of the school: a long list scrolls.
		if len(names) > 6 {
			sc := container.NewVScroll(f.Teacher)
			sc.SetMinSize(fyne.NewSize(0, 220))
			form.Add(sc)
		} else {
			form.Add(f.Teacher)
		}
	}
	who := widget.NewLabel(T("chat.report.who_sees", "Window", wire.ChatReportWindow))
	who.Wrapping = fyne.TextWrapWord
	who.Importance = widget.LowImportance
	form.Add(who)
	form.Add(f.Message)
	f.update()

	f.Dialog = dialog.NewCustomWithoutButtons(T("chat.report.title"), container.NewVScroll(form), u.win)
	f.Dialog.SetButtons([]fyne.CanvasObject{f.Cancel, f.Send})
	f.Dialog.Resize(fyne.NewSize(540, 620))
	s.Report = f
	f.Dialog.Show()
}

// update lets Send go when the form holds what the server needs.
func (f *ChatReportForm) update() {
	key := f.reasons[f.Reasons.Selected]
	ok := key != "" && (key != chatReasonOther || strings.TrimSpace(f.Note.Text) != "")
	// With no teacher offered (a person without classes) the server is
	// asked anyway and says what is missing: Send is never off for good.
	if f.Options.Teacher == chatTeacherRequired && f.Teacher != nil && f.Teacher.Selected == "" {
		ok = false
	}
	if ok {
		f.Send.Enable()
	} else {
		f.Send.Disable()
	}
}

// chatSendReport sends the report. A refusal (reported already, a note
// missing) stays in the form; after the report the message's button says
// "Gemeldet".
func (u *UI) chatSendReport(s *ChatScreen, f *ChatReportForm) {
	req := wire.ChatReportRequest{Reason: f.reasons[f.Reasons.Selected], Note: strings.TrimSpace(f.Note.Text)}
	teacher := ""
	if f.Teacher != nil && f.Teacher.Selected != "" {
		teacher = f.Teacher.Selected
		req.Teacher = f.teachers[teacher]
	}
	id := f.message.ID
	f.Send.Disable()
	var rep wire.ChatReport
	u.runInSession(func(ctx context.Context) error {
		var err error
		rep, err = s.api.ChatReport(ctx, id, req)
		return err
	}, func(err error) {
		f.update()
		if err != nil && serverapi.Code(err) != wire.CodeConflict {
			u.chatFailed(err, func(text string, danger bool) { mailSetLabel(f.Message, text, danger) })
			return
		}
		f.Dialog.Hide()
		if s.Report == f {
			s.Report = nil
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.reported[id] = true
		for _, r := range s.Rows {
			if r.Message.ID == id {
				r.set(s, r.Message)
			}
		}
		switch {
		case err != nil: // reported before (on another computer)
			s.setStatus(serverapi.Message(err), false)
		case rep.Teacher != nil:
			s.setStatus(T("chat.report.thanks_teacher", "Name", rep.Teacher.Name), false)
		default:
			s.setStatus(T("chat.report.thanks"), false)
		}
	})
}

// chatReasonTitle is a reason as the person reads it: the server's
// German title, or the English one for the reasons the client knows.
func chatReasonTitle(r wire.ChatReason) string {
	if Language() == "de" {
		return r.Title
	}
	key := "chat.reason." + r.Key
	if t := T(key); t != key && t != "" {
		return t
	}
	return r.Title
}

// ChatMyReports lists the reports the person made and, for a teacher,
// those that name them — without the messages' texts (only an admin
// opens a report's window).
type ChatMyReports struct {
	Dialog  *dialog.CustomDialog
	Lines   []*widget.Label
	Reports []wire.ChatReport
	Close   *widget.Button
}

// chatShowMyReports loads and shows the own and the naming reports.
func (u *UI) chatShowMyReports(s *ChatScreen) {
	u.touch()
	var list []wire.ChatReport
	u.runInSession(func(ctx context.Context) error {
		var err error
		list, err = s.api.ChatReports(ctx)
		return err
	}, func(err error) {
		s.mu.Lock()
		failed := u.chatFailed(err, s.setStatus)
		if !failed {
			s.newNamed = 0
			s.MyReports.SetText(T("chat.my_reports"))
			s.MyReports.Importance = widget.MediumImportance
			s.MyReports.Refresh()
		}
		s.mu.Unlock()
		if failed {
			return
		}
		m := &ChatMyReports{Reports: list}
		box := container.NewVBox()
		if len(list) == 0 {
			box.Add(widget.NewLabelWithStyle(T("chat.my_reports.none"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
		}
		for _, r := range list {
			l := widget.NewLabel(chatReportLine(r, s.login))
			l.Wrapping = fyne.TextWrapWord
			m.Lines = append(m.Lines, l)
			box.Add(l)
			box.Add(widget.NewSeparator())
		}
		m.Close = widget.NewButton(T("chat.my_reports.close"), func() {
			m.Dialog.Hide()
			if s.Reports == m {
				s.Reports = nil
			}
		})
		m.Dialog = dialog.NewCustomWithoutButtons(T("chat.my_reports"), container.NewVScroll(box), u.win)
		m.Dialog.SetButtons([]fyne.CanvasObject{m.Close})
		m.Dialog.Resize(fyne.NewSize(560, 460))
		s.Reports = m
		m.Dialog.Show()
	})
}

// chatReportLine says in one line what a report is about and where it
// stands.
func chatReportLine(r wire.ChatReport, me string) string {
	reason := chatReasonTitle(wire.ChatReason{Key: r.Reason, Title: r.ReasonTitle})
	var b strings.Builder
	if r.Reporter.Login == me {
		b.WriteString(T("chat.my_reports.mine", "Reason", reason, "Author", r.Author.Name, "Room", r.RoomTitle, "Date", mailLongDate(r.CreatedAt)))
	} else {
		b.WriteString(T("chat.my_reports.named", "Reason", reason, "Reporter", r.Reporter.Name, "Author", r.Author.Name, "Room", r.RoomTitle, "Date", mailLongDate(r.CreatedAt)))
	}
	if r.Note != "" {
		b.WriteString("\n" + T("chat.my_reports.note", "Note", r.Note))
	}
	b.WriteString("\n")
	if r.Status == wire.ChatReportClosed {
		b.WriteString(T("chat.my_reports.closed", "Note", r.CloseNote))
	} else {
		b.WriteString(T("chat.my_reports.open"))
	}
	return b.String()
}
