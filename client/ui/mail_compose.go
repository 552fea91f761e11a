package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// mailSuggestions is how many recipients the picker offers at once: a
// child reads a short list; a longer name narrows it.
const mailSuggestions = 8

// MailComposeScreen writes a message: new, a reply or a forward. The
// recipients are chips picked from suggestions the server makes as the
// person types (only what they may write to); a typed school address can
// be added too, and the server says in German what it refuses. The draft
// stays when the server refuses it, and while the person looks at their
// mail in between ("Zurück"); only "Verwerfen" throws it away.
type MailComposeScreen struct {
	Recipients []wire.MailAddress
	Chips      []*widget.Button // one per recipient; a tap removes it
	Search     *widget.Entry    // "Name oder Klasse" — suggestions follow the typing
	AddTyped   *widget.Button   // adds what was typed (or the one suggestion)
	// Suggestions are the recipients offered for the text in Search,
	// with a button each.
	Suggestions       []wire.MailSuggestion
	SuggestionButtons []*widget.Button

	Subject *widget.Entry
	Body    *widget.Entry

	Forwarded   *widget.Label // forward: the original and its attachments go along
	Attach      *widget.Button
	Attachments []wire.MailUpload
	Remove      []*widget.Button // one per attachment

	Message        *widget.Label // German answers: the server's refusal, a file too large, ...
	Send           *widget.Button
	Back           *widget.Button // to the mailbox; the draft stays
	Discard        *widget.Button
	ConfirmDiscard *dialog.ConfirmDialog // the question before discarding (while asked)

	title              string
	replyTo, forwardOf int64
	forwardedSize      int64 // the forwarded attachments count against the 20 MB too
	chipBox            *fyne.Container
	suggestBox         *fyne.Container
	attachBox          *fyne.Container
	initial            mailDraftState
	uploading          int
	sending            bool
	content            fyne.CanvasObject

	// The suggestions' state. On Fyne's test driver the answers of
	// background calls arrive on worker goroutines while typing goes on,
	// so it is guarded; in the app everything runs on the UI goroutine.
	searchMu    sync.Mutex
	searchSeq   int
	suggestedTo string // the text Suggestions were made for
}

// mailDraftState is what a draft held when it was opened: a reply is
// prefilled, and only what the person changed is worth a question before
// it is thrown away.
type mailDraftState struct {
	to            int
	subject, body string
}

func (u *UI) newMailCompose(title string) *MailComposeScreen {
	s := &MailComposeScreen{title: title}
	s.chipBox = container.New(layout.NewRowWrapLayout())
	s.suggestBox = container.NewVBox()
	s.attachBox = container.NewVBox()
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(T("mail.compose.search_hint"))
	s.Search.OnChanged = func(q string) {
		u.touch()
		u.mailSuggest(s, q)
	}
	s.Search.OnSubmitted = func(string) { u.mailAddTyped(s) }
	s.AddTyped = widget.NewButtonWithIcon(T("mail.compose.add"), theme.ContentAddIcon(), func() { u.mailAddTyped(s) })

	s.Subject = widget.NewEntry()
	s.Subject.SetPlaceHolder(T("mail.compose.subject_hint"))
	s.Subject.OnChanged = func(string) { u.touch() }
	s.Subject.OnSubmitted = func(string) { u.win.Canvas().Focus(s.Body) }
	s.Body = widget.NewMultiLineEntry()
	s.Body.Wrapping = fyne.TextWrapWord
	s.Body.SetMinRowsVisible(10)
	s.Body.SetPlaceHolder(T("mail.compose.body_hint"))
	s.Body.OnChanged = func(string) { u.touch() }

	s.Forwarded = widget.NewLabel("")
	s.Forwarded.Wrapping = fyne.TextWrapWord
	s.Forwarded.Hide()
	s.Attach = widget.NewButtonWithIcon(T("mail.compose.attach"), theme.MailAttachmentIcon(), func() { u.mailAttach(s) })

	s.Message = widget.NewLabel("")
	s.Message.Wrapping = fyne.TextWrapWord
	s.Message.Hide()
	s.Send = widget.NewButtonWithIcon(T("mail.compose.send"), theme.MailSendIcon(), func() { u.mailSend(s) })
	s.Send.Importance = widget.HighImportance
	s.Back = widget.NewButtonWithIcon(T("mail.compose.back"), theme.NavigateBackIcon(), func() { u.showMail() })
	s.Discard = widget.NewButtonWithIcon(T("mail.compose.discard"), theme.DeleteIcon(), func() { u.mailAskDiscard(s) })

	bold := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := container.NewVBox(
		bold(T("mail.compose.to")), s.chipBox,
		container.NewBorder(nil, nil, nil, s.AddTyped, s.Search), s.suggestBox,
		bold(T("mail.compose.subject")), s.Subject,
		bold(T("mail.compose.body")), s.Body,
		s.Forwarded,
		bold(T("mail.compose.attachments")), s.attachBox, container.NewHBox(s.Attach, u.mailFromFilesButton(s)),
	)
	bottom := container.NewVBox(s.Message, container.NewHBox(s.Send, spacer(), s.Back, s.Discard))
	s.content = container.NewBorder(nil, container.NewPadded(bottom), nil, nil, container.NewVScroll(container.NewPadded(form)))
	return s
}

