package bench

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// The uid search throughput is measured with a lean client instead of
// go-ldap: the load generator shares the two cores with the server, and
// go-ldap spent more CPU per search (~95 µs: a goroutine hand-off, channels
// and a BER tree per message) than either server, so the rates showed the
// client more than the servers. Here every request is encoded once before
// the run, and an answer is read by its BER framing: the entry must name
// the uid asked for and the result must be success, so each operation is
// still a checked search.

// rawConn is one LDAP connection after StartTLS and the service bind.
type rawConn struct {
	c   *tls.Conn
	r   *bufio.Reader
	buf []byte
}

func berRequest(id int64, op *ber.Packet, controls ...ldap.Control) []byte {
	p := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Request")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "MessageID"))
	p.AppendChild(op)
	if len(controls) > 0 {
		cs := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "Controls")
		for _, c := range controls {
			cs.AppendChild(c.Encode())
		}
		p.AppendChild(cs)
	}
	return p.Bytes()
}

func startTLSRequest(id int64) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationExtendedRequest, nil, "Extended Request")
	op.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "1.3.6.1.4.1.1466.20037", "Request Name"))
	return berRequest(id, op)
}

func bindRequest(id int64, dn, pw string, controls ...ldap.Control) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationBindRequest, nil, "Bind Request")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 3, "Version"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, dn, "User Name"))
	op.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, pw, "Password"))
	return berRequest(id, op, controls...)
}

func searchRequest(id int64, base, filter string, attrs []string, controls ...ldap.Control) ([]byte, error) {
	return searchRequestScope(id, base, ldap.ScopeWholeSubtree, filter, attrs, controls...)
}

func searchRequestScope(id int64, base string, scope int, filter string, attrs []string, controls ...ldap.Control) ([]byte, error) {
	f, err := ldap.CompileFilter(filter)
	if err != nil {
		return nil, err
	}
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationSearchRequest, nil, "Search Request")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, base, "Base DN"))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, int64(scope), "Scope"))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, int64(ldap.NeverDerefAliases), "Deref Aliases"))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 0, "Size Limit"))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 0, "Time Limit"))
	op.AppendChild(ber.NewBoolean(ber.ClassUniversal, ber.TypePrimitive, ber.TagBoolean, false, "Types Only"))
	op.AppendChild(f)
	as := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "Attributes")
	for _, a := range attrs {
		as.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a, "Attribute"))
	}
	op.AppendChild(as)
	return berRequest(id, op, controls...), nil
}

// berLength reads a BER length from r.
func berLength(r io.ByteReader) (int, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	if b < 0x80 {
		return int(b), nil
	}
	n := int(b & 0x7f)
	if n == 0 || n > 4 {
		return 0, errors.New("bench: unsupported BER length")
	}
	l := 0
	for range n {
		b, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		l = l<<8 | int(b)
	}
	return l, nil
}

// skipHeader returns the content of the BER value at the start of b and
// what follows it.
func skipHeader(b []byte) (tag byte, content, rest []byte, err error) {
	if len(b) < 2 {
		return 0, nil, nil, errors.New("bench: short BER value")
	}
	tag = b[0]
	r := bytes.NewReader(b[1:])
	l, err := berLength(r)
	if err != nil {
		return 0, nil, nil, err
	}
	start := len(b) - r.Len()
	if start+l > len(b) {
		return 0, nil, nil, errors.New("bench: BER value longer than its message")
	}
	return tag, b[start : start+l], b[start+l:], nil
}

// next reads one LDAP message and returns its protocol operation's tag
// and content.
func (c *rawConn) next() (byte, []byte, error) {
	return readMessage(c.r, &c.buf)
}

func readMessage(r *bufio.Reader, buf *[]byte) (byte, []byte, error) {
	tag, err := r.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	if tag != 0x30 {
		return 0, nil, fmt.Errorf("bench: a message starting with 0x%02x", tag)
	}
	l, err := berLength(r)
	if err != nil {
		return 0, nil, err
	}
	if cap(*buf) < l {
		*buf = make([]byte, l)
	}
	msg := (*buf)[:l]
	if _, err := io.ReadFull(r, msg); err != nil {
		return 0, nil, err
	}
	_, _, rest, err := skipHeader(msg) // the message ID
	if err != nil {
		return 0, nil, err
	}
	op, content, _, err := skipHeader(rest)
	return op, content, err
}

