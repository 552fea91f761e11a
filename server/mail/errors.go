package mail

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// Kind sorts the refusals of the mail rules, so that the API can answer
// each with its status without knowing the rules.
type Kind int

// The kinds of refusal.
const (
	// Invalid: the input cannot be sent as it is (an external or unknown
	// address, too many recipients, an empty message).
	Invalid Kind = iota + 1
	// Forbidden: the usage rules do not let this person do it (a pupil
	// writing to another class or to all teachers).
	Forbidden
	// NotFound: no such message, attachment, upload or inspection for
	// this person.
	NotFound
	// RateLimited: too many messages in the last hour.
	RateLimited
	// TooLarge: attachments over the limit.
	TooLarge
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error struct {
	Kind   Kind
	German string
	// Field names the input at fault ("to", "attachments", "reason"), if
	// one is.
	Field string
	msg   string
}

func (e *Error) Error() string { return "mail: " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is, so that
// callers that only know the store's sentinel treat them as missing.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, msg: fmt.Sprintf(english, args...)}
}

// ErrNotFound is the refusal for a message, attachment or upload the
// person does not have; it does not tell whether it exists for others.
var ErrNotFound = refuse(NotFound, "", "Diese Nachricht gibt es nicht (mehr).", "no such message in this mailbox")

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
