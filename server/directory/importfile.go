package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ImportRow is one pupil of a pupil list.
type ImportRow struct {
	Line      int // in the file, for messages
	ID        string
	FirstName string
	LastName  string
	Class     string // normalised; "" if the list has none
}

// ImportFile is a parsed pupil list.
type ImportFile struct {
	Format    string // "DaNiS" or "generic"
	Encoding  string // "UTF-8" or "Windows-1252"
	Separator string // ";" or ","
	Rows      []ImportRow
}

// Column names: DaNiS "Freie Liste" (with its own spelling
// "GruppeBezeichung", and the corrected one in case they fix it) and the
// generic German headers.
var columnNames = map[string]string{
	"schueleridentnummer": "id", "schuelerrufname": "first", "schuelernachname": "last",
	"gruppebezeichung": "class", "gruppebezeichnung": "class",
	"id": "id", "vorname": "first", "rufname": "first", "nachname": "last", "klasse": "class",
}

var danisColumns = map[string]bool{"schueleridentnummer": true, "schuelerrufname": true, "schuelernachname": true, "gruppebezeichung": true, "gruppebezeichnung": true}

// maxImportBytes bounds a pupil list (a district's would be far smaller).
const maxImportBytes = 20 << 20

// ParseImport reads a pupil list: a DaNiS "Freie Liste" export or a file
// with the headers Vorname, Nachname, Klasse, ID; separated by ";" or ",";
// in UTF-8 (with or without BOM) or Windows-1252, which it detects.
func ParseImport(r io.Reader) (*ImportFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("import: read: %w", err)
	}
	if len(data) > maxImportBytes {
		return nil, invalidf("the file is larger than %d MB", maxImportBytes>>20)
	}
	f := &ImportFile{Encoding: "UTF-8"}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, invalidf("the file is neither UTF-8 nor Windows-1252")
		}
		data, f.Encoding = dec, "Windows-1252"
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	header, _, _ := strings.Cut(text, "\n")
	f.Separator = ","
	if strings.Count(header, ";") >= strings.Count(header, ",") {
		f.Separator = ";"
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = rune(f.Separator[0])
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	// Read record by record to know each one's line in the file: blank
	// lines and quoted fields with line breaks make records and lines
	// differ, and the messages must name the line the admin sees.
	var records [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, invalidf("not a readable CSV file: %v", err)
		}
		line, _ := cr.FieldPos(0)
		records = append(records, rec)
		lines = append(lines, line)
	}
	if len(records) == 0 {
		return nil, invalidf("the file is empty")
	}
	cols := map[string]int{}
	danis := false
	for i, h := range records[0] {
		key := strings.ToLower(strings.TrimSpace(h))
		if name, ok := columnNames[key]; ok {
			if _, dup := cols[name]; !dup {
				cols[name] = i
			}
			danis = danis || danisColumns[key]
		}
	}
	var missing []string
	for _, c := range []struct{ key, want string }{{"id", "SchuelerIdentNummer or ID"}, {"first", "SchuelerRufname or Vorname"}, {"last", "SchuelerNachname or Nachname"}, {"class", "GruppeBezeichung or Klasse"}} {
		if _, ok := cols[c.key]; !ok {
			missing = append(missing, c.want)
		}
	}
	if len(missing) > 0 {
		return nil, invalidf("the first line must name the columns; missing: %s", strings.Join(missing, ", "))
	}
	f.Format = "generic"
	if danis {
		f.Format = "DaNiS"
	}
	field := func(rec []string, key string) string {
		if i := cols[key]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var problems []error
	seen := map[string]int{}
	for n, rec := range records[1:] {
		line := lines[n+1]
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" || strings.Join(rec, "") == "" {
			continue
		}
		row := ImportRow{Line: line, ID: field(rec, "id"), FirstName: field(rec, "first"), LastName: field(rec, "last")}
		if row.ID == "" {
			problems = append(problems, fmt.Errorf("line %d: the ID is empty", line))
			continue
		}
		if prev, dup := seen[row.ID]; dup {
			problems = append(problems, fmt.Errorf("line %d: ID %s appears again (first in line %d)", line, row.ID, prev))
			continue
		}
		seen[row.ID] = line
		if err := validName("first name", row.FirstName); err != nil {
			problems = append(problems, fmt.Errorf("line %d: the first name is empty or invalid", line))
			continue
		}
		if err := validName("last name", row.LastName); err != nil {
			problems = append(problems, fmt.Errorf("line %d: the last name is empty or invalid", line))
			continue
		}
		if _, err := LoginBase(row.FirstName, row.LastName); err != nil {
			problems = append(problems, fmt.Errorf("line %d: no login can be made of %q %q", line, row.FirstName, row.LastName))
			continue
		}
		if c := field(rec, "class"); c != "" {
			norm, err := NormalizeClass(c)
			if err != nil {
				problems = append(problems, fmt.Errorf("line %d: %q is not a class name", line, c))
				continue
			}
			row.Class = norm
		}
		f.Rows = append(f.Rows, row)
	}
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Errorf("... and %d more", len(problems)-20))
		}
		return nil, invalidf("the file has errors, nothing was imported:\n%w", errors.Join(problems...))
	}
	if len(f.Rows) == 0 {
		return nil, invalidf("the file lists no pupils")
	}
	return f, nil
}
