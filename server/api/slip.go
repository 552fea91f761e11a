package api

import (
	"bytes"
	"fmt"

	"github.com/go-pdf/fpdf"

	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// passwordSlip renders one-time passwords as an A4 PDF, one slip per
// person, to cut out and hand to the child: school, name, class, login,
// password in a large clear font, and what to do with it.
func passwordSlip(school directory.School, list []wire.OneTimePassword) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: umlauts in the core fonts
	pdf.SetTitle(tr("Kaspel: Einmalpasswörter"), false)
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
		pdf.CellFormat(0, 5, tr(school.Name), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 14)
		line := p.Name
		if p.Class != "" {
			line += ", Klasse " + p.Class
		}
		pdf.CellFormat(0, 8, tr(line), "", 2, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(30, 9, tr("Login:"), "", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(0, 9, p.Login, "", 2, "L", false, 0, "")
		pdf.SetX(18)
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(30, 9, tr("Passwort:"), "", 0, "L", false, 0, "")
		pdf.SetFont("Courier", "B", 16)
		pdf.CellFormat(0, 9, tr(p.Password), "", 2, "L", false, 0, "")
		pdf.SetX(18)
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(174, 5, tr(fmt.Sprintf("Nach der ersten Anmeldung wählst du ein eigenes Passwort. "+
			"Verrate es niemandem. Deine Mail-Adresse: %s", school.Mail(p.Login))), "", "L", false)
		y += slipH
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("api: password slip: %w", err)
	}
	return buf.Bytes(), nil
}
