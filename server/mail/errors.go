package mail

import "kaspel/server/refusal"

// Kind sorts the refusals of the mail rules, so that the API can answer
// each with its status without knowing the rules.
type Kind = refusal.Kind

// The kinds of refusal.
const (
	// Invalid: the input cannot be sent as it is (an external or unknown
	// address, too many recipients, an empty message).
	Invalid = refusal.Invalid
	// Forbidden: the usage rules do not let this person do it (a pupil
	// writing to another class or to all teachers).
	Forbidden = refusal.Forbidden
	// NotFound: no such message, attachment, upload or inspection for
	// this person.
	NotFound = refusal.NotFound
	// RateLimited: too many messages in the last hour.
	RateLimited = refusal.RateLimited
	// TooLarge: attachments over the limit.
	TooLarge = refusal.TooLarge
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error = refusal.Error

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return refusal.New("mail", kind, field, german, english, args...)
}

// ErrNotFound is the refusal for a message, attachment or upload the
// person does not have; it does not tell whether it exists for others.
var ErrNotFound = refuse(NotFound, "", "Diese Nachricht gibt es nicht (mehr).", "no such message in this mailbox")

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) { return refusal.As(err) }