// resultCode is the code of an LDAPResult's content.
func resultCode(content []byte) (int, error) {
	tag, code, _, err := skipHeader(content)
	if err != nil || tag != 0x0a || len(code) != 1 {
		return 0, errors.New("bench: no result code")
	}
	return int(code[0]), nil
}

func (t *target) rawDial() (*rawConn, error) {
	c, err := t.rawStartTLS()
	if err != nil {
		return nil, err
	}
	if err := c.bind(2, bindRequest(2, t.svcDN, t.svcPW)); err != nil {
		c.c.Close()
		return nil, fmt.Errorf("bench: service bind refused: %w", err)
	}
	return c, nil
}

// bind sends a prepared bind request and checks its success.
func (c *rawConn) bind(id int64, req []byte) error {
	if _, err := c.c.Write(req); err != nil {
		return err
	}
	op, content, err := c.next()
	if err != nil {
		return err
	}
	if code, err := resultCode(content); err != nil || op != 0x61 || code != 0 {
		return fmt.Errorf("op 0x%02x, code %d, %v", op, code, err)
	}
	return nil
}

// rawStartTLS connects and runs StartTLS.
func (t *target) rawStartTLS() (*rawConn, error) {
	nc, err := net.Dial("tcp", t.addr)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*rawConn, error) { nc.Close(); return nil, err }
	if _, err := nc.Write(startTLSRequest(1)); err != nil {
		return fail(err)
	}
	var buf []byte
	// The server sends nothing after this answer until the TLS handshake
	// starts, so the reader cannot swallow handshake bytes.
	op, content, err := readMessage(bufio.NewReader(nc), &buf)
	if err != nil {
		return fail(err)
	}
	if code, err := resultCode(content); err != nil || op != 0x78 || code != 0 {
		return fail(fmt.Errorf("bench: StartTLS refused (op 0x%02x, code %d, %v)", op, code, err))
	}
	c := &rawConn{c: tls.Client(nc, t.tls)}
	if err := c.c.Handshake(); err != nil {
		return fail(err)
	}
	c.r = bufio.NewReaderSize(c.c, 16<<10)
	return c, nil
}

// search sends a prepared request and checks that exactly one entry,
// naming want, comes back with success.
func (c *rawConn) search(req, want []byte) error {
	if _, err := c.c.Write(req); err != nil {
		return err
	}
	entries := 0
	for {
		op, content, err := c.next()
		if err != nil {
			return err
		}
		switch op {
		case 0x64: // SearchResultEntry
			if !bytes.Contains(content, want) {
				return fmt.Errorf("bench: an entry without %s", want)
			}
			entries++
		case 0x65: // SearchResultDone
			code, err := resultCode(content)
			if err != nil {
				return err
			}
			if code != 0 || entries != 1 {
				return fmt.Errorf("bench: search for %s: code %d, %d entries", want, code, entries)
			}
			return nil
		case 0x73: // a referral: not expected
			return errors.New("bench: search reference")
		default:
			return fmt.Errorf("bench: unexpected answer 0x%02x", op)
		}
	}
}

