package directory

import (
	"fmt"
	"strings"
	"time"
)

// Role is what a person is at the school. Every role is also a group (for
// LDAP applications and Unix primary groups).
type Role string

// The four roles.
const (
	Pupil     Role = "pupil"
	Teacher   Role = "teacher"
	Secretary Role = "secretary"
	Admin     Role = "admin"
)

// Roles lists the roles in a stable order.
var Roles = []Role{Pupil, Teacher, Secretary, Admin}

// ParseRole accepts the English names and the German words an admin may type.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "pupil", "schueler", "schüler", "student":
		return Pupil, nil
	case "teacher", "lehrer", "lehrerin", "lehrkraft":
		return Teacher, nil
	case "secretary", "sekretariat", "sekretaerin", "sekretärin":
		return Secretary, nil
	case "admin", "administrator":
		return Admin, nil
	}
	return "", fmt.Errorf("unknown role %q (use pupil, teacher, secretary or admin)", s)
}

// GroupName is the name of the role's group in the directory (German,
// because people see it in LDAP applications and on the PCs).
func (r Role) GroupName() string {
	switch r {
	case Pupil:
		return "schueler"
	case Teacher:
		return "lehrer"
	case Secretary:
		return "sekretariat"
	case Admin:
		return "admins"
	}
	return ""
}

// German is the role's German name for people.
func (r Role) German() string {
	switch r {
	case Pupil:
		return "Schüler/in"
	case Teacher:
		return "Lehrkraft"
	case Secretary:
		return "Sekretariat"
	case Admin:
		return "Administration"
	}
	return string(r)
}

// Person is an account of a pupil or member of staff.
type Person struct {
	ID                int64
	Login             string
	FirstName         string
	LastName          string
	Role              Role
	UIDNumber         int
	ExternalID        string // the import's stable key (DaNiS ident number)
	PasswordHash      string // argon2id PHC string; empty: no password set
	PasswordChangedAt time.Time
	MustChange        bool
	LockedAt          time.Time
	LockedBy          string
	LockReason        string
	LeavingDate       string // YYYY-MM-DD or empty
	FormerClass       string
	HoldBack          bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Name is "First Last".
func (p *Person) Name() string { return p.FirstName + " " + p.LastName }

// Locked reports whether an admin locked the account.
func (p *Person) Locked() bool { return !p.LockedAt.IsZero() }

// HasLeft reports whether the person's leaving date lies before today.
// People can still log in on their last day.
func (p *Person) HasLeft(now time.Time) bool {
	return p.LeavingDate != "" && p.LeavingDate < now.Format("2006-01-02")
}

// GroupKind tells role groups, classes and other groups apart.
type GroupKind string

// The group kinds.
const (
	KindRole  GroupKind = "role"
	KindClass GroupKind = "class"
	KindGroup GroupKind = "group"
)

// Group is a role group, a class or another group.
type Group struct {
	ID          int64
	Name        string
	Kind        GroupKind
	GIDNumber   int
	Description string
}

// Consent is the parents' consent record of a pupil.
type Consent struct {
	Guardian   string
	SignedOn   string // YYYY-MM-DD
	RevokedOn  string // YYYY-MM-DD or empty
	RecordedBy string
	RecordedAt time.Time
}

// Revoked reports whether the consent was withdrawn.
func (c *Consent) Revoked() bool { return c != nil && c.RevokedOn != "" }

// ServiceAccount is a read-only LDAP account for sssd, nslcd, pGina and
// other LDAP applications.
type ServiceAccount struct {
	ID           int64
	Name         string
	PasswordHash string
	CreatedAt    time.Time
}

// School is the school the directory belongs to.
type School struct {
	Name   string
	Domain string // mail domain, e.g. gsborsum.de
}

// BaseDN is the LDAP naming context derived from the domain
// (gsborsum.de -> dc=gsborsum,dc=de).
func (s School) BaseDN() string {
	parts := strings.Split(s.Domain, ".")
	for i, p := range parts {
		parts[i] = "dc=" + p
	}
	return strings.Join(parts, ",")
}

// Mail is a person's school mail address.
func (s School) Mail(login string) string { return login + "@" + s.Domain }

// Actor is who does an admin action, for the protocol.
type Actor struct {
	Name    string // a login, or "cli:USER" for the command line
	Source  string // remote address where there is one
	Service string // cli, api, ldap
}
