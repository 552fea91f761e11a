package ui

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// MailAPI is what the mail screens need from the server.
type MailAPI interface {
	MailFolders(ctx context.Context) ([]wire.MailFolder, error)
	MailPage(ctx context.Context, folder, cursor string, limit int) (wire.MailPage, error)
	MailSearch(ctx context.Context, q, folder, cursor string, limit int) (wire.MailPage, error)
	MailMessage(ctx context.Context, id int64) (wire.MailMessage, error)
	MailSetRead(ctx context.Context, id int64, read bool) error
	MailTrash(ctx context.Context, id int64) error
	MailRestore(ctx context.Context, id int64) error
	MailDelete(ctx context.Context, id int64) error
	MailSend(ctx context.Context, m wire.MailSend) (wire.MailMessage, error)
	MailUpload(ctx context.Context, name string, r io.Reader, size int64) (wire.MailUpload, error)
	MailDeleteUpload(ctx context.Context, id int64) error
	MailDownload(ctx context.Context, messageID, attachmentID int64, w io.Writer) (string, int64, error)
	MailRecipients(ctx context.Context, q string, limit int) ([]wire.MailSuggestion, error)
}

// mailPageSize is how many messages a page of a folder shows: enough to
// see a school day's mail at once, few enough that a child's list stays
// short and a page loads at once on the school's network.
const mailPageSize = 25

// Keys of the mail screens in u.screens.
const (
	mailKey        = wire.ModuleMail
	mailComposeKey = wire.ModuleMail + ".compose"
)

// mailFolders are the folders in the order the buttons show them.
var mailFolders = []string{wire.MailInbox, wire.MailSent, wire.MailTrash}

func init() {
	registerTile(tile{key: wire.ModuleMail, title: "mail.title", icon: theme.MailComposeIcon, order: 10, module: true,
		open:  func(u *UI) { u.showMail() },
		badge: mailUnread})
}

// mailUnread counts the unread messages in the inbox, for the home tile.
func mailUnread(ctx context.Context, u *UI) (int, error) {
	folders, err := u.api.MailFolders(ctx)
	if err != nil {
		return 0, err
	}
	for _, f := range folders {
		if f.Name == wire.MailInbox {
			return f.Unread, nil
		}
	}
	return 0, nil
}

// MailScreen is the mailbox: a row of big buttons (write, the three
// folders), the search, the current folder's messages (or the search's
// results) with paging on the left and the reading pane on the right.
type MailScreen struct {
	Compose *widget.Button            // "Neue Nachricht", or "Weiterschreiben" while a draft is open
	Folders map[string]*widget.Button // inbox, sent, trash, with the unread count
	Reload  *widget.Button
	Search  *MailSearchBar
	Heading *widget.Label // the current folder's name (or the search) above the list
	Status  *widget.Label // short answers: sent, moved to the trash, a refusal
	List    *widget.List
	Empty   *widget.Label // shown instead of the list when the folder is empty
	Newer   *widget.Button
	Older   *widget.Button
	Page    *widget.Label
	Reader  *MailReader
	// ConfirmReplace asks before a reply or forward replaces a draft the
	// person has worked on (while it is asked).
	ConfirmReplace *dialog.ConfirmDialog

	// Folder is the folder shown (or searched); Messages its current page
	// (or the search's); Counts the folders' totals and unread counts as
	// last loaded.
	Folder   string
	Messages []wire.MailSummary
	Counts   map[string]wire.MailFolder

	cursor  string   // the cursor of the page shown ("" for the first)
	back    []string // the cursors of the pages before it, for "Neuere"
	next    string   // the cursor of the following page, "" on the last
	seq     int      // drops the answers of loads that were overtaken
	lang    string   // the language the screen was built in
	content fyne.CanvasObject
}

// showMail opens the mailbox (kept while the session lasts, so coming
// back from the home screen finds the same folder and page).
func (u *UI) showMail() {
	s, ok := u.screen(mailKey).(*MailScreen)
	if !ok || s.lang != Language() {
		// Screens are rebuilt in a newly chosen language; the folder stays.
		folder := wire.MailInbox
		if ok {
			folder = s.Folder
		}
		s = u.newMailScreen()
		s.Folder = folder
		s.showFolder()
		u.setScreen(mailKey, s)
	}
	s.updateCompose(u)
	u.openScreen(T("mail.title"), s.content)
	u.loadMail(s)
}

