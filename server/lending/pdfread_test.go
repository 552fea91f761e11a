package lending

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// A small reader for the PDFs the tests render: it reads the files back
// the way a printer driver would get them — page sizes from the page
// objects, the drawing operators from the (deflated) content streams —
// and decodes the barcodes from the rectangles drawn there with a Code
// 128 decoder of its own, independent of the encoder the server uses.

// pdfDoc is a PDF read back.
type pdfDoc struct {
	pages []pdfPage
}

type pdfPage struct {
	w, h  float64 // points
	rects []pdfRect
	texts []string
}

// pdfRect is a filled rectangle in points, y upwards from the bottom.
type pdfRect struct{ x, y, w, h float64 }

var (
	mediaBoxRE = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)
	pageObjRE  = regexp.MustCompile(`/Type /Page\b[^s]`)
	rectRE     = regexp.MustCompile(`(-?[0-9.]+) (-?[0-9.]+) (-?[0-9.]+) (-?[0-9.]+) re f\b`)
)

func readPDF(t testing.TB, data []byte) pdfDoc {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(20, len(data))])
	}
	var streams [][]byte
	rest := data
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			t.Fatal("a stream without its end")
		}
		raw := rest[:j]
		rest = rest[j+len("endstream"):]
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			streams = append(streams, raw)
			continue
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("inflate a stream: %v", err)
		}
		streams = append(streams, plain)
	}
	n := len(pageObjRE.FindAll(data, -1))
	boxes := mediaBoxRE.FindAllSubmatch(data, -1)
	if n == 0 || len(boxes) == 0 {
		t.Fatalf("no pages or no MediaBox in the PDF")
	}
	var doc pdfDoc
	for p := 0; p < n; p++ {
		b := boxes[min(p, len(boxes)-1)]
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		page := pdfPage{w: w, h: h}
		// fpdf writes the pages' content streams in page order, before
		// any font or image stream.
		if p < len(streams) {
			page.rects, page.texts = parseContent(string(streams[p]))
		}
		doc.pages = append(doc.pages, page)
	}
	return doc
}

// parseContent collects the filled rectangles and the shown strings of a
// content stream.
func parseContent(s string) ([]pdfRect, []string) {
	var rects []pdfRect
	for _, m := range rectRE.FindAllStringSubmatch(s, -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		r := pdfRect{x: v[0], y: v[1], w: v[2], h: v[3]}
		if r.h < 0 { // normalise: y is the bottom edge
			r.y, r.h = r.y+r.h, -r.h
		}
		rects = append(rects, r)
	}
	var texts []string
	dec := charmap.Windows1252.NewDecoder()
	for i := 0; i < len(s); i++ {
		if s[i] != '(' {
			continue
		}
		var b strings.Builder
		j := i + 1
		for ; j < len(s) && s[j] != ')'; j++ {
			if s[j] == '\\' && j+1 < len(s) {
				j++
				switch s[j] {
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				default:
					b.WriteByte(s[j])
				}
				continue
			}
			b.WriteByte(s[j])
		}
		if strings.HasPrefix(strings.TrimSpace(s[j+1:min(j+6, len(s))]), "Tj") {
			txt, _ := dec.String(b.String())
			texts = append(texts, txt)
		}
		i = j
	}
	return rects, texts
}

// text is all the shown strings of the document.
func (d pdfDoc) text() string {
	var b strings.Builder
	for _, p := range d.pages {
		b.WriteString(strings.Join(p.texts, "\n"))
		b.WriteString("\n")
	}
	return b.String()
}

const mmPt = 72 / 25.4

// barsIn returns the filled rectangles inside a box given in millimetres
// from the top-left corner of the page.
func (p pdfPage) barsIn(x, y, w, h float64) []pdfRect {
	x0, x1 := x*mmPt, (x+w)*mmPt
	y1 := p.h - y*mmPt
	y0 := p.h - (y+h)*mmPt
	var out []pdfRect
	for _, r := range p.rects {
		if r.x >= x0-0.01 && r.x+r.w <= x1+0.01 && r.y >= y0-0.01 && r.y+r.h <= y1+0.01 {
			out = append(out, r)
		}
	}
	return out
}

// scanline rasterises bars like a scanner's sensor row: it samples a
// horizontal line through their middle every step points.
func scanline(bars []pdfRect, step float64) []bool {
	if len(bars) == 0 {
		return nil
	}
	minX, maxX, midY := math.Inf(1), math.Inf(-1), 0.0
	for _, r := range bars {
		minX, maxX = math.Min(minX, r.x), math.Max(maxX, r.x+r.w)
		midY += r.y + r.h/2
	}
	midY /= float64(len(bars))
	var line []bool
	for x := minX - 5; x <= maxX+5; x += step {
		dark := false
		for _, r := range bars {
			if x >= r.x && x < r.x+r.w && midY >= r.y && midY <= r.y+r.h {
				dark = true
				break
			}
		}
		line = append(line, dark)
	}
	return line
}

