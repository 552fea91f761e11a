package directory_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

func parseFile(t *testing.T, name string) *directory.ImportFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := directory.ParseImport(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ParseImport(%s): %v", name, err)
	}
	return f
}

// list parses a generic pupil list "ID;Vorname;Nachname;Klasse" from rows.
func list(t *testing.T, rows ...string) *directory.ImportFile {
	t.Helper()
	f, err := directory.ParseImport(strings.NewReader("ID;Vorname;Nachname;Klasse\n" + strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatalf("ParseImport: %v", err)
	}
	return f
}

func (e *env) importList(f *directory.ImportFile, opts directory.ImportOptions) *directory.ImportReport {
	e.t.Helper()
	rep, err := e.dir.Import(e.ctx, admin, f, opts)
	if err != nil {
		e.t.Fatalf("Import: %v", err)
	}
	return rep
}

func newLogins(rep *directory.ImportReport) []string {
	var out []string
	for _, c := range rep.New {
		out = append(out, c.Login)
	}
	return out
}

func leavingLogins(rep *directory.ImportReport) []string {
	var out []string
	for _, l := range rep.Leaving {
		out = append(out, l.Login)
	}
	return out
}

// snapshot is the content of every table an import may touch.
func (e *env) snapshot() string {
	e.t.Helper()
	e.log.Flush()
	var b strings.Builder
	for _, t := range [][2]string{{"people", "id"}, {"groups", "id"}, {"memberships", "group_id, person_id"},
		{"counters", "name"}, {"consents", "id"}, {"audit", "id"}, {"settings", "key"}} {
		fmt.Fprintf(&b, "== %s\n%s", t[0], dump(e.t, e.db, t[0], t[1]))
	}
	return b.String()
}

func TestTestdataIsWindows1252(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "danis-cp1252.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(data) {
		t.Fatalf("testdata/danis-cp1252.csv is valid UTF-8, want Windows-1252 bytes")
	}
	for _, b := range []byte{0xE4, 0xF6, 0xFC, 0xDF, 0xD6} { // ä ö ü ß Ö
		if !bytes.Contains(data, []byte{b}) {
			t.Errorf("testdata/danis-cp1252.csv lacks the byte %#x", b)
		}
	}
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Errorf("testdata/danis-cp1252.csv has no Windows line ends")
	}
}

func TestParseImportDaNiS(t *testing.T) {
	f := parseFile(t, "danis-cp1252.csv")
	if f.Encoding != "Windows-1252" || f.Separator != ";" || f.Format != "DaNiS" {
		t.Errorf("detected %s, %q, %s, want Windows-1252, \";\", DaNiS", f.Encoding, f.Separator, f.Format)
	}
	want := []directory.ImportRow{
		{Line: 2, ID: "1001", FirstName: "Anna", LastName: "Müller", Class: "1a"},
		{Line: 3, ID: "1002", FirstName: "Anna", LastName: "Müller", Class: "2b"},
		{Line: 4, ID: "1003", FirstName: "Jörg", LastName: "Weiß", Class: "3a"},
		{Line: 5, ID: "1004", FirstName: "Özlem", LastName: "Çelik", Class: "4a"},
		{Line: 6, ID: "1005", FirstName: "José", LastName: "García", Class: "2b"},
		{Line: 7, ID: "1006", FirstName: "Lea-Sophie", LastName: "Groß", Class: "3a"},
		{Line: 8, ID: "1007", FirstName: "Ben", LastName: "Schäfer", Class: "1a"},
		{Line: 9, ID: "1008", FirstName: "Till", LastName: "von der Heide", Class: "4a"},
	}
	if !slices.Equal(f.Rows, want) {
		t.Errorf("rows:\n%+v\nwant:\n%+v", f.Rows, want)
	}
}

func TestParseImportGeneric(t *testing.T) {
	f := parseFile(t, "generic-utf8-bom.csv")
	if f.Encoding != "UTF-8" || f.Separator != "," || f.Format != "generic" {
		t.Errorf("detected %s, %q, %s, want UTF-8, \",\", generic", f.Encoding, f.Separator, f.Format)
	}
	want := []directory.ImportRow{
		{Line: 2, ID: "A-17", FirstName: "Mia", LastName: "Özdemir", Class: "1a"},
		{Line: 3, ID: "A-18", FirstName: "Noah", LastName: "Bäcker", Class: "2b"},
		{Line: 4, ID: "A-19", FirstName: "Marie-Luise", LastName: "von der Heide", Class: "3a"},
		{Line: 5, ID: "A-20", FirstName: "Émile", LastName: "Dubois", Class: ""},
	}
	if !slices.Equal(f.Rows, want) {
		t.Errorf("rows:\n%+v\nwant:\n%+v", f.Rows, want)
	}
}

