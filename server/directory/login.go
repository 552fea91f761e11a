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

// MaxLoginLength is the longest login Kaspel makes: Windows' limit for
// the name of a local account, which pGina creates with the school login
// at a Windows PC — a longer login could not log in there.
const MaxLoginLength = 20

// LoginBase derives "vorname.nachname" from a person's names, shortened to
// MaxLoginLength. Namesakes get a suffix later (see uniqueLogin).
func LoginBase(first, last string) (string, error) {
	f, l, err := loginParts(first, last)
	if err != nil {
		return "", err
	}
	return fitLogin(f, l, ""), nil
}

func loginParts(first, last string) (string, string, error) {
	f, l := loginPart(first), loginPart(last)
	if f == "" || l == "" {
		return "", "", fmt.Errorf("directory: login for %q %q: %w", first, last, ErrNoLoginName)
	}
	return f, l, nil
}

// fitLogin is "first.last" with the suffix, at most MaxLoginLength long:
// a long first name is cut first (down to its initial), then the last
// name — "maximilian.schneider" stays, "karl-heinz.mueller-luedenscheidt"
// becomes "k.mueller-luedensche".
func fitLogin(f, l, suffix string) string {
	max := MaxLoginLength - len(suffix)
	if len(f)+1+len(l) <= max {
		return f + "." + l + suffix
	}
	if room := max - 1 - len(l); room >= 1 {
		return strings.TrimRight(f[:room], "-") + "." + l + suffix
	}
	return f[:1] + "." + strings.TrimRight(l[:max-2], "-") + suffix
}

// uniqueLogin picks first.last, or first.last.2, first.last.3, ...
// (each fitted into MaxLoginLength), whichever is free.
func uniqueLogin(first, last string, taken func(string) (bool, error)) (string, error) {
	f, l, err := loginParts(first, last)
	if err != nil {
		return "", err
	}
	for n := 1; n < 10000; n++ {
		suffix := ""
		if n > 1 {
			suffix = fmt.Sprintf(".%d", n)
		}
		login := fitLogin(f, l, suffix)
		t, err := taken(login)
		if err != nil {
			return "", err
		}
		if !t {
			return login, nil
		}
	}
	return "", fmt.Errorf("directory: no free login for %s.%s", f, l)
}

func toLowerSlow(s string) string { return strings.ToLower(s) }