func (u *UI) newMailScreen() *MailScreen {
	s := &MailScreen{Folder: wire.MailInbox, Folders: map[string]*widget.Button{}, Counts: map[string]wire.MailFolder{}, lang: Language()}
	s.Compose = widget.NewButtonWithIcon(T("mail.compose.new"), theme.MailComposeIcon(), func() { u.composeNew() })
	s.Compose.Importance = widget.SuccessImportance
	bar := container.NewHBox(s.Compose, widget.NewSeparator())
	icons := map[string]fyne.Resource{wire.MailInbox: theme.DownloadIcon(), wire.MailSent: theme.MailSendIcon(), wire.MailTrash: theme.DeleteIcon()}
	for _, f := range mailFolders {
		f := f
		b := widget.NewButtonWithIcon(mailFolderTitle(f), icons[f], func() { u.mailOpenFolder(s, f) })
		s.Folders[f] = b
		bar.Add(b)
	}
	s.Reload = widget.NewButtonWithIcon(T("mail.reload"), theme.ViewRefreshIcon(), func() { u.loadMail(s) })
	bar.Add(spacer())
	bar.Add(s.Reload)

	s.Heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Heading.SizeName = theme.SizeNameSubHeadingText
	s.Status = widget.NewLabel("")
	s.Status.Wrapping = fyne.TextWrapWord
	s.Status.Hide()
	s.Empty = widget.NewLabelWithStyle(T("mail.empty"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.Empty.Hide()
	s.List = widget.NewList(
		func() int { return len(s.Messages) },
		func() fyne.CanvasObject { return newMailRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.Messages) {
				m := s.Messages[i]
				o.(*mailRow).set(m, s.rowFolder(m), s.rowWhere(m), u.opts.Now())
			}
		})
	s.List.OnSelected = func(i widget.ListItemID) { u.mailOpenMessage(s, i) }
	s.Newer = widget.NewButtonWithIcon(T("mail.newer"), theme.NavigateBackIcon(), func() { u.mailNewer(s) })
	s.Older = widget.NewButtonWithIcon(T("mail.older"), theme.NavigateNextIcon(), func() { u.mailOlder(s) })
	s.Older.IconPlacement = widget.ButtonIconTrailingText
	s.Page = widget.NewLabel("")
	s.Reader = u.newMailReader(s)
	s.Search = u.newMailSearchBar(s)

	paging := container.NewHBox(s.Newer, spacer(), s.Page, spacer(), s.Older)
	list := container.NewBorder(container.NewVBox(s.Search.content, s.Heading), paging, nil, nil,
		container.NewStack(s.List, container.NewCenter(s.Empty)))
	split := container.NewHSplit(list, s.Reader.content)
	split.Offset = 0.42
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(bar), s.Status), nil, nil, nil, split)
	s.showFolder()
	return s
}

// mailOpenFolder switches to a folder's first page (ending a search).
func (u *UI) mailOpenFolder(s *MailScreen, folder string) {
	s.Search.reset()
	s.Folder, s.cursor, s.back, s.next = folder, "", nil, ""
	s.Messages = nil
	s.List.UnselectAll()
	s.List.Refresh()
	s.Reader.clear()
	s.setStatus("", false)
	s.showFolder()
	s.Empty.Hide() // not known yet
	u.loadMail(s)
}

// mailOlder and mailNewer page through the folder. The server pages by
// cursor (the last id of a page), so the way back is a stack of the
// cursors that led here.
func (u *UI) mailOlder(s *MailScreen) {
	if s.next == "" {
		return
	}
	s.back = append(s.back, s.cursor)
	s.cursor = s.next
	s.Reader.clear()
	u.loadMail(s)
}

func (u *UI) mailNewer(s *MailScreen) {
	if len(s.back) == 0 {
		return
	}
	s.cursor = s.back[len(s.back)-1]
	s.back = s.back[:len(s.back)-1]
	s.Reader.clear()
	u.loadMail(s)
}