func TestParseImportDetection(t *testing.T) {
	tests := []struct {
		name                        string
		data                        string
		encoding, separator, format string
		first, last                 string
	}{
		{"UTF-8 semicolon", "ID;Vorname;Nachname;Klasse\n1;Jörg;Weiß;1a\n", "UTF-8", ";", "generic", "Jörg", "Weiß"},
		{"UTF-8 BOM comma", "\xef\xbb\xbfID,Vorname,Nachname,Klasse\n1,Jörg,Weiß,1a\n", "UTF-8", ",", "generic", "Jörg", "Weiß"},
		{"Windows-1252", "ID;Vorname;Nachname;Klasse\r\n1;J\xf6rg;Wei\xdf;1a\r\n", "Windows-1252", ";", "generic", "Jörg", "Weiß"},
		{"Windows-1252 quotes and euro", "ID;Vorname;Nachname;Klasse\n1;Zo\xeb;D\x92Angelo \x80;1a\n", "Windows-1252", ";", "generic", "Zoë", "D’Angelo €"},
		{"DaNiS corrected spelling", "SchuelerIdentNummer;SchuelerRufname;SchuelerNachname;GruppeBezeichnung\n1;Jörg;Weiß;1a\n", "UTF-8", ";", "DaNiS", "Jörg", "Weiß"},
		{"headers in any case and order", " klasse ; NACHNAME;Rufname;id\n1a;Weiß;Jörg;1\n", "UTF-8", ";", "generic", "Jörg", "Weiß"},
		{"extra columns", "ID;Geburtsdatum;Vorname;Nachname;Klasse;Ort\n1;01.02.2019;Jörg;Weiß;1a;Borsum\n", "UTF-8", ";", "generic", "Jörg", "Weiß"},
		{"comma inside quotes", "ID,Vorname,Nachname,Klasse\n1,Jörg,\"Weiß, genannt Weiss\",1a\n", "UTF-8", ",", "generic", "Jörg", "Weiß, genannt Weiss"},
		{"blank lines", "ID;Vorname;Nachname;Klasse\n\n1;Jörg;Weiß;1a\n;;;\n\n", "UTF-8", ";", "generic", "Jörg", "Weiß"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := directory.ParseImport(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tt.encoding || f.Separator != tt.separator || f.Format != tt.format {
				t.Errorf("detected %s, %q, %s, want %s, %q, %s", f.Encoding, f.Separator, f.Format, tt.encoding, tt.separator, tt.format)
			}
			if len(f.Rows) != 1 || f.Rows[0].FirstName != tt.first || f.Rows[0].LastName != tt.last || f.Rows[0].ID != "1" || f.Rows[0].Class != "1a" {
				t.Errorf("rows = %+v, want one row 1 %s %s 1a", f.Rows, tt.first, tt.last)
			}
		})
	}
}

