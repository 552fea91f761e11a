package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// MailReader is the reading pane: who wrote to whom and when, the
// subject, the text, the attachments with a button each to save and open
// them, and what can be done with the message. Which buttons show depends
// on the folder: the trash offers only "Zurücklegen" and "Endgültig
// löschen", so nothing is deleted for good by one tap elsewhere.
type MailReader struct {
	Hint        *widget.Label // "pick a message" while none is open
	Subject     *widget.Label
	From        *widget.Label
	To          *widget.Label
	Date        *widget.Label
	Body        *widget.Label
	Attachments *fyne.Container
	Save        []*widget.Button // one per attachment of Message

	Reply         *widget.Button
	ReplyAll      *widget.Button // "Allen antworten": to the sender and the other recipients
	Forward       *widget.Button
	MarkUnread    *widget.Button
	Delete        *widget.Button // into the trash
	Restore       *widget.Button // from the trash back
	DeleteForever *widget.Button // in the trash; asks first
	// ConfirmDelete is the question before deleting for good (while it
	// is asked).
	ConfirmDelete *dialog.ConfirmDialog
	Status        *widget.Label

	// Message is the message shown (nil if none); Saved the path of the
	// attachment saved last.
	Message *wire.MailMessage
	Saved   string

	box     fyne.CanvasObject
	content fyne.CanvasObject
	seq     int // drops the answers of openings that were overtaken
}

