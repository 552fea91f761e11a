package pcroom

import (
	"errors"
	"fmt"

	"kaspel/server/store"
)

// Kind sorts the refusals of the PC room's rules, so that the API answers
// each with its status without knowing the rules.
type Kind int

// The kinds of refusal.
const (
	// Invalid: the input is not acceptable as it is.
	Invalid Kind = iota + 1
	// NotFound: no such room, computer or code.
	NotFound
	// Conflict: the state refuses it (a room with computers, a name
	// taken, a computer that takes no commands).
	Conflict
	// KeyRefused: no valid computer key (unknown or revoked).
	KeyRefused
	// CodeUnknown, CodeUsed, CodeExpired: an enrollment code that does
	// not enroll (kept apart so the installer can say which).
	CodeUnknown
	CodeUsed
	CodeExpired
)

// Error is a refusal with a German message for the person at the client
// (an admin or a teacher). Its English text is for the log.
type Error struct {
	Kind   Kind
	German string
	// Field names the input at fault, if one is.
	Field string
	msg   string
}

func (e *Error) Error() string { return "pcroom: " + e.msg }

// Is makes NotFound refusals store.ErrNotFound for errors.Is.
func (e *Error) Is(target error) bool { return e.Kind == NotFound && target == store.ErrNotFound }

func refuse(kind Kind, field, german, english string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, German: german, msg: fmt.Sprintf(english, args...)}
}

// AsError returns the refusal in err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// The refusals that need no argument.
var (
	ErrKeyRefused   = refuse(KeyRefused, "", "Dieser Computer ist nicht (mehr) angemeldet.", "computer key unknown or revoked")
	ErrNoRoom       = refuse(NotFound, "", "Diesen Raum gibt es nicht (mehr).", "no such room")
	ErrNoComputer   = refuse(NotFound, "", "Diesen Computer gibt es nicht (mehr).", "no such computer")
	ErrNoCode       = refuse(NotFound, "", "Diesen Anmeldecode gibt es nicht (mehr).", "no such enrollment code")
	ErrCodeUnknown  = refuse(CodeUnknown, "code", "Diesen Anmeldecode gibt es nicht. Bitte prüfe die Eingabe.", "unknown enrollment code")
	ErrCodeUsed     = refuse(CodeUsed, "code", "Dieser Anmeldecode wurde schon benutzt. Jeder Code meldet nur einen Computer an.", "enrollment code used already")
	ErrCodeExpired  = refuse(CodeExpired, "code", "Dieser Anmeldecode ist abgelaufen oder wurde zurückgezogen.", "enrollment code expired or revoked")
	errNoTargets    = refuse(Conflict, "", "In diesem Raum gibt es keinen PC-Raum-Computer, der Befehle annimmt.", "no commandable computer in the room")
	errEmptyMessage = refuse(Invalid, "text", "Bitte einen Text für die Nachricht eingeben.", "message without text")
)
