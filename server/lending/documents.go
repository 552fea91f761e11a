package lending

import (
	"bytes"
	"fmt"
	"image/color"
	"time"

	"github.com/boombuler/barcode/code128"
	"github.com/go-pdf/fpdf"
)

// The printed documents: labels and pupil cards for real label sheets,
// lists and letters on A4. German for people; umlauts go through fpdf's
// cp1252 translation for the core fonts. Barcodes are Code 128, drawn as
// filled rectangles (vectors, sharp on any printer) module by module
// from the encoder's pattern, with the quiet zones the standard wants.

// Sheet is a sheet of labels: its grid on A4 in millimetres.
type Sheet struct {
	ID             string
	Name           string
	Cols, Rows     int
	W, H           float64 // a label
	Left, Top      float64 // the first label's corner
	PitchX, PitchY float64 // from one label to the next
}

// PerSheet is the number of labels on a sheet.
func (s Sheet) PerSheet() int { return s.Cols * s.Rows }

// Position is the corner of label n (1-based, row by row).
func (s Sheet) Position(n int) (x, y float64) {
	i := (n - 1) % s.PerSheet()
	return s.Left + float64(i%s.Cols)*s.PitchX, s.Top + float64(i/s.Cols)*s.PitchY
}

// Sheets are the label sheets the school buys. The margins centre the
// grid on A4 as the manufacturer's templates do.
var Sheets = map[string]Sheet{
	// Avery Zweckform L4736REV: 45.7 x 21.2 mm, 4 x 12, removable: the
	// copy labels.
	"L4736REV": {ID: "L4736REV", Name: "Avery Zweckform L4736REV (45,7 × 21,2 mm)", Cols: 4, Rows: 12, W: 45.7, H: 21.2,
		Left: 9.7, Top: 21.3, PitchX: 48.3, PitchY: 21.2},
	// Avery Zweckform 3474: 70 x 37 mm, 3 x 8, edge to edge: larger copy
	// labels with the title, and the pupil cards.
	"3474": {ID: "3474", Name: "Avery Zweckform 3474 (70 × 37 mm)", Cols: 3, Rows: 8, W: 70, H: 37,
		Left: 0, Top: 0.5, PitchX: 70, PitchY: 37},
}

// SheetByID finds a sheet ("" is L4736REV).
func SheetByID(id string) (Sheet, error) {
	if id == "" {
		id = "L4736REV"
	}
	s, ok := Sheets[id]
	if !ok {
		return Sheet{}, refuse(Invalid, "sheet", "Diese Etikettenbögen gibt es nicht: „L4736REV“ oder „3474“.", "sheet %q", id)
	}
	return s, nil
}

// doc is a PDF being written.
type doc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func newDoc(orientation, title string, at time.Time) *doc {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	d := &doc{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetTitle(d.tr(title), false)
	pdf.SetCreator("Kaspel", false)
	pdf.SetCreationDate(at)
	pdf.SetAutoPageBreak(false, 12)
	pdf.SetMargins(15, 15, 15)
	return d
}

func (d *doc) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("lending: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// text writes a cell in the current font.
func (d *doc) text(x, y, w, h float64, s, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, d.tr(s), "", 0, align, false, 0, "")
}

// fit shortens s until it fits into w millimetres in the current font.
func (d *doc) fit(s string, w float64) string {
	if d.pdf.GetStringWidth(d.tr(s)) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && d.pdf.GetStringWidth(d.tr(string(r)+"…")) > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// QuietModules is the quiet zone on each side of a barcode, in modules
// (the standard asks for at least ten).
const QuietModules = 10

// maxModule bounds a module's width: wider bars only make the code long.
const maxModule = 0.5

// barcode draws content as Code 128 into the box (x, y, w, h), centred,
// the quiet zones inside the box. It returns the module width used.
func (d *doc) barcode(content string, x, y, w, h float64) (float64, error) {
	bc, err := code128.Encode(content)
	if err != nil {
		return 0, fmt.Errorf("lending: barcode %q: %w", content, err)
	}
	modules := bc.Bounds().Dx()
	mw := w / float64(modules+2*QuietModules)
	if mw > maxModule {
		mw = maxModule
	}
	x0 := x + (w-float64(modules)*mw)/2
	d.pdf.SetFillColor(0, 0, 0)
	dark := func(i int) bool {
		r, _, _, _ := color.GrayModel.Convert(bc.At(i, 0)).RGBA()
		return r < 0x8000
	}
	for i := 0; i < modules; {
		if !dark(i) {
			i++
			continue
		}
		j := i
		for j < modules && dark(j) {
			j++
		}
		d.pdf.Rect(x0+float64(i)*mw, y, float64(j-i)*mw, h, "F")
		i = j
	}
	return mw, nil
}

// tableCol is a column of a table.
type tableCol struct {
	Title string
	W     float64
	Align string
}

// table draws a table from the current y on, with the header repeated on
// every page; header draws the page's heading first.
type table struct {
	d      *doc
	cols   []tableCol
	header func()
	rowH   float64
}

func (t *table) start() {
	t.header()
	t.head()
}

func (t *table) head() {
	p := t.d.pdf
	p.SetFont("Helvetica", "B", 9)
	p.SetFillColor(230, 230, 230)
	x := p.GetX()
	for _, c := range t.cols {
		p.CellFormat(c.W, t.rowH, t.d.tr(t.d.fit(c.Title, c.W-1)), "1", 0, c.Align, true, 0, "")
	}
	p.Ln(-1)
	p.SetX(x)
	p.SetFont("Helvetica", "", 9)
}

func (t *table) row(cells ...string) {
	p := t.d.pdf
	_, ph := p.GetPageSize()
	if p.GetY()+t.rowH > ph-15 {
		p.AddPage()
		t.header()
		t.head()
	}
	for i, c := range t.cols {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		p.CellFormat(c.W, t.rowH, t.d.tr(t.d.fit(s, c.W-1.5)), "1", 0, c.Align, false, 0, "")
	}
	p.Ln(-1)
}

// heading writes a document's heading: the school, the title, a line.
func (d *doc) heading(school, title, sub string) {
	p := d.pdf
	p.SetFont("Helvetica", "", 9)
	p.SetXY(15, 12)
	p.CellFormat(0, 5, d.tr(school), "", 1, "L", false, 0, "")
	p.SetX(15)
	p.SetFont("Helvetica", "B", 14)
	p.CellFormat(0, 8, d.tr(title), "", 1, "L", false, 0, "")
	if sub != "" {
		p.SetX(15)
		p.SetFont("Helvetica", "", 10)
		p.CellFormat(0, 6, d.tr(sub), "", 1, "L", false, 0, "")
	}
	p.Ln(2)
}
