package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// chatReportsKey is the admin's report tool, a tile of its own rather
// than a tab of the chat: an admin is in no room (the chat screen would
// be empty for them), and reading a report is a look into other people's
// chat that goes into the protocol — it should be a deliberate step, not
// a tab next to one's own messages.
const chatReportsKey = "chatreports"

func init() {
	registerTile(tile{key: chatReportsKey, title: "chatreports.title", icon: theme.WarningIcon, order: 55,
		visible: func(s *wire.Session) bool {
			return s.User.Role == wire.RoleAdmin && slices.Contains(s.Modules, wire.ModuleChat)
		},
		open:  func(u *UI) { u.showChatReports() },
		badge: chatOpenReports})
}

// chatOpenReports counts the open reports, for the tile.
func chatOpenReports(ctx context.Context, u *UI) (int, error) {
	api := u.chatAPI()
	if api == nil {
		return 0, nil
	}
	list, err := api.AdminChatReports(ctx, wire.ChatReportOpen)
	return len(list), err
}

// ChatReportsScreen is the admin's list of chat reports (open ones, or
// the closed ones) without any chat content; opening an open report
// shows its window (ChatReportView).
type ChatReportsScreen struct {
	State   *widget.RadioGroup // open or closed reports
	Reload  *widget.Button
	Reports []wire.ChatReport
	Items   []*widget.Button // one per report
	Empty   *widget.Label
	Status  *widget.Label
	// View is the report opened (nil while the list shows).
	View *ChatReportView

	api     ChatAPI
	state   string
	states  map[string]string // title shown -> state
	listBox *fyne.Container
	list    fyne.CanvasObject
	body    *fyne.Container
	seq     int
}

// ChatReportView is one report: who reported whom for what, and — for an
// open report — exactly the messages the server answers: the reported
// one with up to 20 before and after it. The screen asks for nothing
// else of the room. Closing needs a note of what was done.
type ChatReportView struct {
	Report   wire.ChatReport
	Messages []wire.ChatMessage // the window as the server gave it
	Details  *widget.Label
	Notice   *widget.Label   // the look is in the protocol
	Lines    []*widget.Label // one per message of the window
	Note     *widget.Entry   // what was done
	Remove   *widget.Check   // also remove the message from its room
	Close    *widget.Button
	Back     *widget.Button
	Message  *widget.Label
}

func (u *UI) showChatReports() {
	api := u.chatAPI()
	if api == nil {
		u.showError(userError(T("chat.unavailable")))
		return
	}
	s := &ChatReportsScreen{api: api, state: wire.ChatReportOpen, listBox: container.NewVBox(), body: container.NewStack()}
	s.states = map[string]string{T("chatreports.open"): wire.ChatReportOpen, T("chatreports.closed"): wire.ChatReportClosed}
	s.State = widget.NewRadioGroup([]string{T("chatreports.open"), T("chatreports.closed")}, func(title string) {
		if st := s.states[title]; st != "" && st != s.state {
			s.state = st
			u.chatLoadReports(s)
		}
	})
	s.State.Horizontal = true
	s.State.Required = true
	s.State.Selected = T("chatreports.open")
	s.Reload = widget.NewButtonWithIcon(T("chatreports.reload"), theme.ViewRefreshIcon(), func() { u.chatLoadReports(s) })
	s.Empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.Empty.Hide()
	s.Status = widget.NewLabel("")
	s.Status.Wrapping = fyne.TextWrapWord
	s.Status.Hide()
	intro := widget.NewLabel(T("chatreports.intro", "Window", wire.ChatReportWindow))
	intro.Wrapping = fyne.TextWrapWord
	head := container.NewVBox(intro, container.NewHBox(s.State, spacer(), s.Reload), s.Status)
	s.list = container.NewBorder(head, nil, nil, nil, container.NewVScroll(container.NewVBox(s.Empty, s.listBox)))
	s.body.Objects = []fyne.CanvasObject{s.list}
	u.setScreen(chatReportsKey, s)
	u.openScreen(T("chatreports.title"), container.NewPadded(s.body))
	u.chatLoadReports(s)
}