func TestParseImportErrors(t *testing.T) {
	const h = "ID;Vorname;Nachname;Klasse\n"
	many := h
	for i := 0; i < 25; i++ {
		many += fmt.Sprintf("%d;;Berg;1a\n", i)
	}
	tests := []struct {
		name    string
		data    string
		want    []string // in the message
		notWant []string
	}{
		{"empty file", "", []string{"empty"}, nil},
		{"header only", h, []string{"no pupils"}, nil},
		{"missing class column", "SchuelerIdentNummer;SchuelerRufname;SchuelerNachname\n1;Anna;Müller\n", []string{"GruppeBezeichung or Klasse"}, []string{"Vorname"}},
		{"missing two columns", "Vorname;Nachname\nAnna;Müller\n", []string{"SchuelerIdentNummer or ID", "GruppeBezeichung or Klasse"}, nil},
		{"no header", "1;Anna;Müller;1a\n2;Ben;Berg;1a\n", []string{"missing"}, nil},
		{"duplicate ID", h + "1;Anna;Müller;1a\n2;Ben;Berg;1a\n1;Carl;Roth;2a\n", []string{"line 4: ID 1 appears again (first in line 2)"}, []string{"line 3"}},
		{"empty first name", h + "1;Anna;Müller;1a\n2;;Berg;1a\n", []string{"line 3: the first name"}, []string{"line 2"}},
		{"empty last name", h + "1;Anna; ;1a\n", []string{"line 2: the last name"}, nil},
		{"empty ID", h + "1;Anna;Müller;1a\n;Ben;Berg;1a\n", []string{"line 3: the ID is empty"}, nil},
		{"bad class", h + "1;Anna;Müller;1a!\n", []string{"line 2", "1a!"}, nil},
		{"role as class", h + "1;Anna;Müller;Lehrer\n", []string{"line 2", "Lehrer"}, nil},
		{"no letters for a login", h + "1;王;芳;1a\n", []string{"line 2: no login"}, nil},
		{"several errors", h + "1;;Müller;1a\n2;Ben;;1a\n3;Carl;Roth;1a\n3;Dora;Klein;1a\n", []string{"line 2:", "line 3:", "line 5: ID 3 appears again (first in line 4)"}, []string{"line 4:"}},
		// Line numbers are the file's, also after blank lines and
		// fields that span lines.
		{"after a blank line", h + "1;Anna;Müller;1a\n\n2;;Berg;1a\n", []string{"line 4: the first name"}, []string{"line 3"}},
		{"after a field with a line break", h + "1;Anna;\"Mül\nler\";1a\n2;;Berg;1a\n", []string{"line 2: the last name", "line 4: the first name"}, []string{"line 3"}},
		{"after Windows blank lines", strings.ReplaceAll(h+"1;Anna;Müller;1a\n\n\n2;;Berg;1a\n", "\n", "\r\n"), []string{"line 5: the first name"}, nil},
		{"many errors", many, []string{"line 2", "line 21", "and 5 more"}, []string{"line 22"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := directory.ParseImport(strings.NewReader(tt.data))
			if !errors.Is(err, directory.ErrInvalid) {
				t.Fatalf("ParseImport = %v, want ErrInvalid", err)
			}
			if f != nil {
				t.Errorf("ParseImport returned a file with %d rows along with the error", len(f.Rows))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q, want it to contain %q", err, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("error %q, want it not to contain %q", err, w)
				}
			}
		})
	}
}

func TestImportDaNiS(t *testing.T) {
	e := newEnv(t)
	f := parseFile(t, "danis-cp1252.csv")
	var delivered []directory.Created
	rep := e.importList(f, directory.ImportOptions{Deliver: func(c []directory.Created) error {
		delivered = append(delivered, c...)
		return nil
	}})
	wantLogins := []string{"anna.mueller", "anna.mueller.2", "joerg.weiss", "oezlem.celik", "jose.garcia", "lea-sophie.gross", "ben.schaefer", "till.von-der-heide"}
	if got := newLogins(rep); !slices.Equal(got, wantLogins) {
		t.Errorf("new logins = %v, want %v", got, wantLogins)
	}
	if len(rep.Changed) != 0 || rep.Unchanged != 0 || len(rep.Leaving) != 0 || rep.Partial {
		t.Errorf("report = %+v, want only new pupils", rep)
	}
	if !slices.Equal(delivered, rep.New) {
		t.Errorf("Deliver got %+v, want the report's new accounts %+v", delivered, rep.New)
	}
	wantIDs := map[string]string{"anna.mueller": "1001", "anna.mueller.2": "1002"}
	wantClass := map[string]string{"anna.mueller": "1a", "anna.mueller.2": "2b", "jose.garcia": "2b", "lea-sophie.gross": "3a"}
	for _, c := range delivered {
		if c.Password == "" {
			t.Errorf("%s: no password delivered", c.Login)
			continue
		}
		pr, err := e.login(c.Login, c.Password)
		if err != nil || !pr.MustChange || pr.Role != directory.Pupil {
			t.Errorf("login %s with the delivered password = %+v, %v, want a pupil who must change it", c.Login, pr, err)
		}
		p := e.person(c.Login)
		if id, ok := wantIDs[c.Login]; ok && p.ExternalID != id {
			t.Errorf("%s: ExternalID %q, want %q", c.Login, p.ExternalID, id)
		}
		if class, ok := wantClass[c.Login]; ok {
			if got := e.classes(c.Login); !slices.Equal(got, []string{class}) || c.Class != class {
				t.Errorf("%s: classes %v (reported %q), want [%s]", c.Login, got, c.Class, class)
			}
		}
	}
	if p := e.person("joerg.weiss"); p.FirstName != "Jörg" || p.LastName != "Weiß" {
		t.Errorf("joerg.weiss is %s %s, want Jörg Weiß (decoded from Windows-1252)", p.FirstName, p.LastName)
	}
	if n := len(e.audit(audit.Query{Action: "import.add"})); n != 8 {
		t.Errorf("import.add lines: %d, want 8", n)
	}
	sum := e.audit(audit.Query{Action: "import"})
	if len(sum) != 1 || !strings.Contains(sum[0].Detail, "8 new") || sum[0].Actor != "cli:root" {
		t.Errorf("import summary = %+v, want one line by cli:root with 8 new", sum)
	}
}

