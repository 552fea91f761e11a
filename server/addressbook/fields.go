package addressbook

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Visibility is who sees a field a person filled in.
type Visibility string

// The visibilities. A field is hidden until its owner chooses otherwise.
const (
	// Hidden: nobody but the person (the address book keeps it for them).
	Hidden Visibility = "hidden"
	// Staff: teachers, the secretary and admins.
	Staff Visibility = "staff"
	// Everyone: every logged-in person, pupils too.
	Everyone Visibility = "all"
)

// ParseVisibility accepts the API's names; "" is Hidden.
func ParseVisibility(s string) (Visibility, bool) {
	switch Visibility(strings.TrimSpace(s)) {
	case "", Hidden:
		return Hidden, true
	case Staff:
		return Staff, true
	case Everyone:
		return Everyone, true
	}
	return "", false
}

type fieldKind int

const (
	phoneKind fieldKind = iota + 1 // a phone number
	lineKind                       // one line of text
	textKind                       // a few lines of text
)

// Field is something a person may add to their entry.
type Field struct {
	Key   string // as the API names it
	Label string // German, as the client shows it
	kind  fieldKind
	max   int // characters
}

// Fields are the fields a person may add, in the order the client shows
// them. A new field needs no migration: the table keeps one row per field.
var Fields = []Field{
	{Key: "phone", Label: "Telefon", kind: phoneKind, max: 30},
	{Key: "mobile", Label: "Handy", kind: phoneKind, max: 30},
	{Key: "room", Label: "Raum", kind: lineKind, max: 40},
	{Key: "hours", Label: "Sprechzeiten", kind: textKind, max: 300},
}

func fieldByKey(key string) (Field, bool) {
	for _, f := range Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// ErrInvalid is what every input error is, for errors.Is.
var ErrInvalid = errors.New("addressbook: invalid input")

// InputError is a mistake in what a person entered or asked for. Its
// Error text is English (for logs); German is the message for the person,
// and Field the input field at fault ("" if none).
type InputError struct {
	Field   string
	English string
	German  string
}

func (e *InputError) Error() string        { return "addressbook: " + e.English }
func (e *InputError) Is(target error) bool { return target == ErrInvalid }

func inputError(field, english, german string) error {
	return &InputError{Field: field, English: english, German: german}
}

// normalize checks a value of the field and returns it cleaned up
// (trimmed; a phone number's spaces collapsed; line breaks as \n).
func (f Field) normalize(v string) (string, error) {
	if !utf8.ValidString(v) {
		return "", inputError(f.Key, f.Key+": not UTF-8", fmt.Sprintf("„%s“ enthält ungültige Zeichen.", f.Label))
	}
	switch f.kind {
	case phoneKind:
		v = strings.Join(strings.Fields(v), " ")
	case textKind:
		v = strings.ReplaceAll(v, "\r\n", "\n")
		lines := strings.Split(v, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		v = strings.TrimSpace(strings.Join(lines, "\n"))
	default:
		v = strings.TrimSpace(v)
	}
	if n := utf8.RuneCountInString(v); n > f.max {
		return "", inputError(f.Key, fmt.Sprintf("%s: %d characters, at most %d", f.Key, n, f.max),
			fmt.Sprintf("„%s“ darf höchstens %d Zeichen lang sein.", f.Label, f.max))
	}
	if v == "" {
		return "", nil
	}
	switch f.kind {
	case phoneKind:
		return v, f.checkPhone(v)
	case lineKind:
		if strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return "", inputError(f.Key, f.Key+": control characters",
				fmt.Sprintf("„%s“ darf keine Zeilenumbrüche oder Steuerzeichen enthalten.", f.Label))
		}
	case textKind:
		if strings.IndexFunc(v, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) >= 0 {
			return "", inputError(f.Key, f.Key+": control characters",
				fmt.Sprintf("„%s“ darf keine Steuerzeichen enthalten.", f.Label))
		}
	}
	return v, nil
}

// checkPhone accepts what people write on a phone list: digits, spaces,
// / - ( ) and a leading + (05121 12345-67, +49 5121 12345, (05121) 123).
func (f Field) checkPhone(v string) error {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+':
			if i != 0 {
				return inputError(f.Key, f.Key+": + not at the start",
					fmt.Sprintf("Bei „%s“ darf das + nur ganz am Anfang stehen.", f.Label))
			}
		case strings.ContainsRune(" /-()", r):
		default:
			return inputError(f.Key, fmt.Sprintf("%s: character %q", f.Key, r),
				fmt.Sprintf("„%s“ darf nur Ziffern, Leerzeichen und + / - ( ) enthalten.", f.Label))
		}
	}
	if digits < 3 || digits > 20 {
		return inputError(f.Key, fmt.Sprintf("%s: %d digits", f.Key, digits),
			fmt.Sprintf("„%s“ braucht 3 bis 20 Ziffern.", f.Label))
	}
	return nil
}