// chatLoadReports loads the list of the chosen state.
func (u *UI) chatLoadReports(s *ChatReportsScreen) {
	s.seq++
	seq, state := s.seq, s.state
	var list []wire.ChatReport
	u.runInSession(func(ctx context.Context) error {
		var err error
		list, err = s.api.AdminChatReports(ctx, state)
		return err
	}, func(err error) {
		if seq != s.seq || u.chatFailed(err, s.setStatus) {
			return
		}
		s.Reports = list
		s.showList(u)
	})
}

func (s *ChatReportsScreen) setStatus(text string, danger bool) { mailSetLabel(s.Status, text, danger) }

// showList shows the reports, one button each (no chat content).
func (s *ChatReportsScreen) showList(u *UI) {
	s.listBox.RemoveAll()
	s.Items = nil
	for _, r := range s.Reports {
		r := r
		b := widget.NewButtonWithIcon(chatReportTitle(r), theme.WarningIcon(), func() { u.chatOpenReport(s, r) })
		b.Alignment = widget.ButtonAlignLeading
		s.Items = append(s.Items, b)
		s.listBox.Add(b)
	}
	if s.state == wire.ChatReportOpen {
		s.Empty.SetText(T("chatreports.none_open"))
	} else {
		s.Empty.SetText(T("chatreports.none_closed"))
	}
	showIf(s.Empty, len(s.Reports) == 0)
	s.listBox.Refresh()
}

// chatReportTitle is a report in the list: reason, room, who and when.
func chatReportTitle(r wire.ChatReport) string {
	return T("chatreports.item", "Reason", chatReasonTitle(wire.ChatReason{Key: r.Reason, Title: r.ReasonTitle}),
		"Room", r.RoomTitle, "Reporter", r.Reporter.Name, "Author", r.Author.Name, "Date", mailLongDate(r.CreatedAt))
}

// chatOpenReport opens a report: an open one with its window (the server
// writes the look into the protocol), a closed one with what was done.
func (u *UI) chatOpenReport(s *ChatReportsScreen, r wire.ChatReport) {
	u.touch()
	if r.Status != wire.ChatReportOpen {
		s.showView(u, wire.ChatReportView{Report: r}, false)
		return
	}
	var v wire.ChatReportView
	u.runInSession(func(ctx context.Context) error {
		var err error
		v, err = s.api.AdminChatReport(ctx, r.ID)
		return err
	}, func(err error) {
		if u.chatFailed(err, s.setStatus) {
			return
		}
		s.setStatus("", false)
		s.showView(u, v, true)
	})
}