func TestImportGeneric(t *testing.T) {
	e := newEnv(t)
	rep := e.importList(parseFile(t, "generic-utf8-bom.csv"), directory.ImportOptions{})
	want := []string{"mia.oezdemir", "noah.baecker", "marie.von-der-heide", "emile.dubois"}
	if got := newLogins(rep); !slices.Equal(got, want) {
		t.Errorf("new logins = %v, want %v", got, want)
	}
	if got := e.classes("emile.dubois"); len(got) != 0 {
		t.Errorf("classes of a pupil without class = %v, want none", got)
	}
	if got := e.classes("noah.baecker"); !slices.Equal(got, []string{"2b"}) {
		t.Errorf("classes of noah.baecker = %v, want [2b]", got)
	}
}

// TestImportTwice: the same file again changes nothing but the summary.
func TestImportTwice(t *testing.T) {
	for _, file := range []string{"danis-cp1252.csv", "generic-utf8-bom.csv"} {
		t.Run(file, func(t *testing.T) {
			e := newEnv(t)
			f := parseFile(t, file)
			first := e.importList(f, directory.ImportOptions{})
			before := e.snapshot()
			lines := e.auditCount()
			e.clock.add(24 * time.Hour)
			rep := e.importList(parseFile(t, file), directory.ImportOptions{})
			if len(rep.New) != 0 || len(rep.Changed) != 0 || len(rep.Leaving) != 0 || rep.Unchanged != len(first.New) {
				t.Errorf("second import: %d new, %d changed, %d leaving, %d unchanged, want 0, 0, 0, %d",
					len(rep.New), len(rep.Changed), len(rep.Leaving), rep.Unchanged, len(first.New))
			}
			if got := e.auditCount(); got != lines+1 {
				t.Errorf("protocol lines after the second import: %d, want %d (the summary)", got, lines+1)
			}
			after := e.snapshot()
			// Everything but the new summary line is as before.
			if i := strings.Index(after, "== audit"); i < 0 || !strings.Contains(after, "== people") {
				t.Fatalf("snapshot without sections")
			}
			if strip(after) != strip(before) {
				t.Errorf("the second import changed the database:\n%s\nwant:\n%s", strip(after), strip(before))
			}
		})
	}
}

