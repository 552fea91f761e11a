package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// pupil is a row of a DaNiS "Freie Liste".
type pupil struct {
	id, first, last, class string
	login, wantClass       string // what the import makes of it
}

var danisPupils = []pupil{
	{"100001", "Jörg", "Müller", "1a", "joerg.mueller", "1a"},
	{"100002", "Zoë", "Weiß", "1a", "zoe.weiss", "1a"},
	{"100003", "Ömer", "Çelik", "1a", "oemer.celik", "1a"},
	{"100004", "André", "Groß", "2b", "andre.gross", "2b"},
	{"100005", "Lena", "Schmidt", "2b", "lena.schmidt", "2b"},
	{"100006", "Lena", "Schmidt", "3A", "lena.schmidt.2", "3a"},
	{"100007", "Paul", "Becker", "3a", "paul.becker", "3a"},
	{"100008", "Maja", "Köhler", "3 a", "maja.koehler", "3a"},
	{"100009", "Finn", "Hoffmann", "4b", "finn.hoffmann", "4b"},
	{"100010", "Emma", "Schäfer", "4b", "emma.schaefer", "4b"},
	{"100011", "Ben", "Wagner", "4b", "ben.wagner", "4b"},
	{"100012", "Mia", "Krüger", "4b", "mia.krueger", "4b"},
}

const danisHeader = "SchuelerIdentNummer;SchuelerRufname;SchuelerNachname;GruppeBezeichung"

// writeDaNiS writes a DaNiS export as DaNiS does: Windows-1252, CRLF.
func writeDaNiS(t *testing.T, header string, pupils []pupil) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(header + "\r\n")
	for _, p := range pupils {
		b.WriteString(p.id + ";" + p.first + ";" + p.last + ";" + p.class + "\r\n")
	}
	return writeWindows1252(t, b.String())
}

func writeWindows1252(t *testing.T, text string) string {
	t.Helper()
	raw, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(text, "äöüÄÖÜß") && utf8.ValidString(raw) {
		t.Fatal("the test file should not be valid UTF-8")
	}
	f, err := os.CreateTemp(t.TempDir(), "danis-*.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(raw); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// passwordList is one CSV the import writes for a class teacher.
type passwordList struct {
	header []string
	rows   [][]string
}

// readPasswordLists reads the folder an import wrote and checks the form
// of every file.
func readPasswordLists(t *testing.T, dir string) map[string]passwordList {
	t.Helper()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("password folder: %v", err)
	}
	if got, want := st.Mode().Perm(), os.FileMode(0o700); got != want {
		t.Errorf("mode of the password folder: got %v, want %v", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]passwordList{}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := info.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("mode of %s: got %v, want %v", e.Name(), got, want)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s: got no UTF-8 byte order mark, want one (Excel)", e.Name())
		}
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(raw) {
			t.Errorf("%s: got invalid UTF-8", e.Name())
		}
		r := csv.NewReader(bytes.NewReader(raw))
		r.Comma = ';'
		records, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if len(records) == 0 {
			t.Fatalf("%s is empty", e.Name())
		}
		lists[e.Name()] = passwordList{header: records[0], rows: records[1:]}
	}
	return lists
}

