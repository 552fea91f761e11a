package ldapd

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
)

// OIDs of the extended operations and controls the server knows.
const (
	oidStartTLS       = "1.3.6.1.4.1.1466.20037"
	oidPasswordModify = "1.3.6.1.4.1.4203.1.11.1"
	oidWhoAmI         = "1.3.6.1.4.1.4203.1.11.3"
	oidNoticeOfDisc   = "1.3.6.1.4.1.1466.20036"
	oidPaging         = "1.2.840.113556.1.4.319"
	oidPasswordPolicy = "1.3.6.1.4.1.42.2.27.8.5.1"
	oidManageDsaIT    = "2.16.840.1.113730.3.4.2"
)

// Password policy error values (draft-behera-ldap-password-policy).
const (
	ppolicyNone             = -1 // a response control without an error
	ppolicyAccountLocked    = 1
	ppolicyChangeAfterReset = 2
)

// control is a request control.
type control struct {
	oid      string
	critical bool
	value    []byte
	hasValue bool
}

// conn is one client connection and its state.
type conn struct {
	srv    *Server
	nc     net.Conn
	r      *bufio.Reader
	w      *bufio.Writer
	b      builder
	remote string
	tls    bool
	curID  int64 // the message id of the request being served

	// who is bound; nil: anonymous
	principal *directory.Principal
	bindDN    string
	// checkedGen is the directory generation at which a bound service
	// account was last found to exist (0: not yet).
	checkedGen int64

	pages map[string]*pagedSearch
}

func (s *Server) newConn(nc net.Conn) *conn {
	c := &conn{srv: s, remote: nc.RemoteAddr().String()}
	c.setTransport(nc)
	return c
}

func (c *conn) setTransport(nc net.Conn) {
	c.nc = nc
	c.r = bufio.NewReaderSize(nc, 4096)
	c.w = bufio.NewWriterSize(nc, 16384)
}

func (c *conn) serve(implicitTLS bool) {
	defer c.nc.Close()
	if implicitTLS {
		tc := tls.Server(c.nc, c.srv.tls)
		tc.SetDeadline(time.Now().Add(handshakeTimeout))
		if err := tc.Handshake(); err != nil {
			c.srv.log.Debug("ldap: TLS handshake failed", "remote", c.remote, "err", err)
			return
		}
		tc.SetDeadline(time.Time{})
		c.setTransport(tc)
		c.tls = true
	}
	for {
		raw, err := c.read()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.srv.log.Debug("ldap: read failed, closing", "remote", c.remote, "err", err)
				if errors.Is(err, errTooLarge) {
					c.disconnect()
				}
			}
			return
		}
		p, err := decodeNode(raw)
		if err != nil {
			c.srv.log.Debug("ldap: undecodable message, closing", "remote", c.remote, "err", err)
			c.disconnect()
			return
		}
		if !c.handle(p) {
			return
		}
		if err := c.flush(); err != nil {
			return
		}
	}
}

// read reads one message: waiting for its first byte may take forever
// (an idle sssd connection), the rest must follow within messageTimeout.
func (c *conn) read() ([]byte, error) {
	if _, err := c.r.Peek(1); err != nil {
		return nil, err
	}
	c.nc.SetReadDeadline(time.Now().Add(messageTimeout))
	defer c.nc.SetReadDeadline(time.Time{})
	return readMessage(c.r)
}

func (c *conn) flush() error {
	if c.w.Buffered() == 0 {
		return nil
	}
	c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	err := c.w.Flush()
	c.nc.SetWriteDeadline(time.Time{})
	return err
}

