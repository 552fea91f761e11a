package ldapd

import (
	"context"
	"regexp"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
)

// Modify operations (RFC 4511 4.6).
const (
	modAdd     = 0
	modDelete  = 1
	modReplace = 2
)

// hashedValue recognises a value that a client hashed itself ({SSHA}...).
var hashedValue = regexp.MustCompile(`^\{[A-Za-z0-9.-]+\}`)

// modify accepts one thing: a person changing their own userPassword
// with a clear-text value over TLS (replace, or delete old + add new), the
// way pGina and some applications change passwords. The server checks the
// policy and hashes it. The directory is otherwise read-only over LDAP.
func (c *conn) modify(ctx context.Context, id int64, op *node) {
	const resp = ldap.ApplicationModifyResponse
	fail := func(code int, diag string) { c.result(id, resp, code, "", diag) }
	obj, changes := child(op, 0), child(op, 1)
	if obj == nil || changes == nil {
		fail(ldap.LDAPResultProtocolError, "malformed modify request")
		return
	}
	if c.principal == nil || c.principal.Kind != directory.PersonPrincipal {
		fail(ldap.LDAPResultInsufficientAccessRights, "the directory is read-only over LDAP; it is maintained with kaspel-server")
		return
	}
	kind, login := c.parseBindDN(ctx, str(obj))
	if kind != directory.PersonPrincipal || !strings.EqualFold(login, c.principal.Name) {
		fail(ldap.LDAPResultInsufficientAccessRights, "only the own password can be changed over LDAP")
		return
	}
	var oldPW, newPW string
	var hasOld, hasNew bool
	for _, ch := range changes.Children {
		opCode, err := integer(child(ch, 0))
		mod := child(ch, 1)
		if err != nil || mod == nil || len(mod.Children) < 2 {
			fail(ldap.LDAPResultProtocolError, "malformed modification")
			return
		}
		if t := lookupAttr(str(mod.Children[0])); t == nil || t.rule != secret {
			fail(ldap.LDAPResultInsufficientAccessRights, "only userPassword can be changed over LDAP")
			return
		}
		vals := mod.Children[1].Children
		switch {
		case opCode == modReplace && len(vals) == 1, opCode == modAdd && len(vals) == 1:
			if hasNew {
				fail(ldap.LDAPResultConstraintViolation, "one new password at a time")
				return
			}
			newPW, hasNew = str(vals[0]), true
		case opCode == modDelete && len(vals) == 1:
			oldPW, hasOld = str(vals[0]), true
		case opCode == modDelete && len(vals) == 0:
		default:
			fail(ldap.LDAPResultConstraintViolation, "give exactly one new password")
			return
		}
	}
	if !hasNew {
		fail(ldap.LDAPResultConstraintViolation, "give exactly one new password")
		return
	}
	if !c.tls && !c.srv.cfg.AllowPlainBind {
		fail(ldap.LDAPResultConfidentialityRequired, "TLS required: use StartTLS or LDAPS")
		return
	}
	if hashedValue.MatchString(newPW) {
		fail(ldap.LDAPResultUnwillingToPerform, "send the new password in clear text over TLS; the server hashes it itself")
		return
	}
	if hasOld {
		if _, err := c.srv.dir.Authenticate(ctx, directory.Credentials{
			Kind: directory.PersonPrincipal, Name: login, Password: oldPW, Source: c.remote, Service: "ldap",
		}); err != nil {
			fail(ldap.LDAPResultInvalidCredentials, "Das bisherige Passwort stimmt nicht. / The current password is wrong.")
			return
		}
	}
	actor := directory.Actor{Name: login, Source: c.remote, Service: "ldap"}
	if err := c.srv.dir.ChangePassword(ctx, actor, login, newPW); err != nil {
		code, diag := changeError(err)
		if code == ldap.LDAPResultOther {
			c.srv.log.Error("ldap: password change", "login", login, "err", err)
		}
		fail(code, diag)
		return
	}
	c.principal.MustChange = false
	c.result(id, resp, ldap.LDAPResultSuccess, "", "")
}

// compare answers a CompareRequest on an entry the client may read.
// userPassword cannot be compared: that would be a password oracle.
func (c *conn) compare(ctx context.Context, id int64, op *node) {
	const resp = ldap.ApplicationCompareResponse
	obj, ava := child(op, 0), child(op, 1)
	if obj == nil || ava == nil || len(ava.Children) != 2 {
		c.result(id, resp, ldap.LDAPResultProtocolError, "", "malformed compare request")
		return
	}
	if c.principal == nil {
		c.result(id, resp, ldap.LDAPResultInsufficientAccessRights, "", "bind required")
		return
	}
	t := lookupAttr(str(ava.Children[0]))
	if t == nil {
		c.result(id, resp, ldap.LDAPResultUndefinedAttributeType, "", "")
		return
	}
	if t.rule == secret {
		c.result(id, resp, ldap.LDAPResultInsufficientAccessRights, "", "userPassword cannot be compared")
		return
	}
	v, err := c.srv.dir.View(ctx)
	if err != nil {
		c.result(id, resp, ldap.LDAPResultOther, "", "internal error")
		return
	}
	defer v.Close()
	tr, err := c.srv.newTree(v)
	if err != nil {
		c.result(id, resp, ldap.LDAPResultOther, "", "internal error")
		return
	}
	// (objectClass=*): every entry has an objectClass, so the plan keeps
	// the entry the DN names (a present filter without a type matches none).
	s := &searcher{c: c, v: v, t: tr, req: &searchReq{base: str(obj), scope: scopeBase,
		filter: &filter{kind: fPresent, t: lookupAttr("objectClass")}, sel: selection{all: true, names: map[*attrType]bool{t: true}}}}
	if err := s.access(); err != nil {
		c.result(id, resp, ldap.LDAPResultOther, "", "internal error")
		return
	}
	refs, code, matched, err := s.candidates()
	if err != nil {
		c.result(id, resp, ldap.LDAPResultOther, "", "internal error")
		return
	}
	if code != ldap.LDAPResultSuccess || len(refs) == 0 {
		c.result(id, resp, ldap.LDAPResultNoSuchObject, matched, "")
		return
	}
	entries, err := s.load(refs[:1])
	if err != nil || entries[0] == nil || !s.visible(entries[0]) {
		c.result(id, resp, ldap.LDAPResultNoSuchObject, matched, "")
		return
	}
	e := entries[0]
	if e.get(t) == nil {
		c.result(id, resp, ldap.LDAPResultNoSuchAttribute, "", "")
		return
	}
	f := &filter{kind: fEquality, t: t}
	f.value, f.valid = normalize(t.rule, str(ava.Children[1]))
	switch f.eval(e) {
	case isTrue:
		c.result(id, resp, ldap.LDAPResultCompareTrue, "", "")
	case isFalse:
		c.result(id, resp, ldap.LDAPResultCompareFalse, "", "")
	default:
		c.result(id, resp, ldap.LDAPResultInvalidAttributeSyntax, "", "")
	}
}