// loadMail loads the folder counts and the current page (of the folder,
// or of the search's results).
func (u *UI) loadMail(s *MailScreen) {
	s.seq++
	seq, cursor, load := s.seq, s.cursor, s.pageLoader(u.api)
	var folders []wire.MailFolder
	var page wire.MailPage
	s.Newer.Disable()
	s.Older.Disable()
	u.run(func(ctx context.Context) error {
		var err error
		if folders, err = u.api.MailFolders(ctx); err != nil {
			return err
		}
		page, err = load(ctx, cursor)
		return err
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if u.mailFailed(err, s.setStatus) {
			s.updatePaging()
			return
		}
		if len(page.Messages) == 0 && len(s.back) > 0 {
			// The last messages of this page went (to the trash, or
			// elsewhere): show the page before.
			u.mailNewer(s)
			return
		}
		for _, f := range folders {
			s.Counts[f.Name] = f
		}
		s.Messages, s.next = page.Messages, page.Next
		s.List.UnselectAll()
		s.List.Refresh()
		if s.Reader.Message != nil && s.index(s.Reader.Message.ID) < 0 {
			s.Reader.clear()
		}
		s.showFolder()
		s.updatePaging()
	})
}

// index is the position of a message on the page, or -1.
func (s *MailScreen) index(id int64) int {
	for i, m := range s.Messages {
		if m.ID == id {
			return i
		}
	}
	return -1
}

