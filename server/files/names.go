package files

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxName bounds a file or folder name, in characters.
const MaxName = 100

// CleanName makes a file or folder name safe to store, to show and to
// save on a Windows or Linux PC: the last path element only (a name is
// never a path), Unicode NFC, no control or direction-changing characters
// (which can disguise "exe" as "txt"), none of <>:"/\|?*, no leading or
// trailing dots and spaces, not a reserved Windows device name (CON,
// LPT1, ... get a "_"), at most MaxName characters with the extension
// kept. A name that is empty afterwards is refused.
func CleanName(name string) (string, error) {
	name = strings.ToValidUTF8(name, "_")
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Bidi_Control, r), r == '\u200b', r == '\ufeff':
			return -1
		case unicode.IsControl(r), strings.ContainsRune(`<>:"/\|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if utf8.RuneCountInString(name) > MaxName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		base := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(base[:MaxName-utf8.RuneCountInString(ext)]), " .") + ext
	}
	if name == "" {
		return "", refuse(Invalid, "name", "Bitte gib einen Namen an.", "empty name")
	}
	stem, _, _ := strings.Cut(name, ".")
	switch strings.ToUpper(strings.TrimSpace(stem)) {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		name = "_" + name
	}
	return name, nil
}

// numbered is the n-th free variant of a taken name: "Bild (2).png".
func numbered(name string, n int) string {
	ext := path.Ext(name)
	if ext == name || utf8.RuneCountInString(ext) > 16 {
		ext = ""
	}
	base := strings.TrimSuffix(name, ext)
	suffix := fmt.Sprintf(" (%d)", n)
	if r := []rune(base); len(r)+utf8.RuneCountInString(suffix+ext) > MaxName {
		base = string(r[:MaxName-utf8.RuneCountInString(suffix+ext)])
	}
	return base + suffix + ext
}
