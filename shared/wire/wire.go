// Package wire holds the types of Kaspel's HTTPS JSON API (/api/v1/) that
// the server writes and the client reads. Both sides import them, so a
// field renamed here is renamed on both ends; the JSON names are the API's
// contract and documented in docs/api.md.
package wire

import "time"

// Error is the one shape of every error answer:
// {"error": {"code": "...", "message": "..."}}. The message is German and
// fit for a child or a secretary; Fields names the input fields at fault.
type Error struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Fields  []string `json:"fields,omitempty"`
}

// ErrorBody wraps an Error.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Error codes. The client keys its own translations on them.
const (
	CodeBadRequest         = "bad_request"
	CodeInvalid            = "invalid"
	CodeUnauthenticated    = "unauthenticated"      // no or expired session
	CodeWrongCredentials   = "wrong_credentials"    // login or password wrong (or throttled)
	CodeAccountLocked      = "account_locked"       // locked, left, consent revoked
	CodeMustChangePassword = "must_change_password" // the session may only change the password
	CodeForbidden          = "forbidden"
	CodeNotFound           = "not_found"
	CodeConflict           = "conflict"
	CodeTooLarge           = "too_large"
	CodeRateLimited        = "rate_limited"
	CodeInternal           = "internal"
)

// Roles, as the API names them.
const (
	RolePupil     = "pupil"
	RoleTeacher   = "teacher"
	RoleSecretary = "secretary"
	RoleAdmin     = "admin"
)

// Modules the school can switch on and off.
const (
	ModuleMail        = "mail"
	ModuleCalendar    = "calendar"
	ModuleAddressbook = "addressbook"
	ModuleLending     = "lending"
	ModuleHomework    = "homework"
	ModuleForum       = "forum"
	ModuleChat        = "chat"
	ModuleFiles       = "files"
)

// AllModules lists the switchable modules in the order the client shows them.
var AllModules = []string{ModuleMail, ModuleCalendar, ModuleAddressbook, ModuleLending, ModuleHomework, ModuleForum, ModuleChat, ModuleFiles}

// MaxUpload is the largest upload or attachment the usage rules allow.
const MaxUpload = 20 << 20

// LoginRequest is POST /api/v1/session.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Computer string `json:"computer,omitempty"`
}

// User is who is logged in.
type User struct {
	Login     string   `json:"login"`
	FirstName string   `json:"first_name"`
	LastName  string   `json:"last_name"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Classes   []string `json:"classes"`
	Mail      string   `json:"mail"`
	Rights    []string `json:"rights,omitempty"`
}

// Session is the answer to a login and to GET /api/v1/session.
type Session struct {
	Token              string    `json:"token,omitempty"` // only in the login answer
	Expires            time.Time `json:"expires"`
	User               User      `json:"user"`
	Modules            []string  `json:"modules"`
	MustChangePassword bool      `json:"must_change_password"`
	School             string    `json:"school"`
}

// PasswordChange is POST /api/v1/password.
type PasswordChange struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// PasswordRule is one rule of the policy with whether a password meets it.
type PasswordRule struct {
	Key     string `json:"key"`
	Message string `json:"message"`
}

// PasswordPolicy is GET /api/v1/password/policy.
type PasswordPolicy struct {
	MinLength int            `json:"min_length"`
	Rules     []PasswordRule `json:"rules"`
}

// OneTimePassword is the answer to a reset: shown once, to print.
type OneTimePassword struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Class    string `json:"class,omitempty"`
	Password string `json:"password"`
}

// Page is the paging envelope of list answers: Next is the cursor of the
// following page ("" on the last page).
type Page struct {
	Next string `json:"next,omitempty"`
}
