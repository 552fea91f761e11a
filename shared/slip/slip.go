// Package slip renders one-time passwords as A4 slips to cut out and hand
// to a child: four to a page, with the school, the name and class, login
// and password in a large clear font, and what to do with them. The server
// renders them for a reset it makes (the teacher's class list); the client
// for passwords it already shows, so that the printout always matches
// the screen. Both use this one layout.
package slip

import (
	"bytes"
	"fmt"

	"github.com/go-pdf/fpdf"

	"kaspel/shared/wire"
)

// Texts are the words on a slip, in the reader's language.
type Texts struct {
	Title     string
	NameClass func(name, class string) string
	Login     string
	Password  string
	// Note is the line at the bottom; mail is the person's school address
	// ("" if unknown).
	Note func(mail string) string
}

// German are the texts of the school (German first).
var German = Texts{
	Title:     "Kaspel: Einmalpasswörter",
	NameClass: func(name, class string) string { return name + ", Klasse " + class },
	Login:     "Login:",
	Password:  "Passwort:",
	Note: func(mail string) string {
		s := "Nach der ersten Anmeldung wählst du ein eigenes Passwort. Verrate es niemandem."
		if mail != "" {
			s += " Deine Mail-Adresse: " + mail
		}
		return s
	},
}

// Render makes the PDF. domain is the school's mail domain ("" leaves
// the address out).
func Render(school, domain string, list []wire.OneTimePassword, t Texts) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: umlauts in the core fonts
	pdf.SetTitle(tr(t.Title), false)
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
			line = t.NameClass(p.Name, p.Class)
		}
		pdf.CellFormat(0, 8, tr(line), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(30, 9, tr(t.Login), "", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(0, 9, tr(p.Login), "", 2, "L", false, 0, "")
		pdf.SetX(18)
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(30, 9, tr(t.Password), "", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(0, 9, tr(p.Password), "", 2, "L", false, 0, "")
		pdf.SetX(18)
		pdf.SetFont("Helvetica", "", 10)
		mail := ""
		if domain != "" {
			mail = p.Login + "@" + domain
		}
		pdf.MultiCell(174, 5, tr(t.Note(mail)), "", "L", false)
		y += slipH
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("slip: %w", err)
	}
	return buf.Bytes(), nil
}
