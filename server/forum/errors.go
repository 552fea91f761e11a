package forum

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// Kind sorts the refusals of the forum rules, so that the API can answer
// each with its status without knowing the rules.
type Kind int

// The kinds of refusal.
const (
	// Invalid: the input breaks a rule (an empty post, no reason).
	Invalid Kind = iota + 1
	// Forbidden: the person reads the forum but may not do this (delete
	// a post in a forum they do not moderate).
	Forbidden
	// NotFound: no such forum, topic or post for this person.
	NotFound
	// RateLimited: too many posts in the last hour.
	RateLimited
	// Conflict: the state forbids it (a school forum that still has
	// topics cannot be deleted).
	Conflict
)

// Error is a refusal with a German message fit for a child. Its English
// text is for the log.
type Error struct {
	Kind   Kind
	German string
	// Field names the input at fault ("text", "reason"), if one is.
	Field string
	msg   string
}

func (e *Error) Error() string { return "forum: " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, msg: fmt.Sprintf(english, args...)}
}

// The refusals for what a person cannot read; they do not tell whether
// it exists for others.
var (
	ErrNoForum = refuse(NotFound, "", "Dieses Forum gibt es nicht (mehr).", "no such forum for this person")
	ErrNoTopic = refuse(NotFound, "", "Dieses Thema gibt es nicht (mehr).", "no such topic for this person")
	ErrNoPost  = refuse(NotFound, "", "Diesen Beitrag gibt es nicht (mehr).", "no such post for this person")
)

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