// disconnect sends the Notice of Disconnection (RFC 4511 4.4.1) before
// the connection is closed because of a protocol error.
func (c *conn) disconnect() {
	c.b.reset()
	c.b.begin(tagSequence)
	c.b.integer(tagInteger, 0)
	c.b.begin(classApplication | constructed | ldap.ApplicationExtendedResponse)
	c.b.integer(tagEnumerated, ldap.LDAPResultProtocolError)
	c.b.octets(tagOctetString, "")
	c.b.octets(tagOctetString, "malformed request")
	c.b.octets(classContext|10, oidNoticeOfDisc)
	c.b.end()
	c.b.end()
	c.w.Write(c.b.buf)
	c.flush()
}

// handle serves one request; false ends the connection.
func (c *conn) handle(p *node) bool {
	if len(p.Children) < 2 {
		c.disconnect()
		return false
	}
	id, err := integer(p.Children[0])
	if err != nil || id < 0 {
		c.disconnect()
		return false
	}
	c.curID = id
	op := p.Children[1]
	if op.ClassType != ber.ClassApplication {
		c.disconnect()
		return false
	}
	var ctrls []control
	if cp := child(p, 2); cp != nil && cp.ClassType == ber.ClassContext && cp.Tag == 0 {
		ctrls = parseControls(cp)
	}
	ctx := context.Background()
	tag := uint8(op.Tag)

	// Controls the server does not know may not be critical.
	for _, ct := range ctrls {
		if ct.critical && ct.oid != oidPaging && ct.oid != oidPasswordPolicy && ct.oid != oidManageDsaIT {
			if resp, ok := responseTag[tag]; ok {
				if tag == ldap.ApplicationBindRequest {
					// a refused bind is a failed bind: anonymous again
					c.principal, c.bindDN, c.pages, c.checkedGen = nil, "", nil, 0
				}
				c.result(id, resp, ldap.LDAPResultUnavailableCriticalExtension, "", "control "+ct.oid+" is not supported")
				return true
			}
		}
	}

	switch tag {
	case ldap.ApplicationUnbindRequest:
		return false
	case ldap.ApplicationAbandonRequest:
		return true // nothing runs concurrently on a connection: nothing to abandon
	case ldap.ApplicationBindRequest:
		c.bind(ctx, id, op, ctrls)
		return true
	}

	// Everything else: a bound principal is checked again (a lock set
	// since the bind holds now), and a must-change principal may only
	// change the password. A service account's search checks it against
	// the generation instead (see search), which saves a query per lookup.
	serviceSearch := tag == ldap.ApplicationSearchRequest && c.principal != nil && c.principal.Kind == directory.ServicePrincipal
	if !serviceSearch && !c.recheck(ctx) {
		c.refuse(id, tag, ldap.LDAPResultInsufficientAccessRights, "the account can no longer be used")
		return true
	}
	if tag == ldap.ApplicationExtendedRequest {
		c.extended(ctx, id, op)
		return true
	}
	mustChange := c.principal != nil && c.principal.MustChange
	switch tag {
	case ldap.ApplicationSearchRequest:
		if mustChange && !isRootDSESearch(op) {
			c.refuse(id, tag, ldap.LDAPResultUnwillingToPerform, msgMustChange)
			return true
		}
		c.search(ctx, id, op, ctrls)
	case ldap.ApplicationModifyRequest:
		c.modify(ctx, id, op)
	case ldap.ApplicationCompareRequest:
		if mustChange {
			c.refuse(id, tag, ldap.LDAPResultUnwillingToPerform, msgMustChange)
			return true
		}
		c.compare(ctx, id, op)
	case ldap.ApplicationAddRequest, ldap.ApplicationDelRequest, ldap.ApplicationModifyDNRequest:
		c.refuse(id, tag, ldap.LDAPResultUnwillingToPerform, "the directory is read-only over LDAP; it is maintained with kaspel-server")
	default:
		c.disconnect()
		return false
	}
	return true
}

const msgMustChange = "Das Passwort muss zuerst geändert werden. / The password must be changed first."

