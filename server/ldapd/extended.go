package ldapd

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
	"kaspel/server/store"
	"kaspel/shared/password"
)

// extended handles ExtendedRequests: StartTLS (RFC 4511 4.14), Password
// Modify (RFC 3062) and WhoAmI (RFC 4532). Others get protocolError, as
// RFC 4511 4.12 asks for unknown request names.
func (c *conn) extended(ctx context.Context, id int64, op *node) {
	const resp = ldap.ApplicationExtendedResponse
	name := child(op, 0)
	if name == nil || name.ClassType != ber.ClassContext || name.Tag != 0 {
		c.result(id, resp, ldap.LDAPResultProtocolError, "", "malformed extended request")
		return
	}
	var value []byte
	hasValue := false
	if v := child(op, 1); v != nil && v.ClassType == ber.ClassContext && v.Tag == 1 {
		value, hasValue = content(v), true
	}
	oid := str(name)
	if c.principal != nil && c.principal.MustChange && oid != oidPasswordModify && oid != oidWhoAmI && oid != oidStartTLS {
		c.result(id, resp, ldap.LDAPResultUnwillingToPerform, "", msgMustChange)
		return
	}
	switch oid {
	case oidStartTLS:
		c.startTLS(id)
	case oidWhoAmI:
		authz := ""
		if c.principal != nil {
			authz = "dn:" + c.bindDN
		}
		c.resultExt(id, resp, ldap.LDAPResultSuccess, "", "", "", []byte(authz), true)
	case oidPasswordModify:
		c.passwordModify(ctx, id, value, hasValue)
	default:
		c.result(id, resp, ldap.LDAPResultProtocolError, "", "unsupported extended operation "+oid)
	}
}

func (c *conn) startTLS(id int64) {
	const resp = ldap.ApplicationExtendedResponse
	if c.srv.tls == nil {
		c.resultExt(id, resp, ldap.LDAPResultUnavailable, "", "TLS is not configured", oidStartTLS, nil, false)
		return
	}
	if c.tls {
		c.resultExt(id, resp, ldap.LDAPResultOperationsError, "", "TLS is already active", oidStartTLS, nil, false)
		return
	}
	c.resultExt(id, resp, ldap.LDAPResultSuccess, "", "", oidStartTLS, nil, false)
	if err := c.flush(); err != nil {
		return
	}
	if c.r.Buffered() > 0 {
		// The client sent more before the handshake: not allowed.
		c.nc.Close()
		return
	}
	tc := tls.Server(c.nc, c.srv.tls)
	tc.SetDeadline(time.Now().Add(handshakeTimeout))
	if err := tc.Handshake(); err != nil {
		c.srv.log.Debug("ldap: StartTLS handshake failed", "remote", c.remote, "err", err)
		c.nc.Close()
		return
	}
	tc.SetDeadline(time.Time{})
	c.setTransport(tc)
	c.tls = true
}

// passwordModify changes a person's own password. A bound person may
// leave out the old password (the bind proved it); an anonymous client
// must name the account and give the old password, which is checked like
// a bind (throttle, protocol). Without a new password the server makes
// one and returns it. Service accounts cannot change passwords here.
func (c *conn) passwordModify(ctx context.Context, id int64, value []byte, hasValue bool) {
	const resp = ldap.ApplicationExtendedResponse
	fail := func(code int, diag string) { c.result(id, resp, code, "", diag) }
	if !c.tls && !c.srv.cfg.AllowPlainBind {
		fail(ldap.LDAPResultConfidentialityRequired, "TLS required: use StartTLS or LDAPS")
		return
	}
	var identity, oldPW, newPW string
	var hasOld, hasNew bool
	if hasValue && len(value) > 0 {
		p, err := decodeNode(value)
		if err != nil {
			fail(ldap.LDAPResultProtocolError, "malformed password modify request")
			return
		}
		for _, f := range p.Children {
			if f.ClassType != ber.ClassContext {
				continue
			}
			switch f.Tag {
			case 0:
				identity = str(f)
			case 1:
				oldPW, hasOld = str(f), true
			case 2:
				newPW, hasNew = str(f), true
			}
		}
	}

	login := ""
	identity = strings.TrimPrefix(identity, "dn:") // an authzId (RFC 4513 5.2.1.8) names a DN so
	if identity != "" {
		kind, name := c.parseBindDN(ctx, identity)
		if kind == 0 && !strings.Contains(identity, "=") {
			kind, name = directory.PersonPrincipal, strings.TrimPrefix(identity, "u:")
		}
		if kind != directory.PersonPrincipal {
			fail(ldap.LDAPResultInsufficientAccessRights, "only a person's own password can be changed")
			return
		}
		login = name
	}

	switch {
	case c.principal == nil:
		if login == "" || !hasOld {
			fail(ldap.LDAPResultUnwillingToPerform, "bind first, or give the account and its current password")
			return
		}
		if _, err := c.srv.dir.Authenticate(ctx, directory.Credentials{
			Kind: directory.PersonPrincipal, Name: login, Password: oldPW, Source: c.remote, Service: "ldap",
		}); err != nil {
			fail(ldap.LDAPResultInvalidCredentials, "")
			return
		}
	case c.principal.Kind != directory.PersonPrincipal:
		fail(ldap.LDAPResultInsufficientAccessRights, "service accounts cannot change passwords over LDAP")
		return
	default:
		if login != "" && !strings.EqualFold(login, c.principal.Name) {
			fail(ldap.LDAPResultInsufficientAccessRights, "only the own password can be changed")
			return
		}
		login = c.principal.Name
		if hasOld {
			if _, err := c.srv.dir.Authenticate(ctx, directory.Credentials{
				Kind: directory.PersonPrincipal, Name: login, Password: oldPW, Source: c.remote, Service: "ldap",
			}); err != nil {
				fail(ldap.LDAPResultInvalidCredentials, "Das bisherige Passwort stimmt nicht. / The current password is wrong.")
				return
			}
		}
	}

	generated := ""
	if !hasNew {
		newPW = directory.OneTimePassword()
		generated = newPW
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
	if c.principal != nil && c.principal.Kind == directory.PersonPrincipal && strings.EqualFold(c.principal.Name, login) {
		c.principal.MustChange = false
	}
	if generated != "" {
		var v builder
		v.begin(tagSequence)
		v.octets(classContext|0, generated)
		v.end()
		c.resultExt(id, resp, ldap.LDAPResultSuccess, "", "", "", v.buf, true)
		return
	}
	c.resultExt(id, resp, ldap.LDAPResultSuccess, "", "", "", nil, false)
}

// changeError maps a failed password change to an LDAP result with a
// German message the child sees at the PC (pam_sss shows it).
func changeError(err error) (int, string) {
	var pe *directory.PolicyError
	switch {
	case errors.As(err, &pe):
		return ldap.LDAPResultConstraintViolation, password.Describe(pe.Broken)
	case errors.Is(err, directory.ErrSamePassword):
		return ldap.LDAPResultConstraintViolation, "Das neue Passwort muss anders sein als das bisherige."
	case errors.Is(err, store.ErrNotFound):
		return ldap.LDAPResultNoSuchObject, ""
	}
	return ldap.LDAPResultOther, "internal error"
}
