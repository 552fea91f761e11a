package lending

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// Kind sorts the refusals of the lending rules, so that the API can
// answer each with its status without knowing the rules.
type Kind int

// The kinds of refusal.
const (
	// Invalid: the input breaks a rule (an ISBN with a wrong check digit,
	// a fee outside the band, terms not accepted).
	Invalid Kind = iota + 1
	// Forbidden: the person may not do this (a teacher entering titles,
	// a class teacher looking at another class).
	Forbidden
	// NotFound: no such year, title, copy, pupil or line.
	NotFound
	// Conflict: the state forbids it (an ISBN already entered, a title
	// with copies deleted, registration closed, a copy lent a fourth time).
	Conflict
)

// Error is a refusal with a German message fit for a secretary or a
// parent. Its English text is for the log.
type Error struct {
	Kind   Kind
	German string
	// Field names the input at fault ("isbn", "fee"), if one is.
	Field string
	msg   string
}

func (e *Error) Error() string { return "lending: " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, msg: fmt.Sprintf(english, args...)}
}

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// The refusals several places give.
var (
	errNoYear     = refuse(NotFound, "year", "Dieses Schuljahr gibt es in der Schulbuchausleihe nicht.", "no such year")
	errNoTitle    = refuse(NotFound, "title", "Diesen Titel gibt es nicht.", "no such title")
	errNoCopy     = refuse(NotFound, "code", "Dieses Buch ist nicht erfasst.", "no such copy")
	errNoPupil    = refuse(NotFound, "pupil", "Diese Schülerin oder diesen Schüler gibt es nicht.", "no such pupil")
	errNoLoan     = refuse(NotFound, "loan", "Diese Ausleihe gibt es nicht.", "no such loan")
	errNoClaim    = refuse(NotFound, "claim", "Diese Forderung gibt es nicht.", "no such claim")
	errNoLine     = refuse(NotFound, "line", "Diese Buchung gibt es nicht (mehr).", "no such bank line")
	errNoAccount  = refuse(NotFound, "reference", "Zu diesem Verwendungszweck gibt es keine Anmeldung.", "no such account")
	errCoordOnly  = refuse(Forbidden, "", "Das darf nur die Koordination der Schulbuchausleihe.", "not the lending coordinator")
	errStaffOnly  = refuse(Forbidden, "", "Das darf nur das Team der Schulbuchausleihe (Sekretariat, Koordination).", "not lending staff")
	errPupilsOnly = refuse(Forbidden, "", "Das geht nur mit dem Konto eines Kindes.", "not a pupil")
)
