package homework

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// Kind sorts the refusals of the homework rules, so that the API can
// answer each with its status without knowing the rules.
type Kind int

// The kinds of refusal.
const (
	// Invalid: the input breaks a rule (a due date too soon, no title).
	Invalid Kind = iota + 1
	// Forbidden: the person sees the homework but may not do this
	// (a pupil setting homework, an admin reading hand-ins).
	Forbidden
	// NotFound: no such homework, file or pupil for this person.
	NotFound
	// Conflict: the state forbids it (a hand-in with feedback is closed,
	// a homework with hand-ins cannot be deleted).
	Conflict
	// TooLarge: a file over wire.MaxUpload.
	TooLarge
)

// Error is a refusal with a German message fit for a child or a parent.
// Its English text is for the log.
type Error struct {
	Kind   Kind
	German string
	// Field names the input at fault ("due", "title"), if one is.
	Field string
	msg   string
}

func (e *Error) Error() string { return "homework: " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, msg: fmt.Sprintf(english, args...)}
}

// ErrNotFound is the refusal for a homework the person does not see; it
// does not tell whether it exists for others.
var ErrNotFound = refuse(NotFound, "", "Diese Hausaufgabe gibt es nicht (mehr).", "no such homework for this person")

var errNoFile = refuse(NotFound, "", "Diese Datei gibt es nicht (mehr).", "no such file")

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
