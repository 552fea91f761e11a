package lending

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"kaspel/server/directory"
)

func TestParseBankAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"33,23", 3323, true},
		{"1.234,56", 123456, true},
		{"-12,50", -1250, true},
		{"+25,00", 2500, true},
		{"12,50 €", 1250, true},
		{"25,00 EUR", 2500, true},
		{"12,5", 1250, true},
		{"12,50-", -1250, true},
		{"1.000", 100000, true}, // German thousands
		{"25.00", 2500, true},   // English decimals
		{"1,234.56", 123456, true},
		{"33", 3300, true},
		{"", 0, false},
		{"abc", 0, false},
		{"1,234", 0, false}, // three decimals: no amount in euros
	}
	for _, tt := range tests {
		got, ok := parseBankAmount(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseBankAmount(%q): got %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]string{"27.11.2026": "2026-11-27", "1.7.2026": "2026-07-01", "27.11.26": "2026-11-27", "2026-11-27": "2026-11-27"} {
		if got, ok := parseBankDate(in); !ok || got != want {
			t.Errorf("parseBankDate(%q): got %q, %v; want %q", in, got, ok, want)
		}
	}
}

// messyStatement is a Sparkasse-style export in Windows-1252: lines
// before the header, semicolons, quotes, a purpose over two lines, the
// references written every way, a debit, a balance line at the end.
func messyStatement(refs ...string) []byte {
	var b strings.Builder
	b.WriteString("\"Umsätze Girokonto\";\"Förderverein GS Borsum\"\r\n")
	b.WriteString("\"Zeitraum: 01.07.2026 - 31.07.2026\"\r\n\r\n")
	b.WriteString("\"Auftragskonto\";\"Buchungstag\";\"Valutadatum\";\"Buchungstext\";\"Verwendungszweck\";\"Beguenstigter/Zahlungspflichtiger\";" +
		"\"Kontonummer/IBAN\";\"BIC (SWIFT-Code)\";\"Betrag\";\"Waehrung\";\"Info\"\r\n")
	row := func(date, text, purpose, payer, iban, amount string) {
		fmt.Fprintf(&b, "\"DE89370400440532013000\";\"%s\";\"%s\";\"%s\";\"%s\";\"%s\";\"%s\";\"COBADEFFXXX\";\"%s\";\"EUR\";\"Umsatz gebucht\"\r\n",
			date, date, text, purpose, payer, iban, amount)
	}
	row("01.07.26", "GUTSCHR. UEBERWEISUNG", "Schulbuchausleihe "+refs[0]+" Anna Schmidt", "Eva Schmidt", "DE02120300000000202051", "33,23")
	row("02.07.26", "GUTSCHR. UEBERWEISUNG", strings.ToLower(strings.ReplaceAll(refs[1], "-", " "))+" Ben Becker Kl. 3a", "Jörg Becker", "DE02500105170137075030", "26,58")
	row("03.07.26", "GUTSCHR. UEBERWEISUNG", "Leihgebühr "+refs[2][:11]+"\n"+refs[2][11:]+" Dora", "Müller-Adler, Jana", "DE12500105170648489890", "1.000,00")
	row("03.07.26", "ENTGELTABSCHLUSS", "Kontoführung Juli", "", "", "-12,50")
	row("04.07.26", "GUTSCHR. UEBERWEISUNG", "Buchgeld für Dora", "Jana Adler", "DE12500105170648489890", "33,23")
	row("05.07.26", "GUTSCHR. UEBERWEISUNG", "Schulbuch "+Reference("SBA", 2026, 999), "Unbekannt", "", "20,00")
	b.WriteString("\"\";\"\";\"\";\"Endsaldo\";\"\";\"\";\"\";\"\";\"1.234,56\";\"EUR\";\"\"\r\n")
	out, err := charmap.Windows1252.NewEncoder().String(b.String())
	if err != nil {
		panic(err)
	}
	return []byte(out)
}

