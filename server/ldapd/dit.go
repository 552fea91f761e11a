package ldapd

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"kaspel/server/directory"
)

// The directory information tree:
//
//	dc=gsborsum,dc=de                   the school (dcObject, organization)
//	  ou=people   uid=LOGIN             inetOrgPerson, posixAccount, shadowAccount
//	  ou=groups   cn=3a, cn=schueler    posixGroup, groupOfNames (classes and roles)
//	  ou=services cn=NAME               read-only accounts of LDAP clients
const (
	ouPeople   = "people"
	ouGroups   = "groups"
	ouServices = "services"
)

// tree maps directory records to entries for one request: the view of
// the request and what is derived from the school and the groups, which
// is shared by all requests of the same generation.
type tree struct {
	*treeBase
	view *directory.View
}

// treeBase is derived from the school and the groups alone.
type treeBase struct {
	gen        int64
	base       string // dc=gsborsum,dc=de
	nbase      string
	school     directory.School
	cfg        Config
	roleGID    map[directory.Role]int
	groupDN    map[int64]string
	groupByID  map[int64]directory.Group
	structural []*entry // read-only: base and ou entries with normalised values

	// people keeps the person entries built under this generation (id ->
	// *builtPerson), so that a login's repeated lookups of the same person
	// build the entry once; peopleN bounds it.
	people  sync.Map
	peopleN atomic.Int64
}

// builtPerson is a person entry with what it was built from.
type builtPerson struct {
	p      directory.Person
	gids   []int64
	usable bool
	e      *entry // never handed out: callers get copies (attr.norm is filled lazily)
}

// maxBuiltPeople bounds the entries kept per generation: a school's
// people fit (a few KB each); a district's directory is not kept whole.
const maxBuiltPeople = 4096

func (s *Server) newTree(v *directory.View) (*tree, error) {
	gen, err := v.Generation()
	if err != nil {
		return nil, err
	}
	if b := s.trees.Load(); b != nil && b.gen == gen {
		return &tree{treeBase: b, view: v}, nil
	}
	school, err := v.School()
	if err != nil {
		return nil, err
	}
	b := &treeBase{gen: gen, base: school.BaseDN(), school: school, cfg: s.cfg,
		roleGID: map[directory.Role]int{}, groupDN: map[int64]string{}, groupByID: map[int64]directory.Group{}}
	b.nbase, _ = normalizeDN(b.base)
	groups, err := v.Groups()
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		b.groupDN[g.ID] = b.groupEntryDN(g.Name)
		b.groupByID[g.ID] = g
	}
	for _, r := range directory.Roles {
		if g, err := v.RoleGroup(r); err == nil {
			b.roleGID[r] = g.GIDNumber
		}
	}
	b.structural = []*entry{b.baseEntry(), b.ouEntry(ouPeople), b.ouEntry(ouGroups), b.ouEntry(ouServices)}
	for _, e := range b.structural {
		for i := range e.attrs {
			e.attrs[i].normalized() // now, so that sharing them is read-only
		}
	}
	s.trees.Store(b)
	return &tree{treeBase: b, view: v}, nil
}

func (t *treeBase) ouDN(ou string) string { return "ou=" + ou + "," + t.base }
func (t *treeBase) personDN(login string) string {
	return "uid=" + escapeDNValue(login) + ",ou=" + ouPeople + "," + t.base
}
func (t *treeBase) groupEntryDN(name string) string {
	return "cn=" + escapeDNValue(name) + ",ou=" + ouGroups + "," + t.base
}
func (t *treeBase) serviceDN(name string) string {
	return "cn=" + escapeDNValue(name) + ",ou=" + ouServices + "," + t.base
}
func generalizedTime(tm time.Time) string { return tm.UTC().Format("20060102150405Z") }
func optionalTime(tm time.Time) string {
	if tm.IsZero() {
		return ""
	}
	return generalizedTime(tm)
}

// rootDSE is the server's self-description, readable without a bind.
func (t *treeBase) rootDSE() *entry {
	e := newEntry(kindRootDSE, "", 0)
	e.add("objectClass", "top")
	e.add("namingContexts", t.base)
	e.add("supportedLDAPVersion", "3")
	e.add("supportedExtension", oidStartTLS, oidPasswordModify, oidWhoAmI)
	e.add("supportedControl", oidPaging, oidPasswordPolicy, oidManageDsaIT)
	e.add("supportedFeatures", "1.3.6.1.4.1.4203.1.5.1") // all operational attributes ("+")
	e.add("vendorName", "Kaspel")
	e.add("vendorVersion", "Kaspel "+Version)
	e.add("subschemaSubentry", "cn=Subschema")
	return e
}

func (t *treeBase) baseEntry() *entry {
	e := newEntry(kindStructural, t.base, 0)
	e.add("objectClass", "top", "dcObject", "organization")
	if dn, _ := normalizeDN(t.base); dn != "" {
		e.add("dc", firstValue(t.base))
	}
	e.add("o", t.school.Name)
	e.add("structuralObjectClass", "organization")
	e.add("entryDN", t.base)
	e.add("hasSubordinates", "TRUE")
	return e
}

