package password

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want []Rule
	}{
		{"good", "Sonne-Hase-47", nil},
		{"exactly eight", "Ab1!cdef", nil},
		{"seven is too short", "Ab1!cde", []Rule{RuleLength}},
		{"empty", "", []Rule{RuleLength, RuleLower, RuleUpper, RuleDigit, RuleSpecial}},
		{"no lower", "ABCDEF1!", []Rule{RuleLower}},
		{"no upper", "abcdef1!", []Rule{RuleUpper}},
		{"no digit", "Abcdefg!", []Rule{RuleDigit}},
		{"no special", "Abcdefg1", []Rule{RuleSpecial}},
		{"only lower", "abcdefgh", []Rule{RuleUpper, RuleDigit, RuleSpecial}},
		{"space is special", "Abc defg1", nil},
		// Umlauts are letters with case, not special characters.
		{"umlauts are lower letters", "ÄBCDEF1!", []Rule{RuleLower}},
		{"lower umlauts count", "Äöüß12!x", nil},
		{"upper umlaut counts", "Übung-12", nil},
		{"umlauts are not special", "Übungäöü1", []Rule{RuleSpecial}},
		{"eszett is lower", "ABCß123!", nil},
		{"length counts characters not bytes", "Äöü1!ßä", []Rule{RuleLength}},
		{"caseless letters are not special", "Ab1中文字字字", []Rule{RuleSpecial}},
		{"tab is a control character", "Abc\tdef1!", []Rule{RuleControl}},
		{"newline is a control character", "Abcdef1!\n", []Rule{RuleControl}},
		{"NUL is a control character", "Abc\x00def1!", []Rule{RuleControl}},
		{"invalid UTF-8", "Abcdef1\xff", []Rule{RuleControl}},
		{"128 is allowed", "Ab1!" + strings.Repeat("x", 124), nil},
		{"129 is too long", "Ab1!" + strings.Repeat("x", 125), []Rule{RuleMaxLen}},
		{"129 umlauts too long", "A1!" + strings.Repeat("ä", 126), []Rule{RuleMaxLen}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.pw)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		broken      []Rule
		german      string
		english     string
		description string
	}{
		{nil, "", "", "nothing broken"},
		{[]Rule{RuleDigit}, "Das Passwort braucht noch: eine Ziffer.", "the password needs: a digit", "one rule"},
		{
			[]Rule{RuleLength, RuleSpecial},
			"Das Passwort braucht noch: mindestens 8 Zeichen, ein Sonderzeichen (zum Beispiel ! - + ?).",
			"the password needs: at least 8 characters, a special character (such as ! - + ?)",
			"two rules in order",
		},
		{
			[]Rule{RuleUpper, RuleControl},
			"Das Passwort braucht noch: ein großer Buchstabe, keine Steuerzeichen.",
			"the password needs: an upper-case letter, no control characters",
			"control",
		},
	}
	for _, tt := range tests {
		t.Run(tt.description, func(t *testing.T) {
			if got := Describe(tt.broken); got != tt.german {
				t.Errorf("Describe(%v) = %q, want %q", tt.broken, got, tt.german)
			}
			if got := DescribeEnglish(tt.broken); got != tt.english {
				t.Errorf("DescribeEnglish(%v) = %q, want %q", tt.broken, got, tt.english)
			}
		})
	}
}

// allRules are every rule Check can report, not only the checklist.
var allRules = []Rule{RuleLength, RuleLower, RuleUpper, RuleDigit, RuleSpecial, RuleMaxLen, RuleControl}

func TestEveryRuleHasTexts(t *testing.T) {
	for _, r := range allRules {
		t.Run(string(r), func(t *testing.T) {
			if r.German() == "" {
				t.Errorf("German() is empty")
			}
			if r.English() == "" {
				t.Errorf("English() is empty")
			}
		})
	}
	for _, r := range Rules {
		found := false
		for _, a := range allRules {
			found = found || a == r
		}
		if !found {
			t.Errorf("checklist rule %s is not known to the test", r)
		}
	}
}

// TestTranslations fails when a rule's key is missing in one of the
// client's translation files, and checks that the server's own texts are
// the same as the client's (the server messages and the checklist must say
// the same).
func TestTranslations(t *testing.T) {
	for _, lang := range []struct {
		file string
		text func(Rule) string
	}{
		{"password.de.json", Rule.German},
		{"password.en.json", Rule.English},
	} {
		t.Run(lang.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "assets", "translations", lang.file))
			if err != nil {
				t.Fatal(err)
			}
			var tr map[string]string
			if err := json.Unmarshal(data, &tr); err != nil {
				t.Fatalf("%s: %v", lang.file, err)
			}
			for _, r := range allRules {
				got, ok := tr[string(r)]
				if !ok {
					t.Errorf("%s: key %q missing", lang.file, r)
					continue
				}
				if want := lang.text(r); got != want {
					t.Errorf("%s: %s = %q, want %q (the server's text)", lang.file, r, got, want)
				}
			}
		})
	}
}
