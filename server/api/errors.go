package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/refusal"
	"kaspel/server/store"
	"kaspel/shared/wire"
)

// apiError is an answer with a status, a code and a German message.
type apiError struct {
	status int
	code   string
	msg    string
	fields []string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.msg) }

func newError(status int, code, msg string, fields ...string) *apiError {
	return &apiError{status: status, code: code, msg: msg, fields: fields}
}

var (
	errBadRequest      = newError(http.StatusBadRequest, wire.CodeBadRequest, "Die Anfrage ist ungültig.")
	errUnauthenticated = newError(http.StatusUnauthorized, wire.CodeUnauthenticated, "Bitte melde dich (wieder) an.")
	errMustChange      = newError(http.StatusForbidden, wire.CodeMustChangePassword, "Bitte ändere zuerst dein Passwort.")
	errForbidden       = newError(http.StatusForbidden, wire.CodeForbidden, "Das darfst du nicht.")
	errNotFound        = newError(http.StatusNotFound, wire.CodeNotFound, "Das gibt es nicht (mehr).")
	errInternal        = newError(http.StatusInternalServerError, wire.CodeInternal, "Da ist etwas schiefgegangen. Bitte versuche es noch einmal.")
)

func tooLarge(limit int64) *apiError {
	return newError(http.StatusRequestEntityTooLarge, wire.CodeTooLarge,
		fmt.Sprintf("Das ist zu groß: höchstens %d MB sind erlaubt.", (limit+(1<<20)-1)>>20))
}

func invalid(msg string, fields ...string) *apiError {
	return newError(http.StatusBadRequest, wire.CodeInvalid, msg, fields...)
}

// loginError maps a failed login (or a session whose account can no
// longer be used) to an answer a child understands.
func loginError(err error) error {
	switch {
	case errors.Is(err, directory.ErrThrottled):
		return newError(http.StatusTooManyRequests, wire.CodeRateLimited, "Zu viele falsche Versuche. Bitte warte ein paar Minuten.")
	case errors.Is(err, directory.ErrInvalidCredentials):
		return newError(http.StatusUnauthorized, wire.CodeWrongCredentials, "Login oder Passwort stimmt nicht.")
	case errors.Is(err, directory.ErrLocked), errors.Is(err, directory.ErrConsentRevoked):
		return newError(http.StatusForbidden, wire.CodeAccountLocked,
			"Dein Konto ist gesperrt. Wende dich an deine Klassenlehrerin, deinen Klassenlehrer oder das Sekretariat.")
	case errors.Is(err, directory.ErrLeft):
		return newError(http.StatusForbidden, wire.CodeAccountLocked, "Dieses Konto ist nicht mehr aktiv. Wende dich an das Sekretariat.")
	case errors.Is(err, store.ErrNotFound):
		return errUnauthenticated
	}
	return err
}

// refusals are the answers to the modules' refusals, by kind.
var refusals = map[refusal.Kind]struct {
	status int
	code   string
}{
	refusal.Invalid:       {http.StatusBadRequest, wire.CodeInvalid},
	refusal.Forbidden:     {http.StatusForbidden, wire.CodeForbidden},
	refusal.NotFound:      {http.StatusNotFound, wire.CodeNotFound},
	refusal.RateLimited:   {http.StatusTooManyRequests, wire.CodeRateLimited},
	refusal.Conflict:      {http.StatusConflict, wire.CodeConflict},
	refusal.TooLarge:      {http.StatusRequestEntityTooLarge, wire.CodeTooLarge},
	refusal.QuotaExceeded: {http.StatusRequestEntityTooLarge, wire.CodeQuotaExceeded},
}

// mapError turns any error into the answer a person sees.
func mapError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	// A module's refusal, with its German text and the input at fault
	// (before the store's NotFound, which a NotFound refusal also is).
	if r, ok := refusal.As(err); ok {
		if a, ok := refusals[r.Kind]; ok {
			var fields []string
			if r.Field != "" {
				fields = []string{r.Field}
			}
			return newError(a.status, a.code, r.German, fields...)
		}
	}
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		return tooLarge(mb.Limit)
	case errors.Is(err, blobs.ErrTooLarge):
		return tooLarge(wire.MaxUpload)
	case errors.Is(err, directory.ErrInvalid):
		if msg, ok := directory.German(err); ok {
			return invalid(msg)
		}
		return invalid("Die Angaben sind nicht gültig.")
	case errors.Is(err, store.ErrNotFound), errors.Is(err, blobs.ErrNotFound):
		return errNotFound
	case errors.Is(err, directory.ErrNotAllowed):
		return errForbidden
	case errors.Is(err, context.Canceled):
		return newError(499, wire.CodeBadRequest, "Die Anfrage wurde abgebrochen.")
	}
	if msg, ok := directory.German(err); ok {
		return newError(http.StatusConflict, wire.CodeConflict, msg)
	}
	return errInternal
}
