package serverapi

import (
	"bytes"
	"context"
	"net/url"

	"kaspel/shared/wire"
)

// PeopleQuery filters the list of accounts.
type PeopleQuery struct {
	Class, Role string
	All         bool // include leavers
}

// People lists accounts (admins).
func (c *Client) People(ctx context.Context, q PeopleQuery) ([]wire.Person, error) {
	v := url.Values{}
	if q.Class != "" {
		v.Set("class", q.Class)
	}
	if q.Role != "" {
		v.Set("role", q.Role)
	}
	if q.All {
		v.Set("all", "1")
	}
	var p wire.People
	err := c.do(ctx, request{method: "GET", path: "/api/v1/admin/users", query: v, out: &p})
	return p.People, err
}

// AddPerson creates an account and returns its one-time password.
func (c *Client) AddPerson(ctx context.Context, p wire.NewPerson) (wire.OneTimePassword, error) {
	var o wire.OneTimePassword
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/users", json: p, out: &o})
	return o, err
}

// Person returns one account.
func (c *Client) Person(ctx context.Context, login string) (wire.Person, error) {
	var p wire.Person
	err := c.do(ctx, request{method: "GET", path: "/api/v1/admin/users/" + esc(login), out: &p})
	return p, err
}

// EditPerson changes an account.
func (c *Client) EditPerson(ctx context.Context, login string, e wire.PersonEdit) (wire.Person, error) {
	var p wire.Person
	err := c.do(ctx, request{method: "PATCH", path: "/api/v1/admin/users/" + esc(login), json: e, out: &p})
	return p, err
}

// Lock locks an account with a reason.
func (c *Client) Lock(ctx context.Context, login, reason string) (wire.Person, error) {
	var p wire.Person
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/users/" + esc(login) + "/lock", json: wire.Lock{Reason: reason}, out: &p})
	return p, err
}

// Unlock lifts a lock.
func (c *Client) Unlock(ctx context.Context, login string) (wire.Person, error) {
	var p wire.Person
	err := c.do(ctx, request{method: "DELETE", path: "/api/v1/admin/users/" + esc(login) + "/lock", out: &p})
	return p, err
}

// Consent records or revokes a pupil's consent.
func (c *Client) Consent(ctx context.Context, login string, ch wire.ConsentChange) (wire.Person, error) {
	var p wire.Person
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/users/" + esc(login) + "/consent", json: ch, out: &p})
	return p, err
}

// SetRight grants or revokes a right ("protocol").
func (c *Client) SetRight(ctx context.Context, login, right string, grant bool) (wire.Person, error) {
	method := "PUT"
	if !grant {
		method = "DELETE"
	}
	var p wire.Person
	err := c.do(ctx, request{method: method, path: "/api/v1/admin/users/" + esc(login) + "/rights/" + esc(right), out: &p})
	return p, err
}

// Import sends a pupil list (CSV) for a dry run or the real import.
func (c *Client) Import(ctx context.Context, csv []byte, dryRun, force bool) (wire.ImportReport, error) {
	v := url.Values{}
	if dryRun {
		v.Set("dry_run", "1")
	}
	if force {
		v.Set("force", "1")
	}
	var r wire.ImportReport
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/import", query: v, body: bytes.NewReader(csv),
		size: int64(len(csv)), contentType: "text/csv", out: &r})
	return r, err
}

// Promote previews (dryRun) or runs the promotion.
func (c *Client) Promote(ctx context.Context, dryRun, force bool, leavingDate string) (wire.Promotion, error) {
	v := url.Values{}
	if dryRun {
		v.Set("dry_run", "1")
	}
	if force {
		v.Set("force", "1")
	}
	if leavingDate != "" {
		v.Set("leaving_date", leavingDate)
	}
	var p wire.Promotion
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/promotion", query: v, out: &p})
	return p, err
}

// Modules returns the module switches.
func (c *Client) Modules(ctx context.Context) ([]wire.ModuleSwitch, error) {
	var m wire.ModuleSwitches
	err := c.do(ctx, request{method: "GET", path: "/api/v1/admin/modules", out: &m})
	return m.Modules, err
}

// SetModules switches modules on or off.
func (c *Client) SetModules(ctx context.Context, switches []wire.ModuleSwitch) ([]wire.ModuleSwitch, error) {
	var m wire.ModuleSwitches
	err := c.do(ctx, request{method: "PUT", path: "/api/v1/admin/modules", json: wire.ModuleSwitches{Modules: switches}, out: &m})
	return m.Modules, err
}

// ResetPassword gives a person a new one-time password (admins: anyone;
// teachers: pupils of their classes).
func (c *Client) ResetPassword(ctx context.Context, login string) (wire.OneTimePassword, error) {
	var o wire.OneTimePassword
	err := c.do(ctx, request{method: "POST", path: "/api/v1/users/" + esc(login) + "/password-reset", out: &o})
	return o, err
}

// ResetPasswordSlip is ResetPassword with the answer as a printable PDF.
func (c *Client) ResetPasswordSlip(ctx context.Context, login string) ([]byte, error) {
	var pdf []byte
	err := c.do(ctx, request{method: "POST", path: "/api/v1/users/" + esc(login) + "/password-reset",
		query: url.Values{"format": {"pdf"}}, raw: &pdf})
	return pdf, err
}

// ClassPupils lists a class's pupils (teachers: their classes).
func (c *Client) ClassPupils(ctx context.Context, class string) ([]wire.Person, error) {
	var p wire.People
	err := c.do(ctx, request{method: "GET", path: "/api/v1/classes/" + esc(class) + "/pupils", out: &p})
	return p.People, err
}

// ResetClass gives the pupils of a class (all, or those named) new
// one-time passwords (teachers: their classes).
func (c *Client) ResetClass(ctx context.Context, class string, logins []string) ([]wire.OneTimePassword, error) {
	var o wire.OneTimePasswords
	err := c.do(ctx, request{method: "POST", path: "/api/v1/classes/" + esc(class) + "/password-reset", json: wire.ClassReset{Logins: logins}, out: &o})
	return o.Passwords, err
}

// ResetClassSlips is ResetClass with the answer as printable PDF slips.
func (c *Client) ResetClassSlips(ctx context.Context, class string, logins []string) ([]byte, error) {
	var pdf []byte
	err := c.do(ctx, request{method: "POST", path: "/api/v1/classes/" + esc(class) + "/password-reset",
		query: url.Values{"format": {"pdf"}}, json: wire.ClassReset{Logins: logins}, raw: &pdf})
	return pdf, err
}