// composeNew opens the draft if one is open, else an empty message.
func (u *UI) composeNew() {
	if s, ok := u.screen(mailComposeKey).(*MailComposeScreen); ok {
		u.mailShowCompose(s)
		return
	}
	u.mailStartCompose(func() *MailComposeScreen { return u.newMailCompose(T("mail.compose.new")) })
}

// composeReply answers a message: to its sender, "AW: subject", the
// original quoted below.
func (u *UI) composeReply(m wire.MailMessage) {
	var to []wire.MailAddress
	if m.From.Address != "" {
		to = []wire.MailAddress{m.From}
	}
	u.mailComposeReply(T("mail.compose.reply_title"), m, to)
}

// composeReplyAll answers a message as composeReply does, to its sender
// and every recipient but the person writing: a class or group stays the
// class or group it was written to. Whether the person may write to them
// all (a pupil to a role group) is the server's to say when it is sent.
func (u *UI) composeReplyAll(m wire.MailMessage) {
	u.mailComposeReply(T("mail.compose.reply_all_title"), m, mailReplyAllRecipients(m, u.mailIsSelf))
}

// mailComposeReply opens a reply to m with its recipients.
func (u *UI) mailComposeReply(title string, m wire.MailMessage, to []wire.MailAddress) {
	u.mailStartCompose(func() *MailComposeScreen {
		s := u.newMailCompose(title)
		s.replyTo = m.ID
		s.Recipients = to
		s.Subject.SetText(mailPrefixed(T("mail.reply_prefix"), m.Subject))
		s.Body.SetText("\n\n" + mailQuote(m))
		return s
	})
}

// mailReplyAllRecipients are the sender and the recipients of m, each
// address once, without the person answering (self) and without the
// server's own notices' empty address.
func mailReplyAllRecipients(m wire.MailMessage, self func(address string) bool) []wire.MailAddress {
	var out []wire.MailAddress
	seen := map[string]bool{}
	for _, a := range append([]wire.MailAddress{m.From}, m.To...) {
		key := strings.ToLower(strings.TrimSpace(a.Address))
		if key == "" || seen[key] || self(a.Address) {
			continue
		}
		seen[key] = true
		out = append(out, a)
	}
	return out
}

// mailManyToAnswer tells whether "Allen antworten" reaches more than
// "Antworten": more than one address besides the person, or a class or
// group (whose other members get the answer too).
func mailManyToAnswer(m wire.MailMessage, self func(address string) bool) bool {
	for _, a := range m.To {
		if a.Kind != "" && a.Kind != "person" && a.Kind != "system" {
			return true
		}
	}
	return len(mailReplyAllRecipients(m, self)) > 1
}

// mailIsSelf tells whether an address is the logged-in person's own.
func (u *UI) mailIsSelf(address string) bool {
	if u.sess == nil {
		return false
	}
	a := strings.TrimSpace(address)
	if u.sess.User.Mail != "" && strings.EqualFold(a, u.sess.User.Mail) {
		return true
	}
	local, _, _ := strings.Cut(a, "@")
	return strings.EqualFold(local, u.sess.User.Login)
}