// code128Patterns are the element widths of the Code 128 symbols 0-106
// (bar, space, bar, space, bar, space; the stop symbol has a last bar),
// as ISO/IEC 15417 lists them.
var code128Patterns = strings.Fields(`
212222 222122 222221 121223 121322 131222 122213 122312 132212 221213
221312 231212 112232 122132 122231 113222 123122 123221 223211 221132
221231 213212 223112 312131 311222 321122 321221 312212 322112 322211
212123 212321 232121 111323 131123 131321 112313 132113 132311 211313
231113 231311 112133 112331 132131 113123 113321 133121 313121 211331
231131 213113 213311 213131 311123 311321 331121 312113 312311 332111
314111 221411 431111 111224 111422 121124 121421 141122 141221 112214
112412 122114 122411 142112 142211 241211 221114 413111 241112 134111
111242 121142 121241 114212 124112 124211 411212 421112 421211 212141
214121 412121 111143 111341 131141 114113 114311 411113 411311 113141
114131 311141 411131 211412 211214 211232 2331112`)

// decodeCode128 reads a scanline: run lengths, the module width from the
// start symbol (11 modules), each symbol looked up in the table, the
// check symbol verified, and the data decoded in code sets B and C.
func decodeCode128(line []bool) (string, error) {
	var runs []int
	for i := 0; i < len(line); {
		j := i
		for j < len(line) && line[j] == line[i] {
			j++
		}
		if line[i] || len(runs) > 0 { // from the first bar on
			runs = append(runs, j-i)
		}
		i = j
	}
	if len(runs) > 0 && len(runs)%2 == 0 { // the trailing quiet zone
		runs = runs[:len(runs)-1]
	}
	if len(runs) < 6+6+7 || (len(runs)-7)%6 != 0 {
		return "", fmt.Errorf("%d bars and spaces: no Code 128", len(runs))
	}
	start := 0
	for _, r := range runs[:6] {
		start += r
	}
	module := float64(start) / 11
	lookup := map[string]int{}
	for v, p := range code128Patterns {
		lookup[p] = v
	}
	var values []int
	for i, n := 0, 6; i < len(runs); i += n {
		if i+7 == len(runs) {
			n = 7 // the stop symbol
		}
		var key strings.Builder
		sum := 0
		for _, r := range runs[i : i+n] {
			m := int(math.Round(float64(r) / module))
			sum += m
			key.WriteString(strconv.Itoa(m))
		}
		v, ok := lookup[key.String()]
		if !ok {
			return "", fmt.Errorf("symbol %d: widths %s are no Code 128 symbol", len(values), key.String())
		}
		values = append(values, v)
	}
	if values[len(values)-1] != 106 {
		return "", fmt.Errorf("no stop symbol")
	}
	values = values[:len(values)-1]
	check := values[len(values)-1]
	sum := values[0]
	for i := 1; i < len(values)-1; i++ {
		sum += i * values[i]
	}
	if sum%103 != check {
		return "", fmt.Errorf("check symbol %d, want %d", check, sum%103)
	}
	var set byte
	switch values[0] {
	case 104:
		set = 'B'
	case 105:
		set = 'C'
	default:
		return "", fmt.Errorf("start symbol %d", values[0])
	}
	var out strings.Builder
	for _, v := range values[1 : len(values)-1] {
		switch {
		case v == 99:
			set = 'C'
		case v == 100:
			set = 'B'
		case set == 'C' && v < 100:
			fmt.Fprintf(&out, "%02d", v)
		case set == 'B' && v < 95:
			out.WriteByte(byte(32 + v))
		default:
			return "", fmt.Errorf("value %d in code set %c", v, set)
		}
	}
	return out.String(), nil
}

// labelCodes decodes the barcode on every label position of a page's
// sheet, in order; "" where a position has no barcode.
func labelCodes(t testing.TB, p pdfPage, sh Sheet) []string {
	t.Helper()
	out := make([]string, sh.PerSheet())
	for n := 1; n <= sh.PerSheet(); n++ {
		x, y := sh.Position(n)
		bars := p.barsIn(x, y, sh.W, sh.H)
		if len(bars) == 0 {
			continue
		}
		code, err := decodeCode128(scanline(bars, 0.05))
		if err != nil {
			t.Errorf("label %d: %v", n, err)
			continue
		}
		// The quiet zones: ten modules of nothing to the label's edges.
		minX, maxX := math.Inf(1), math.Inf(-1)
		for _, r := range bars {
			minX, maxX = math.Min(minX, r.x), math.Max(maxX, r.x+r.w)
		}
		narrow := math.Inf(1)
		for _, r := range bars {
			narrow = math.Min(narrow, r.w)
		}
		if minX-x*mmPt < 10*narrow-0.05 || (x+sh.W)*mmPt-maxX < 10*narrow-0.05 {
			t.Errorf("label %d: quiet zone under ten modules", n)
		}
		out[n-1] = code
	}
	return out
}

var _ = sort.Strings
