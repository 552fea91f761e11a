package ui

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/widget"

	"kaspel/shared/slip"
	"kaspel/shared/wire"
)

// slipPDF renders one-time passwords as slips in the person's language.
// The client renders them itself when it already holds the passwords (a
// reset just shown, a created account, the import's new pupils): asking
// the server for its PDF would reset the password again, and the slip
// would no longer match the screen.
func slipPDF(school, mailDomain string, list []wire.OneTimePassword) ([]byte, error) {
	return slip.Render(school, mailDomain, list, slip.Texts{
		Title:     T("admin.slip.title"),
		NameClass: func(name, class string) string { return T("admin.slip.name_class", "Name", name, "Class", class) },
		Login:     T("admin.slip.login"),
		Password:  T("admin.slip.password"),
		Note: func(mail string) string {
			if mail == "" {
				return T("admin.slip.note")
			}
			return T("admin.slip.note_mail", "Mail", mail)
		},
	})
}

// mailDomain is the school's mail domain, read off the own address (the
// session names no domain; every account's address is login@domain).
func (u *UI) mailDomain() string {
	if u.sess == nil {
		return ""
	}
	_, domain, ok := strings.Cut(u.sess.User.Mail, "@")
	if !ok {
		return ""
	}
	return domain
}

// schoolName is the school's name for printed slips.
func (u *UI) schoolName() string {
	if u.sess != nil && u.sess.School != "" {
		return u.sess.School
	}
	return u.opts.School
}

// printSlips renders slips for passwords the client holds, saves them
// under name and opens them in the system's viewer, which prints.
func (u *UI) printSlips(name string, list []wire.OneTimePassword, msg *widget.Label) {
	school, domain := u.schoolName(), u.mailDomain()
	var path string
	u.run(func(ctx context.Context) error {
		pdf, err := slipPDF(school, domain, list)
		if err != nil {
			return userError(T("admin.print.failed"))
		}
		path, err = u.savePDF(name, pdf)
		return err
	}, func(err error) { u.openPrinted(path, err, msg) })
}

// savePDF saves a PDF into the files folder (off the UI goroutine).
func (u *UI) savePDF(name string, pdf []byte) (string, error) {
	path, err := u.saveFile(name, func(w io.Writer) error {
		_, err := w.Write(pdf)
		return err
	})
	if err != nil {
		return "", userError(T("admin.print.failed"))
	}
	return path, nil
}

// openPrinted hands a saved PDF to the system's viewer and says so.
func (u *UI) openPrinted(path string, err error, msg *widget.Label) {
	if err == nil {
		if oerr := u.opts.OpenFile(path); oerr != nil {
			err = userError(T("admin.print.open_failed", "Path", path))
		}
	}
	if err != nil {
		u.report(msg, err)
		return
	}
	setInfo(msg, T("admin.print.opened", "Name", filepath.Base(path)))
}
