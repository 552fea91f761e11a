package lending

import (
	"context"
	"database/sql"
	"fmt"

	"kaspel/server/directory"
)

// LabelRequest asks for copy labels: new numbers (Count, reserved so that
// no number is printed twice), a range of numbers (From..To, a reprint),
// or every copy of a title. Start is the first free position on a partly
// used sheet (1 = top left, row by row).
type LabelRequest struct {
	Sheet string
	Start int
	Count int
	From  int64
	To    int64
	Title int64
}

// Labels is a PDF of labels and the numbers on it.
type Labels struct {
	PDF     []byte
	Numbers []int64
	Sheet   Sheet
	Pages   int
}

type labelItem struct {
	number int64
	title  string
}

// Labels prints copy labels (coordinator).
func (s *Service) Labels(ctx context.Context, me directory.Person, req LabelRequest) (Labels, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Labels{}, err
	}
	sheet, err := SheetByID(req.Sheet)
	if err != nil {
		return Labels{}, err
	}
	if req.Start == 0 {
		req.Start = 1
	}
	if req.Start < 1 || req.Start > sheet.PerSheet() {
		return Labels{}, refuse(Invalid, "start", fmt.Sprintf("Die Startposition liegt zwischen 1 und %d.", sheet.PerSheet()), "start %d", req.Start)
	}
	ways := 0
	for _, set := range []bool{req.Count != 0, req.From != 0 || req.To != 0, req.Title != 0} {
		if set {
			ways++
		}
	}
	if ways != 1 {
		return Labels{}, refuse(Invalid, "count", "Bitte entweder die Anzahl neuer Nummern, einen Nummernbereich oder einen Titel angeben.", "%d ways", ways)
	}
	var items []labelItem
	switch {
	case req.Count != 0:
		if req.Count < 1 || req.Count > MaxLabels {
			return Labels{}, refuse(Invalid, "count", fmt.Sprintf("Es können 1 bis %d Etiketten auf einmal gedruckt werden.", MaxLabels), "count %d", req.Count)
		}
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			first, err := s.reserveNumbers(ctx, tx, int64(req.Count))
			for i := 0; err == nil && i < req.Count; i++ {
				items = append(items, labelItem{number: first + int64(i)})
			}
			return err
		})
		if err != nil {
			return Labels{}, err
		}
	case req.Title != 0:
		copies, err := copiesOfTitle(ctx, s.db.R, req.Title)
		if err != nil {
			return Labels{}, err
		}
		for _, c := range copies {
			if c.Status != Lost && c.Status != Retired {
				items = append(items, labelItem{number: c.Number, title: c.Title})
			}
		}
		if len(items) == 0 {
			return Labels{}, refuse(Conflict, "title", "Von diesem Titel gibt es keine Exemplare.", "no copies")
		}
	default:
		if req.From < 1 || req.To < req.From || req.To > maxCopyNo || req.To-req.From >= MaxLabels {
			return Labels{}, refuse(Invalid, "from", fmt.Sprintf("Bitte einen Nummernbereich von höchstens %d Nummern angeben.", MaxLabels), "range %d-%d", req.From, req.To)
		}
		for n := req.From; n <= req.To; n++ {
			it := labelItem{number: n}
			if c, err := copyByNumber(ctx, s.db.R, n); err == nil {
				it.title = c.Title
			}
			items = append(items, it)
		}
	}
	school, err := s.dir.School(ctx)
	if err != nil {
		return Labels{}, fmt.Errorf("lending: school: %w", err)
	}
	d := newDoc("P", "Buchetiketten", s.now())
	pos := req.Start
	for i, it := range items {
		if i == 0 || pos > sheet.PerSheet() {
			d.pdf.AddPage()
			if i > 0 {
				pos = 1
			}
		}
		x, y := sheet.Position(pos)
		if err := d.copyLabel(sheet, x, y, school.Name, it); err != nil {
			return Labels{}, err
		}
		pos++
	}
	out := Labels{Sheet: sheet, Pages: d.pdf.PageCount()}
	for _, it := range items {
		out.Numbers = append(out.Numbers, it.number)
	}
	if out.PDF, err = d.bytes(); err != nil {
		return Labels{}, err
	}
	return out, nil
}