func TestImport(t *testing.T) {
	data := newSchool(t)
	today := time.Now().Format("2006-01-02")
	file := writeDaNiS(t, danisHeader, danisPupils)

	t.Run("broken files", func(t *testing.T) {
		before := state(t, data)
		bad := []pupil{{"1", "Anna", "Arm", "1a", "", ""}, {"2", "Bert", "Bein", "1a", "", ""}}
		for _, tc := range []struct {
			name, file, want string
		}{
			{"missing column", writeDaNiS(t, "SchuelerIdentNummer;SchuelerRufname;SchuelerNachname", bad), "GruppeBezeichung"},
			{"missing ID column", writeDaNiS(t, "SchuelerRufname;SchuelerNachname;GruppeBezeichung", bad), "SchuelerIdentNummer"},
			{"no header", writeDaNiS(t, "100001;Jörg;Müller;1a", bad), "missing"},
			{"duplicate ID", writeDaNiS(t, danisHeader, append(bad, pupil{"1", "Carl", "Copy", "1a", "", ""})), "line 4"},
			{"empty first name", writeDaNiS(t, danisHeader, append(bad, pupil{"3", "", "Leer", "1a", "", ""})), "line 4"},
			{"bad class", writeDaNiS(t, danisHeader, append(bad, pupil{"3", "Carl", "Klasse", "3a!", "", ""})), "line 4"},
			{"several errors", writeDaNiS(t, danisHeader, append(bad, pupil{"1", "Carl", "Copy", "1a", "", ""}, pupil{"3", "Dora", "", "1a", "", ""})), "line 5"},
			{"empty ID", writeDaNiS(t, danisHeader, append(bad, pupil{"", "Carl", "Ohne", "1a", "", ""})), "line 4"},
			{"no pupils", writeDaNiS(t, danisHeader, nil), "no pupils"},
			{"empty file", writeWindows1252(t, ""), "empty"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				pwDir := filepath.Join(t.TempDir(), "pw")
				r := runCLI(t, "import", "--data", data, "--passwords", pwDir, tc.file)
				if r.code != 1 {
					t.Fatalf("exit code: got %v, want %v\n%s", r.code, 1, r)
				}
				if !strings.Contains(r.stderr, tc.want) {
					t.Errorf("stderr: got %q, want %q in it", r.stderr, tc.want)
				}
				// One line, or a summary and then one line per broken row.
				lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
				if !strings.HasPrefix(lines[0], "kaspel-server import: ") {
					t.Errorf("stderr: got %q, want it to start with %q", r.stderr, "kaspel-server import: ")
				}
				for _, l := range lines[1:] {
					if !strings.HasPrefix(l, "line ") {
						t.Errorf("stderr line %q: want one line per broken row (\"line N: ...\")", l)
					}
				}
				if exists(t, pwDir) {
					t.Errorf("password folder of a failed import: got it exists, want none")
				}
			})
		}
		sameState(t, "broken files", state(t, data), before)
	})

	t.Run("dry run", func(t *testing.T) {
		before := state(t, data)
		pwDir := filepath.Join(t.TempDir(), "pw")
		r := mustRun(t, "import", "--dry-run", "--data", data, "--passwords", pwDir, file)
		for _, want := range []string{"Dry run (nothing changed)", "DaNiS", "Windows-1252", "12 pupils", "new: 12, changed: 0, leaving: 0, unchanged: 0"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("dry run output: want %q in\n%s", want, r.stdout)
			}
		}
		for _, p := range danisPupils {
			want := "new      " + p.login
			if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, p.first+" "+p.last+" ("+p.wantClass+")") {
				t.Errorf("dry run output: want %q with %s %s (%s) in\n%s", want, p.first, p.last, p.wantClass, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "password:") {
			t.Errorf("dry run output: got passwords, want none")
		}
		if exists(t, pwDir) {
			t.Errorf("password folder after a dry run: got it exists, want none")
		}
		sameState(t, "dry run", state(t, data), before)
		if n := len(userList(t, data, "--all")); n != 1 {
			t.Errorf("accounts after the dry run: got %v, want %v (the admin)", n, 1)
		}
	})

	pwDir := filepath.Join(t.TempDir(), "passwords")
	t.Run("import", func(t *testing.T) {
		r := mustRun(t, "import", "--data", data, "--passwords", pwDir, file)
		if !strings.Contains(r.stdout, "Imported: DaNiS list, Windows-1252") || !strings.Contains(r.stdout, "new: 12, changed: 0, leaving: 0, unchanged: 0") {
			t.Errorf("import output:\n%s", r.stdout)
		}
		if !strings.Contains(r.stdout, pwDir) {
			t.Errorf("import output: want the password folder %s named in\n%s", pwDir, r.stdout)
		}
		if strings.Contains(r.stdout, "password:") {
			t.Errorf("import output: got passwords on the screen, want them only in the files")
		}

		lists := readPasswordLists(t, pwDir)
		var files []string
		for f := range lists {
			files = append(files, f)
		}
		sort.Strings(files)
		if want := []string{"1a.csv", "2b.csv", "3a.csv", "4b.csv"}; !reflect.DeepEqual(files, want) {
			t.Fatalf("password lists: got %v, want %v", files, want)
		}
		wantHeader := []string{"Klasse", "Nachname", "Vorname", "Login", "Einmalpasswort", "E-Mail"}
		got := map[string][]string{} // login -> row
		for name, l := range lists {
			if !reflect.DeepEqual(l.header, wantHeader) {
				t.Errorf("%s header: got %v, want %v", name, l.header, wantHeader)
			}
			for _, row := range l.rows {
				if len(row) != len(wantHeader) {
					t.Fatalf("%s row %v: got %d columns, want %d", name, row, len(row), len(wantHeader))
				}
				if row[0]+".csv" != name {
					t.Errorf("%s holds a pupil of class %s", name, row[0])
				}
				got[row[3]] = row
			}
		}
		if len(got) != len(danisPupils) {
			t.Errorf("pupils in the password lists: got %v, want %v", len(got), len(danisPupils))
		}
		for _, p := range danisPupils {
			row, ok := got[p.login]
			if !ok {
				t.Errorf("password lists: got no %s", p.login)
				continue
			}
			want := []string{p.wantClass, p.last, p.first, p.login, row[4], p.login + "@" + testDomain}
			if !reflect.DeepEqual(row, want) {
				t.Errorf("password list row: got %v, want %v", row, want)
			}
			pr, err := authenticate(t, data, p.login, row[4])
			if err != nil {
				t.Errorf("login of %s with the listed password: got %v, want success", p.login, err)
			} else if !pr.MustChange {
				t.Errorf("%s must change the one-time password: got %v, want %v", p.login, pr.MustChange, true)
			}
			if got := show(t, data, p.login)["id"]; got != p.id {
				t.Errorf("ID of %s: got %v, want %v", p.login, got, p.id)
			}
		}
		if got := logins(userList(t, data, "--class", "3a", "--role", "pupil")); !reflect.DeepEqual(got, []string{"paul.becker", "maja.koehler", "lena.schmidt.2"}) {
			t.Errorf("class 3a: got %v, want %v", got, []string{"paul.becker", "maja.koehler", "lena.schmidt.2"})
		}
	})

	t.Run("again", func(t *testing.T) {
		before := userList(t, data, "--all")
		again := filepath.Join(t.TempDir(), "again")
		r := mustRun(t, "import", "--data", data, "--passwords", again, file)
		if !strings.Contains(r.stdout, "new: 0, changed: 0, leaving: 0, unchanged: 12") {
			t.Errorf("second import: got\n%s\nwant new: 0 and unchanged: 12", r.stdout)
		}
		if exists(t, again) {
			t.Errorf("second import: got a password folder, want none (no new accounts)")
		}
		if after := userList(t, data, "--all"); !reflect.DeepEqual(after, before) {
			t.Errorf("accounts after the second import: got\n%v\nwant\n%v", after, before)
		}
	})

	t.Run("missing pupil", func(t *testing.T) {
		// Ben is gone, Paul moved to 4b.
		var next []pupil
		for _, p := range danisPupils {
			switch p.login {
			case "ben.wagner":
				continue
			case "paul.becker":
				p.class = "4b"
			}
			next = append(next, p)
		}
		pw := filepath.Join(t.TempDir(), "pw")
		r := mustRun(t, "import", "--data", data, "--passwords", pw, writeDaNiS(t, danisHeader, next))
		for _, want := range []string{"new: 0, changed: 1, leaving: 1, unchanged: 10", "leaving  ben.wagner", "changed  paul.becker", "class 3a -> 4b"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("import output: want %q in\n%s", want, r.stdout)
			}
		}
		if got := show(t, data, "ben.wagner")["status"]; !strings.Contains(got, "leaving "+today) {
			t.Errorf("status of the missing pupil: got %q, want %q", got, "leaving "+today)
		}
		if got := logins(userList(t, data, "--class", "4b", "--role", "pupil")); !reflect.DeepEqual(got, []string{"paul.becker", "finn.hoffmann", "mia.krueger", "emma.schaefer", "ben.wagner"}) {
			t.Errorf("class 4b: got %v", got)
		}
		if exists(t, pw) {
			t.Errorf("password folder without new pupils: got it exists, want none")
		}

		// Ben is back on the next list: his leaving date is cleared.
		r = mustRun(t, "import", "--data", data, "--passwords", pw, file)
		if !strings.Contains(r.stdout, "changed: 2") || !strings.Contains(r.stdout, "leaving date "+today+" cleared") {
			t.Errorf("import of the full list: got\n%s\nwant Ben back and Paul in 3a", r.stdout)
		}
		if got := show(t, data, "ben.wagner")["status"]; strings.Contains(got, "leaving") {
			t.Errorf("status of the returned pupil: got %q, want no leaving date", got)
		}
	})

	t.Run("partial list", func(t *testing.T) {
		before := state(t, data)
		partial := writeDaNiS(t, danisHeader, danisPupils[:2])
		pw := filepath.Join(t.TempDir(), "pw")
		r := runCLI(t, "import", "--data", data, "--passwords", pw, partial)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "--force") || !strings.Contains(r.stderr, "nothing was changed") {
			t.Errorf("stderr: got %q, want the hint at --force and that nothing was changed", r.stderr)
		}
		sameState(t, "a partial list", state(t, data), before)

		r = mustRun(t, "import", "--dry-run", "--data", data, "--passwords", pw, partial)
		if !strings.Contains(r.stdout, "leaving: 10") || !strings.Contains(r.stdout, "Warning") {
			t.Errorf("dry run of a partial list: got\n%s\nwant 10 leaving and a warning", r.stdout)
		}
		sameState(t, "dry run of a partial list", state(t, data), before)

		r = mustRun(t, "import", "--force", "--data", data, "--passwords", pw, partial)
		if !strings.Contains(r.stdout, "leaving: 10") {
			t.Errorf("forced import: got\n%s\nwant 10 leaving", r.stdout)
		}
	})
}

