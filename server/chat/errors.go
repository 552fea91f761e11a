package chat

import "kaspel/server/refusal"

// Kind sorts the refusals of the chat rules, so that the API can answer
// each with its status without knowing the rules.
type Kind = refusal.Kind

// The kinds of refusal.
const (
	// Invalid: the input cannot be taken as it is (an empty message, an
	// unknown reason, a note too long).
	Invalid = refusal.Invalid
	// Forbidden: the usage rules do not let this person do it (a pupil
	// writing to another class, deleting someone else's message).
	Forbidden = refusal.Forbidden
	// NotFound: no such room, message or report for this person.
	NotFound = refusal.NotFound
	// RateLimited: too many messages in the last minute or hour, a chain
	// letter, or too many live-update requests waiting.
	RateLimited = refusal.RateLimited
	// Conflict: the state refuses it (reported twice, a closed report).
	Conflict = refusal.Conflict
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error = refusal.Error

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return refusal.New("chat", kind, field, german, english, args...)
}

// The refusals for things a person does not have; they do not tell
// whether the thing exists for others.
var (
	ErrNoRoom    = refuse(NotFound, "", "Diesen Chatraum gibt es nicht (mehr).", "no such room for this person")
	ErrNoMessage = refuse(NotFound, "", "Diese Nachricht gibt es nicht (mehr).", "no such message for this person")
	ErrNoReport  = refuse(NotFound, "", "Diese Meldung gibt es nicht.", "no such report")
)

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) { return refusal.As(err) }