// responseTag maps a request to the tag of its response.
var responseTag = map[uint8]uint8{
	ldap.ApplicationBindRequest:     ldap.ApplicationBindResponse,
	ldap.ApplicationSearchRequest:   ldap.ApplicationSearchResultDone,
	ldap.ApplicationModifyRequest:   ldap.ApplicationModifyResponse,
	ldap.ApplicationAddRequest:      ldap.ApplicationAddResponse,
	ldap.ApplicationDelRequest:      ldap.ApplicationDelResponse,
	ldap.ApplicationModifyDNRequest: ldap.ApplicationModifyDNResponse,
	ldap.ApplicationCompareRequest:  ldap.ApplicationCompareResponse,
	ldap.ApplicationExtendedRequest: ldap.ApplicationExtendedResponse,
}

func (c *conn) refuse(id int64, reqTag uint8, code int, diag string) {
	c.result(id, responseTag[reqTag], code, "", diag)
}

// recheck loads the bound principal again; false if it may no longer act,
// in which case the connection falls back to anonymous.
func (c *conn) recheck(ctx context.Context) bool {
	if c.principal == nil {
		return true
	}
	p, err := c.srv.dir.Recheck(ctx, *c.principal)
	if err != nil {
		c.srv.log.Info("ldap: bound account no longer usable", "who", c.principal.Name, "remote", c.remote, "err", err)
		c.principal, c.bindDN, c.checkedGen = nil, "", 0
		return false
	}
	c.principal = &p
	return true
}

func parseControls(p *node) []control {
	var out []control
	for _, cp := range p.Children {
		if len(cp.Children) == 0 {
			continue
		}
		ct := control{oid: str(cp.Children[0])}
		for _, f := range cp.Children[1:] {
			if f.ClassType == ber.ClassUniversal && f.Tag == ber.TagBoolean {
				ct.critical, _ = boolean(f)
			} else if f.ClassType == ber.ClassUniversal && f.Tag == ber.TagOctetString {
				ct.value, ct.hasValue = content(f), true
			}
		}
		out = append(out, ct)
	}
	return out
}

func findControl(ctrls []control, oid string) *control {
	for i := range ctrls {
		if ctrls[i].oid == oid {
			return &ctrls[i]
		}
	}
	return nil
}

// respControl is a control in a response.
type respControl struct {
	oid   string
	value []byte
}

// result writes an LDAPResult-shaped response.
func (c *conn) result(id int64, tag uint8, code int, matched, diag string, ctrls ...respControl) {
	c.resultExt(id, tag, code, matched, diag, "", nil, false, ctrls...)
}

func (c *conn) resultExt(id int64, tag uint8, code int, matched, diag, name string, value []byte, hasValue bool, ctrls ...respControl) {
	b := &c.b
	b.reset()
	b.begin(tagSequence)
	b.integer(tagInteger, id)
	b.begin(classApplication | constructed | tag)
	b.integer(tagEnumerated, int64(code))
	b.octets(tagOctetString, matched)
	b.octets(tagOctetString, diag)
	if name != "" {
		b.octets(classContext|10, name)
	}
	if hasValue {
		b.bytes(classContext|11, value)
	}
	b.end()
	writeControls(b, ctrls)
	b.end()
	c.w.Write(b.buf)
}

func writeControls(b *builder, ctrls []respControl) {
	if len(ctrls) == 0 {
		return
	}
	b.begin(classContext | constructed | 0)
	for _, ct := range ctrls {
		b.begin(tagSequence)
		b.octets(tagOctetString, ct.oid)
		if ct.value != nil {
			b.bytes(tagOctetString, ct.value)
		}
		b.end()
	}
	b.end()
}

// ppolicyResponse encodes a password policy response control with an
// error value (or none: ppolicyNone).
func ppolicyResponse(errValue int) respControl {
	var v builder
	v.begin(tagSequence)
	if errValue >= 0 {
		v.integer(classContext|1, int64(errValue))
	}
	v.end()
	return respControl{oid: oidPasswordPolicy, value: v.buf}
}
