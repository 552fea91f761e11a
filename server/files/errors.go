package files

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// ErrorKind sorts the refusals of the files rules, so that the API can answer
// each with its status without knowing the rules.
type ErrorKind int

// The kinds of refusal.
const (
	// Invalid: the input cannot be taken as it is (an empty name, a move
	// into another tree).
	Invalid ErrorKind = iota + 1
	// Forbidden: the usage rules do not let this person do it (a pupil
	// storing a program, a pupil writing into a class's folder).
	Forbidden
	// NotFound: no such folder or file for this person.
	NotFound
	// TooLarge: over the upload limit of 20 MB.
	TooLarge
	// QuotaExceeded: the person's quota would be exceeded.
	QuotaExceeded
	// Conflict: the state refuses it (the name is taken, a root cannot be
	// deleted).
	Conflict
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error struct {
	Kind   ErrorKind
	German string
	// Field names the input at fault ("name", "file", "folder"), if one is.
	Field string
	msg   string
}

func (e *Error) Error() string { return "files: " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is, so that
// callers that only know the store's sentinel treat them as missing.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

func refuse(kind ErrorKind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, msg: fmt.Sprintf(english, args...)}
}

// The refusals for things a person does not have; they do not tell
// whether the thing exists for others.
var (
	ErrNoFolder = refuse(NotFound, "", "Diesen Ordner gibt es nicht (mehr).", "no such folder for this person")
	ErrNoFile   = refuse(NotFound, "", "Diese Datei gibt es nicht (mehr).", "no such file for this person")
)

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
