package ldapd

import (
	"context"
	"errors"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
)

// bind handles a BindRequest: simple binds of people and service accounts
// over TLS. Anonymous binds (empty name and password) make the connection
// anonymous again; a name with an empty password (an "unauthenticated
// bind", RFC 4513 5.1.2) is refused rather than treated as anonymous, and
// SASL is answered with authMethodNotSupported.
func (c *conn) bind(ctx context.Context, id int64, op *node, ctrls []control) {
	const resp = ldap.ApplicationBindResponse
	// Any bind first resets the connection to anonymous (RFC 4511 4.2.1).
	c.principal, c.bindDN, c.checkedGen = nil, "", 0
	c.pages = nil

	version, err := integer(child(op, 0))
	name := child(op, 1)
	auth := child(op, 2)
	if err != nil || name == nil || auth == nil {
		c.result(id, resp, ldap.LDAPResultProtocolError, "", "malformed bind request")
		return
	}
	if version != 3 {
		c.result(id, resp, ldap.LDAPResultProtocolError, "", "only LDAP version 3 is supported")
		return
	}
	if auth.ClassType != ber.ClassContext || auth.Tag != 0 {
		c.result(id, resp, ldap.LDAPResultAuthMethodNotSupported, "", "only simple bind is supported (no SASL)")
		return
	}
	dn := str(name)
	pw := str(auth)
	switch {
	case dn == "" && pw == "":
		c.result(id, resp, ldap.LDAPResultSuccess, "", "")
		return
	case pw == "":
		c.result(id, resp, ldap.LDAPResultUnwillingToPerform, "", "unauthenticated bind (name without password) is not allowed")
		return
	case dn == "":
		c.result(id, resp, ldap.LDAPResultInvalidCredentials, "", "")
		return
	}
	if !c.tls && !c.srv.cfg.AllowPlainBind {
		c.result(id, resp, ldap.LDAPResultConfidentialityRequired, "", "TLS required: use StartTLS or LDAPS")
		return
	}
	wantPolicy := findControl(ctrls, oidPasswordPolicy) != nil

	kind, name2 := c.parseBindDN(ctx, dn)
	if kind == 0 {
		// Not a DN of ours: spend a hash like for an unknown name.
		kind, name2 = directory.PersonPrincipal, ""
	}
	p, err := c.srv.dir.Authenticate(ctx, directory.Credentials{
		Kind: kind, Name: name2, Password: pw, Source: c.remote, Service: "ldap",
	})
	if err != nil {
		code, diag, pol := ldap.LDAPResultInvalidCredentials, "", ppolicyNone
		switch {
		case errors.Is(err, directory.ErrLocked):
			diag, pol = "account locked", ppolicyAccountLocked
		case errors.Is(err, directory.ErrLeft):
			diag, pol = "account expired (left the school)", ppolicyAccountLocked
		case errors.Is(err, directory.ErrConsentRevoked):
			diag, pol = "account disabled (consent revoked)", ppolicyAccountLocked
		case errors.Is(err, directory.ErrInvalidCredentials), errors.Is(err, directory.ErrThrottled):
			// the same answer for both: throttling tells an attacker nothing
		default:
			c.srv.log.Error("ldap: bind failed", "remote", c.remote, "err", err)
			code, diag = ldap.LDAPResultOther, "internal error"
		}
		var rc []respControl
		if wantPolicy && pol != ppolicyNone {
			rc = append(rc, ppolicyResponse(pol))
		}
		c.result(id, resp, code, "", diag, rc...)
		return
	}
	c.principal, c.bindDN = &p, dn
	var rc []respControl
	if wantPolicy {
		if p.MustChange {
			rc = append(rc, ppolicyResponse(ppolicyChangeAfterReset))
		} else {
			rc = append(rc, ppolicyResponse(ppolicyNone))
		}
	}
	c.result(id, resp, ldap.LDAPResultSuccess, "", "", rc...)
}

// parseBindDN recognises uid=LOGIN,ou=people,BASE and
// cn=NAME,ou=services,BASE (case-insensitively); kind 0 for anything else.
func (c *conn) parseBindDN(ctx context.Context, dn string) (directory.PrincipalKind, string) {
	parsed, err := ldap.ParseDN(dn)
	if err != nil || len(parsed.RDNs) < 3 {
		return 0, ""
	}
	school, err := c.srv.dir.School(ctx)
	if err != nil {
		return 0, ""
	}
	base, _ := ldap.ParseDN(school.BaseDN())
	rest := &ldap.DN{RDNs: parsed.RDNs[2:]}
	if !rest.EqualFold(base) {
		return 0, ""
	}
	rdn, ou := parsed.RDNs[0], parsed.RDNs[1]
	if len(rdn.Attributes) != 1 || len(ou.Attributes) != 1 || attrName(ou.Attributes[0].Type) != "ou" {
		return 0, ""
	}
	typ, val := attrName(rdn.Attributes[0].Type), rdn.Attributes[0].Value
	switch strings.ToLower(ou.Attributes[0].Value) {
	case ouPeople:
		if typ == "uid" {
			return directory.PersonPrincipal, val
		}
	case ouServices:
		if typ == "cn" {
			return directory.ServicePrincipal, val
		}
	}
	return 0, ""
}

// attrName is the canonical name of an attribute type given by name,
// alias or OID ("userid" -> "uid"), or "" if unknown.
func attrName(typ string) string {
	if t := lookupAttr(typ); t != nil {
		return t.name
	}
	return ""
}