// strip drops the audit section of a snapshot.
func strip(s string) string {
	var out []string
	skip := false
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "== ") {
			skip = l == "== audit"
		}
		if !skip {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

func TestImportDryRun(t *testing.T) {
	e := newEnv(t)
	e.importList(list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a", "3;Carla;Roth;2a"), directory.ImportOptions{})
	f := list(t, "1;Anna;Müller;2a", "2;Ben;Schäfer;1a", "4;Anna;Müller;1b", "5;Dora;Klein;3a")
	before := e.snapshot()
	delivered := false
	dry := e.importList(f, directory.ImportOptions{DryRun: true, Deliver: func([]directory.Created) error { delivered = true; return nil }})
	if after := e.snapshot(); after != before {
		t.Errorf("the dry run changed the database:\n%s\nwant:\n%s", after, before)
	}
	if delivered {
		t.Errorf("the dry run called Deliver")
	}
	for _, c := range dry.New {
		if c.Password != "" {
			t.Errorf("dry run reports a password for %s", c.Login)
		}
	}
	want := []string{"anna.mueller.2", "dora.klein"}
	if got := newLogins(dry); !slices.Equal(got, want) {
		t.Errorf("dry run new logins = %v, want %v", got, want)
	}
	if len(dry.Changed) != 1 || dry.Changed[0].Login != "anna.mueller" || dry.Unchanged != 1 || !slices.Equal(leavingLogins(dry), []string{"carla.roth"}) {
		t.Errorf("dry run report = %+v, want anna.mueller changed, 1 unchanged, carla.roth leaving", dry)
	}

	real := e.importList(f, directory.ImportOptions{})
	if got, want := newLogins(real), newLogins(dry); !slices.Equal(got, want) {
		t.Errorf("real run new logins = %v, want the dry run's %v", got, want)
	}
	if !slices.Equal(leavingLogins(real), leavingLogins(dry)) || len(real.Changed) != len(dry.Changed) || real.Unchanged != dry.Unchanged {
		t.Errorf("real run report %+v differs from the dry run's %+v", real, dry)
	}
	for _, l := range want {
		e.person(l)
	}
}

func TestImportLeavingAndReturn(t *testing.T) {
	e := newEnv(t)
	e.clock.date(t, "2026-08-20")
	e.importList(list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a", "3;Carla;Roth;2a"), directory.ImportOptions{})
	if err := e.dir.ChangePassword(e.ctx, directory.Actor{Name: "carla.roth"}, "carla.roth", "Sonne-Hase-47"); err != nil {
		t.Fatal(err)
	}

	e.clock.date(t, "2026-09-01")
	rep := e.importList(list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a"), directory.ImportOptions{})
	if got := leavingLogins(rep); !slices.Equal(got, []string{"carla.roth"}) {
		t.Fatalf("leaving = %v, want [carla.roth]", got)
	}
	if !slices.Equal(rep.Leaving[0].Classes, []string{"2a"}) {
		t.Errorf("leaving pupil's classes = %v, want [2a]", rep.Leaving[0].Classes)
	}
	p := e.person("carla.roth") // not deleted
	if p.LeavingDate != "2026-09-01" {
		t.Errorf("LeavingDate = %q, want today 2026-09-01", p.LeavingDate)
	}
	if n := len(e.audit(audit.Query{Action: "import.leaving", Target: "carla.roth"})); n != 1 {
		t.Errorf("import.leaving lines: %d, want 1", n)
	}
	if _, err := e.login("carla.roth", "Sonne-Hase-47"); err != nil {
		t.Errorf("login on the leaving day: %v, want nil", err)
	}
	e.clock.date(t, "2026-09-02")
	if _, err := e.login("carla.roth", "Sonne-Hase-47"); !errors.Is(err, directory.ErrLeft) {
		t.Errorf("login the day after = %v, want ErrLeft", err)
	}
	// Missing again: not reported a second time, the date stays.
	rep = e.importList(list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a"), directory.ImportOptions{})
	if len(rep.Leaving) != 0 || e.person("carla.roth").LeavingDate != "2026-09-01" {
		t.Errorf("second list without her: leaving %v, date %q, want none and 2026-09-01", leavingLogins(rep), e.person("carla.roth").LeavingDate)
	}

	e.clock.date(t, "2026-09-10")
	rep = e.importList(list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a", "3;Carla;Roth;2a"), directory.ImportOptions{})
	if len(rep.New) != 0 || len(rep.Changed) != 1 || rep.Changed[0].Login != "carla.roth" {
		t.Fatalf("report = %+v, want carla.roth changed and nobody new", rep)
	}
	if w := strings.Join(rep.Changed[0].What, "; "); !strings.Contains(w, "leaving date 2026-09-01 cleared") {
		t.Errorf("change = %q, want the leaving date cleared", w)
	}
	if got := e.person("carla.roth").LeavingDate; got != "" {
		t.Errorf("LeavingDate after coming back = %q, want empty", got)
	}
	if _, err := e.login("carla.roth", "Sonne-Hase-47"); err != nil {
		t.Errorf("login after coming back: %v, want nil", err)
	}
}

func TestImportChanges(t *testing.T) {
	e := newEnv(t)
	e.importList(list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a"), directory.ImportOptions{})
	rep := e.importList(list(t, "1;Anna;Meyer;2A", "2;Ben;Schäfer;1a"), directory.ImportOptions{})
	if len(rep.Changed) != 1 || rep.Changed[0].Login != "anna.mueller" || rep.Unchanged != 1 {
		t.Fatalf("report = %+v, want anna.mueller changed, 1 unchanged", rep)
	}
	want := []string{"last name Müller -> Meyer", "class 1a -> 2a"}
	if got := rep.Changed[0].What; !slices.Equal(got, want) {
		t.Errorf("changes = %q, want %q", got, want)
	}
	p := e.person("anna.mueller")
	if p.LastName != "Meyer" {
		t.Errorf("last name = %q, want Meyer (login unchanged)", p.LastName)
	}
	if got := e.classes("anna.mueller"); !slices.Equal(got, []string{"2a"}) {
		t.Errorf("classes = %v, want [2a]", got)
	}
	if l := e.audit(audit.Query{Action: "import.change", Target: "anna.mueller"}); len(l) != 1 || !strings.Contains(l[0].Detail, "class 1a -> 2a") {
		t.Errorf("import.change lines = %+v, want one naming the class change", l)
	}
	rep = e.importList(list(t, "1;Anna;Meyer;", "2;Ben;Schäfer;1a"), directory.ImportOptions{})
	if len(rep.Changed) != 1 || !slices.Equal(rep.Changed[0].What, []string{"class 2a -> -"}) {
		t.Errorf("report = %+v, want the class removed", rep)
	}
	if got := e.classes("anna.mueller"); len(got) != 0 {
		t.Errorf("classes = %v, want none", got)
	}
}

func TestImportDeliverFails(t *testing.T) {
	e := newEnv(t)
	e.importList(list(t, "1;Anna;Müller;1a"), directory.ImportOptions{})
	before := e.snapshot()
	boom := errors.New("disk full")
	_, err := e.dir.Import(e.ctx, admin, list(t, "2;Ben;Schäfer;1b", "3;Carla;Roth;2a"), directory.ImportOptions{
		Deliver: func(c []directory.Created) error {
			if len(c) != 2 || c[0].Password == "" {
				t.Errorf("Deliver got %+v, want two accounts with passwords", c)
			}
			return boom
		},
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Import = %v, want %v", err, boom)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a failed Deliver left changes:\n%s\nwant:\n%s", after, before)
	}
}

func TestImportPartialList(t *testing.T) {
	e := newEnv(t)
	var rows []string
	for i := 1; i <= 10; i++ {
		rows = append(rows, fmt.Sprintf("%d;Kind%c;Test;1a", i, 'a'+i))
	}
	e.importList(list(t, rows...), directory.ImportOptions{})
	partial := list(t, rows[:4]...) // 6 of 10 missing

	before := e.snapshot()
	_, err := e.dir.Import(e.ctx, admin, partial, directory.ImportOptions{})
	if !errors.Is(err, directory.ErrPartialList) {
		t.Fatalf("Import(partial) = %v, want ErrPartialList", err)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused partial import changed the database")
	}
	dry := e.importList(partial, directory.ImportOptions{DryRun: true})
	if !dry.Partial || len(dry.Leaving) != 6 {
		t.Errorf("dry run: Partial %v, %d leaving, want true, 6", dry.Partial, len(dry.Leaving))
	}
	rep := e.importList(partial, directory.ImportOptions{Force: true})
	if len(rep.Leaving) != 6 {
		t.Errorf("forced import: %d leaving, want 6", len(rep.Leaving))
	}
	if n := e.count(`SELECT COUNT(*) FROM people WHERE leaving_date = '2026-08-20'`); n != 6 {
		t.Errorf("pupils with a leaving date: %d, want 6", n)
	}
}

// TestImportHalfMissing: exactly half missing is a normal list.
func TestImportHalfMissing(t *testing.T) {
	e := newEnv(t)
	var rows []string
	for i := 1; i <= 10; i++ {
		rows = append(rows, fmt.Sprintf("%d;Kind%c;Test;4a", i, 'a'+i))
	}
	e.importList(list(t, rows...), directory.ImportOptions{})
	rep := e.importList(list(t, rows[:5]...), directory.ImportOptions{})
	if rep.Partial || len(rep.Leaving) != 5 {
		t.Errorf("half missing: Partial %v, %d leaving, want false, 5", rep.Partial, len(rep.Leaving))
	}
}

// TestImportAdopts: an account made by hand (no ID) is matched by name
// and class and gets the list's ID; nobody gets a second account.
func TestImportAdopts(t *testing.T) {
	e := newEnv(t)
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	rep := e.importList(list(t, "1001;Anna;Müller;1a", "1002;Ben;Schäfer;1a"), directory.ImportOptions{})
	if got := newLogins(rep); !slices.Equal(got, []string{"ben.schaefer"}) {
		t.Errorf("new logins = %v, want [ben.schaefer]", got)
	}
	if len(rep.Changed) != 1 || rep.Changed[0].Login != anna || !slices.Equal(rep.Changed[0].What, []string{"ID 1001 recorded"}) {
		t.Errorf("changed = %+v, want anna.mueller with ID 1001 recorded", rep.Changed)
	}
	if got := e.person(anna).ExternalID; got != "1001" {
		t.Errorf("ExternalID = %q, want 1001", got)
	}
	if _, err := e.login(anna, "Sonne-Hase-47"); err != nil {
		t.Errorf("login with her own password after adoption: %v", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM people`); n != 2 {
		t.Errorf("people: %d, want 2", n)
	}
	rep = e.importList(list(t, "1001;Anna;Müller;1a", "1002;Ben;Schäfer;1a"), directory.ImportOptions{})
	if len(rep.New) != 0 || len(rep.Changed) != 0 || rep.Unchanged != 2 {
		t.Errorf("second import = %+v, want 2 unchanged", rep)
	}
}

// TestImportStaffID: an ID that belongs to a member of staff stops the
// import with the line number.
func TestImportStaffID(t *testing.T) {
	e := newEnv(t)
	if _, _, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{FirstName: "Carl", LastName: "Berg", Role: directory.Teacher, ExternalID: "77"}); err != nil {
		t.Fatal(err)
	}
	before := e.snapshot()
	_, err := e.dir.Import(e.ctx, admin, list(t, "1;Anna;Müller;1a", "77;Carl;Berg;1a"), directory.ImportOptions{})
	if !errors.Is(err, directory.ErrInvalid) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("Import = %v, want ErrInvalid naming line 3", err)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused import changed the database")
	}
}

// TestImportOutdatedList: a list exported before the promotion would move
// the promoted pupils back down a grade; it is refused unless forced.
func TestImportOutdatedList(t *testing.T) {
	e := newEnv(t)
	e.clock.date(t, "2026-07-01")
	var old, current []string
	for i := 1; i <= 10; i++ {
		old = append(old, fmt.Sprintf("%d;Kind%c;Test;2a", i, 'a'+i))
		current = append(current, fmt.Sprintf("%d;Kind%c;Test;3a", i, 'a'+i))
	}
	e.importList(list(t, old...), directory.ImportOptions{})
	e.importList(list(t, current...), directory.ImportOptions{}) // the promotion's effect

	before := e.snapshot()
	_, err := e.dir.Import(e.ctx, admin, list(t, old...), directory.ImportOptions{})
	if !errors.Is(err, directory.ErrOutdatedList) {
		t.Fatalf("Import(old list) = %v, want ErrOutdatedList", err)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused outdated import changed the database")
	}
	dry := e.importList(list(t, old...), directory.ImportOptions{DryRun: true})
	if !dry.Outdated || len(dry.Changed) != 10 {
		t.Errorf("dry run: Outdated %v, %d changed, want true, 10", dry.Outdated, len(dry.Changed))
	}
	// One pupil repeating a year is no reason to refuse a list.
	repeat := append([]string{old[0]}, current[1:]...)
	if rep := e.importList(list(t, repeat...), directory.ImportOptions{}); rep.Outdated || len(rep.Changed) != 1 {
		t.Errorf("one pupil down a grade: Outdated %v, %d changed, want false, 1", rep.Outdated, len(rep.Changed))
	}
	rep := e.importList(list(t, old...), directory.ImportOptions{Force: true})
	if len(rep.Changed) != 9 {
		t.Errorf("forced import: %d changed, want 9", len(rep.Changed))
	}
}

// TestImportKeepsFutureLeavingDate: a leaving date an admin set for a day
// to come stays when the pupil is (still) on the list.
func TestImportKeepsFutureLeavingDate(t *testing.T) {
	e := newEnv(t)
	e.clock.date(t, "2026-09-01")
	f := list(t, "1;Anna;Müller;1a", "2;Ben;Schäfer;1a")
	e.importList(f, directory.ImportOptions{})
	if err := e.dir.SetLeaving(e.ctx, admin, "anna.mueller", "2026-09-30"); err != nil {
		t.Fatal(err)
	}
	rep := e.importList(f, directory.ImportOptions{})
	if len(rep.Changed) != 0 || rep.Unchanged != 2 {
		t.Errorf("report = %+v, want nothing changed", rep)
	}
	if got := e.person("anna.mueller").LeavingDate; got != "2026-09-30" {
		t.Errorf("LeavingDate = %q, want 2026-09-30 kept", got)
	}
}
