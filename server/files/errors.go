package files

import "kaspel/server/refusal"

// ErrorKind sorts the refusals of the files rules, so that the API can answer
// each with its status without knowing the rules.
type ErrorKind = refusal.Kind

// The kinds of refusal.
const (
	// Invalid: the input cannot be taken as it is (an empty name, a move
	// into another tree).
	Invalid = refusal.Invalid
	// Forbidden: the usage rules do not let this person do it (a pupil
	// storing a program, a pupil writing into a class's folder).
	Forbidden = refusal.Forbidden
	// NotFound: no such folder or file for this person.
	NotFound = refusal.NotFound
	// TooLarge: over the upload limit of 20 MB.
	TooLarge = refusal.TooLarge
	// QuotaExceeded: the person's quota would be exceeded.
	QuotaExceeded = refusal.QuotaExceeded
	// Conflict: the state refuses it (the name is taken, a root cannot be
	// deleted).
	Conflict = refusal.Conflict
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error = refusal.Error

func refuse(kind ErrorKind, field, german, english string, args ...any) *Error {
	return refusal.New("files", kind, field, german, english, args...)
}

// The refusals for things a person does not have; they do not tell
// whether the thing exists for others.
var (
	ErrNoFolder = refuse(NotFound, "", "Diesen Ordner gibt es nicht (mehr).", "no such folder for this person")
	ErrNoFile   = refuse(NotFound, "", "Diese Datei gibt es nicht (mehr).", "no such file for this person")
)

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) { return refusal.As(err) }