// showView shows a report instead of the list.
func (s *ChatReportsScreen) showView(u *UI, v wire.ChatReportView, open bool) {
	r := v.Report
	view := &ChatReportView{Report: r, Messages: v.Messages}
	view.Details = widget.NewLabel(chatReportDetails(r))
	view.Details.Wrapping = fyne.TextWrapWord
	view.Back = widget.NewButtonWithIcon(T("chatreports.back"), theme.NavigateBackIcon(), func() { s.closeView(u) })
	view.Message = widget.NewLabel("")
	view.Message.Wrapping = fyne.TextWrapWord
	view.Message.Hide()
	top := container.NewVBox(container.NewHBox(view.Back), widget.NewLabelWithStyle(chatReportTitle(r), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), view.Details)
	var middle fyne.CanvasObject = widget.NewLabel("")
	var bottom fyne.CanvasObject = view.Message
	if open {
		view.Notice = widget.NewLabel(T("chatreports.notice", "Count", len(v.Messages)))
		view.Notice.Wrapping = fyne.TextWrapWord
		view.Notice.Importance = widget.WarningImportance
		top.Add(view.Notice)
		lines := container.NewVBox()
		for _, m := range v.Messages {
			l := widget.NewLabel(chatWindowLine(m))
			l.Wrapping = fyne.TextWrapWord
			if m.ID == r.Message {
				l.TextStyle = fyne.TextStyle{Bold: true}
				l.Importance = widget.DangerImportance
			}
			view.Lines = append(view.Lines, l)
			lines.Add(l)
		}
		middle = container.NewVScroll(lines)
		view.Note = widget.NewMultiLineEntry()
		view.Note.Wrapping = fyne.TextWrapWord
		view.Note.SetMinRowsVisible(2)
		view.Note.SetPlaceHolder(T("chatreports.note_hint"))
		view.Remove = widget.NewCheck(T("chatreports.remove"), nil)
		view.Close = widget.NewButtonWithIcon(T("chatreports.close"), theme.ConfirmIcon(), func() { u.chatCloseReport(s, view) })
		view.Close.Importance = widget.HighImportance
		view.Close.Disable()
		view.Note.OnChanged = func(text string) {
			u.touch()
			if strings.TrimSpace(text) == "" {
				view.Close.Disable()
			} else {
				view.Close.Enable()
			}
		}
		bottom = container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(T("chatreports.note"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			view.Note, view.Remove, view.Message, container.NewHBox(view.Close))
	}
	s.View = view
	s.body.Objects = []fyne.CanvasObject{container.NewBorder(top, bottom, nil, nil, middle)}
	s.body.Refresh()
}

// closeView goes back to the list; the window's messages are dropped
// with the view.
func (s *ChatReportsScreen) closeView(u *UI) {
	s.View = nil
	s.body.Objects = []fyne.CanvasObject{s.list}
	s.body.Refresh()
	u.chatLoadReports(s)
}

// chatCloseReport closes the open report with the note (and, if ticked,
// removes the message from its room).
func (u *UI) chatCloseReport(s *ChatReportsScreen, v *ChatReportView) {
	note := strings.TrimSpace(v.Note.Text)
	if note == "" {
		return
	}
	remove := v.Remove.Checked
	v.Close.Disable()
	u.runInSession(func(ctx context.Context) error {
		_, err := s.api.AdminCloseChatReport(ctx, v.Report.ID, note, remove)
		return err
	}, func(err error) {
		v.Close.Enable()
		if u.chatFailed(err, func(text string, danger bool) { mailSetLabel(v.Message, text, danger) }) {
			return
		}
		if s.View == v {
			s.setStatus(T("chatreports.closed_done"), false)
			s.closeView(u)
		}
	})
}

// chatReportDetails are a report's facts, without the message's text.
func chatReportDetails(r wire.ChatReport) string {
	lines := []string{
		T("chatreports.reporter", "Name", r.Reporter.Name),
		T("chatreports.author", "Name", r.Author.Name),
		T("chatreports.room", "Room", r.RoomTitle),
	}
	if r.Teacher != nil {
		lines = append(lines, T("chatreports.teacher", "Name", r.Teacher.Name))
	}
	if r.Note != "" {
		lines = append(lines, T("chatreports.reporter_note", "Note", r.Note))
	}
	if r.Status == wire.ChatReportClosed {
		lines = append(lines, T("chatreports.closed_by", "Name", r.ClosedBy, "Note", r.CloseNote))
		if r.Removed {
			lines = append(lines, T("chatreports.was_removed"))
		}
	}
	return strings.Join(lines, "\n")
}

// chatWindowLine is a message of a report's window; deleted ones keep
// their text, marked (deleting after a report hides nothing).
func chatWindowLine(m wire.ChatMessage) string {
	from := m.From.Name
	if m.System {
		from = T("chat.system_sender")
	}
	line := T("chatreports.line", "Time", mailLongDate(m.SentAt), "Name", from, "Text", m.Body)
	if m.Deleted {
		line += " " + T("chatreports.deleted")
	}
	return line
}
