package ui

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/widget"
	"github.com/go-pdf/fpdf"

	"kaspel/shared/wire"
)

// slipPDF renders one-time passwords as A4 slips to cut out and hand to
// the child, four to a page, in the layout of the server's slips
// (server/api/slip.go). The client renders them itself when it already
// holds the passwords (a reset just shown, a created account, the
// import's new pupils): asking the server for its PDF would reset the
// password again, and the slip would no longer match the screen.
func slipPDF(school, mailDomain string, list []wire.OneTimePassword) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: umlauts in the core fonts
	pdf.SetTitle(tr(T("admin.slip.title")), false)
	pdf.SetAutoPageBreak(false, 10)
	const slipH = 68.0
	y := 0.0
	for i, p := range list {
		if i%4 == 0 {
			pdf.AddPage()
			y = 12
		}
		pdf.SetDrawColor(160, 160, 160)
		pdf.SetDashPattern([]float64{2, 2}, 0)
		pdf.Rect(12, y, 186, slipH-6, "D")
		pdf.SetDashPattern([]float64{}, 0)
		pdf.SetXY(18, y+5)
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(0, 5, tr(school), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 14)
		line := p.Name
		if p.Class != "" {
			line = T("admin.slip.name_class", "Name", p.Name, "Class", p.Class)
		}
		pdf.CellFormat(0, 8, tr(line), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(30, 9, tr(T("admin.slip.login")), "", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(0, 9, tr(p.Login), "", 2, "L", false, 0, "")
		pdf.SetX(18)
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(30, 9, tr(T("admin.slip.password")), "", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(0, 9, tr(p.Password), "", 2, "L", false, 0, "")
		pdf.SetX(18)
		pdf.SetFont("Helvetica", "", 10)
		note := T("admin.slip.note")
		if mailDomain != "" {
			note = T("admin.slip.note_mail", "Mail", p.Login+"@"+mailDomain)
		}
		pdf.MultiCell(174, 5, tr(note), "", "L", false)
		y += slipH
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
