// Package password holds the school's password policy (from its usage
// rules: at least 8 characters with upper and lower case letters, digits and
// special characters). It lives in shared so that the desktop client can show
// the rules as a live checklist while the server enforces the very same
// rules on every change, over the API and over LDAP.
package password

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinLength is the shortest password the usage rules allow.
const MinLength = 8

// MaxLength bounds what the server will hash; longer input is refused
// rather than cut, so that nobody is surprised by a shortened password.
const MaxLength = 128

// Rule is one requirement of the policy. Its value doubles as the key of
// its text in the translation files ("password.rule.length" and so on).
type Rule string

// The rules, in the order they are shown.
const (
	RuleLength  Rule = "password.rule.length"
	RuleLower   Rule = "password.rule.lower"
	RuleUpper   Rule = "password.rule.upper"
	RuleDigit   Rule = "password.rule.digit"
	RuleSpecial Rule = "password.rule.special"
	RuleMaxLen  Rule = "password.rule.max_length"
	RuleControl Rule = "password.rule.control"
)

// Rules lists the rules a person is shown (the checklist).
var Rules = []Rule{RuleLength, RuleLower, RuleUpper, RuleDigit, RuleSpecial}

// German and English texts of the rules, for server messages that cannot
// go through the client's translation files (LDAP diagnostics, the CLI).
// The client's translation files carry the same keys.
var texts = map[Rule][2]string{
	RuleLength:  {"mindestens 8 Zeichen", "at least 8 characters"},
	RuleLower:   {"ein kleiner Buchstabe", "a lower-case letter"},
	RuleUpper:   {"ein großer Buchstabe", "an upper-case letter"},
	RuleDigit:   {"eine Ziffer", "a digit"},
	RuleSpecial: {"ein Sonderzeichen (zum Beispiel ! - + ?)", "a special character (such as ! - + ?)"},
	RuleMaxLen:  {"höchstens 128 Zeichen", "at most 128 characters"},
	RuleControl: {"keine Steuerzeichen", "no control characters"},
}

// German is the rule's German text.
func (r Rule) German() string { return texts[r][0] }

// English is the rule's English text.
func (r Rule) English() string { return texts[r][1] }

// Check returns the rules pw breaks, in checklist order; nil means the
// password is acceptable.
func Check(pw string) []Rule {
	var lower, upper, digit, special, control bool
	for _, r := range pw {
		switch {
		case unicode.IsControl(r):
			control = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLetter(r):
			// letters without case (e.g. CJK) count as letters, not specials
		default:
			special = true
		}
	}
	n := utf8.RuneCountInString(pw)
	var broken []Rule
	if n < MinLength {
		broken = append(broken, RuleLength)
	}
	if !lower {
		broken = append(broken, RuleLower)
	}
	if !upper {
		broken = append(broken, RuleUpper)
	}
	if !digit {
		broken = append(broken, RuleDigit)
	}
	if !special {
		broken = append(broken, RuleSpecial)
	}
	if n > MaxLength {
		broken = append(broken, RuleMaxLen)
	}
	if control || !utf8.ValidString(pw) {
		broken = append(broken, RuleControl)
	}
	return broken
}

// Describe turns broken rules into one German sentence for a child, e.g.
// "Das Passwort braucht noch: eine Ziffer, ein Sonderzeichen (...)."
func Describe(broken []Rule) string {
	if len(broken) == 0 {
		return ""
	}
	parts := make([]string, len(broken))
	for i, r := range broken {
		parts[i] = r.German()
	}
	return "Das Passwort braucht noch: " + strings.Join(parts, ", ") + "."
}

// DescribeEnglish is Describe in English, for the admin command line and logs.
func DescribeEnglish(broken []Rule) string {
	if len(broken) == 0 {
		return ""
	}
	parts := make([]string, len(broken))
	for i, r := range broken {
		parts[i] = r.English()
	}
	return "the password needs: " + strings.Join(parts, ", ")
}