// copyLabel draws one copy label: the school, the barcode, the number
// (and, on the large labels, the title).
func (d *doc) copyLabel(sh Sheet, x, y float64, school string, it labelItem) error {
	code := CopyCode(it.number)
	p := d.pdf
	if sh.H < 30 {
		const pad = 1.5
		w := sh.W - 2*pad
		p.SetFont("Helvetica", "", 6)
		d.text(x+pad, y+pad, w, 3, d.fit(school, w), "C")
		if _, err := d.barcode(code, x+pad, y+pad+3.3, w, 10); err != nil {
			return err
		}
		p.SetFont("Helvetica", "B", 8)
		d.text(x+pad, y+pad+13.8, w, 3.5, code, "C")
		return nil
	}
	const pad = 4 // the 3474 sheet is edge to edge: printers leave a margin
	w := sh.W - 2*pad
	p.SetFont("Helvetica", "", 8)
	d.text(x+pad, y+pad, w, 4, d.fit(school, w), "C")
	if it.title != "" {
		d.text(x+pad, y+pad+4, w, 4, d.fit(it.title, w), "C")
	}
	if _, err := d.barcode(code, x+pad, y+pad+8.5, w, 14); err != nil {
		return err
	}
	p.SetFont("Helvetica", "B", 10)
	d.text(x+pad, y+pad+23, w, 5, code, "C")
	return nil
}

// CardRequest asks for pupil cards: a class's, or one pupil's.
type CardRequest struct {
	Class string
	Pupil string // a login
	Start int    // first free position on the sheet (3474)
}

// Cards prints pupil cards on Avery Zweckform 3474 labels (stuck on a
// card or into the pupil's homework book): the school, the child's name
// and class, the 9-digit card number as Code 128. Pupils without a card
// number get one (lending staff).
func (s *Service) Cards(ctx context.Context, me directory.Person, req CardRequest) (Labels, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Labels{}, err
	}
	sheet := Sheets["3474"]
	if req.Start == 0 {
		req.Start = 1
	}
	if req.Start < 1 || req.Start > sheet.PerSheet() {
		return Labels{}, refuse(Invalid, "start", fmt.Sprintf("Die Startposition liegt zwischen 1 und %d.", sheet.PerSheet()), "start %d", req.Start)
	}
	var pupils []directory.Listed
	switch {
	case req.Pupil != "":
		p, err := s.pupilByLogin(ctx, req.Pupil)
		if err != nil {
			return Labels{}, err
		}
		pupils = []directory.Listed{p}
	case req.Class != "":
		list, err := s.dir.PupilsOfClass(ctx, req.Class)
		if err != nil {
			return Labels{}, refuse(NotFound, "class", "Diese Klasse gibt es nicht.", "class %q: %v", req.Class, err)
		}
		pupils = list
	default:
		return Labels{}, refuse(Invalid, "class", "Bitte eine Klasse oder ein Kind wählen.", "no class")
	}
	if len(pupils) == 0 {
		return Labels{}, refuse(Conflict, "class", "In dieser Klasse ist kein Kind.", "empty class")
	}
	cards, err := s.ensureCards(ctx, pupils)
	if err != nil {
		return Labels{}, err
	}
	school, err := s.dir.School(ctx)
	if err != nil {
		return Labels{}, fmt.Errorf("lending: school: %w", err)
	}
	d := newDoc("P", "Schülerausweise Schulbuchausleihe", s.now())
	pos := req.Start
	out := Labels{Sheet: sheet}
	for i, p := range pupils {
		if i == 0 || pos > sheet.PerSheet() {
			d.pdf.AddPage()
			if i > 0 {
				pos = 1
			}
		}
		x, y := sheet.Position(pos)
		const pad = 4
		w := sheet.W - 2*pad
		d.pdf.SetFont("Helvetica", "", 7)
		d.text(x+pad, y+pad, w, 3.5, d.fit(school.Name+" · Schulbuchausleihe", w), "C")
		d.pdf.SetFont("Helvetica", "B", 10)
		line := p.Name()
		if c := classOf(p.Classes); c != "" {
			line += " (" + c + ")"
		}
		d.text(x+pad, y+pad+3.8, w, 4.5, d.fit(line, w), "C")
		if _, err := d.barcode(cards[p.ID], x+pad, y+pad+9, w, 13); err != nil {
			return Labels{}, err
		}
		d.pdf.SetFont("Helvetica", "", 9)
		d.text(x+pad, y+pad+22.5, w, 4.5, cards[p.ID], "C")
		pos++
	}
	out.Pages = d.pdf.PageCount()
	if out.PDF, err = d.bytes(); err != nil {
		return Labels{}, err
	}
	return out, nil
}