func TestImportGeneric(t *testing.T) {
	data := newSchool(t)
	// UTF-8 with BOM, comma-separated, the generic German headers in
	// another order.
	file := filepath.Join(t.TempDir(), "liste.csv")
	content := "\ufeffNachname,Vorname,Klasse,ID\nMüller,Jörg,Klasse 2a,A1\nÇelik,Ömer,,A2\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	r := mustRun(t, "import", file, "--passwords", pw, "--data", data)
	if !strings.Contains(r.stdout, "generic list, UTF-8") || !strings.Contains(r.stdout, "new: 2") {
		t.Errorf("import output: got\n%s", r.stdout)
	}
	lists := readPasswordLists(t, pw)
	if len(lists["2a.csv"].rows) != 1 || len(lists["ohne-klasse.csv"].rows) != 1 {
		t.Fatalf("password lists: got %v, want 2a.csv and ohne-klasse.csv with one pupil each", lists)
	}
	if row := lists["2a.csv"].rows[0]; row[1] != "Müller" || row[2] != "Jörg" || row[3] != "joerg.mueller" {
		t.Errorf("row: got %v, want Müller Jörg joerg.mueller", row)
	}
	row := lists["ohne-klasse.csv"].rows[0]
	if _, err := authenticate(t, data, row[3], row[4]); err != nil {
		t.Errorf("login of %s: got %v, want success", row[3], err)
	}
}

