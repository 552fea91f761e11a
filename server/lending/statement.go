package lending

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Reading a bank statement: the CSV export of the school's Girokonto, as
// German banks write it. No two banks agree, so the reader is tolerant:
//
//   - Windows-1252 (most banks) or UTF-8, with or without a BOM;
//   - semicolons (most banks), commas or tabs between the fields;
//   - lines before the header (account, period) and after the last
//     booking (balances) are skipped;
//   - German numbers ("1.234,56", "-12,50", "12,50 €") and dates
//     ("27.11.2026", "27.11.26"), ISO dates and English numbers too;
//   - a sign column (Soll/Haben, S/H) for banks that write amounts
//     without a sign.
//
// The columns are found by their header. A school maps them once (the
// Mapping is stored); without a mapping the usual header names of German
// banks are tried.

// Mapping names the columns of a bank's export by their header text.
type Mapping struct {
	Date    string   `json:"date"`
	Amount  string   `json:"amount"`
	Purpose []string `json:"purpose"` // some banks split it into several columns (VWZ1, VWZ2, ...)
	Payer   string   `json:"payer,omitempty"`
	IBAN    string   `json:"iban,omitempty"`
	Sign    string   `json:"sign,omitempty"` // a Soll/Haben column, if amounts have no sign
}

// Known header names of German banks' exports, best first.
var (
	knownDate    = []string{"Buchungstag", "Buchungsdatum", "Datum", "Buchung", "Valutadatum", "Valuta", "Wertstellung"}
	knownAmount  = []string{"Betrag", "Betrag (EUR)", "Betrag in EUR", "Betrag EUR", "Umsatz", "Umsatz in EUR", "Amount"}
	knownPurpose = []string{"Verwendungszweck", "Vorgang/Verwendungszweck", "Buchungstext/Verwendungszweck", "Verwendungszweck 1", "VWZ1", "Zweck", "Buchungstext"}
	knownPayer   = []string{"Beguenstigter/Zahlungspflichtiger", "Begünstigter/Zahlungspflichtiger", "Name Zahlungsbeteiligter",
		"Auftraggeber / Begünstigter", "Auftraggeber/Empfänger", "Zahlungspflichtige(r)", "Auftraggeber", "Name", "Empfänger"}
	knownIBAN = []string{"Kontonummer/IBAN", "IBAN Zahlungsbeteiligter", "IBAN Auftraggeber", "IBAN", "Kontonummer"}
	knownSign = []string{"Soll/Haben", "S/H", "Soll-Haben-Kennzeichen"}
)

// StatementLine is one booking of a statement.
type StatementLine struct {
	Row     int // the line of the file, for people
	Date    string
	Amount  int64 // cents; only credits (> 0) are read as payments
	Payer   string
	IBAN    string
	Purpose string
	// Fingerprint identifies the booking across imports: the same
	// statement (or an overlapping one) imported again finds it.
	Fingerprint string
}

// Statement is a parsed bank export.
type Statement struct {
	Encoding  string // "UTF-8" or "Windows-1252"
	Separator string
	Header    []string
	Mapping   Mapping // as applied
	Lines     []StatementLine
	Debits    int // outgoing bookings, not payments
	Skipped   int // rows that are no booking (balances, empty)
}

// maxStatementRows bounds a file: a school's account has a few thousand
// bookings a year.
const maxStatementRows = 100_000

// ParseStatement reads a bank export. m is the school's stored mapping;
// a zero Mapping tries the usual header names.
func ParseStatement(data []byte, m Mapping) (Statement, error) {
	var st Statement
	text, enc := decodeText(data)
	st.Encoding = enc
	var best [][]string
	bestHeader, bestSep := -1, ""
	for _, sep := range []rune{';', ',', '\t'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
		var recs [][]string
		for len(recs) <= maxStatementRows {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				recs = nil
				break
			}
			recs = append(recs, rec)
		}
		for i, rec := range recs {
			if i > 30 {
				break
			}
			if _, err := resolveMapping(rec, m); err == nil {
				if best == nil || len(rec) > len(best[bestHeader]) {
					best, bestHeader, bestSep = recs, i, string(sep)
				}
				break
			}
		}
	}
	if best == nil {
		return st, refuse(Invalid, "file", "In der Datei wurde keine Kopfzeile mit Buchungstag, Betrag und Verwendungszweck gefunden. "+
			"Bitte die Spalten einmal zuordnen (Spaltenzuordnung) oder die Umsätze als CSV aus dem Online-Banking exportieren.", "no header found")
	}
	if len(best) > maxStatementRows {
		return st, refuse(Invalid, "file", fmt.Sprintf("Die Datei hat mehr als %d Zeilen.", maxStatementRows), "too many rows")
	}
	st.Separator, st.Header = bestSep, best[bestHeader]
	cols, _ := resolveMapping(st.Header, m)
	st.Mapping = cols.mapping(st.Header)
	seen := map[string]int{}
	for i := bestHeader + 1; i < len(best); i++ {
		rec := best[i]
		date, ok := parseBankDate(field(rec, cols.date))
		if !ok {
			st.Skipped++
			continue
		}
		amount, ok := parseBankAmount(field(rec, cols.amount))
		if !ok {
			st.Skipped++
			continue
		}
		if s := strings.ToUpper(strings.TrimSpace(field(rec, cols.sign))); cols.sign >= 0 && (s == "S" || s == "SOLL" || s == "D" || s == "DEBIT") {
			amount = -abs(amount)
		}
		if amount <= 0 {
			st.Debits++
			continue
		}
		var purpose []string
		for _, c := range cols.purpose {
			if p := oneLine(field(rec, c)); p != "" {
				purpose = append(purpose, p)
			}
		}
		l := StatementLine{Row: i + 1, Date: date, Amount: amount, Payer: oneLine(field(rec, cols.payer)),
			IBAN: strings.ToUpper(strings.Join(strings.Fields(field(rec, cols.iban)), "")), Purpose: strings.Join(purpose, " ")}
		key := fmt.Sprintf("%s|%d|%s|%s|%s", l.Date, l.Amount, l.IBAN, strings.ToUpper(l.Payer), strings.ToUpper(l.Purpose))
		// Two identical bookings in one file are two payments (a parent
		// who paid twice); the n-th of them keeps its number, so that
		// the same file imported again finds both.
		seen[key]++
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s|#%d", key, seen[key])))
		l.Fingerprint = hex.EncodeToString(sum[:16])
		st.Lines = append(st.Lines, l)
	}
	return st, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// decodeText turns the file into text: UTF-8 when it is valid UTF-8