// composeForward passes a message on: "WG: subject"; the server appends
// the original's text and attachments.
func (u *UI) composeForward(m wire.MailMessage) {
	u.mailStartCompose(func() *MailComposeScreen {
		s := u.newMailCompose(T("mail.compose.forward_title"))
		s.forwardOf = m.ID
		s.Subject.SetText(mailPrefixed(T("mail.forward_prefix"), m.Subject))
		text := T("mail.compose.forwarded", "Name", mailName(m.From))
		if len(m.Attachments) > 0 {
			names := make([]string, len(m.Attachments))
			for i, a := range m.Attachments {
				names[i] = a.Name
				s.forwardedSize += a.Size
			}
			text += " " + T("mail.compose.forwarded_files", "Names", strings.Join(names, ", "))
		}
		s.Forwarded.SetText(text)
		s.Forwarded.Show()
		return s
	})
}

// mailStartCompose opens a new draft made by build. A draft the person
// has already worked on is not thrown away without asking.
func (u *UI) mailStartCompose(build func() *MailComposeScreen) {
	old, ok := u.screen(mailComposeKey).(*MailComposeScreen)
	if ok && old.changed() {
		d := dialog.NewConfirm(T("mail.compose.replace_title"), T("mail.compose.replace_question"), func(yes bool) {
			if ms, ok := u.screen(mailKey).(*MailScreen); ok {
				ms.ConfirmReplace = nil
			}
			if yes {
				ids := u.mailForgetDraft(old)
				u.mailShowCompose(build())
				u.mailDeleteUploads(ids)
			}
		}, u.win)
		d.SetConfirmText(T("mail.compose.replace_yes"))
		d.SetDismissText(T("mail.compose.replace_no"))
		if ms, ok := u.screen(mailKey).(*MailScreen); ok {
			ms.ConfirmReplace = d
		}
		d.Show()
		return
	}
	var ids []int64
	if ok {
		ids = u.mailForgetDraft(old)
	}
	u.mailShowCompose(build())
	u.mailDeleteUploads(ids)
}

// mailShowCompose shows a draft (new ones start clean and with the
// groups the person may write to as the first suggestions).
func (u *UI) mailShowCompose(s *MailComposeScreen) {
	fresh := u.screen(mailComposeKey) != s
	if fresh {
		s.initial = s.state()
		s.showChips(u)
		u.setScreen(mailComposeKey, s)
	}
	u.openScreen(s.title, s.content)
	if len(s.Recipients) == 0 {
		u.win.Canvas().Focus(s.Search)
	} else {
		u.win.Canvas().Focus(s.Body)
	}
	if fresh {
		// Background work starts last, after every change to the widgets
		// (see mailSuggest).
		u.mailSuggest(s, "")
	}
}

func (s *MailComposeScreen) state() mailDraftState {
	return mailDraftState{to: len(s.Recipients), subject: s.Subject.Text, body: s.Body.Text}
}

// changed tells whether the person did anything with the draft.
func (s *MailComposeScreen) changed() bool {
	return s.state() != s.initial || len(s.Attachments) > 0
}

