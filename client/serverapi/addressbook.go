package serverapi

import (
	"context"
	"net/url"
	"strconv"

	"kaspel/shared/wire"
)

// AddressbookQuery is a search of the address book; zero fields do not
// filter.
type AddressbookQuery struct {
	Text  string // words of the name or login, or a class
	Class string
	Role  string // pupil, teacher, secretary, admin
	Limit int    // 1-200; 0: the server's default (50)
	// Cursor is the Next of the previous page ("" for the first).
	Cursor string
}

// SearchAddressbook returns a page of address book entries.
func (c *Client) SearchAddressbook(ctx context.Context, q AddressbookQuery) (wire.AddressbookPage, error) {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.Text)
	set("class", q.Class)
	set("role", q.Role)
	set("cursor", q.Cursor)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var p wire.AddressbookPage
	err := c.do(ctx, request{method: "GET", path: "/api/v1/addressbook", query: v, out: &p})
	return p, err
}

// AddressbookEntry returns one person's entry.
func (c *Client) AddressbookEntry(ctx context.Context, login string) (wire.AddressbookEntry, error) {
	var e wire.AddressbookEntry
	err := c.do(ctx, request{method: "GET", path: "/api/v1/addressbook/people/" + esc(login), out: &e})
	return e, err
}

// AddressbookProfile returns what the caller added to their own entry and
// who sees it.
func (c *Client) AddressbookProfile(ctx context.Context) (wire.AddressbookProfile, error) {
	var p wire.AddressbookProfile
	err := c.do(ctx, request{method: "GET", path: "/api/v1/addressbook/profile", out: &p})
	return p, err
}

// SetAddressbookProfile replaces the caller's profile (fields not given
// are cleared).
func (c *Client) SetAddressbookProfile(ctx context.Context, fields []wire.AddressbookFieldEdit) (wire.AddressbookProfile, error) {
	if fields == nil {
		fields = []wire.AddressbookFieldEdit{}
	}
	var p wire.AddressbookProfile
	err := c.do(ctx, request{method: "PUT", path: "/api/v1/addressbook/profile",
		json: wire.AddressbookProfileEdit{Fields: fields}, out: &p})
	return p, err
}

// AddressbookAllowances lists the pupils whose entries show more (admins).
func (c *Client) AddressbookAllowances(ctx context.Context) ([]wire.AddressbookAllowance, error) {
	var a wire.AddressbookAllowances
	err := c.do(ctx, request{method: "GET", path: "/api/v1/addressbook/allowances", out: &a})
	return a.Pupils, err
}

// SetAddressbookAllowed allows (or withdraws) the extra fields of a
// pupil's entry (admins).
func (c *Client) SetAddressbookAllowed(ctx context.Context, login string, allowed bool) (wire.AddressbookAllowance, error) {
	method := "PUT"
	if !allowed {
		method = "DELETE"
	}
	var a wire.AddressbookAllowance
	err := c.do(ctx, request{method: method, path: "/api/v1/addressbook/allowances/" + esc(login), out: &a})
	return a, err
}