func (t *treeBase) ouEntry(ou string) *entry {
	e := newEntry(kindStructural, t.ouDN(ou), 0)
	e.add("objectClass", "top", "organizationalUnit")
	e.add("ou", ou)
	e.add("structuralObjectClass", "organizationalUnit")
	e.add("entryDN", e.dn)
	e.add("hasSubordinates", "TRUE")
	return e
}

// personEntry shows a person. gids are the ids of the person's groups.
// A person who may not log in (locked, left, consent revoked) shows
// shadowExpire 1 and, when locked, pwdAccountLockedTime, so that PCs with
// an expiry or ppolicy access rule refuse them even from a cache.
func (t *treeBase) personEntry(p directory.Person, groupIDs []int64, usable bool) *entry {
	if v, ok := t.people.Load(p.ID); ok {
		if b := v.(*builtPerson); b.p == p && b.usable == usable && slices.Equal(b.gids, groupIDs) {
			return b.e.copy()
		}
	}
	e := t.buildPersonEntry(p, groupIDs, usable)
	if t.peopleN.Load() < maxBuiltPeople {
		if _, loaded := t.people.Swap(p.ID, &builtPerson{p: p, gids: slices.Clone(groupIDs), usable: usable, e: e.copy()}); !loaded {
			t.peopleN.Add(1)
		}
	}
	return e
}

func (t *treeBase) buildPersonEntry(p directory.Person, groupIDs []int64, usable bool) *entry {
	e := newEntry(kindPerson, t.personDN(p.Login), p.ID)
	e.add("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson", "posixAccount", "shadowAccount")
	e.add("uid", p.Login)
	e.add("cn", p.Name())
	e.add("sn", p.LastName)
	e.add("givenName", p.FirstName)
	e.add("displayName", p.Name())
	e.add("mail", t.school.Mail(p.Login))
	e.add("uidNumber", strconv.Itoa(p.UIDNumber))
	e.add("gidNumber", strconv.Itoa(t.roleGID[p.Role]))
	e.add("homeDirectory", t.cfg.HomeBase+"/"+p.Login)
	e.add("loginShell", t.cfg.LoginShell)
	e.add("gecos", asciiFold(p.Name()))
	e.add("employeeType", string(p.Role))
	if p.MustChange {
		e.add("shadowLastChange", "0") // shadow(5): must change at next login
	} else if !p.PasswordChangedAt.IsZero() {
		e.add("shadowLastChange", strconv.FormatInt(p.PasswordChangedAt.Unix()/86400, 10))
	}
	if !usable {
		e.add("shadowExpire", "1")
	}
	dns := make([]string, 0, len(groupIDs))
	for _, id := range groupIDs {
		if dn, ok := t.groupDN[id]; ok {
			dns = append(dns, dn)
		}
	}
	e.add("memberOf", dns...)
	e.add("structuralObjectClass", "inetOrgPerson")
	e.add("entryDN", e.dn)
	e.add("createTimestamp", generalizedTime(p.CreatedAt))
	e.add("modifyTimestamp", generalizedTime(p.UpdatedAt))
	e.add("pwdChangedTime", optionalTime(p.PasswordChangedAt))
	if p.Locked() {
		e.add("pwdAccountLockedTime", "000001010000Z") // locked until an admin unlocks
	}
	e.add("hasSubordinates", "FALSE")
	return e
}

// groupEntry shows a group. members is nil when the request needs no
// member attributes (role groups can be large).
func (t *treeBase) groupEntry(g directory.Group, members []string) *entry {
	e := newEntry(kindGroup, t.groupEntryDN(g.Name), g.ID)
	e.add("objectClass", "top", "posixGroup", "groupOfNames")
	e.add("cn", g.Name)
	e.add("gidNumber", strconv.Itoa(g.GIDNumber))
	e.add("description", g.Description)
	if len(members) > 0 {
		e.add("memberUid", members...)
		dns := make([]string, len(members))
		for i, m := range members {
			dns[i] = t.personDN(m)
		}
		e.add("member", dns...)
	}
	e.add("structuralObjectClass", "posixGroup")
	e.add("entryDN", e.dn)
	e.add("hasSubordinates", "FALSE")
	return e
}

func (t *treeBase) serviceEntry(a directory.ServiceAccount) *entry {
	e := newEntry(kindService, t.serviceDN(a.Name), a.ID)
	e.add("objectClass", "top", "applicationProcess", "simpleSecurityObject")
	e.add("cn", a.Name)
	e.add("description", "Kaspel service account (read-only)")
	e.add("structuralObjectClass", "applicationProcess")
	e.add("entryDN", e.dn)
	e.add("createTimestamp", generalizedTime(a.CreatedAt))
	e.add("hasSubordinates", "FALSE")
	return e
}

// firstValue is the value of a DN's first RDN ("dc=gsborsum,dc=de" -> "gsborsum").
func firstValue(dn string) string {
	start := 0
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '=':
			if start == 0 {
				start = i + 1
			}
		case ',':
			return dn[start:i]
		}
	}
	return dn[start:]
}
