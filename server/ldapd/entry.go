package ldapd

import "strings"

// kind is what an entry represents; it decides who may read it and how
// a search finds candidates.
type kind int

const (
	kindRootDSE kind = iota
	kindStructural
	kindPerson
	kindGroup
	kindService
)

// attr is one attribute of an entry.
type attr struct {
	t    *attrType
	vals []string
	norm []string // normalised values, made on first use
}

func (a *attr) normalized() []string {
	if a.norm == nil {
		a.norm = make([]string, len(a.vals))
		for i, v := range a.vals {
			a.norm[i], _ = normalize(a.t.rule, v)
		}
	}
	return a.norm
}

// entry is one directory entry as LDAP shows it.
type entry struct {
	dn    string
	kind  kind
	id    int64 // person, group or service account id
	attrs []attr
}

func newEntry(k kind, dn string, id int64) *entry {
	return &entry{dn: dn, kind: k, id: id, attrs: make([]attr, 0, 24)}
}

// add appends values of the attribute with the canonical name; empty
// values are left out (LDAP has no empty attribute values here).
func (e *entry) add(name string, vals ...string) {
	t := attrTypes[strings.ToLower(name)]
	if t == nil {
		panic("ldapd: attribute not in schema: " + name)
	}
	kept := vals[:0:0]
	for _, v := range vals {
		if v != "" {
			kept = append(kept, v)
		}
	}
	if len(kept) == 0 {
		return
	}
	e.attrs = append(e.attrs, attr{t: t, vals: kept})
}

// copy returns an entry with the same values and its own attribute list
// (normalised values are made per copy).
func (e *entry) copy() *entry {
	c := *e
	c.attrs = make([]attr, len(e.attrs))
	for i, a := range e.attrs {
		c.attrs[i] = attr{t: a.t, vals: a.vals}
	}
	return &c
}

func (e *entry) get(t *attrType) *attr {
	for i := range e.attrs {
		if e.attrs[i].t == t {
			return &e.attrs[i]
		}
	}
	return nil
}
