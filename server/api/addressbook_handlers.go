package api

import (
	"errors"
	"strconv"

	"kaspel/server/addressbook"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

func init() {
	modules = append(modules, module{name: wire.ModuleAddressbook, migrations: addressbook.Migrations, register: func(s *Server) error {
		a := &addressbookAPI{book: addressbook.New(s.Dir)}
		all := Access{Module: wire.ModuleAddressbook}
		adm := Access{Module: wire.ModuleAddressbook, Roles: admins}
		s.handle("GET", "/api/v1/addressbook", all, a.search)
		s.handle("GET", "/api/v1/addressbook/people/{login}", all, a.entry)
		s.handle("GET", "/api/v1/addressbook/profile", all, a.profile)
		s.handle("PUT", "/api/v1/addressbook/profile", all, a.setProfile)
		s.handle("GET", "/api/v1/addressbook/allowances", adm, a.allowances)
		s.handle("PUT", "/api/v1/addressbook/allowances/{login}", adm, a.allow)
		s.handle("DELETE", "/api/v1/addressbook/allowances/{login}", adm, a.deny)
		return nil
	}})
}

// addressbookAPI is the address book's part of the API.
type addressbookAPI struct {
	book *addressbook.Service
}

// addressbookError turns the module's input errors into answers with
// their German message; everything else goes through mapError.
func addressbookError(err error) error {
	var ie *addressbook.InputError
	if errors.As(err, &ie) {
		if ie.Field == "" {
			return invalid(ie.German)
		}
		return invalid(ie.German, ie.Field)
	}
	return err
}

// search lists entries: ?q= (name or login words, or a class), class=,
// role=, limit= (1-200, default 50) and cursor= (from the previous page's
// next).
func (a *addressbookAPI) search(c *call) error {
	q := addressbook.Query{Text: c.query("q"), Class: c.query("class")}
	if r := c.query("role"); r != "" {
		role, err := directory.ParseRole(r)
		if err != nil {
			return invalid("Diese Rolle gibt es nicht.", "role")
		}
		q.Role = role
	}
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > addressbook.MaxLimit {
			return invalid("Die Anzahl muss zwischen 1 und 200 liegen.", "limit")
		}
		q.Limit = n
	}
	if v := c.query("cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return invalid("Die Seitenangabe ist ungültig.", "cursor")
		}
		q.Offset = n
	}
	page, err := a.book.Search(c.ctx, c.me, q)
	if err != nil {
		return addressbookError(err)
	}
	out := wire.AddressbookPage{Entries: make([]wire.AddressbookEntry, 0, len(page.Entries)), Total: page.Total}
	for _, e := range page.Entries {
		out.Entries = append(out.Entries, wireEntry(e))
	}
	if page.Next > 0 {
		out.Next = strconv.Itoa(page.Next)
	}
	return c.ok(out)
}

func wireEntry(e addressbook.Entry) wire.AddressbookEntry {
	out := wire.AddressbookEntry{Login: e.Login, FirstName: e.FirstName, LastName: e.LastName, Name: e.Name(),
		Role: string(e.Role), RoleLabel: e.Role.German(), Classes: e.Classes, Mail: e.Mail,
		Extras: make([]wire.AddressbookExtra, 0, len(e.Extras))}
	if out.Classes == nil {
		out.Classes = []string{}
	}
	for _, x := range e.Extras {
		out.Extras = append(out.Extras, wire.AddressbookExtra{Key: x.Key, Label: x.Label, Value: x.Value})
	}
	return out
}

func (a *addressbookAPI) entry(c *call) error {
	e, err := a.book.Entry(c.ctx, c.me, c.r.PathValue("login"))
	if err != nil {
		return addressbookError(err)
	}
	return c.ok(wireEntry(e))
}

func wireProfile(p addressbook.Profile) wire.AddressbookProfile {
	out := wire.AddressbookProfile{Fields: make([]wire.AddressbookField, 0, len(p.Fields)),
		NeedsAllowance: p.NeedsAllowance, Allowed: p.Allowed}
	for _, f := range p.Fields {
		out.Fields = append(out.Fields, wire.AddressbookField{Key: f.Key, Label: f.Label, Value: f.Value, Visibility: string(f.Visibility)})
	}
	return out
}

func (a *addressbookAPI) profile(c *call) error {
	p, err := a.book.Profile(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.ok(wireProfile(p))
}

func (a *addressbookAPI) setProfile(c *call) error {
	var req wire.AddressbookProfileEdit
	if err := c.decode(&req); err != nil {
		return err
	}
	in := make([]addressbook.FieldInput, len(req.Fields))
	for i, f := range req.Fields {
		in[i] = addressbook.FieldInput{Key: f.Key, Value: f.Value, Visibility: f.Visibility}
	}
	p, err := a.book.SetProfile(c.ctx, c.me, in)
	if err != nil {
		return addressbookError(err)
	}
	return c.ok(wireProfile(p))
}

func wireAllowance(al addressbook.Allowance) wire.AddressbookAllowance {
	classes := al.Classes
	if classes == nil {
		classes = []string{}
	}
	return wire.AddressbookAllowance{Login: al.Login, Name: al.FirstName + " " + al.LastName, Classes: classes,
		Allowed: al.Allowed, DecidedBy: al.DecidedBy, DecidedAt: al.DecidedAt}
}

func (a *addressbookAPI) allowances(c *call) error {
	list, err := a.book.Allowed(c.ctx)
	if err != nil {
		return err
	}
	out := wire.AddressbookAllowances{Pupils: make([]wire.AddressbookAllowance, 0, len(list))}
	for _, al := range list {
		out.Pupils = append(out.Pupils, wireAllowance(al))
	}
	return c.ok(out)
}

func (a *addressbookAPI) allow(c *call) error { return a.decide(c, true) }
func (a *addressbookAPI) deny(c *call) error  { return a.decide(c, false) }

// decide records an admin's decision about a pupil's entry; it goes to
// the protocol.
func (a *addressbookAPI) decide(c *call, allowed bool) error {
	al, err := a.book.SetAllowed(c.ctx, c.actor, c.r.PathValue("login"), allowed)
	if err != nil {
		return addressbookError(err)
	}
	return c.ok(wireAllowance(al))
}
