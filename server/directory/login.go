package directory

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Letters that German schools meet and that do not fall apart into a base
// letter and an accent under Unicode decomposition.
var transliterations = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'ẞ': "ss",
	'Ä': "ae", 'Ö': "oe", 'Ü': "ue",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ı': "i", 'þ': "th", 'Þ': "th",
	'ð': "d", 'Ð': "d",
}

// ErrNoLoginName means a name has no letters a login can be made of.
var ErrNoLoginName = errors.New("the name has no letters a login can be made of")

// loginPart turns one name into its login form: lower case, ä->ae, ö->oe,
// ü->ue, ß->ss, other accents stripped, spaces and hyphens as "-", anything
// else dropped.
func loginPart(name string) string {
	var b strings.Builder
	dash := false
	// Compose first: a decomposed ü (u + U+0308, as some exports and macOS
	// write it) must become "ue" like a composed one, not "u".
	for _, r := range norm.NFC.String(strings.TrimSpace(name)) {
		if t, ok := transliterations[r]; ok {
			b.WriteString(t)
			dash = false
			continue
		}
		if r == ' ' || r == '-' || r == '\u00a0' || r == '‐' || r == '–' || r == '_' {
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		// Decompose (é -> e + ´) and keep the ASCII letters and digits.
		for _, d := range norm.NFD.String(string(r)) {
			d = unicode.ToLower(d)
			if (d >= 'a' && d <= 'z') || (d >= '0' && d <= '9') {
				b.WriteRune(d)
				dash = false
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// LoginBase derives "vorname.nachname" from a person's names. Namesakes get
// a suffix later (see uniqueLogin).
func LoginBase(first, last string) (string, error) {
	f, l := loginPart(first), loginPart(last)
	if f == "" || l == "" {
		return "", fmt.Errorf("directory: login for %q %q: %w", first, last, ErrNoLoginName)
	}
	return f + "." + l, nil
}

// uniqueLogin picks base, or base.2, base.3, ... whichever is free.
func uniqueLogin(base string, taken func(string) (bool, error)) (string, error) {
	for n := 1; n < 10000; n++ {
		login := base
		if n > 1 {
			login = fmt.Sprintf("%s.%d", base, n)
		}
		t, err := taken(login)
		if err != nil {
			return "", err
		}
		if !t {
			return login, nil
		}
	}
	return "", fmt.Errorf("directory: no free login for %s", base)
}

func toLowerSlow(s string) string { return strings.ToLower(s) }
