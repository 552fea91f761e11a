package lending

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// The numbers of the lending: what a scanner reads and what parents type
// into a bank transfer. Their length tells them apart at the kiosk
// (IServ's convention): a copy's barcode has 7 digits, a pupil card 9,
// an ISBN 13.
const (
	CopyCodeLen = 7
	CardCodeLen = 9
	ISBNLen     = 13
	maxCopyNo   = 9_999_999
)

// CopyCode is a copy's barcode: its running number with leading zeros.
func CopyCode(number int64) string { return fmt.Sprintf("%07d", number) }

// ParseCopyCode reads a 7-digit barcode.
func ParseCopyCode(s string) (int64, bool) {
	if len(s) != CopyCodeLen || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn is the Luhn check digit of a string of digits, the one payment
// cards use: it catches every single wrong digit and most swaps of two
// neighbours, the errors people make when they type a number.
func luhn(digits string) byte {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// CardCode is a pupil card's 9 digits: an 8-digit running number from
// 10000000 on (so that a card never starts with 0 and is never confused
// with a copy's barcode padded with zeros) and a Luhn check digit, which
// makes a misread card fail instead of selecting another child.
func CardCode(seq int64) string {
	base := strconv.FormatInt(10_000_000+seq, 10)
	return base + string(luhn(base))
}

// ValidCardCode checks the length and the check digit.
func ValidCardCode(s string) bool {
	return len(s) == CardCodeLen && allDigits(s) && s[0] != '0' && luhn(s[:8]) == s[8]
}

// NormalizeISBN accepts an ISBN-13 (978/979) or an ISBN-10 as people
// write them ("978-3-12-345678-9", "3 12 345678 X") and returns the 13
// digits. A wrong check digit is refused: a typo must not enter a title
// that no scanner will ever find.
func NormalizeISBN(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= '0' && r <= '9', r == 'X':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\u00a0':
		default:
			return "", errISBN(s)
		}
	}
	d := b.String()
	switch len(d) {
	case 10:
		if !isbn10OK(d) {
			return "", refuse(Invalid, "isbn", fmt.Sprintf("Die ISBN „%s“ hat eine falsche Prüfziffer. Bitte noch einmal abschreiben.", clip(s, 20)), "isbn-10 check %q", s)
		}
		d = "978" + d[:9]
		return d + string(isbn13Check(d)), nil
	case 13:
		if !allDigits(d) || !(strings.HasPrefix(d, "978") || strings.HasPrefix(d, "979")) {
			return "", errISBN(s)
		}
		if isbn13Check(d[:12]) != d[12] {
			return "", refuse(Invalid, "isbn", fmt.Sprintf("Die ISBN „%s“ hat eine falsche Prüfziffer. Bitte noch einmal abschreiben.", clip(s, 20)), "isbn-13 check %q", s)
		}
		return d, nil
	}
	return "", errISBN(s)
}

func errISBN(s string) error {
	return refuse(Invalid, "isbn", fmt.Sprintf("„%s“ ist keine ISBN. Eine ISBN hat 13 Ziffern und beginnt mit 978 oder 979.", clip(s, 20)), "no isbn %q", s)
}

// ValidISBN reports whether s is 13 digits with a right check digit.
func ValidISBN(s string) bool {
	return len(s) == ISBNLen && allDigits(s) && (strings.HasPrefix(s, "978") || strings.HasPrefix(s, "979")) && isbn13Check(s[:12]) == s[12]
}

// isbn13Check is the EAN-13 check digit of 12 digits.
func isbn13Check(d12 string) byte {
	sum := 0
	for i := 0; i < 12; i++ {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(d12[i]-'0') * w
	}
	return byte('0' + (10-sum%10)%10)
}

func isbn10OK(d string) bool {
	sum := 0
	for i := 0; i < 10; i++ {
		var v int
		switch c := d[i]; {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c == 'X' && i == 9:
			v = 10
		default:
			return false
		}
		sum += v * (10 - i)
	}
	return sum%11 == 0
}

// NormalizeIBAN checks an IBAN (country, length, mod 97) and returns it
// without spaces, upper-case. The school's account is printed on every
// letter and message: a typo would send the parents' money elsewhere.
func NormalizeIBAN(s string) (string, error) {
	iban := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	bad := refuse(Invalid, "iban", "Die IBAN stimmt nicht. Bitte noch einmal abschreiben (z. B. DE12 3456 7890 1234 5678 90).", "bad iban")
	if len(iban) < 15 || len(iban) > 34 || iban[0] < 'A' || iban[0] > 'Z' || iban[1] < 'A' || iban[1] > 'Z' || !allDigits(iban[2:4]) {
		return "", bad
	}
	if strings.HasPrefix(iban, "DE") && len(iban) != 22 {
		return "", bad
	}
	var num strings.Builder
	for _, r := range iban[4:] + iban[:4] {
		switch {
		case r >= '0' && r <= '9':
			num.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			num.WriteString(strconv.Itoa(int(r-'A') + 10))
		default:
			return "", bad
		}
	}
	n, ok := new(big.Int).SetString(num.String(), 10)
	if !ok || new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return "", bad
	}
	return iban, nil
}

// FormatIBAN groups an IBAN in fours, as it is printed.
func FormatIBAN(iban string) string {
	var b strings.Builder
	for i, r := range iban {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// A payment reference is PREFIX-YYYY-NNNNNC: the prefix (SBA), the
// year the school year starts in, a 5-digit running number of that year
// and a Luhn check digit over year and number. Its fixed length lets the
// bank import find it in any purpose text, however the bank or the
// parent spaced, hyphenated or cased it, and the check digit keeps a
// mistyped reference from matching another family.

// Reference formats a payment reference.
func Reference(prefix string, year int, seq int64) string {
	digits := fmt.Sprintf("%04d%05d", year, seq)
	return fmt.Sprintf("%s-%04d-%05d%c", prefix, year, seq, luhn(digits))
}

// FindReferences returns the valid payment references in a purpose text,
// normalised to their printed form, in order and without repeats. Only
// letters and digits count: "sba 2026 00012 3", "SBA-2026-000123" and
// "SBA2026000123" are the same reference.
func FindReferences(prefix, text string) []string {
	var b strings.Builder
	for _, r := range strings.ToUpper(text) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	var out []string
	for i := 0; ; {
		j := strings.Index(s[i:], prefix)
		if j < 0 {
			break
		}
		at := i + j + len(prefix)
		i = i + j + 1
		if at+10 > len(s) || !allDigits(s[at:at+10]) {
			continue
		}
		d := s[at : at+10]
		if luhn(d[:9]) != d[9] {
			continue
		}
		ref := prefix + "-" + d[:4] + "-" + d[4:]
		dup := false
		for _, o := range out {
			dup = dup || o == ref
		}
		if !dup {
			out = append(out, ref)
		}
	}
	return out
}

// clip shortens s for a message to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