// rawSearchThroughput runs sssd-style uid lookups (the same request as
// uidSearch) on conns connections for d.
func (t *target) rawSearchThroughput(conns int, d time.Duration) (float64, latencies, int, error) {
	reqs := make([][]byte, len(t.people))
	for i, login := range t.people {
		var err error
		reqs[i], err = searchRequest(3, t.base, "(&(uid="+ldap.EscapeFilter(login)+")(objectclass=posixAccount))",
			[]string{"uid", "uidNumber", "gidNumber", "homeDirectory", "loginShell", "cn"})
		if err != nil {
			return 0, nil, 0, err
		}
	}
	var ops, fails atomic.Int64
	var mu sync.Mutex
	var all latencies
	var firstErr error
	note := func(err error) {
		fails.Add(1)
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := t.rawDial()
			if err != nil {
				note(err)
				return
			}
			defer c.c.Close()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			var mine latencies
			for time.Now().Before(stop) {
				k := rng.IntN(len(reqs))
				t0 := time.Now()
				if err := c.search(reqs[k], []byte(t.people[k])); err != nil {
					note(err)
					return // the connection's framing may be lost
				}
				mine = append(mine, time.Since(t0))
				ops.Add(1)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return float64(ops.Load()) / d.Seconds(), all, int(fails.Load()), firstErr
}

// searchAll sends a prepared search and returns the contents of its
// entries, checking that it ends with success.
func (c *rawConn) searchAll(req []byte) ([][]byte, error) {
	if _, err := c.c.Write(req); err != nil {
		return nil, err
	}
	var entries [][]byte
	for {
		op, content, err := c.next()
		if err != nil {
			return nil, err
		}
		switch op {
		case 0x64:
			entries = append(entries, bytes.Clone(content))
		case 0x65:
			code, err := resultCode(content)
			if err != nil {
				return nil, err
			}
			if code != 0 {
				return nil, fmt.Errorf("bench: search ended with code %d", code)
			}
			return entries, nil
		case 0x73:
		default:
			return nil, fmt.Errorf("bench: unexpected answer 0x%02x", op)
		}
	}
}

// entryValue is the first value of attribute name (as the server spells
// it, case-insensitively) in a SearchResultEntry's content.
func entryValue(content []byte, name string) string {
	_, _, rest, err := skipHeader(content) // the DN
	if err != nil {
		return ""
	}
	_, attrs, _, err := skipHeader(rest)
	if err != nil {
		return ""
	}
	for len(attrs) > 0 {
		var a []byte
		if _, a, attrs, err = skipHeader(attrs); err != nil {
			return ""
		}
		_, typ, vals, err := skipHeader(a)
		if err != nil {
			return ""
		}
		if !bytes.EqualFold(typ, []byte(name)) {
			continue
		}
		_, set, _, err := skipHeader(vals)
		if err != nil {
			return ""
		}
		if _, v, _, err := skipHeader(set); err == nil {
			return string(v)
		}
		return ""
	}
	return ""
}

var groupAttrs = []string{"objectClass", "cn", "userPassword", "gidNumber", "memberUid", "modifyTimestamp"}

// rawSSSDLogin is sssdLogin with the lean client: the same connections,
// requests, controls and checks, without go-ldap's cost per message
// (sssd's libldap does not pay it either; on the bench machine the load
// generator shares the cores with the server).
func (t *target) rawSSSDLogin(login string) error {
	root, err := searchRequestScope(2, "", ldap.ScopeBaseObject, "(objectClass=*)", rootDSEAttrs)
	if err != nil {
		return err
	}
	c, err := t.rawStartTLS()
	if err != nil {
		return fmt.Errorf("lookup dial: %w", err)
	}
	defer c.c.Close()
	if _, err := c.searchAll(root); err != nil {
		return fmt.Errorf("root DSE: %w", err)
	}
	if err := c.bind(3, bindRequest(3, t.svcDN, t.svcPW)); err != nil {
		return fmt.Errorf("service bind: %w", err)
	}
	user, err := searchRequest(4, t.base, fmt.Sprintf("(&(uid=%s)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", ldap.EscapeFilter(login)), sssdUserAttrs)
	if err != nil {
		return err
	}
	entries, err := c.searchAll(user)
	if err != nil || len(entries) != 1 {
		return fmt.Errorf("user search: %d entries, %v", len(entries), err)
	}
	gid := entryValue(entries[0], "gidNumber")
	if gid == "" {
		return errors.New("user search: no gidNumber")
	}
	primary, err := searchRequest(5, t.base, fmt.Sprintf("(&(gidNumber=%s)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", gid), groupAttrs)
	if err != nil {
		return err
	}
	if _, err := c.searchAll(primary); err != nil {
		return fmt.Errorf("primary group: %w", err)
	}
	member, err := searchRequest(6, t.base, fmt.Sprintf("(&(memberuid=%s)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", ldap.EscapeFilter(login)),
		groupAttrs, ldap.NewControlPaging(1000))
	if err != nil {
		return err
	}
	if groups, err := c.searchAll(member); err != nil || len(groups) < 1 {
		return fmt.Errorf("memberships: %d, %v", len(groups), err)
	}
	c.c.Close()

	a, err := t.rawStartTLS()
	if err != nil {
		return fmt.Errorf("auth dial: %w", err)
	}
	defer a.c.Close()
	if _, err := a.searchAll(root); err != nil {
		return fmt.Errorf("auth root DSE: %w", err)
	}
	if err := a.bind(3, bindRequest(3, t.userDN(login), Password, ldap.NewControlBeheraPasswordPolicy())); err != nil {
		return fmt.Errorf("user bind: %w", err)
	}
	return nil
}
