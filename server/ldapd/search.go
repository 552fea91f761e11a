package ldapd

import (
	"context"
	"crypto/rand"
	"errors"
	"sort"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// Search scopes.
const (
	scopeBase = 0
	scopeOne  = 1
	scopeSub  = 2
)

// searchReq is a parsed SearchRequest.
type searchReq struct {
	base      string
	scope     int
	sizeLimit int
	typesOnly bool
	filter    *filter
	sel       selection
	key       string // identifies the request for paging cookies
}

// selection is the attribute list of a search.
type selection struct {
	all, ops bool
	names    map[*attrType]bool
}

func (s selection) includes(t *attrType) bool {
	if s.names[t] {
		return true
	}
	if t.operational {
		return s.ops
	}
	return s.all
}

func parseSelection(list *node) selection {
	s := selection{names: map[*attrType]bool{}}
	if list == nil || len(list.Children) == 0 {
		s.all = true
		return s
	}
	for _, a := range list.Children {
		switch n := str(a); n {
		case "*":
			s.all = true
		case "+":
			s.ops = true
		case "1.1":
		default:
			if t := lookupAttr(n); t != nil {
				s.names[t] = true
			}
		}
	}
	return s
}

func isRootDSESearch(op *node) bool {
	base := child(op, 0)
	scope, err := integer(child(op, 1))
	return base != nil && str(base) == "" && err == nil && scope == scopeBase
}

func parseSearch(op *node) (*searchReq, error) {
	if len(op.Children) < 8 {
		return nil, errMalformed
	}
	scope, err := integer(op.Children[1])
	if err != nil || scope < 0 || scope > 3 {
		return nil, errMalformed
	}
	if scope == 3 { // subordinate subtree: the subtree without its base
		scope = 4
	}
	size, err := integer(op.Children[3])
	if err != nil || size < 0 {
		return nil, errMalformed
	}
	typesOnly, err := boolean(op.Children[5])
	if err != nil {
		return nil, errMalformed
	}
	f, err := compileFilter(op.Children[6], 0)
	if err != nil {
		return nil, err
	}
	req := &searchReq{
		base: str(op.Children[0]), scope: int(scope), sizeLimit: int(size), typesOnly: typesOnly,
		filter: f, sel: parseSelection(op.Children[7]),
	}
	// The paging key: everything but the size limit and controls.
	var k strings.Builder
	k.WriteString(req.base)
	k.WriteByte(0)
	k.WriteByte(byte(req.scope))
	k.Write(op.Children[6].Bytes())
	k.Write(op.Children[7].Bytes())
	req.key = k.String()
	return req, nil
}

const scopeSubordinate = 4

// ref points at an entry to be loaded.
type ref struct {
	k  kind
	id int64
}

// pagedSearch is the rest of a paged search between pages (RFC 2696).
type pagedSearch struct {
	key  string
	refs []ref
}

const maxPagedSearches = 16

// search answers a SearchRequest.
func (c *conn) search(ctx context.Context, id int64, op *node, ctrls []control) {
	const done = ldap.ApplicationSearchResultDone
	req, err := parseSearch(op)
	if err != nil {
		c.result(id, done, ldap.LDAPResultProtocolError, "", "malformed search request")
		return
	}
	v, err := c.srv.dir.View(ctx)
	if err != nil {
		c.srv.log.Error("ldap: open view", "err", err)
		c.result(id, done, ldap.LDAPResultOther, "", "internal error")
		return
	}
	defer v.Close()
	t, err := c.srv.newTree(v)
	if err != nil {
		c.srv.log.Error("ldap: read school", "err", err)
		c.result(id, done, ldap.LDAPResultOther, "", "internal error")
		return
	}
	// A bound service account is read again only when the generation
	// (raised when one is removed) moved since it was last found.
	// Through the view: the view holds a read connection, and asking the
	// pool for another while holding one can wait forever under load.
	if p := c.principal; p != nil && p.Kind == directory.ServicePrincipal && c.checkedGen != t.gen {
		if _, err := v.ServiceAccount(p.Name); err != nil {
			c.srv.log.Info("ldap: bound service account no longer there", "who", p.Name, "remote", c.remote, "err", err)
			c.principal, c.bindDN, c.checkedGen = nil, "", 0
			c.result(id, done, ldap.LDAPResultInsufficientAccessRights, "", "the account can no longer be used")
			return
		}
		c.checkedGen = t.gen
	}

	if req.base == "" && req.scope == scopeBase {
		e := t.rootDSE()
		if req.filter.eval(e) == isTrue {
			// The root DSE's attributes are operational; "*" (or no list)
			// shows them all here, as clients expect.
			sel := req.sel
			sel.ops = sel.ops || sel.all
			c.writeEntry(e, sel, req.typesOnly)
		}
		c.result(id, done, ldap.LDAPResultSuccess, "", "")
		return
	}
	if c.principal == nil {
		c.result(id, done, ldap.LDAPResultInsufficientAccessRights, "", "bind required")
		return
	}
	if req.base == "" {
		// Nothing lies below the root DSE except our naming context,
		// which a client finds in namingContexts.
		c.result(id, done, ldap.LDAPResultSuccess, "", "")
		return
	}

	s := &searcher{c: c, v: v, t: t, req: req}
	if err := s.access(); err != nil {
		c.srv.log.Error("ldap: search", "err", err)
		c.result(id, done, ldap.LDAPResultOther, "", "internal error")
		return
	}

	var refs []ref
	pagingCtl := findControl(ctrls, oidPaging)
	pageSize := 0
	var cookie []byte
	if pagingCtl != nil {
		pageSize, cookie, err = parsePaging(pagingCtl.value)
		if err != nil {
			c.result(id, done, ldap.LDAPResultProtocolError, "", "malformed paging control")
			return
		}
	}
	if len(cookie) > 0 {
		ps, ok := c.pages[string(cookie)]
		delete(c.pages, string(cookie))
		if !ok || ps.key != req.key {
			c.result(id, done, ldap.LDAPResultUnwillingToPerform, "", "unknown or mismatched paging cookie")
			return
		}
		if pageSize == 0 { // the client abandons the paged search
			c.result(id, done, ldap.LDAPResultSuccess, "", "", pagingResponse(nil))
			return
		}
		refs = ps.refs
	} else {
		var code int
		var matched string
		refs, code, matched, err = s.candidates()
		if err != nil {
			c.srv.log.Error("ldap: search", "err", err)
			c.result(id, done, ldap.LDAPResultOther, "", "internal error")
			return
		}
		if code != ldap.LDAPResultSuccess {
			c.result(id, done, code, matched, "")
			return
		}
		if pagingCtl != nil && pageSize == 0 {
			c.result(id, done, ldap.LDAPResultSuccess, "", "", pagingResponse(nil))
			return
		}
	}

	limit := c.srv.cfg.SizeLimit
	if pagingCtl != nil {
		if pageSize < limit {
			limit = pageSize
		}
	} else if req.sizeLimit > 0 && req.sizeLimit < limit {
		limit = req.sizeLimit
	}
	rest, err := s.emit(refs, limit)
	if err != nil {
		c.srv.log.Error("ldap: search", "err", err)
		c.result(id, done, ldap.LDAPResultOther, "", "internal error")
		return
	}
	if pagingCtl != nil {
		var next []byte
		if len(rest) > 0 {
			next = make([]byte, 16)
			rand.Read(next)
			if c.pages == nil {
				c.pages = map[string]*pagedSearch{}
			}
			if len(c.pages) >= maxPagedSearches {
				for k := range c.pages { // forget an old one
					delete(c.pages, k)
					break
				}
			}
			c.pages[string(next)] = &pagedSearch{key: req.key, refs: rest}
		}
		c.result(id, done, ldap.LDAPResultSuccess, "", "", pagingResponse(next))
		return
	}
	if len(rest) > 0 {
		c.result(id, done, ldap.LDAPResultSizeLimitExceeded, "", "")
		return
	}
	c.result(id, done, ldap.LDAPResultSuccess, "", "")
}

func parsePaging(value []byte) (int, []byte, error) {
	p, err := decodeNode(value)
	if err != nil || len(p.Children) != 2 {
		return 0, nil, errMalformed
	}
	size, err := integer(p.Children[0])
	if err != nil || size < 0 {
		return 0, nil, errMalformed
	}
	return int(size), content(p.Children[1]), nil
}

func pagingResponse(cookie []byte) respControl {
	var v builder
	v.begin(tagSequence)
	v.integer(tagInteger, 0) // size estimate unknown
	v.bytes(tagOctetString, cookie)
	v.end()
	return respControl{oid: oidPaging, value: v.buf}
}

// searcher runs one search.
type searcher struct {
	c   *conn
	v   *directory.View
	t   *tree
	req *searchReq

	seeAll   bool                        // service accounts and admins read everything
	myGroups map[int64]bool              // groups the bound person is in
	needMem  bool                        // member attributes are needed
	known    map[int64]directory.Account // people already read while planning
}

// access works out what the bound principal may read: service accounts
// and admins the whole directory; everybody else their own entry, the
// structural entries and the groups they belong to (enough for nslcd's
// base search on the own DN and pGina's group check as the user).
func (s *searcher) access() error {
	p := s.c.principal
	s.seeAll = p.Kind == directory.ServicePrincipal || p.Role == directory.Admin
	if !s.seeAll {
		s.myGroups = map[int64]bool{}
		person, err := s.v.Person(p.Name)
		if err != nil {
			return err
		}
		ids, err := s.v.GroupIDsOf([]directory.Person{person})
		if err != nil {
			return err
		}
		for _, id := range ids[person.ID] {
			s.myGroups[id] = true
		}
	}
	memberUID, member := lookupAttr("memberUid"), lookupAttr("member")
	need := map[*attrType]bool{}
	s.req.filter.attrs(need)
	s.needMem = need[memberUID] || need[member] || s.req.sel.includes(memberUID) || s.req.sel.includes(member)
	return nil
}

func (s *searcher) visible(e *entry) bool { return s.mayRead(e.kind, e.id) }

// mayRead tells whether the principal may read the entry of kind and id.
func (s *searcher) mayRead(k kind, id int64) bool {
	if s.seeAll {
		return true
	}
	p := s.c.principal
	switch k {
	case kindStructural, kindRootDSE:
		return true
	case kindPerson:
		return p.Kind == directory.PersonPrincipal && id == p.ID
	case kindGroup:
		return s.myGroups[id]
	case kindService:
		return p.Kind == directory.ServicePrincipal && id == p.ID
	}
	return false
}

// kindOfOU maps the index of an ou entry (see structural) to the kind of
// the entries below it.
var kindOfOU = map[int64]kind{1: kindPerson, 2: kindGroup, 3: kindService}

// candidates resolves the base and scope and narrows the entries to look
// at with the filter's indexed equality assertions (uid, uidNumber,
// gidNumber, mail, memberUid, member, cn, objectClass), so that a login's
// searches never scan the whole directory.
func (s *searcher) candidates() ([]ref, int, string, error) {
	nbase, ok := normalizeDN(s.req.base)
	if !ok {
		return nil, ldap.LDAPResultInvalidDNSyntax, "", nil
	}
	t := s.t
	if nbase != t.nbase && !strings.HasSuffix(nbase, ","+t.nbase) {
		return nil, ldap.LDAPResultNoSuchObject, "", nil
	}
	rel := strings.TrimSuffix(strings.TrimSuffix(nbase, t.nbase), ",")
	parts := splitRDNs(rel) // from the top: ["ou=people", "uid=x"]
	scope := s.req.scope

	// Which kinds (and, for a base on one entry, which id) are in scope.
	type span struct {
		on     bool
		single int64 // a single entry, when > 0
	}
	var people, groups, services span
	var structural []ref
	includeSelf := scope == scopeBase || scope == scopeSub
	below := scope != scopeBase
	switch len(parts) {
	case 0: // the naming context
		if includeSelf {
			structural = append(structural, ref{kindStructural, 0})
		}
		if below {
			structural = append(structural, ref{kindStructural, 1}, ref{kindStructural, 2}, ref{kindStructural, 3})
		}
		if scope == scopeSub || scope == scopeSubordinate {
			people.on, groups.on, services.on = true, true, true
		}
	case 1, 2:
		var idx int64
		var sp *span
		switch parts[0] {
		case "ou=" + ouPeople:
			idx, sp = 1, &people
		case "ou=" + ouGroups:
			idx, sp = 2, &groups
		case "ou=" + ouServices:
			idx, sp = 3, &services
		default:
			return nil, ldap.LDAPResultNoSuchObject, t.base, nil
		}
		if len(parts) == 1 {
			if includeSelf {
				structural = append(structural, ref{kindStructural, idx})
			}
			sp.on = below
			break
		}
		id, err := s.lookupRDN(idx, parts[1])
		if err != nil {
			return nil, 0, "", err
		}
		// An entry the principal may not read does not exist for them:
		// "noSuchObject" rather than an empty answer, which would tell a
		// pupil which logins exist.
		if id == 0 || !s.mayRead(kindOfOU[idx], id) {
			return nil, ldap.LDAPResultNoSuchObject, t.ouDN(strings.TrimPrefix(parts[0], "ou=")), nil
		}
		if includeSelf {
			sp.on, sp.single = true, id
		}
	default:
		return nil, ldap.LDAPResultNoSuchObject, "", nil
	}

	pl, err := s.plan(s.req.filter)
	if err != nil {
		return nil, 0, "", err
	}
	refs := structural
	add := func(sp span, set idset, k kind, all func() ([]int64, error)) error {
		if !sp.on {
			return nil
		}
		if sp.single > 0 {
			if set == nil || set.has(sp.single) {
				refs = append(refs, ref{k, sp.single})
			}
			return nil
		}
		var ids []int64
		if set != nil {
			ids = set.sorted()
		} else {
			var err error
			if ids, err = all(); err != nil {
				return err
			}
		}
		for _, id := range ids {
			refs = append(refs, ref{k, id})
		}
		return nil
	}
	if err := add(people, pl.people, kindPerson, s.v.AllPeopleIDs); err != nil {
		return nil, 0, "", err
	}
	if err := add(groups, pl.groups, kindGroup, s.allGroupIDs); err != nil {
		return nil, 0, "", err
	}
	if err := add(services, pl.services, kindService, s.allServiceIDs); err != nil {
		return nil, 0, "", err
	}
	return refs, ldap.LDAPResultSuccess, "", nil
}

// splitRDNs splits a normalised relative DN into RDNs from the top.
func splitRDNs(rel string) []string {
	if rel == "" {
		return nil
	}
	var parts []string
	start := 0
	for i := 0; i < len(rel); i++ {
		switch rel[i] {
		case '\\':
			i++
		case ',':
			parts = append(parts, rel[start:i])
			start = i + 1
		}
	}
	parts = append(parts, rel[start:])
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return parts
}

func unescapeRDNValue(rdn, attr string) (string, bool) {
	if !strings.HasPrefix(rdn, attr+"=") {
		return "", false
	}
	dn, err := ldap.ParseDN(rdn)
	if err != nil || len(dn.RDNs) != 1 || len(dn.RDNs[0].Attributes) != 1 {
		return "", false
	}
	return dn.RDNs[0].Attributes[0].Value, true
}

// lookupRDN finds the entry an RDN below an ou names; 0 if none.
func (s *searcher) lookupRDN(ou int64, rdn string) (int64, error) {
	switch ou {
	case 1:
		login, ok := unescapeRDNValue(rdn, "uid")
		if !ok {
			return 0, nil
		}
		p, err := s.v.Person(login)
		if errors.Is(err, store.ErrNotFound) {
			return 0, nil
		}
		return p.ID, err
	case 2:
		name, ok := unescapeRDNValue(rdn, "cn")
		if !ok {
			return 0, nil
		}
		g, found, err := s.v.GroupByName(name)
		if err != nil || !found {
			return 0, err
		}
		return g.ID, nil
	case 3:
		name, ok := unescapeRDNValue(rdn, "cn")
		if !ok {
			return 0, nil
		}
		a, err := s.v.ServiceAccount(name)
		if errors.Is(err, store.ErrNotFound) {
			return 0, nil
		}
		return a.ID, err
	}
	return 0, nil
}

func (s *searcher) allGroupIDs() ([]int64, error) {
	gs, err := s.v.Groups()
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

func (s *searcher) allServiceIDs() ([]int64, error) {
	as, err := s.v.ServiceAccounts()
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// chunkSize is how many entries are loaded with one query.
const chunkSize = 256

// emit loads the referenced entries chunk by chunk, checks access and
// filter, and writes up to limit matches. It returns the refs from the
// first match it did not write on (nil when all were written).
func (s *searcher) emit(refs []ref, limit int) ([]ref, error) {
	written := 0
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && j-i < chunkSize && refs[j].k == refs[i].k {
			j++
		}
		entries, err := s.load(refs[i:j])
		if err != nil {
			return nil, err
		}
		for k, e := range entries {
			if e == nil || !s.visible(e) || s.req.filter.eval(e) != isTrue {
				continue
			}
			if written == limit {
				return refs[i+k:], nil
			}
			s.c.writeEntry(e, s.req.sel, s.req.typesOnly)
			written++
			if s.c.w.Buffered() > 32<<10 {
				if err := s.c.flush(); err != nil {
					return nil, err
				}
			}
		}
		i = j
	}
	return nil, nil
}

// load builds the entries of refs of one kind, in the order of refs (nil
// for entries that vanished since a previous page).
func (s *searcher) load(refs []ref) ([]*entry, error) {
	out := make([]*entry, len(refs))
	switch refs[0].k {
	case kindStructural:
		all := s.t.structural
		for i, r := range refs {
			out[i] = all[r.id]
		}
	case kindPerson:
		byID := make(map[int64]*entry, len(refs))
		var ids []int64
		for _, r := range refs {
			if a, ok := s.known[r.id]; ok {
				byID[a.ID] = s.t.personEntry(a.Person, a.GroupIDs, a.Usable)
			} else {
				ids = append(ids, r.id)
			}
		}
		people, err := s.v.PeopleByIDs(ids)
		if err != nil {
			return nil, err
		}
		if err := s.v.PrefetchConsents(people); err != nil {
			return nil, err
		}
		gids, err := s.v.GroupIDsOf(people)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			usable, err := s.v.Usable(p)
			if err != nil {
				return nil, err
			}
			byID[p.ID] = s.t.personEntry(p, gids[p.ID], usable)
		}
		for i, r := range refs {
			out[i] = byID[r.id]
		}
	case kindGroup:
		for i, r := range refs {
			g, ok := s.t.groupByID[r.id]
			if !ok {
				continue
			}
			var members []string
			if s.needMem {
				var err error
				if members, err = s.v.MemberLogins(g); err != nil {
					return nil, err
				}
			}
			out[i] = s.t.groupEntry(g, members)
		}
	case kindService:
		as, err := s.v.ServiceAccounts()
		if err != nil {
			return nil, err
		}
		for i, r := range refs {
			for _, a := range as {
				if a.ID == r.id {
					out[i] = s.t.serviceEntry(a)
				}
			}
		}
	}
	return out, nil
}

// writeEntry writes a SearchResultEntry with the selected attributes.
// userPassword is never written.
func (c *conn) writeEntry(e *entry, sel selection, typesOnly bool) {
	b := &c.b
	b.reset()
	b.begin(tagSequence)
	b.integer(tagInteger, c.curID)
	b.begin(classApplication | constructed | ldap.ApplicationSearchResultEntry)
	b.octets(tagOctetString, e.dn)
	b.begin(tagSequence)
	for i := range e.attrs {
		a := &e.attrs[i]
		if a.t.rule == secret || !sel.includes(a.t) {
			continue
		}
		b.begin(tagSequence)
		b.octets(tagOctetString, a.t.name)
		b.begin(tagSet)
		if !typesOnly {
			for _, v := range a.vals {
				b.octets(tagOctetString, v)
			}
		}
		b.end()
		b.end()
	}
	b.end()
	b.end()
	b.end()
	c.w.Write(b.buf)
}