func TestImportNothingHalfWritten(t *testing.T) {
	data := newSchool(t)
	file := writeDaNiS(t, danisHeader, danisPupils[:3])

	t.Run("password folder cannot be made", func(t *testing.T) {
		before := state(t, data)
		pw := filepath.Join(t.TempDir(), "missing", "pw")
		r := runCLI(t, "import", "--data", data, "--passwords", pw, file)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "nothing was imported") {
			t.Errorf("stderr: got %q, want it to say nothing was imported", r.stderr)
		}
		sameState(t, "import without a password folder", state(t, data), before)
	})
	t.Run("password folder exists", func(t *testing.T) {
		// The lists go into a new folder only the admin can read; an
		// existing one (made by whoever) is refused and left alone.
		before := state(t, data)
		pw := t.TempDir()
		keep := filepath.Join(pw, "keep.txt")
		if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "import", "--data", data, "--passwords", pw, file)
		wantCode(t, r, 1)
		sameState(t, "import into an existing folder", state(t, data), before)
		if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
			t.Errorf("file in the existing folder: got %q, %v, want it untouched", b, err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		before := state(t, data)
		wantCode(t, runCLI(t, "import", "--data", data, filepath.Join(t.TempDir(), "none.csv")), 1)
		sameState(t, "import of a missing file", state(t, data), before)
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"import", "--data", data},
			{"import", "--data", data, file, file},
			{"import", "--data", data, "--dry", file},
		} {
			r := runCLI(t, args...)
			wantCode(t, r, 2)
			if !strings.Contains(r.stderr, "usage: kaspel-server import") {
				t.Errorf("stderr: got %q, want the usage line", r.stderr)
			}
		}
	})
	// After all that, the import works.
	pw := filepath.Join(t.TempDir(), "pw")
	r := mustRun(t, "import", "--data", data, "--passwords", pw, file)
	if !strings.Contains(r.stdout, "new: 3") {
		t.Errorf("import: got\n%s\nwant new: 3", r.stdout)
	}
}

// TestImportOutdatedList: a list from before the promotion is refused with
// a hint, and the dry run warns.
func TestImportOutdatedList(t *testing.T) {
	data := newSchool(t)
	write := func(class string) string {
		var b strings.Builder
		b.WriteString("ID;Vorname;Nachname;Klasse\n")
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&b, "%d;Kind%c;Test;%s\n", i, 'a'+i, class)
		}
		f := filepath.Join(t.TempDir(), "list.csv")
		if err := os.WriteFile(f, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	pw := filepath.Join(t.TempDir(), "pw")
	mustRun(t, "import", "--data", data, "--passwords", pw, write("3a"))
	before := state(t, data)
	old := write("2a")
	r := runCLI(t, "import", "--data", data, old)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "lower grade") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("stderr: got %q, want the lower-grade hint and that nothing was changed", r.stderr)
	}
	sameState(t, "an outdated list", state(t, data), before)
	r = mustRun(t, "import", "--dry-run", "--data", data, old)
	if !strings.Contains(r.stdout, "Warning: the list puts most pupils into a lower grade") {
		t.Errorf("dry run: got\n%s\nwant the warning", r.stdout)
	}
}
