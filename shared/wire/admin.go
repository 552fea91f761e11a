package wire

import "time"

// Person is an account as the admin screens show it.
type Person struct {
	Login       string    `json:"login"`
	FirstName   string    `json:"first_name"`
	LastName    string    `json:"last_name"`
	Role        string    `json:"role"`
	Classes     []string  `json:"classes"`
	Mail        string    `json:"mail"`
	ExternalID  string    `json:"external_id,omitempty"`
	MustChange  bool      `json:"must_change_password"`
	Locked      bool      `json:"locked"`
	LockReason  string    `json:"lock_reason,omitempty"`
	LockedBy    string    `json:"locked_by,omitempty"`
	LockedAt    time.Time `json:"locked_at,omitempty"`
	LeavingDate string    `json:"leaving_date,omitempty"`
	HoldBack    bool      `json:"hold_back,omitempty"`
	Consent     *Consent  `json:"consent,omitempty"`
	Rights      []string  `json:"rights,omitempty"`
}

// Consent is a pupil's consent record.
type Consent struct {
	Guardian  string `json:"guardian"`
	SignedOn  string `json:"signed_on"`
	RevokedOn string `json:"revoked_on,omitempty"`
}

// People is GET /api/v1/admin/users.
type People struct {
	People []Person `json:"people"`
}

// NewPerson is POST /api/v1/admin/users.
type NewPerson struct {
	FirstName  string   `json:"first_name"`
	LastName   string   `json:"last_name"`
	Role       string   `json:"role"`
	Classes    []string `json:"classes,omitempty"`
	ExternalID string   `json:"external_id,omitempty"`
}

// PersonEdit is PATCH /api/v1/admin/users/{login}; nil fields stay.
type PersonEdit struct {
	FirstName   *string   `json:"first_name,omitempty"`
	LastName    *string   `json:"last_name,omitempty"`
	Role        *string   `json:"role,omitempty"`
	Classes     *[]string `json:"classes,omitempty"`
	ExternalID  *string   `json:"external_id,omitempty"`
	LeavingDate *string   `json:"leaving_date,omitempty"` // "" clears
	HoldBack    *bool     `json:"hold_back,omitempty"`
}

// Lock is POST /api/v1/admin/users/{login}/lock.
type Lock struct {
	Reason string `json:"reason"`
}

// ConsentChange is POST /api/v1/admin/users/{login}/consent: either a
// signature (guardian + signed_on) or a revocation (revoked_on).
type ConsentChange struct {
	Guardian  string `json:"guardian,omitempty"`
	SignedOn  string `json:"signed_on,omitempty"`
	RevokedOn string `json:"revoked_on,omitempty"`
}

// Group is a class, role or other group.
type Group struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"` // role, class, group
	Description string `json:"description,omitempty"`
	Members     int    `json:"members"`
}

// Groups is GET /api/v1/groups.
type Groups struct {
	Groups []Group `json:"groups"`
}

// ImportReport is the answer of POST /api/v1/admin/import (a CSV body).
type ImportReport struct {
	DryRun    bool              `json:"dry_run"`
	Format    string            `json:"format"`
	Encoding  string            `json:"encoding"`
	Rows      int               `json:"rows"`
	New       []OneTimePassword `json:"new"` // passwords empty in a dry run
	Changed   []ImportChange    `json:"changed"`
	Leaving   []Person          `json:"leaving"`
	Unchanged int               `json:"unchanged"`
	Partial   bool              `json:"partial"`
	Outdated  bool              `json:"outdated"`
}

// ImportChange is a known pupil the import changes.
type ImportChange struct {
	Login string   `json:"login"`
	What  []string `json:"what"`
}

// Promotion is the answer of POST /api/v1/admin/promotion.
type Promotion struct {
	DryRun   bool   `json:"dry_run"`
	Promoted []Move `json:"promoted"`
	HeldBack []Move `json:"held_back"`
	Leavers  []Move `json:"leavers"`
	Skipped  []Move `json:"skipped"`
}

// Move is one pupil's promotion.
type Move struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	From  string `json:"from"`
	To    string `json:"to,omitempty"`
}

// ModuleSwitch is one module and whether it is on.
type ModuleSwitch struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
}

// ModuleSwitches is GET/PUT /api/v1/admin/modules.
type ModuleSwitches struct {
	Modules []ModuleSwitch `json:"modules"`
}

// ProtocolEntry is a line of the protocol.
type ProtocolEntry struct {
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Target   string    `json:"target,omitempty"`
	Success  bool      `json:"success"`
	Source   string    `json:"source,omitempty"`
	Service  string    `json:"service,omitempty"`
	Computer string    `json:"computer,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// Protocol is GET /api/v1/protocol.
type Protocol struct {
	Entries []ProtocolEntry `json:"entries"`
}

// ClassReset is POST /api/v1/classes/{class}/password-reset: new one-time
// passwords for the named pupils of the class, or all when Logins is empty.
type ClassReset struct {
	Logins []string `json:"logins,omitempty"`
}

// OneTimePasswords is the answer of a class reset.
type OneTimePasswords struct {
	Passwords []OneTimePassword `json:"passwords"`
}