// showFolder shows which folder is open and the unread counts.
func (s *MailScreen) showFolder() {
	for _, f := range mailFolders {
		b := s.Folders[f]
		text := mailFolderTitle(f)
		if n := s.Counts[f].Unread; n > 0 && f != wire.MailTrash {
			text = T("mail.folder.unread", "Title", text, "Count", n)
		}
		b.SetText(text)
		if f == s.Folder && !(s.searching() && s.Search.InAll) {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	s.Heading.SetText(s.heading())
	s.Empty.SetText(s.emptyText())
	if len(s.Messages) == 0 {
		s.Empty.Show()
	} else {
		s.Empty.Hide()
	}
}

func (s *MailScreen) updatePaging() {
	if len(s.back) > 0 {
		s.Newer.Enable()
	} else {
		s.Newer.Disable()
	}
	if s.next != "" {
		s.Older.Enable()
	} else {
		s.Older.Disable()
	}
	if len(s.back) == 0 && s.next == "" {
		s.Page.SetText("")
	} else {
		s.Page.SetText(T("mail.page", "Page", len(s.back)+1))
	}
}

// updateCompose names the write button after what it does: while a
// draft is open it takes the person back to it.
func (s *MailScreen) updateCompose(u *UI) {
	if _, ok := u.screen(mailComposeKey).(*MailComposeScreen); ok {
		s.Compose.SetText(T("mail.compose.continue"))
	} else {
		s.Compose.SetText(T("mail.compose.new"))
	}
}

// setStatus shows a short answer above the list (danger: in red, for
// refusals).
func (s *MailScreen) setStatus(text string, danger bool) {
	mailSetLabel(s.Status, text, danger)
}

// mailSetLabel shows text in a message label, red for refusals, and
// hides the label when there is nothing to say.
func mailSetLabel(l *widget.Label, text string, danger bool) {
	if danger {
		l.Importance = widget.DangerImportance
	} else {
		l.Importance = widget.MediumImportance
	}
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// mailFailed shows the German message of err where the person is looking
// (say) and reports whether there was an error. An ended session or a
// locked account goes to the login instead; after a logout an answer
// that arrives late shows nothing.
func (u *UI) mailFailed(err error, say func(text string, danger bool)) bool {
	if err == nil {
		return false
	}
	if u.sess == nil {
		return true
	}
	switch serverapi.Code(err) {
	case wire.CodeUnauthenticated, wire.CodeAccountLocked:
		u.handle(err)
		return true
	}
	say(mailErrorText(err), true)
	return true
}

// mailErrorText is what a person reads about an error: the server's
// German message, or the client's own.
func mailErrorText(err error) string {
	var file *mailFileError
	switch {
	case errors.As(err, &file):
		return file.text()
	case errors.Is(err, errLocal):
		return err.Error()
	}
	return serverapi.Message(err)
}

// mailFolderTitle is a folder's name in the chosen language (the server's
// titles are German only).
func mailFolderTitle(folder string) string {
	switch folder {
	case wire.MailSent:
		return T("mail.folder.sent")
	case wire.MailTrash:
		return T("mail.folder.trash")
	}
	return T("mail.folder.inbox")
}

// mailRow is a line of the message list: a dot for unread mail, who it
// is from (in the sent folder: to), the subject, a clip for attachments
// and the date, and under it the folder in a search of every folder.
// Unread mail is bold.
type mailRow struct {
	widget.BaseWidget
	dot, clip                 *widget.Icon
	who, subject, date, where *widget.Label
	unreadDot                 fyne.Resource
	box                       *fyne.Container
}

func newMailRow() *mailRow {
	r := &mailRow{
		dot: widget.NewIcon(nil), clip: widget.NewIcon(theme.MailAttachmentIcon()),
		who: widget.NewLabel(""), subject: widget.NewLabel(""), date: widget.NewLabel(""),
		where:     widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Italic: true}),
		unreadDot: theme.NewPrimaryThemedResource(theme.RadioButtonFillIcon()),
	}
	r.who.Truncation = fyne.TextTruncateEllipsis
	r.subject.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out.
func (r *mailRow) CreateRenderer() fyne.WidgetRenderer {
	r.box = container.NewBorder(nil, nil, r.dot, container.NewHBox(r.clip, container.NewVBox(r.date, r.where)),
		container.NewVBox(r.who, r.subject))
	return widget.NewSimpleRenderer(r.box)
}

// set shows a message of folder; where names the folder in the row ("":
// not).
func (r *mailRow) set(m wire.MailSummary, folder, where string, now time.Time) {
	style := fyne.TextStyle{Bold: !m.Read}
	r.who.TextStyle = style
	r.subject.TextStyle = style
	if folder == wire.MailSent {
		r.who.SetText(T("mail.to_names", "Names", mailNames(m.To)))
	} else {
		r.who.SetText(mailName(m.From))
	}
	subject := m.Subject
	if strings.TrimSpace(subject) == "" {
		subject = T("mail.no_subject")
	}
	r.subject.SetText(subject)
	r.date.SetText(mailShortDate(m.SentAt, now))
	r.where.SetText(where)
	mailShowIf(r.where, where != "")
	if m.Read {
		r.dot.SetResource(nil)
	} else {
		r.dot.SetResource(r.unreadDot)
	}
	if m.AttachmentCount > 0 {
		r.clip.Show()
	} else {
		r.clip.Hide()
	}
	// A list reuses rows: the date's width changes with its text
	// („heute, 10:46“ or a date), so the row is laid out again, or the
	// date would keep the width of the text before and be cut off.
	if r.box != nil {
		r.box.Refresh()
	}
}

// mailName is how a sender or recipient is shown.
func mailName(a wire.MailAddress) string {
	switch {
	case a.Kind == "system":
		return T("mail.system_sender")
	case a.Name != "":
		return a.Name
	}
	return a.Address
}

func mailNames(list []wire.MailAddress) string {
	names := make([]string, len(list))
	for i, a := range list {
		names[i] = mailName(a)
	}
	return strings.Join(names, ", ")
}

// mailShortDate is the list's date: the time for today's mail, the date
// for older mail.
func mailShortDate(t, now time.Time) string {
	t = t.Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return T("mail.today", "Time", t.Format("15:04"))
	}
	return t.Format(T("mail.date_layout"))
}

// mailLongDate is the reading pane's date and time.
func mailLongDate(t time.Time) string {
	t = t.Local()
	return T("mail.datetime", "Date", t.Format(T("mail.date_layout")), "Time", t.Format("15:04"))
}

// mailSize is a file size as people read it ("1,5 MB").
func mailSize(n int64) string {
	switch {
	case n < 1024:
		return T("mail.size.bytes", "Size", n)
	case n < 1<<20:
		return T("mail.size.kb", "Size", mailDecimal(float64(n)/1024))
	}
	return T("mail.size.mb", "Size", mailDecimal(float64(n)/(1<<20)))
}

func mailDecimal(f float64) string {
	s := strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
	if Language() == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
