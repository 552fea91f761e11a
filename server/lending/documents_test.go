package lending

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"kaspel/server/directory"
)

func checkA4(t *testing.T, d pdfDoc, landscape bool) {
	t.Helper()
	w, h := 595.28, 841.89
	if landscape {
		w, h = h, w
	}
	for i, p := range d.pages {
		if math.Abs(p.w-w) > 0.01 || math.Abs(p.h-h) > 0.01 {
			t.Errorf("page %d: %.2f x %.2f pt, want A4 %.2f x %.2f", i+1, p.w, p.h, w, h)
		}
	}
}

// Labels on L4736REV from position 5: the PDF is read back, each label's
// barcode rasterised from the rectangles drawn and decoded.
func TestLabelsReadBack(t *testing.T) {
	e := newEnv(t)
	l, err := e.svc.Labels(ctx, e.kai, LabelRequest{Sheet: "L4736REV", Start: 5, Count: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Numbers) != 50 || l.Numbers[0] != 1 || l.Numbers[49] != 50 || l.Pages != 2 {
		t.Fatalf("got numbers %v.., %d pages", l.Numbers[:3], l.Pages)
	}
	doc := readPDF(t, l.PDF)
	if len(doc.pages) != 2 {
		t.Fatalf("got %d pages, want 2", len(doc.pages))
	}
	checkA4(t, doc, false)
	sh := Sheets["L4736REV"]
	if sh.PerSheet() != 48 {
		t.Fatalf("L4736REV: %d per sheet", sh.PerSheet())
	}
	next := int64(1)
	for pi, p := range doc.pages {
		codes := labelCodes(t, p, sh)
		printed := 0
		for pos, code := range codes {
			used := pi == 0 && pos+1 >= 5 || pi == 1 && pos < 6
			switch {
			case used && code != CopyCode(next):
				t.Errorf("page %d, label %d: decoded %q, want %q", pi+1, pos+1, code, CopyCode(next))
			case !used && code != "":
				t.Errorf("page %d, label %d: decoded %q on a position that should stay free", pi+1, pos+1, code)
			}
			if used {
				next++
			}
			if code != "" {
				printed++
			}
		}
		want := 44
		if pi == 1 {
			want = 6
		}
		if printed != want {
			t.Errorf("page %d: %d labels, want %d", pi+1, printed, want)
		}
	}
	text := doc.text()
	for _, want := range []string{"Grundschule Borsumer Kaspel", "0000001", "0000050"} {
		if !strings.Contains(text, want) {
			t.Errorf("the labels lack %q", want)
		}
	}
	// The numbers are reserved: the next sheet and new copies go on.
	l2, err := e.svc.Labels(ctx, e.kai, LabelRequest{Count: 2})
	if err != nil || l2.Numbers[0] != 51 {
		t.Errorf("second sheet: got %v, %v; want from 51", l2.Numbers, err)
	}
	if codes := e.copies(e.maths, 1); codes[0] != "0000053" {
		t.Errorf("a new copy after the labels: got %s, want 0000053", codes[0])
	}

	// The large labels (3474) of a title's copies, from position 23.
	e.copies(e.maths, 2)
	l3, err := e.svc.Labels(ctx, e.kai, LabelRequest{Sheet: "3474", Start: 23, Title: e.maths.ID})
	if err != nil {
		t.Fatal(err)
	}
	doc = readPDF(t, l3.PDF)
	checkA4(t, doc, false)
	big := Sheets["3474"]
	if len(doc.pages) != 2 || big.PerSheet() != 24 {
		t.Fatalf("3474: got %d pages", len(doc.pages))
	}
	p1, p2 := labelCodes(t, doc.pages[0], big), labelCodes(t, doc.pages[1], big)
	if p1[22] != "0000053" || p1[23] != "0000054" || p2[0] != "0000055" || p1[21] != "" || p2[1] != "" {
		t.Errorf("3474 labels: got %q ... %q, %q", p1[21:], p2[0], p2[1])
	}
	if !strings.Contains(doc.text(), "Mathe-Welt 4") {
		t.Error("the large labels lack the title")
	}
	for _, bad := range []LabelRequest{{Sheet: "L7160"}, {Start: 49, Count: 1}, {Count: 1, Title: e.maths.ID}, {}, {From: 10, To: 5}} {
		if _, err := e.svc.Labels(ctx, e.kai, bad); kindOf(err) != Invalid {
			t.Errorf("labels %+v: got %v, want refused", bad, err)
		}
	}
	if _, err := e.svc.Labels(ctx, e.sabine, LabelRequest{Count: 1}); kindOf(err) != Forbidden {
		t.Errorf("the secretary prints labels: got %v", err)
	}
}

// Pupil cards: each card's 9-digit number is on it as Code 128.
func TestCardsReadBack(t *testing.T) {
	e := newEnv(t)
	l, err := e.svc.Cards(ctx, e.sabine, CardRequest{Class: "3a", Start: 2})
	if err != nil {
		t.Fatal(err)
	}
	doc := readPDF(t, l.PDF)
	checkA4(t, doc, false)
	codes := labelCodes(t, doc.pages[0], Sheets["3474"])
	want := []directory.Person{e.dora, e.ben, e.anna} // class-list order
	for i, p := range want {
		card, err := e.svc.Card(ctx, e.sabine, p.Login)
		if err != nil {
			t.Fatal(err)
		}
		if codes[i+1] != card || !ValidCardCode(codes[i+1]) {
			t.Errorf("card %d (%s): decoded %q, want %q", i+1, p.Login, codes[i+1], card)
		}
		if !strings.Contains(doc.text(), p.Name()+" (3a)") {
			t.Errorf("card of %s lacks the name", p.Login)
		}
	}
	if codes[0] != "" || codes[4] != "" {
		t.Errorf("positions 1 and 5: %q, %q; want free", codes[0], codes[4])
	}
	// Scanning a printed card selects the child.
	res := e.scan(e.sabine, ScanRequest{Code: codes[3]})
	if res.Kind != ScanPupil || res.Pupil.Pupil.ID != e.anna.ID {
		t.Errorf("scanning Anna's card: got %s %s", res.Kind, res.Message)
	}
}

// The lists and letters: read back for their page size and what they say.
func TestReportsReadBack(t *testing.T) {
	e := newEnv(t)
	ra := e.register(e.anna, RegistrationInput{Package: true})
	e.register(e.ben, RegistrationInput{Package: true})
	e.pay(e.anna, ra.Registration.Due)
	maths := e.copies(e.maths, 2)
	e.at("2026-08-10")
	e.scan(e.sabine, ScanRequest{Code: maths[0], Pupil: e.anna.Login})
	e.at("2027-06-25")
	res := e.scan(e.sabine, ScanRequest{Code: maths[0], Mode: ModeReturn, Condition: ReturnTotal})
	if res.Claim == nil {
		t.Fatal("no claim")
	}

	issue, err := e.svc.IssueList(ctx, e.tina, "3a", e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := readPDF(t, issue)
	checkA4(t, d, true)
	for _, want := range []string{"Ausgabeliste Klasse 3a", "Schmidt, Anna", "Becker, Ben", "Adler, Dora", "Mathe-Welt 4", "[  ]", "Zahlung offen"} {
		if !strings.Contains(d.text(), want) {
			t.Errorf("issue list lacks %q", want)
		}
	}
	if _, err := e.svc.IssueList(ctx, e.otto, "3a", e.year.ID); kindOf(err) != Forbidden {
		t.Errorf("another class's teacher: got %v", err)
	}

	letters, n, err := e.svc.ClaimLetters(ctx, e.sabine, e.year.ID, "")
	if err != nil || n != 1 {
		t.Fatalf("claim letters: %d, %v", n, err)
	}
	d = readPDF(t, letters)
	checkA4(t, d, false)
	for _, want := range []string{"An die Eltern von Anna Schmidt, Klasse 3a", "Mathe-Welt 4", maths[0], "unbrauchbar", Euro(res.Claim.Amount),
		"DE89 3704 0044 0532 0130 00", ra.Account.Reference} {
		if !strings.Contains(d.text(), want) {
			t.Errorf("claim letter lacks %q:\n%s", want, d.text())
		}
	}

	pay, err := e.svc.PaymentList(ctx, e.sabine, e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	d = readPDF(t, pay)
	for _, want := range []string{"Anna Schmidt", "Ben Becker", ra.Account.Reference, "2 Konten", Euro(3323 + 3323 + res.Claim.Amount), "Zahlung offen"} {
		if !strings.Contains(d.text(), want) {
			t.Errorf("payment list lacks %q", want)
		}
	}

	books, err := e.svc.BookListPDF(ctx, e.tina, e.year.ID, 4)
	if err != nil {
		t.Fatal(err)
	}
	d = readPDF(t, books)
	for _, want := range []string{"Bücherliste Klasse 4", "Mathe-Welt 4", "8,73 €", "24,95 €", "16,80 € (2 J.)", "kaufen", "33,23 €", "26,58 €"} {
		if !strings.Contains(d.text(), want) {
			t.Errorf("book list lacks %q:\n%s", want, d.text())
		}
	}

	missing, err := e.svc.MissingList(ctx, e.sabine, e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d = readPDF(t, missing); !strings.Contains(d.text(), "0 Bücher sind noch nicht zurück") {
		t.Errorf("missing list: %s", d.text())
	}

	_, rows, err := e.svc.OrderRows(ctx, e.kai, e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Two registrations borrow each book; one maths copy is left (the
	// other is unusable), no reading copies.
	got := map[string]string{}
	for _, r := range rows {
		got[r.Title.Title] = fmt.Sprintf("%d-%d=%d", r.Needed, r.Available, r.Order)
	}
	if got["Mathe-Welt 4"] != "2-1=1" || got["Lesebuch 4"] != "2-0=2" || len(rows) != 3 {
		t.Errorf("order rows: got %v", got)
	}
	order, err := e.svc.OrderList(ctx, e.kai, e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d = readPDF(t, order); !strings.Contains(d.text(), "Bestellliste") || !strings.Contains(d.text(), Euro(2495+2*2200+2*2800)) {
		t.Errorf("order list: %s", d.text())
	}
}

// The real read-back: Poppler renders the label sheet like a printer
// driver, and a row of pixels through the first label is decoded. It
// runs where poppler-utils is installed (make deps installs it).
func TestLabelsRenderedByPoppler(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("KASPEL_REQUIRE_POPPLER") == "1" {
			t.Fatal("pdftoppm (poppler-utils) is not installed")
		}
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	e := newEnv(t)
	l, err := e.svc.Labels(ctx, e.kai, LabelRequest{Sheet: "L4736REV", Start: 7, From: 1234, To: 1235})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "labels.pdf")
	if err := os.WriteFile(pdf, l.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi = 600
	out, err := exec.Command(bin, "-gray", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", pdf, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	img, err := readPGM(filepath.Join(dir, "page-1.pgm"))
	if err != nil {
		t.Fatal(err)
	}
	sh := Sheets["L4736REV"]
	for i, want := range []string{"0001234", "0001235"} {
		x, y := sh.Position(7 + i)
		row := int((y + 1.5 + 3.3 + 5) / 25.4 * dpi) // the barcode's middle
		x0, x1 := int(x/25.4*dpi), int((x+sh.W)/25.4*dpi)
		line := make([]bool, 0, x1-x0)
		for px := x0; px < x1; px++ {
			line = append(line, img.at(px, row) < 128)
		}
		code, err := decodeCode128(line)
		if err != nil || code != want {
			t.Errorf("label %d rendered: decoded %q, %v; want %q", 7+i, code, err, want)
		}
	}
}

type pgm struct {
	w, h int
	pix  []byte
}

func (p pgm) at(x, y int) byte { return p.pix[y*p.w+x] }

// readPGM reads a binary (P5) greymap as pdftoppm writes it.
func readPGM(path string) (pgm, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return pgm{}, err
	}
	r := bufio.NewReader(bytes.NewReader(data))
	var magic string
	var w, h, max int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &max); err != nil || magic != "P5" || max != 255 {
		return pgm{}, fmt.Errorf("not an 8-bit P5 greymap: %v", err)
	}
	r.ReadByte() // the single white space after the header
	pix := make([]byte, w*h)
	if _, err := r.Read(pix[:0]); err != nil {
		return pgm{}, err
	}
	n := 0
	for n < len(pix) {
		m, err := r.Read(pix[n:])
		if err != nil {
			return pgm{}, fmt.Errorf("greymap cut short at %d of %d bytes", n, len(pix))
		}
		n += m
	}
	return pgm{w: w, h: h, pix: pix}, nil
}