func TestParseStatement(t *testing.T) {
	refs := []string{Reference("SBA", 2026, 1), Reference("SBA", 2026, 2), Reference("SBA", 2026, 3)}
	st, err := ParseStatement(messyStatement(refs...), Mapping{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Encoding != "Windows-1252" || st.Separator != ";" {
		t.Errorf("got encoding %s, separator %q", st.Encoding, st.Separator)
	}
	if st.Mapping.Date != "Buchungstag" || st.Mapping.Amount != "Betrag" || len(st.Mapping.Purpose) != 1 || st.Mapping.Purpose[0] != "Verwendungszweck" ||
		st.Mapping.Payer != "Beguenstigter/Zahlungspflichtiger" || st.Mapping.IBAN != "Kontonummer/IBAN" {
		t.Errorf("mapping: got %+v", st.Mapping)
	}
	if len(st.Lines) != 5 || st.Debits != 1 || st.Skipped != 1 {
		t.Fatalf("got %d credits, %d debits, %d skipped; want 5, 1, 1: %+v", len(st.Lines), st.Debits, st.Skipped, st.Lines)
	}
	l := st.Lines[2]
	if l.Date != "2026-07-03" || l.Amount != 100000 || l.Payer != "Müller-Adler, Jana" || !strings.Contains(l.Purpose, "Leihgebühr") {
		t.Errorf("third line: got %+v", l)
	}
	if got := FindReferences("SBA", l.Purpose); len(got) != 1 || got[0] != refs[2] {
		t.Errorf("the reference over two lines: got %q, want %q", got, refs[2])
	}
	if st.Lines[0].Fingerprint == st.Lines[4].Fingerprint {
		t.Error("two different bookings have the same fingerprint")
	}

	// A comma-separated UTF-8 export with other names, mapped by hand.
	csv := "\ufeffDatum,Name,Zweck 1,Zweck 2,Betrag\n2026-07-06,Eva Schmidt,\"Buecher, Anna\"," + refs[0] + ",33.23\n"
	if _, err := ParseStatement([]byte(csv), Mapping{}); err == nil {
		t.Error("an export without known headers parsed without a mapping")
	}
	st, err = ParseStatement([]byte(csv), Mapping{Date: "Datum", Amount: "Betrag", Purpose: []string{"Zweck 1", "Zweck 2"}, Payer: "Name"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Encoding != "UTF-8" || st.Separator != "," || len(st.Lines) != 1 || st.Lines[0].Amount != 3323 ||
		st.Lines[0].Purpose != "Buecher, Anna "+refs[0] {
		t.Errorf("mapped export: got %+v", st)
	}
}

// The bank import: the payments with a valid reference are booked on
// their accounts, the others wait for matching by hand, and a second
// import of the same statement books nothing twice.
func TestImportPayments(t *testing.T) {
	e := newEnv(t)
	var refs []string
	for _, p := range []directory.Person{e.anna, e.ben, e.dora} {
		refs = append(refs, e.register(p, RegistrationInput{Package: true, Reduction: p.ID == e.ben.ID}).Account.Reference)
	}
	sabine := directory.Actor{Name: e.sabine.Login, Service: "test"}
	data := messyStatement(refs...)

	dry, err := e.svc.Import(ctx, e.sabine, sabine, data, true)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || dry.Matched != 3 || dry.Unmatched != 2 || e.count(`SELECT COUNT(*) FROM lending_payments`) != 0 {
		t.Fatalf("dry run: got %d matched, %d unmatched, %d payments stored", dry.Matched, dry.Unmatched, e.count(`SELECT COUNT(*) FROM lending_payments`))
	}

	rep, err := e.svc.Import(ctx, e.sabine, sabine, data, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Matched != 3 || rep.Unmatched != 2 || rep.Duplicates != 0 || rep.Debits != 1 || rep.Total != 3323+2658+100000 {
		t.Fatalf("import: got %+v", rep)
	}
	want := map[string]string{refs[0]: "Anna Schmidt", refs[1]: "Ben Becker", refs[2]: "Dora Adler"}
	for _, l := range rep.Lines {
		if l.State == "matched" && want[l.Reference] != l.PupilName {
			t.Errorf("line %d matched %s (%s)", l.Row, l.Reference, l.PupilName)
		}
		if l.State == "unmatched" && (l.Reason == "" || l.LineID == 0) {
			t.Errorf("unmatched line %d without reason or id: %+v", l.Row, l)
		}
	}
	status := func(p directory.Person) Account {
		t.Helper()
		a, err := accountOf(ctx, e.db.R, p.ID, e.year.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := status(e.anna); a.Status != StatusPaid || a.Paid != 3323 {
		t.Errorf("Anna: got %s, paid %d; want paid 3323", a.Status, a.Paid)
	}
	if a := status(e.ben); a.Status != StatusWaiting || !a.PaidUp() {
		t.Errorf("Ben (80 %%, proof pending): got %s, paid up %v", a.Status, a.PaidUp())
	}
	if a := status(e.dora); a.Status != StatusRefund || a.Balance() != 3323-100000 {
		t.Errorf("Dora paid 1.000 €: got %s, balance %d", a.Status, a.Balance())
	}

	again, err := e.svc.Import(ctx, e.sabine, sabine, data, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Duplicates != 5 || again.Matched != 0 || again.Unmatched != 0 || e.count(`SELECT COUNT(*) FROM lending_payments`) != 3 {
		t.Errorf("second import: got %+v, %d payments", again, e.count(`SELECT COUNT(*) FROM lending_payments`))
	}

	open, err := e.svc.Unmatched(ctx, e.sabine)
	if err != nil || len(open) != 2 {
		t.Fatalf("unmatched: got %d, %v", len(open), err)
	}
	var doraLine, unknown BankLine
	for _, l := range open {
		if strings.Contains(l.Purpose, "Dora") {
			doraLine = l
		} else {
			unknown = l
		}
	}
	if _, err := e.svc.ResolveLine(ctx, e.sabine, sabine, doraLine.ID, refs[2][:len(refs[2])-1]); kindOf(err) != Invalid {
		t.Errorf("a broken reference: got %v, want refused", err)
	}
	if l, err := e.svc.ResolveLine(ctx, e.sabine, sabine, doraLine.ID, strings.ToLower(refs[2])); err != nil || l.State != "matched" {
		t.Fatalf("match by hand: got %+v, %v", l, err)
	}
	if _, err := e.svc.ResolveLine(ctx, e.sabine, sabine, doraLine.ID, refs[0]); kindOf(err) != Conflict {
		t.Errorf("matching a line twice: got %v, want a conflict", err)
	}
	if l, err := e.svc.ResolveLine(ctx, e.sabine, sabine, unknown.ID, ""); err != nil || l.State != "ignored" {
		t.Errorf("ignore: got %+v, %v", l, err)
	}
	if a := status(e.dora); a.Paid != 100000+3323 {
		t.Errorf("Dora after the match by hand: paid %d", a.Paid)
	}
	if open, _ := e.svc.Unmatched(ctx, e.sabine); len(open) != 0 {
		t.Errorf("still unmatched: %+v", open)
	}
	if _, err := e.svc.Import(ctx, e.tina, sabine, data, true); kindOf(err) != Forbidden {
		t.Errorf("a teacher imports: got %v, want forbidden", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit WHERE action IN ('lending.import', 'lending.payment.match')`); n != 3 {
		t.Errorf("protocol: got %d lines, want 3 (two imports, one match)", n)
	}
}