// (a BOM is dropped), Windows-1252 otherwise, the encoding of most
// German banks' exports (ISO 8859-1 and -15 read the same for what a
// statement holds).
func decodeText(data []byte) (string, string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\ufffd"), "Windows-1252"
	}
	return string(out), "Windows-1252"
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// columns are the mapped columns' indexes (-1: none).
type columns struct {
	date, amount, payer, iban, sign int
	purpose                         []int
}

func (c columns) mapping(header []string) Mapping {
	name := func(i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(header[i])
	}
	m := Mapping{Date: name(c.date), Amount: name(c.amount), Payer: name(c.payer), IBAN: name(c.iban), Sign: name(c.sign)}
	for _, p := range c.purpose {
		m.Purpose = append(m.Purpose, name(p))
	}
	return m
}

// headerKey compares header names without case, spaces and the usual
// spellings of umlauts.
func headerKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", " ", "", "_", "", "\"", "").Replace(s)
	return s
}

// resolveMapping finds the columns of m (or, for fields m leaves empty,
// the known names) in a header row; date, amount and purpose must be
// there.
func resolveMapping(header []string, m Mapping) (columns, error) {
	idx := map[string]int{}
	for i, h := range header {
		k := headerKey(h)
		if _, dup := idx[k]; !dup && k != "" {
			idx[k] = i
		}
	}
	find := func(want string, known []string) int {
		if want != "" {
			if i, ok := idx[headerKey(want)]; ok {
				return i
			}
			return -1
		}
		for _, k := range known {
			if i, ok := idx[headerKey(k)]; ok {
				return i
			}
		}
		return -1
	}
	c := columns{date: find(m.Date, knownDate), amount: find(m.Amount, knownAmount), payer: find(m.Payer, knownPayer),
		iban: find(m.IBAN, knownIBAN), sign: find(m.Sign, knownSign)}
	if len(m.Purpose) > 0 {
		for _, p := range m.Purpose {
			if i := find(p, nil); i >= 0 {
				c.purpose = append(c.purpose, i)
			}
		}
	} else {
		if i := find("", knownPurpose); i >= 0 {
			c.purpose = append(c.purpose, i)
		}
		// Banks that split the purpose: VWZ1, VWZ2, ... or
		// "Verwendungszweck 1", "Verwendungszweck 2", ...
		for n := 2; n <= 14; n++ {
			for _, k := range []string{fmt.Sprintf("VWZ%d", n), fmt.Sprintf("Verwendungszweck %d", n)} {
				if i, ok := idx[headerKey(k)]; ok {
					c.purpose = append(c.purpose, i)
				}
			}
		}
	}
	if c.date < 0 || c.amount < 0 || len(c.purpose) == 0 || c.date == c.amount {
		return c, fmt.Errorf("header lacks date, amount or purpose")
	}
	return c, nil
}

// parseBankDate reads "27.11.2026", "27.11.26", "2026-11-27" and
// "27/11/2026" into YYYY-MM-DD.
func parseBankDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02.01.2006", "2.1.2006", "02.01.06", "2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// parseBankAmount reads an amount into cents: "1.234,56", "-12,50",
// "12,50 €", "+25,00 EUR", and English "1,234.56" or "25.00". A German
// export has a decimal comma; a point followed by exactly three digits
// is a thousands separator.
func parseBankAmount(s string) (int64, bool) {
	s = strings.NewReplacer("€", "", "EUR", "", "eur", "", " ", "", "\u00a0", "", "'", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	if strings.HasSuffix(s, "-") { // "12,50-" as some banks write debits
		neg, s = true, strings.TrimSuffix(s, "-")
	}
	comma, point := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	var whole, frac string
	switch {
	case comma >= 0 && point >= 0 && comma > point: // 1.234,56
		whole, frac = strings.ReplaceAll(s[:comma], ".", ""), s[comma+1:]
	case comma >= 0 && point >= 0: // 1,234.56
		whole, frac = strings.ReplaceAll(s[:point], ",", ""), s[point+1:]
	case strings.Count(s, ",") > 1: // 1,234,567
		whole = strings.ReplaceAll(s, ",", "")
	case comma >= 0: // 12,50
		whole, frac = strings.ReplaceAll(s[:comma], ",", ""), s[comma+1:]
	case point >= 0 && len(s)-point-1 == 3: // 1.234 (German thousands)
		whole = strings.ReplaceAll(s, ".", "")
	case point >= 0: // 25.00
		whole, frac = strings.ReplaceAll(s[:point], ".", ""), s[point+1:]
	default:
		whole = s
	}
	if len(frac) > 2 || !allDigits(whole) || frac != "" && !allDigits(frac) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n > 1_000_000_000 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}