// mailAskDiscard throws the draft away, asking first if it holds work.
func (u *UI) mailAskDiscard(s *MailComposeScreen) {
	if !s.changed() {
		u.mailDiscard(s)
		return
	}
	d := dialog.NewConfirm(T("mail.compose.discard_title"), T("mail.compose.discard_question"), func(yes bool) {
		s.ConfirmDiscard = nil
		if yes {
			u.mailDiscard(s)
		}
	}, u.win)
	d.SetConfirmText(T("mail.compose.discard_yes"))
	d.SetDismissText(T("mail.compose.discard_no"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.ConfirmDiscard = d
	d.Show()
}

// mailDiscard throws a draft away and goes back to the mailbox.
func (u *UI) mailDiscard(s *MailComposeScreen) {
	ids := u.mailForgetDraft(s)
	u.showMail()
	u.mailDeleteUploads(ids)
}

// mailForgetDraft forgets a draft and returns its uploads, for
// mailDeleteUploads.
func (u *UI) mailForgetDraft(s *MailComposeScreen) []int64 {
	if u.screen(mailComposeKey) == s {
		delete(u.screens, mailComposeKey)
	}
	ids := make([]int64, len(s.Attachments))
	for i, a := range s.Attachments {
		ids[i] = a.ID
	}
	s.Attachments = nil
	return ids
}

// mailDeleteUploads removes the uploads of a discarded draft from the
// server (they would expire after a day anyway, but count against the
// person's 20 MB until then).
func (u *UI) mailDeleteUploads(ids []int64) {
	if len(ids) == 0 {
		return
	}
	u.run(func(ctx context.Context) error {
		for _, id := range ids {
			u.api.MailDeleteUpload(ctx, id) // a failure leaves it to expire
		}
		return nil
	}, nil)
}

// mailSuggest asks the server for recipients matching q. Only the answer
// to the latest text is shown, whatever order the answers come in.
//
// Like every background call of these screens it is started after the
// widgets are changed: Fyne's test driver runs the answer at once on the
// worker goroutine, so widget changes after u.run would race with it.
func (u *UI) mailSuggest(s *MailComposeScreen, q string) {
	q = strings.TrimSpace(q)
	s.searchMu.Lock()
	s.searchSeq++
	seq := s.searchSeq
	s.searchMu.Unlock()
	var list []wire.MailSuggestion
	u.run(func(ctx context.Context) error {
		var err error
		list, err = u.api.MailRecipients(ctx, q, mailSuggestions+len(s.Recipients))
		return err
	}, func(err error) {
		s.searchMu.Lock()
		defer s.searchMu.Unlock()
		if seq != s.searchSeq {
			return
		}
		if u.mailFailed(err, s.setMessage) {
			return
		}
		s.suggestedTo = q
		s.showSuggestions(u, list)
	})
}

// showSuggestions lists the offered recipients (without those chosen).
func (s *MailComposeScreen) showSuggestions(u *UI, list []wire.MailSuggestion) {
	s.Suggestions = nil
	s.SuggestionButtons = nil
	s.suggestBox.RemoveAll()
	for _, sg := range list {
		if s.has(sg.Address) || len(s.Suggestions) == mailSuggestions {
			continue
		}
		sg := sg
		icon := theme.AccountIcon()
		if sg.Kind != "person" {
			icon = theme.ListIcon()
		}
		text := mailName(sg.MailAddress)
		if sg.Detail != "" {
			text = T("mail.compose.suggestion", "Name", text, "Detail", sg.Detail)
		}
		b := widget.NewButtonWithIcon(text, icon, func() { u.mailAddRecipient(s, sg.MailAddress) })
		b.Alignment = widget.ButtonAlignLeading
		s.Suggestions = append(s.Suggestions, sg)
		s.SuggestionButtons = append(s.SuggestionButtons, b)
		s.suggestBox.Add(b)
	}
	if len(s.Suggestions) == 0 && s.suggestedTo != "" {
		s.suggestBox.Add(widget.NewLabelWithStyle(T("mail.compose.nobody"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
}

// has tells whether an address is among the recipients already.
func (s *MailComposeScreen) has(address string) bool {
	for _, r := range s.Recipients {
		if strings.EqualFold(r.Address, address) {
			return true
		}
	}
	return false
}

// mailAddTyped adds what was typed: the one suggestion, the suggestion
// whose name or address it is, or a typed address (with an @; the server
// checks it when the message is sent and says what it refuses).
func (u *UI) mailAddTyped(s *MailComposeScreen) {
	text := strings.TrimSpace(s.Search.Text)
	if text == "" {
		return
	}
	typedAddress := strings.Contains(text, "@")
	s.searchMu.Lock()
	var pick *wire.MailAddress
	if s.suggestedTo == text {
		for _, sg := range s.Suggestions {
			local, _, _ := strings.Cut(sg.Address, "@")
			same := strings.EqualFold(sg.Address, text) ||
				!typedAddress && (len(s.Suggestions) == 1 || strings.EqualFold(sg.Name, text) || strings.EqualFold(local, text))
			if same {
				a := sg.MailAddress
				pick = &a
				break
			}
		}
	}
	s.searchMu.Unlock()
	switch {
	case pick != nil:
		u.mailAddRecipient(s, *pick)
	case typedAddress:
		// Not one the server offers: it may still be one of the school
		// (a class a pupil may not write to); the server says so.
		u.mailAddRecipient(s, wire.MailAddress{Address: text, Kind: "person"})
	default:
		s.setMessage(T("mail.compose.pick_from_list"), true)
	}
}

// mailAddRecipient adds a chip and clears the search for the next one.
func (u *UI) mailAddRecipient(s *MailComposeScreen, a wire.MailAddress) {
	if !s.has(a.Address) {
		s.Recipients = append(s.Recipients, a)
	}
	s.showChips(u)
	s.setMessage("", false)
	u.win.Canvas().Focus(s.Search)
	s.Search.SetText("") // suggests the groups again
}

// showChips shows the recipients as buttons that remove them.
func (s *MailComposeScreen) showChips(u *UI) {
	s.chipBox.RemoveAll()
	s.Chips = nil
	for i, r := range s.Recipients {
		i := i
		c := widget.NewButtonWithIcon(mailName(r), theme.CancelIcon(), func() {
			s.Recipients = append(s.Recipients[:i:i], s.Recipients[i+1:]...)
			s.showChips(u)
		})
		c.IconPlacement = widget.ButtonIconTrailingText
		s.Chips = append(s.Chips, c)
		s.chipBox.Add(c)
	}
	if len(s.Recipients) == 0 {
		s.chipBox.Add(widget.NewLabelWithStyle(T("mail.compose.no_one_yet"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	s.chipBox.Refresh()
}

// mailFileError is a file the client refuses before any upload, or
// cannot read.
type mailFileError struct {
	name string
	size int64
	kind int
}

const (
	mailFileTooLarge   = iota + 1 // over wire.MaxUpload on its own
	mailFileNoRoom                // together with the other attachments
	mailFileUnreadable            // not there, a folder, no permission
)

func (e *mailFileError) Error() string { return "ui: attachment " + e.name + " refused" }

// text is the German (or English) message; it is made on the UI
// goroutine, where the translations are read.
func (e *mailFileError) text() string {
	limit := wire.MaxUpload >> 20
	switch e.kind {
	case mailFileTooLarge:
		return T("mail.compose.too_large", "Name", e.name, "Size", mailSize(e.size), "Limit", limit)
	case mailFileNoRoom:
		return T("mail.compose.no_room", "Name", e.name, "Limit", limit)
	}
	return T("mail.compose.unreadable", "Name", e.name)
}

// mailAttach asks for a file and uploads it.
func (u *UI) mailAttach(s *MailComposeScreen) {
	u.opts.PickFile(func(path string) {
		if path != "" {
			u.mailUpload(s, path)
		}
	})
}

// attachedSize is what the draft's attachments weigh together.
func (s *MailComposeScreen) attachedSize() int64 {
	n := s.forwardedSize
	for _, a := range s.Attachments {
		n += a.Size
	}
	return n
}

// mailUpload checks a file's size (on the worker: the file may lie on a
// slow network drive) and uploads it only if it fits: a file over 20 MB
// is refused here with the limit named, before a byte goes over the
// network.
func (u *UI) mailUpload(s *MailComposeScreen, path string) {
	name := filepath.Base(path)
	room := int64(wire.MaxUpload) - s.attachedSize()
	s.uploading++
	s.updateSend()
	s.setMessage(T("mail.compose.uploading", "Name", name), false)
	var up wire.MailUpload
	u.run(func(ctx context.Context) error {
		f, err := os.Open(path)
		if err != nil {
			return &mailFileError{name: name, kind: mailFileUnreadable}
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return &mailFileError{name: name, kind: mailFileUnreadable}
		}
		if st.Size() > wire.MaxUpload {
			return &mailFileError{name: name, size: st.Size(), kind: mailFileTooLarge}
		}
		if st.Size() > room {
			return &mailFileError{name: name, size: st.Size(), kind: mailFileNoRoom}
		}
		up, err = u.api.MailUpload(ctx, name, f, st.Size())
		return err
	}, func(err error) {
		s.uploading--
		s.updateSend()
		if u.mailFailed(err, s.setMessage) {
			return
		}
		if u.screen(mailComposeKey) != s {
			// Sent or thrown away meanwhile: the upload belongs to nothing.
			u.run(func(ctx context.Context) error { return u.api.MailDeleteUpload(ctx, up.ID) }, nil)
			return
		}
		s.setMessage("", false)
		s.Attachments = append(s.Attachments, up)
		s.showAttachments(u)
	})
}

// showAttachments lists the uploaded files, each with a remove button.
func (s *MailComposeScreen) showAttachments(u *UI) {
	s.attachBox.RemoveAll()
	s.Remove = nil
	for _, a := range s.Attachments {
		a := a
		rm := widget.NewButtonWithIcon(T("mail.compose.remove"), theme.ContentRemoveIcon(), func() { u.mailRemoveAttachment(s, a.ID) })
		s.Remove = append(s.Remove, rm)
		label := widget.NewLabel(T("mail.attachment", "Name", a.Name, "Size", mailSize(a.Size)))
		label.Truncation = fyne.TextTruncateEllipsis
		s.attachBox.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.MailAttachmentIcon()), rm, label))
	}
}

// mailRemoveAttachment takes a file off the draft and deletes its upload.
func (u *UI) mailRemoveAttachment(s *MailComposeScreen, id int64) {
	for i, a := range s.Attachments {
		if a.ID == id {
			s.Attachments = append(s.Attachments[:i:i], s.Attachments[i+1:]...)
			break
		}
	}
	s.showAttachments(u)
	u.run(func(ctx context.Context) error { return u.api.MailDeleteUpload(ctx, id) }, func(err error) {
		// An ended session goes to the login; any other failure is not
		// worth a word: the upload expires on its own within a day.
		u.mailFailed(err, func(string, bool) {})
	})
}

func (s *MailComposeScreen) updateSend() {
	if s.uploading > 0 || s.sending {
		s.Send.Disable()
	} else {
		s.Send.Enable()
	}
}

func (s *MailComposeScreen) setMessage(text string, danger bool) {
	mailSetLabel(s.Message, text, danger)
}

// mailSend sends the draft. A refusal of the server (a class a pupil may
// not write to, an address outside the school, the hourly limit) shows
// in German above the button, and the draft stays as it is.
func (u *UI) mailSend(s *MailComposeScreen) {
	if s.uploading > 0 || s.sending {
		return
	}
	if len(s.Recipients) == 0 {
		s.setMessage(T("mail.compose.no_recipient"), true)
		return
	}
	m := wire.MailSend{Subject: s.Subject.Text, Body: s.Body.Text, ReplyTo: s.replyTo, ForwardOf: s.forwardOf}
	for _, r := range s.Recipients {
		m.To = append(m.To, r.Address)
	}
	for _, a := range s.Attachments {
		m.Attachments = append(m.Attachments, a.ID)
	}
	s.sending = true
	s.updateSend()
	s.setMessage(T("mail.compose.sending"), false)
	u.run(func(ctx context.Context) error {
		_, err := u.api.MailSend(ctx, m)
		return err
	}, func(err error) {
		s.sending = false
		s.updateSend()
		if u.mailFailed(err, s.setMessage) {
			return
		}
		s.Attachments = nil // they belong to the message now
		if u.screen(mailComposeKey) == s {
			delete(u.screens, mailComposeKey)
		}
		if ms, ok := u.screen(mailKey).(*MailScreen); ok {
			ms.setStatus(T("mail.sent"), false)
		}
		u.showMail()
	})
}

// mailPrefixed puts "AW:" or "WG:" before a subject, once.
func mailPrefixed(prefix, subject string) string {
	subject = strings.TrimSpace(subject)
	if strings.HasPrefix(strings.ToLower(subject), strings.ToLower(prefix)) {
		return subject
	}
	return prefix + " " + subject
}

// mailQuote is the original below a reply, each line marked with ">".
func mailQuote(m wire.MailMessage) string {
	var b strings.Builder
	b.WriteString(T("mail.compose.quote", "Name", mailName(m.From), "Date", mailLongDate(m.SentAt)))
	for _, line := range strings.Split(strings.TrimRight(m.Body, "\n"), "\n") {
		b.WriteString("\n> ")
		b.WriteString(line)
	}
	return b.String()
}
