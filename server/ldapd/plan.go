package ldapd

import (
	"sort"
	"strconv"
	"strings"

	"kaspel/server/directory"
)

// idset is a set of ids; nil means "all", an empty set "none".
type idset map[int64]struct{}

func (s idset) has(id int64) bool { _, ok := s[id]; return ok }

func (s idset) sorted() []int64 {
	out := make([]int64, 0, len(s))
	for id := range s {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func intersect(a, b idset) idset {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if len(b) < len(a) {
		a, b = b, a
	}
	out := idset{}
	for id := range a {
		if b.has(id) {
			out[id] = struct{}{}
		}
	}
	return out
}

func union(a, b idset) idset {
	if a == nil || b == nil {
		return nil
	}
	out := make(idset, len(a)+len(b))
	for id := range a {
		out[id] = struct{}{}
	}
	for id := range b {
		out[id] = struct{}{}
	}
	return out
}

// plan is the candidate entries per kind a filter can match.
type plan struct{ people, groups, services idset }

var (
	allKinds  = plan{}
	noneKinds = plan{people: idset{}, groups: idset{}, services: idset{}}
)

// Which attributes entries of each kind can have: a positive assertion on
// an attribute a kind never has rules that kind out.
var kindAttrs = map[kind]map[string]bool{
	kindPerson: set("objectClass", "uid", "cn", "sn", "givenName", "displayName", "mail", "uidNumber", "gidNumber",
		"homeDirectory", "loginShell", "gecos", "employeeType", "shadowLastChange", "shadowExpire", "memberOf",
		"structuralObjectClass", "entryDN", "createTimestamp", "modifyTimestamp", "pwdChangedTime",
		"pwdAccountLockedTime", "hasSubordinates"),
	kindGroup: set("objectClass", "cn", "gidNumber", "description", "memberUid", "member",
		"structuralObjectClass", "entryDN", "hasSubordinates"),
	kindService: set("objectClass", "cn", "description", "structuralObjectClass", "entryDN", "createTimestamp", "hasSubordinates"),
}

// Which object classes entries of each kind have.
var kindClasses = map[kind]map[string]bool{
	kindPerson:  set("top", "person", "organizationalperson", "inetorgperson", "posixaccount", "shadowaccount"),
	kindGroup:   set("top", "posixgroup", "groupofnames"),
	kindService: set("top", "applicationprocess", "simplesecurityobject"),
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// byKinds is "all" for the kinds that pass and "none" for the others.
func byKinds(pass func(kind) bool) plan {
	p := noneKinds
	if pass(kindPerson) {
		p.people = nil
	}
	if pass(kindGroup) {
		p.groups = nil
	}
	if pass(kindService) {
		p.services = nil
	}
	return p
}

func (s *searcher) plan(f *filter) (plan, error) { return s.planWithin(f, allKinds) }

// needsIndex tells whether planning f reads the database (an equality
// assertion on an indexed attribute other than objectClass).
func needsIndex(f *filter) bool {
	return f.kind == fEquality && f.valid && f.t != nil && f.t.name != "objectClass"
}

// ruledOut tells whether a plan's set for a kind is known to be empty.
func ruledOut(ids idset) bool { return ids != nil && len(ids) == 0 }

// planWithin plans f where only the entries of within can match anyway:
// an index lookup for a kind already ruled out is skipped. So in
// (&(objectClass=posixGroup)(gidNumber=500)) the gidNumber does not read
// every person of the role whose group 500 is (a thousand pupils, for
// sssd's primary-group lookup at every login).
func (s *searcher) planWithin(f *filter, within plan) (plan, error) {
	switch f.kind {
	case fAnd:
		out := within
		// What needs no database first, so that it narrows the lookups.
		for _, pass := range []bool{false, true} {
			for _, k := range f.kids {
				if needsIndex(k) != pass {
					continue
				}
				p, err := s.planWithin(k, out)
				if err != nil {
					return out, err
				}
				out = plan{intersect(out.people, p.people), intersect(out.groups, p.groups), intersect(out.services, p.services)}
			}
		}
		return out, nil
	case fOr:
		out := noneKinds
		for _, k := range f.kids {
			p, err := s.planWithin(k, within)
			if err != nil {
				return out, err
			}
			out = plan{union(out.people, p.people), union(out.groups, p.groups), union(out.services, p.services)}
		}
		return out, nil
	case fNot, fExtensible:
		return allKinds, nil
	}
	if f.t == nil {
		return noneKinds, nil // Undefined: matches nothing
	}
	name := f.t.name
	has := byKinds(func(k kind) bool { return kindAttrs[k][name] })
	if f.kind != fEquality || !f.valid {
		return has, nil
	}
	v := f.value
	if ruledOut(within.people) {
		switch name {
		case "uid", "uidNumber", "mail":
			return noneKinds, nil
		}
	}
	switch name {
	case "objectClass":
		return byKinds(func(k kind) bool { return kindClasses[k][v] }), nil
	case "uid":
		ids, err := s.peopleBy(directory.ByLogin, v)
		return plan{ids, idset{}, idset{}}, err
	case "uidNumber":
		ids, err := s.peopleBy(directory.ByUIDNumber, v)
		return plan{ids, idset{}, idset{}}, err
	case "mail":
		local, domain, ok := strings.Cut(v, "@")
		if !ok || domain != strings.ToLower(s.t.school.Domain) {
			return noneKinds, nil
		}
		ids, err := s.peopleBy(directory.ByLogin, local)
		return plan{ids, idset{}, idset{}}, err
	case "gidNumber":
		p := plan{people: idset{}, groups: idset{}, services: idset{}}
		gid, _ := strconv.Atoi(v)
		for role, rg := range s.t.roleGID {
			if rg == gid && !ruledOut(within.people) {
				ids, err := s.peopleBy(directory.ByRole, string(role))
				if err != nil {
					return p, err
				}
				p.people = ids
			}
		}
		for id, g := range s.t.groupByID {
			if g.GIDNumber == gid {
				p.groups[id] = struct{}{}
			}
		}
		return p, nil
	case "memberUid":
		groups, err := s.groupsWith(v)
		return plan{idset{}, groups, idset{}}, err
	case "member":
		login, ok := s.loginOfDN(v)
		if !ok {
			return noneKinds, nil
		}
		groups, err := s.groupsWith(login)
		return plan{idset{}, groups, idset{}}, err
	case "cn":
		p := plan{people: nil, groups: idset{}, services: idset{}}
		g, found, err := s.v.GroupByName(v)
		if err != nil {
			return p, err
		}
		if found {
			p.groups[g.ID] = struct{}{}
		}
		if a, err := s.v.ServiceAccount(v); err == nil {
			p.services[a.ID] = struct{}{}
		}
		return p, nil
	}
	return has, nil
}

func (s *searcher) peopleBy(f directory.PersonField, v string) (idset, error) {
	accounts, err := s.v.AccountsBy(f, v)
	if err != nil {
		return nil, err
	}
	out := make(idset, len(accounts))
	for _, a := range accounts {
		out[a.ID] = struct{}{}
		s.remember(a)
	}
	return out, nil
}

// remember keeps an account read while planning, with its groups and
// state, so that loading the candidates does not read it again: a uid
// lookup is one query for the person.
func (s *searcher) remember(a directory.Account) {
	if s.known == nil {
		s.known = map[int64]directory.Account{}
	}
	if len(s.known) < chunkSize {
		s.known[a.ID] = a
	}
}

func (s *searcher) groupsWith(login string) (idset, error) {
	groups, err := s.v.GroupsWithMember(login)
	if err != nil {
		return nil, err
	}
	out := make(idset, len(groups))
	for _, g := range groups {
		out[g.ID] = struct{}{}
	}
	return out, nil
}

// loginOfDN returns LOGIN for a normalised uid=LOGIN,ou=people,BASE.
func (s *searcher) loginOfDN(ndn string) (string, bool) {
	suffix := ",ou=" + ouPeople + "," + s.t.nbase
	if !strings.HasSuffix(ndn, suffix) {
		return "", false
	}
	return unescapeRDNValue(strings.TrimSuffix(ndn, suffix), "uid")
}
