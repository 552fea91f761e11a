package lending

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeISBN(t *testing.T) {
	tests := []struct {
		in, want string // want "" for a refusal
	}{
		{"978-3-16-148410-0", "9783161484100"},
		{"9783161484100", "9783161484100"},
		{" 978 3 16 148410 0 ", "9783161484100"},
		{"3-16-148410-X", "9783161484100"}, // ISBN-10 becomes ISBN-13
		{"316148410x", "9783161484100"},
		{"978-3-16-148410-1", ""}, // wrong check digit
		{"3-16-148410-1", ""},     // wrong ISBN-10 check digit
		{"123-3-16-148410-0", ""}, // neither 978 nor 979
		{"978316148410", ""},      // 12 digits
		{"ISBN 978-3-16-148410-0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeISBN(tt.in)
		if tt.want == "" {
			if err == nil || kindOf(err) != Invalid {
				t.Errorf("NormalizeISBN(%q): got %q, %v; want a refusal", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeISBN(%q): got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if !ValidISBN("9783161484100") || ValidISBN("9783161484101") || ValidISBN("1234567") {
		t.Error("ValidISBN does not check the check digit")
	}
}

func TestCardCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, seq := range []int64{1, 2, 99, 12345, 89_999_999} {
		c := CardCode(seq)
		if len(c) != CardCodeLen || c[0] == '0' || !ValidCardCode(c) {
			t.Errorf("CardCode(%d) = %q: want 9 digits, not starting with 0, valid", seq, c)
		}
		if seen[c] {
			t.Errorf("CardCode(%d) = %q twice", seq, c)
		}
		seen[c] = true
		// Every single misread digit is caught by the check digit.
		for i := 0; i < len(c); i++ {
			for d := byte('0'); d <= '9'; d++ {
				if d == c[i] {
					continue
				}
				bad := c[:i] + string(d) + c[i+1:]
				if ValidCardCode(bad) {
					t.Errorf("misread %q of card %q is taken as valid", bad, c)
				}
			}
		}
	}
	if CopyCode(123) != "0000123" || len(CopyCode(9_999_999)) != CopyCodeLen {
		t.Errorf("CopyCode: got %q", CopyCode(123))
	}
	if n, ok := ParseCopyCode("0000123"); !ok || n != 123 {
		t.Errorf("ParseCopyCode: got %d, %v", n, ok)
	}
	for _, bad := range []string{"0000000", "123", "00001234", "00a0123"} {
		if _, ok := ParseCopyCode(bad); ok {
			t.Errorf("ParseCopyCode(%q) accepted", bad)
		}
	}
}

func TestNormalizeIBAN(t *testing.T) {
	if got, err := NormalizeIBAN("de89 3704 0044 0532 0130 00"); err != nil || got != "DE89370400440532013000" {
		t.Errorf("got %q, %v", got, err)
	}
	if got := FormatIBAN("DE89370400440532013000"); got != "DE89 3704 0044 0532 0130 00" {
		t.Errorf("FormatIBAN: got %q", got)
	}
	for _, bad := range []string{"DE89 3704 0044 0532 0130 01", "DE89 3704 0044 0532 0130", "XX", "DE89-3704-0044-0532-0130-00"} {
		if _, err := NormalizeIBAN(bad); kindOf(err) != Invalid {
			t.Errorf("NormalizeIBAN(%q): got %v, want a refusal", bad, err)
		}
	}
}

// Parents and banks write the payment reference in every way: the
// import finds it as long as letters and digits are right, and the check
// digit turns away a mistyped one.
func TestFindReferences(t *testing.T) {
	ref := Reference("SBA", 2026, 123)
	if !strings.HasPrefix(ref, "SBA-2026-00123") || len(ref) != len("SBA-2026-000000") {
		t.Fatalf("Reference: got %q", ref)
	}
	digits := strings.ReplaceAll(strings.TrimPrefix(ref, "SBA-"), "-", "") // 2026001234 (with check)
	wrong := ref[:len(ref)-1] + string('0'+(ref[len(ref)-1]-'0'+1)%10)
	other := Reference("SBA", 2026, 124)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"as printed", ref, []string{ref}},
		{"in a sentence", "Schulbuchausleihe " + ref + " Anna Schmidt 3a", []string{ref}},
		{"lower case", strings.ToLower(ref), []string{ref}},
		{"without hyphens", "SBA" + digits, []string{ref}},
		{"with spaces", "sba " + digits[:4] + " " + digits[4:7] + " " + digits[7:], []string{ref}},
		{"split by the bank's line width", "SVWZ+Leihgebuehr SBA-2026-001\n" + ref[len(ref)-3:] + " EREF+NOTPROVIDED", []string{ref}},
		{"followed by the amount", ref + "33,23EUR", []string{ref}},
		{"mistyped check digit", wrong, nil},
		{"two children", ref + " und " + other, []string{ref, other}},
		{"the same twice", ref + " / " + ref, []string{ref}},
		{"none", "Buchgeld fuer Anna", nil},
		{"too short", "SBA-2026-0012", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindReferences("SBA", tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
