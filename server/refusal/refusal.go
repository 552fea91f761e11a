// Package refusal is how the modules say no to a person: a kind that the
// API turns into its status and code (one mapping for every module, in
// server/api), a German message fit for a child, the input at fault, and
// an English text for the log. Each module keeps its own names for the
// kinds it uses (chat.Forbidden is refusal.Forbidden) and its own
// constructor, which puts the module's name in front of the log text.
package refusal

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// Kind sorts the refusals.
type Kind int

// The kinds of refusal.
const (
	// Invalid: the input cannot be taken as it is.
	Invalid Kind = iota + 1
	// Forbidden: the usage rules do not let this person do it.
	Forbidden
	// NotFound: no such thing for this person (whether it exists for
	// others is not told).
	NotFound
	// RateLimited: too much in too short a time.
	RateLimited
	// Conflict: the state refuses it (a name taken, done already).
	Conflict
	// TooLarge: over a size limit (20 MB per file).
	TooLarge
	// QuotaExceeded: the person's storage quota would be exceeded.
	QuotaExceeded
)

// Error is a refusal.
type Error struct {
	Kind   Kind
	German string
	// Field names the input at fault, if one is.
	Field     string
	component string
	msg       string
}

func (e *Error) Error() string { return e.component + ": " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is, so that
// callers that only know the store's sentinel treat them as missing.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

// New makes a refusal of component (the module's name, for the log).
func New(component string, kind Kind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, component: component, msg: fmt.Sprintf(english, args...)}
}

// As returns the refusal in err, if there is one.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
