package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// The bridge between mail and files: an attachment saved into "Meine
// Dateien", a file of the school server attached to a new mail. Both
// happen on the server (files.md, "Mail attachments ↔ files"): no byte
// goes through the client, so a pupil at a PC-room computer leaves
// nothing behind, and the server's rules of both sides apply (programs,
// quota, the 20 MB of a mail). The mail screens add the two buttons
// below; the file picker is in files_picker.go.

// filesOn tells whether the person may use the files module (and the
// client has it).
func (u *UI) filesOn() bool {
	return u.sess != nil && slices.Contains(u.sess.Modules, wire.ModuleFiles) && u.filesAPI() != nil
}

// mailToFilesButton is the button beside an attachment in the mail
// reader that saves it into "Meine Dateien"; say shows the answer where
// the person looks (the reader's status line). Hidden while the files
// module is off.
func (u *UI) mailToFilesButton(messageID int64, a wire.MailAttachment, say func(text string, danger bool)) *widget.Button {
	b := widget.NewButtonWithIcon(T("files.mail.to_files"), theme.FolderIcon(), nil)
	b.OnTapped = func() { u.mailSaveToFiles(b, messageID, a, say) }
	if !u.filesOn() {
		b.Hide()
	}
	return b
}

// mailSaveToFiles saves an attachment into "Meine Dateien" on the server.
func (u *UI) mailSaveToFiles(b *widget.Button, messageID int64, a wire.MailAttachment, say func(text string, danger bool)) {
	api := u.filesAPI()
	if api == nil {
		return
	}
	b.Disable()
	var f wire.FilesFile
	u.runInSession(func(ctx context.Context) error {
		var err error
		f, err = api.FilesSaveMailAttachment(ctx, messageID, a.ID, 0)
		return err
	}, func(err error) {
		b.Enable()
		if u.filesFailed(err, say) {
			return
		}
		say(T("files.mail.saved", "Name", f.Name), false)
	})
}

// mailFromFilesButton is the button beside "Datei anhängen" in the
// compose screen that attaches a file from the school server. Hidden
// while the files module is off.
func (u *UI) mailFromFilesButton(s *MailComposeScreen) *widget.Button {
	b := widget.NewButtonWithIcon(T("files.mail.from_files"), theme.FolderOpenIcon(), func() { u.filesPickForMail(s) })
	if !u.filesOn() {
		b.Hide()
	}
	return b
}

// filesPickForMail opens the picker for a draft.
func (u *UI) filesPickForMail(s *MailComposeScreen) {
	u.showFilesPicker(T("files.picker.title"), T("files.picker.intro", "Limit", wire.MaxUpload>>20),
		func(p *FilesPicker, f wire.FilesFile) { u.filesAttachToMail(s, p, f) })
}

// filesAttachToMail attaches a file to the draft: the server makes it a
// mail upload. The mail's 20 MB for all attachments together are checked
// here first, with the mail's own message.
func (u *UI) filesAttachToMail(s *MailComposeScreen, p *FilesPicker, f wire.FilesFile) {
	if f.Size > int64(wire.MaxUpload)-s.attachedSize() {
		kind := mailFileNoRoom
		if f.Size > wire.MaxUpload {
			kind = mailFileTooLarge
		}
		p.say((&mailFileError{name: f.Name, size: f.Size, kind: kind}).text(), true)
		return
	}
	s.uploading++
	s.updateSend()
	p.say(T("files.picker.attaching", "Name", f.Name), false)
	var up wire.MailUpload
	u.runInSession(func(ctx context.Context) error {
		var err error
		up, err = p.api.FilesAttachToMail(ctx, f.ID)
		return err
	}, func(err error) {
		s.uploading--
		s.updateSend()
		if u.filesFailed(err, p.say) {
			return
		}
		if u.screen(mailComposeKey) != s {
			// Sent or thrown away meanwhile: the upload belongs to nothing.
			u.run(func(ctx context.Context) error { return u.api.MailDeleteUpload(ctx, up.ID) }, nil)
			u.filesPickerClose(p)
			return
		}
		s.Attachments = append(s.Attachments, up)
		s.showAttachments(u)
		s.setMessage("", false)
		u.filesPickerClose(p)
	})
}