func (u *UI) newMailReader(s *MailScreen) *MailReader {
	r := &MailReader{
		Hint:        widget.NewLabelWithStyle(T("mail.read.hint"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		Subject:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		From:        widget.NewLabel(""),
		To:          widget.NewLabel(""),
		Date:        widget.NewLabel(""),
		Body:        widget.NewLabel(""),
		Attachments: container.NewVBox(),
		Status:      widget.NewLabel(""),
	}
	r.Hint.Wrapping = fyne.TextWrapWord
	r.Subject.SizeName = theme.SizeNameSubHeadingText
	r.Subject.Wrapping = fyne.TextWrapWord
	r.To.Wrapping = fyne.TextWrapWord
	r.Body.Wrapping = fyne.TextWrapWord
	r.Body.Selectable = true
	r.Status.Wrapping = fyne.TextWrapWord
	r.Status.Hide()

	r.Reply = widget.NewButtonWithIcon(T("mail.read.reply"), theme.MailReplyIcon(), func() {
		if r.Message != nil {
			u.composeReply(*r.Message)
		}
	})
	r.Reply.Importance = widget.HighImportance
	r.ReplyAll = widget.NewButtonWithIcon(T("mail.read.reply_all"), theme.MailReplyAllIcon(), func() {
		if r.Message != nil {
			u.composeReplyAll(*r.Message)
		}
	})
	r.Forward = widget.NewButtonWithIcon(T("mail.read.forward"), theme.MailForwardIcon(), func() {
		if r.Message != nil {
			u.composeForward(*r.Message)
		}
	})
	r.MarkUnread = widget.NewButtonWithIcon(T("mail.read.unread"), theme.VisibilityOffIcon(), func() { u.mailMarkUnread(s) })
	r.Delete = widget.NewButtonWithIcon(T("mail.read.delete"), theme.DeleteIcon(), func() { u.mailTrash(s) })
	r.Restore = widget.NewButtonWithIcon(T("mail.read.restore"), theme.ContentUndoIcon(), func() { u.mailRestore(s) })
	r.Restore.Importance = widget.HighImportance
	r.DeleteForever = widget.NewButtonWithIcon(T("mail.read.delete_forever"), theme.DeleteIcon(), func() { u.mailAskDeleteForever(s) })
	r.DeleteForever.Importance = widget.DangerImportance

	actions := container.NewHBox(r.Reply, r.ReplyAll, r.Forward, r.Restore, spacer(), r.MarkUnread, r.Delete, r.DeleteForever)
	head := container.NewVBox(r.Subject, r.From, r.To, r.Date, actions, widget.NewSeparator())
	foot := container.NewVBox(r.Attachments, r.Status)
	r.box = container.NewBorder(head, foot, nil, nil, container.NewVScroll(r.Body))
	r.content = container.NewPadded(container.NewStack(container.NewCenter(r.Hint), r.box))
	r.clear()
	return r
}

// clear empties the pane (no message chosen).
func (r *MailReader) clear() {
	r.seq++
	r.Message = nil
	r.Save = nil
	r.Attachments.RemoveAll()
	mailSetLabel(r.Status, "", false)
	r.box.Hide()
	r.Hint.Show()
}

// show puts a message into the pane, with the buttons its folder allows.
func (r *MailReader) show(u *UI, m wire.MailMessage, folder string) {
	r.Message = &m
	subject := m.Subject
	if subject == "" {
		subject = T("mail.no_subject")
	}
	r.Subject.SetText(subject)
	r.From.SetText(T("mail.read.from", "Name", mailName(m.From)))
	r.To.SetText(T("mail.read.to", "Names", mailNames(m.To)))
	r.Date.SetText(mailLongDate(m.SentAt))
	r.Body.SetText(m.Body)
	mailSetLabel(r.Status, "", false)

	r.Attachments.RemoveAll()
	r.Save = nil
	if len(m.Attachments) > 0 {
		r.Attachments.Add(widget.NewLabelWithStyle(T("mail.read.attachments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, a := range m.Attachments {
		a := a
		save := widget.NewButtonWithIcon(T("mail.read.save"), theme.DocumentSaveIcon(), func() { u.mailSaveAttachment(r, m.ID, a) })
		r.Save = append(r.Save, save)
		name := widget.NewLabel(T("mail.attachment", "Name", a.Name, "Size", mailSize(a.Size)))
		name.Truncation = fyne.TextTruncateEllipsis
		r.Attachments.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.MailAttachmentIcon()), container.NewHBox(u.mailToFilesButton(m.ID, a, r.setStatus), save), name))
	}

	inTrash := folder == wire.MailTrash
	system := m.System || m.From.Kind == "system" || m.From.Address == ""
	mailShowIf(r.Reply, folder == wire.MailInbox && !system)
	mailShowIf(r.ReplyAll, folder == wire.MailInbox && !system && mailManyToAnswer(m, u.mailIsSelf))
	mailShowIf(r.Forward, !inTrash)
	mailShowIf(r.MarkUnread, folder == wire.MailInbox)
	mailShowIf(r.Delete, !inTrash)
	mailShowIf(r.Restore, inTrash)
	mailShowIf(r.DeleteForever, inTrash)
	r.Hint.Hide()
	r.box.Show()
}

func mailShowIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// mailOpenMessage opens the message in row i; the server marks it read,
// and so does the list (and the folder's unread count) at once.
func (u *UI) mailOpenMessage(s *MailScreen, i int) {
	if i < 0 || i >= len(s.Messages) {
		return
	}
	r := s.Reader
	r.seq++
	// In a search of every folder, each result has its own folder.
	seq, id, folder, view := r.seq, s.Messages[i].ID, s.rowFolder(s.Messages[i]), s.view()
	var m wire.MailMessage
	u.run(func(ctx context.Context) error {
		var err error
		m, err = u.api.MailMessage(ctx, id)
		return err
	}, func(err error) {
		if seq != r.seq || view != s.view() {
			return
		}
		if u.mailFailed(err, s.setStatus) {
			if serverapi.Code(err) == wire.CodeNotFound {
				u.loadMail(s) // gone meanwhile (deleted on another computer)
			}
			return
		}
		s.setStatus("", false)
		r.show(u, m, folder)
		if j := s.index(id); j >= 0 && !s.Messages[j].Read {
			s.Messages[j].Read = true
			s.List.RefreshItem(j)
			s.addUnread(folder, -1)
		}
	})
}

// addUnread corrects a folder's unread count after a change here,
// without asking the server again.
func (s *MailScreen) addUnread(folder string, n int) {
	f := s.Counts[folder]
	f.Unread += n
	if f.Unread < 0 {
		f.Unread = 0
	}
	s.Counts[folder] = f
	s.showFolder()
}

// mailMarkUnread marks the open message unread again (to remember to
// answer it).
func (u *UI) mailMarkUnread(s *MailScreen) {
	r := s.Reader
	if r.Message == nil {
		return
	}
	id, folder := r.Message.ID, r.Message.Folder
	if folder == "" {
		folder = s.Folder
	}
	u.run(func(ctx context.Context) error { return u.api.MailSetRead(ctx, id, false) }, func(err error) {
		if u.mailFailed(err, r.setStatus) {
			return
		}
		if j := s.index(id); j >= 0 && s.Messages[j].Read {
			s.Messages[j].Read = false
			s.List.RefreshItem(j)
			s.addUnread(folder, 1)
		}
		r.setStatus(T("mail.read.marked_unread"), false)
	})
}

// mailTrash moves the open message into the trash.
func (u *UI) mailTrash(s *MailScreen) {
	u.mailMove(s, func(ctx context.Context, id int64) error { return u.api.MailTrash(ctx, id) }, T("mail.trashed"))
}

// mailRestore moves the open message from the trash back.
func (u *UI) mailRestore(s *MailScreen) {
	u.mailMove(s, func(ctx context.Context, id int64) error { return u.api.MailRestore(ctx, id) }, T("mail.restored"))
}

// mailMove does something that takes the open message out of the folder
// and then reloads the page.
func (u *UI) mailMove(s *MailScreen, move func(ctx context.Context, id int64) error, done string) {
	r := s.Reader
	if r.Message == nil {
		return
	}
	id := r.Message.ID
	r.Delete.Disable()
	r.Restore.Disable()
	r.DeleteForever.Disable()
	u.run(func(ctx context.Context) error { return move(ctx, id) }, func(err error) {
		r.Delete.Enable()
		r.Restore.Enable()
		r.DeleteForever.Enable()
		if u.mailFailed(err, r.setStatus) {
			return
		}
		if r.Message != nil && r.Message.ID == id {
			r.clear()
		}
		s.setStatus(done, false)
		u.loadMail(s)
	})
}

// mailAskDeleteForever asks before deleting the open message for good:
// it cannot be brought back.
func (u *UI) mailAskDeleteForever(s *MailScreen) {
	r := s.Reader
	if r.Message == nil {
		return
	}
	subject := r.Message.Subject
	if subject == "" {
		subject = T("mail.no_subject")
	}
	d := dialog.NewConfirm(T("mail.delete_forever.title"), T("mail.delete_forever.question", "Subject", subject), func(yes bool) {
		r.ConfirmDelete = nil
		if yes {
			u.mailMove(s, func(ctx context.Context, id int64) error { return u.api.MailDelete(ctx, id) }, T("mail.deleted"))
		}
	}, u.win)
	d.SetConfirmText(T("mail.delete_forever.yes"))
	d.SetDismissText(T("mail.delete_forever.no"))
	d.SetConfirmImportance(widget.DangerImportance)
	r.ConfirmDelete = d
	d.Show()
}

func (r *MailReader) setStatus(text string, danger bool) { mailSetLabel(r.Status, text, danger) }

// mailSaveAttachment downloads an attachment into the files folder and
// opens it with the system's viewer. In the PC room that folder goes at
// the logout; a download that finishes after the logout is removed at
// once, so nothing of the pupil stays behind.
func (u *UI) mailSaveAttachment(r *MailReader, messageID int64, a wire.MailAttachment) {
	sess := u.sess
	var path string
	u.run(func(ctx context.Context) error {
		var err error
		path, err = u.saveFile(a.Name, func(w io.Writer) error {
			_, _, err := u.api.MailDownload(ctx, messageID, a.ID, w)
			return err
		})
		return err
	}, func(err error) {
		if u.sess != sess || u.sess == nil {
			if err == nil {
				os.Remove(path)
				if u.gate != nil {
					os.Remove(u.opts.FilesDir) // only if empty: the folder of the next person's session
				}
			}
			return
		}
		if err != nil && serverapi.Code(err) == "" && !errors.Is(err, serverapi.ErrUnreachable) {
			r.setStatus(T("mail.read.save_failed", "Name", a.Name), true) // the local disk, not the server
			return
		}
		if u.mailFailed(err, r.setStatus) {
			return
		}
		r.Saved = path
		if err := u.opts.OpenFile(path); err != nil {
			r.setStatus(T("mail.read.saved_not_opened", "Name", filepath.Base(path), "Folder", filepath.Dir(path)), false)
			return
		}
		r.setStatus(T("mail.read.saved", "Name", filepath.Base(path)), false)
	})
}
