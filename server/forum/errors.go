package forum

import "kaspel/server/refusal"

// Kind sorts the refusals of the forum rules, so that the API can answer
// each with its status without knowing the rules.
type Kind = refusal.Kind

// The kinds of refusal.
const (
	// Invalid: the input breaks a rule (an empty post, no reason).
	Invalid = refusal.Invalid
	// Forbidden: the person reads the forum but may not do this (delete
	// a post in a forum they do not moderate).
	Forbidden = refusal.Forbidden
	// NotFound: no such forum, topic or post for this person.
	NotFound = refusal.NotFound
	// RateLimited: too many posts in the last hour.
	RateLimited = refusal.RateLimited
	// Conflict: the state forbids it (a school forum that still has
	// topics cannot be deleted).
	Conflict = refusal.Conflict
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error = refusal.Error

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return refusal.New("forum", kind, field, german, english, args...)
}

// The refusals for what a person cannot read; they do not tell whether
// it exists for others.
var (
	ErrNoForum = refuse(NotFound, "", "Dieses Forum gibt es nicht (mehr).", "no such forum for this person")
	ErrNoTopic = refuse(NotFound, "", "Dieses Thema gibt es nicht (mehr).", "no such topic for this person")
	ErrNoPost  = refuse(NotFound, "", "Diesen Beitrag gibt es nicht (mehr).", "no such post for this person")
)

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) { return refusal.As(err) }
