package homework

import "kaspel/server/refusal"

// Kind sorts the refusals of the homework rules, so that the API can
// answer each with its status without knowing the rules.
type Kind = refusal.Kind

// The kinds of refusal.
const (
	// Invalid: the input breaks a rule (a due date too soon, no title).
	Invalid = refusal.Invalid
	// Forbidden: the person sees the homework but may not do this
	// (a pupil setting homework, an admin reading hand-ins).
	Forbidden = refusal.Forbidden
	// NotFound: no such homework, file or pupil for this person.
	NotFound = refusal.NotFound
	// Conflict: the state forbids it (a hand-in with feedback is closed,
	// a homework with hand-ins cannot be deleted).
	Conflict = refusal.Conflict
	// TooLarge: a file over wire.MaxUpload.
	TooLarge = refusal.TooLarge
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error = refusal.Error

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return refusal.New("homework", kind, field, german, english, args...)
}

// ErrNotFound is the refusal for a homework the person does not see; it
// does not tell whether it exists for others.
var ErrNotFound = refuse(NotFound, "", "Diese Hausaufgabe gibt es nicht (mehr).", "no such homework for this person")

var errNoFile = refuse(NotFound, "", "Diese Datei gibt es nicht (mehr).", "no such file")

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) { return refusal.As(err) }
