package slip_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"testing"

	"kaspel/shared/slip"
	"kaspel/shared/wire"
)

// text returns the decompressed content streams of a PDF, where the
// printed words are.
func text(t *testing.T, pdf []byte) string {
	t.Helper()
	var out bytes.Buffer
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out.Write(m[1])
			continue
		}
		b, _ := io.ReadAll(r)
		out.Write(b)
	}
	return out.String()
}

func TestRender(t *testing.T) {
	list := []wire.OneTimePassword{
		{Login: "anna.schmidt", Name: "Anna Schmidt", Class: "3a", Password: "Sonne-Hase-47"},
		{Login: "ben.becker", Name: "Ben Becker", Class: "3a", Password: "Tiger-Boot-23"},
		{Login: "carla.roth", Name: "Carla Roth", Password: "Wolke-Igel-58"},
		{Login: "dora.klein", Name: "Dora Klein", Password: "Apfel-Hund-66"},
		{Login: "emil.wolf", Name: "Emil Wolf", Password: "Nase-Wald-79"},
	}
	pdf, err := slip.Render("Grundschule Borsumer Kaspel", "gsborsum.de", list, slip.German)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", pdf[:8])
	}
	if n := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page ")); n != 2 {
		t.Errorf("pages: got %d, want 2 (four slips a page)", n)
	}
	content := text(t, pdf)
	for _, want := range []string{"anna.schmidt", "Sonne-Hase-47", "Klasse 3a", "emil.wolf@gsborsum.de"} {
		if !bytes.Contains([]byte(content), []byte(want)) {
			t.Errorf("the slips do not show %q", want)
		}
	}
}
