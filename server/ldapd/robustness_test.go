package ldapd_test

import (
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"kaspel/server/config"
	"kaspel/server/ldapd"
	"kaspel/server/pki"
	"kaspel/server/testrig"
)

// ioGuard only keeps a broken server from hanging the test run; no test
// asserts anything about time.
const ioGuard = time.Minute

func rawDial(t *testing.T, addr string, useTLS bool, rig *testrig.Rig) net.Conn {
	t.Helper()
	var c net.Conn
	var err error
	if useTLS {
		c, err = tls.Dial("tcp", addr, rig.TLSConfig())
	} else {
		c, err = net.Dial("tcp", addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(ioGuard))
	t.Cleanup(func() { c.Close() })
	return c
}

func message(id int64, op *ber.Packet) []byte {
	p := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
	p.AppendChild(op)
	return p.Bytes()
}

// rootDSESearch is a search of the root DSE with the given filter.
func rootDSESearch(filter *ber.Packet) *ber.Packet {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationSearchRequest, nil, "")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", ""))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, 0, ""))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, 0, ""))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 0, ""))
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 0, ""))
	op.AppendChild(ber.NewBoolean(ber.ClassUniversal, ber.TypePrimitive, ber.TagBoolean, false, ""))
	op.AppendChild(filter)
	op.AppendChild(ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, ""))
	return op
}

// resultCode reads responses up to the one with tag and returns its code
// and how many search entries came before it.
func resultCode(t *testing.T, c net.Conn, tag ber.Tag) (code int64, entries int) {
	t.Helper()
	for {
		p, err := ber.ReadPacket(c)
		if err != nil {
			t.Fatalf("read response: %v", err)
		}
		if len(p.Children) < 2 {
			t.Fatalf("response with %d children", len(p.Children))
		}
		op := p.Children[1]
		if op.Tag == ldap.ApplicationSearchResultEntry {
			entries++
			continue
		}
		if op.Tag != tag || len(op.Children) < 3 {
			t.Fatalf("response tag %d with %d children, want tag %d", op.Tag, len(op.Children), tag)
		}
		code, _ := ber.ParseInt64(op.Children[0].ByteValue)
		return code, entries
	}
}

// expectClosed reads what the server still sends (at most a Notice of
// Disconnection) and then the end of the connection.
func expectClosed(t *testing.T, c net.Conn, wantNotice bool) {
	t.Helper()
	p, err := ber.ReadPacket(c)
	if err == nil {
		if !wantNotice {
			t.Errorf("got a response, want the connection closed")
		}
		op := p.Children[1]
		if op.Tag != ldap.ApplicationExtendedResponse || len(op.Children) < 4 {
			t.Fatalf("got response tag %d, want a Notice of Disconnection", op.Tag)
		}
		code, _ := ber.ParseInt64(op.Children[0].ByteValue)
		if id, _ := ber.ParseInt64(p.Children[0].ByteValue); id != 0 || code != ldap.LDAPResultProtocolError {
			t.Errorf("notice: message id %d, code %d; want 0 and protocolError", id, code)
		}
		if name := string(op.Children[3].Data.Bytes()); name != "1.3.6.1.4.1.1466.20036" {
			t.Errorf("notice name %q", name)
		}
		_, err = ber.ReadPacket(c)
	} else if wantNotice {
		t.Errorf("no Notice of Disconnection: %v", err)
	}
	if err == nil {
		t.Fatal("the connection stays open")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server did not close the connection: %v", err)
	}
}

func TestMalformedMessagesCloseOnlyTheirConnection(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	good := serviceConn(t, rig)
	user := userConn(t, rig, anna, annaPW)

	opWith := func(class ber.Class, tag ber.Tag) *ber.Packet {
		return ber.Encode(class, ber.TypeConstructed, tag, nil, "")
	}
	tests := []struct {
		name       string
		tls        bool
		data       []byte
		wantNotice bool
	}{
		{"HTTP request", false, []byte("GET / HTTP/1.1\r\nHost: ldap\r\n\r\n"), false},
		{"HTTP request over LDAPS", true, []byte("GET / HTTP/1.1\r\nHost: ldap\r\n\r\n"), false},
		{"TLS hello on the plain port", false, []byte{0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}, false},
		{"only a message id", false, []byte{0x30, 0x03, 0x02, 0x01, 0x01}, true},
		{"inner length too long", false, []byte{0x30, 0x03, 0x04, 0x05, 0x41}, true},
		{"larger than 1 MiB", false, []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff}, true},
		{"indefinite length", false, []byte{0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00}, false},
		{"negative message id", false, message(-5, rootDSESearch(ber.NewString(ber.ClassContext, ber.TypePrimitive, 7, "objectClass", ""))), true},
		{"operation not of the application class", false, message(1, opWith(ber.ClassUniversal, ber.TagSequence)), true},
		{"unknown operation", false, message(1, opWith(ber.ClassApplication, 30)), true},
		{"a response sent as a request", false, message(1, opWith(ber.ClassApplication, ldap.ApplicationBindResponse)), true},
		{"garbage over LDAPS", true, []byte{0x30, 0x03, 0x02, 0x01}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rig.LDAPAddr
			if tt.tls {
				addr = rig.LDAPS
			}
			raw := rawDial(t, addr, tt.tls, rig)
			if _, err := raw.Write(tt.data); err != nil {
				t.Fatal(err)
			}
			if tt.name == "garbage over LDAPS" {
				raw.(*tls.Conn).CloseWrite() // the message stays incomplete
			}
			expectClosed(t, raw, tt.wantNotice)

			// the other connections and new ones are fine
			if got := search(t, good, base, ldap.ScopeWholeSubtree, "(uid="+anna+")"); len(got) != 1 {
				t.Errorf("service connection: got %d entries", len(got))
			}
			searchStillWorks(t, user, anna)
			if !canBind(t, rig, anna, annaPW) {
				t.Error("new connection cannot bind")
			}
		})
	}
}

// A request sent right behind StartTLS, before the handshake, would be
// read as if it came over TLS (the STARTTLS injection of SMTP servers):
// the server drops the connection instead.
func TestStartTLSWithPipelinedRequest(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	raw := rawDial(t, rig.LDAPAddr, false, rig)
	startTLS := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationExtendedRequest, nil, "")
	startTLS.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "1.3.6.1.4.1.1466.20037", ""))
	both := append(message(1, startTLS), message(2, rootDSESearch(ber.NewString(ber.ClassContext, ber.TypePrimitive, 7, "objectClass", "")))...)
	if _, err := raw.Write(both); err != nil {
		t.Fatal(err)
	}
	if code, _ := resultCode(t, raw, ldap.ApplicationExtendedResponse); code != ldap.LDAPResultSuccess {
		t.Fatalf("StartTLS: code %d", code)
	}
	// No answer to the search: the connection ends (at once, or when the
	// handshake the server then waits for does not come).
	p, err := ber.ReadPacket(raw)
	if err == nil {
		t.Fatalf("got a response to the pipelined request: %v", p.Children)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server did not close the connection: %v", err)
	}
}

// A malformed request inside a well-formed message is answered with
// protocolError, and the connection goes on.
func TestMalformedRequestKeepsConnection(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	raw := rawDial(t, rig.LDAPAddr, false, rig)

	present := ber.NewString(ber.ClassContext, ber.TypePrimitive, 7, "objectClass", "")
	badNot := ber.Encode(ber.ClassContext, ber.TypeConstructed, 2, nil, "")
	badNot.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 7, "cn", ""))
	badNot.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 7, "sn", ""))
	unknownChoice := ber.Encode(ber.ClassContext, ber.TypeConstructed, 12, nil, "")
	short := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationSearchRequest, nil, "")
	short.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", ""))
	badBind := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationBindRequest, nil, "")
	badBind.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 2, ""))
	badBind.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", ""))
	badBind.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "", ""))

	tests := []struct {
		name string
		op   *ber.Packet
		tag  ber.Tag
		code int64
	}{
		{"good search", rootDSESearch(present), ldap.ApplicationSearchResultDone, ldap.LDAPResultSuccess},
		{"NOT with two filters", rootDSESearch(badNot), ldap.ApplicationSearchResultDone, ldap.LDAPResultProtocolError},
		{"unknown filter choice", rootDSESearch(unknownChoice), ldap.ApplicationSearchResultDone, ldap.LDAPResultProtocolError},
		{"search without its fields", short, ldap.ApplicationSearchResultDone, ldap.LDAPResultProtocolError},
		{"bind of LDAP version 2", badBind, ldap.ApplicationBindResponse, ldap.LDAPResultProtocolError},
		{"good search again", rootDSESearch(present), ldap.ApplicationSearchResultDone, ldap.LDAPResultSuccess},
	}
	for i, tt := range tests {
		if _, err := raw.Write(message(int64(i+1), tt.op)); err != nil {
			t.Fatalf("%s: write: %v", tt.name, err)
		}
		code, entries := resultCode(t, raw, tt.tag)
		if code != tt.code {
			t.Errorf("%s: got code %d, want %d", tt.name, code, tt.code)
		}
		if tt.code == ldap.LDAPResultSuccess && entries != 1 {
			t.Errorf("%s: got %d entries, want the root DSE", tt.name, entries)
		}
	}
}

// flakyListener fails its first Accept calls, as a listener does when the
// process runs out of file descriptors.
type flakyListener struct {
	net.Listener
	mu    sync.Mutex
	fails []error
}

func (l *flakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if len(l.fails) > 0 {
		err := l.fails[0]
		l.fails = l.fails[1:]
		l.mu.Unlock()
		return nil, err
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

func (l *flakyListener) pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.fails)
}

type temporaryError struct{}

func (temporaryError) Error() string   { return "accept: resource temporarily unavailable" }
func (temporaryError) Timeout() bool   { return false }
func (temporaryError) Temporary() bool { return true }

var _ net.Error = temporaryError{}

func TestAcceptErrorsDoNotStopServe(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	tlsCfg, err := pki.ServerTLS(config.PKIDir(rig.Data))
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &testrig.SyncBuffer{}
	srv := ldapd.New(rig.Dir, ldapd.DefaultConfig, tlsCfg, slog.New(slog.NewTextHandler(logBuf, nil)))
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &flakyListener{Listener: inner, fails: []error{
		temporaryError{},
		&net.OpError{Op: "accept", Net: "tcp", Err: syscall.EMFILE},
	}}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l, true) }()

	type dialed struct {
		c   *ldap.Conn
		err error
	}
	dials := make(chan dialed, 1)
	go func() {
		c, err := ldap.DialURL("ldaps://"+inner.Addr().String(), ldap.DialWithTLSConfig(rig.TLSConfig()))
		dials <- dialed{c, err}
	}()
	var c *ldap.Conn
	select {
	case err := <-served:
		inner.Close()
		t.Fatalf("Serve returned after the accept errors: %v", err)
	case d := <-dials:
		if d.err != nil {
			t.Fatalf("dial after the accept errors: %v", d.err)
		}
		c = d.c
	}
	defer c.Close()
	c.SetTimeout(requestTimeout)
	if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
		t.Fatalf("bind: %v", err)
	}
	searchStillWorks(t, c, anna)
	if n := l.pending(); n != 0 {
		t.Errorf("%d accept errors not returned", n)
	}
	for _, want := range []string{"accept failed", "resource temporarily unavailable", "too many open files"} {
		if !strings.Contains(logBuf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logBuf.String())
		}
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned early: %v", err)
	default:
	}

	// Close ends Serve with ErrServerClosed and the open connection.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; !errors.Is(err, ldapd.ErrServerClosed) {
		t.Errorf("Serve after Close: got %v, want ErrServerClosed", err)
	}
	if _, err := c.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)")); err == nil {
		t.Error("the connection outlived Close")
	}
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := srv.Serve(other, false); !errors.Is(err, ldapd.ErrServerClosed) {
		t.Errorf("Serve on a closed server: got %v, want ErrServerClosed", err)
	}
}

// Without a TLS configuration there is no LDAPS, and StartTLS is refused
// without dropping the connection.
func TestServerWithoutTLS(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	srv := ldapd.New(rig.Dir, ldapd.DefaultConfig, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer srv.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := srv.Serve(l, true); err == nil || errors.Is(err, ldapd.ErrServerClosed) {
		t.Errorf("LDAPS without TLS configuration: got %v, want an error", err)
	}
	go srv.Serve(l, false)

	// go-ldap's StartTLS leaves its connection unusable after a refusal,
	// so the connection is checked with raw messages.
	raw := rawDial(t, l.Addr().String(), false, rig)
	startTLS := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationExtendedRequest, nil, "")
	startTLS.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "1.3.6.1.4.1.1466.20037", ""))
	if _, err := raw.Write(message(1, startTLS)); err != nil {
		t.Fatal(err)
	}
	if code, _ := resultCode(t, raw, ldap.ApplicationExtendedResponse); code != ldap.LDAPResultUnavailable {
		t.Errorf("StartTLS without TLS configuration: got code %d, want unavailable (52)", code)
	}
	if _, err := raw.Write(message(2, rootDSESearch(ber.NewString(ber.ClassContext, ber.TypePrimitive, 7, "objectClass", "")))); err != nil {
		t.Fatal(err)
	}
	if code, entries := resultCode(t, raw, ldap.ApplicationSearchResultDone); code != 0 || entries != 1 {
		t.Errorf("root DSE after the refused StartTLS: code %d, %d entries", code, entries)
	}

	c, err := ldap.DialURL("ldap://" + l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetTimeout(requestTimeout)
	wantCode(t, c.Bind(rig.ServiceDN, rig.ServicePassword), ldap.LDAPResultConfidentialityRequired, "bind without TLS")
}

// TestOneReadConnection: the LDAP paths never take a second database
// connection while they hold one (a search holds a view). With a read
// pool of one, a search that re-read its service account beside its view
// hung; with the default pool it hung only under load (a login storm).
func TestOneReadConnection(t *testing.T) {
	rig := testrig.New(t, testrig.Options{ReadConns: 1})
	login := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	done := make(chan error, 1)
	go func() {
		// the sssd flow: service bind, searches, then the user's bind
		c := serviceConn(t, rig)
		defer c.Close()
		for _, f := range []string{"(uid=" + login + ")", "(memberUid=" + login + ")", "(objectClass=posixGroup)"} {
			if _, err := c.Search(searchReq(testrig.BaseDN, ldap.ScopeWholeSubtree, f, "uid", "cn")); err != nil {
				done <- err
				return
			}
		}
		rig.Dir.InvalidateCaches(ctx) // the next search re-reads the account
		if _, err := c.Search(searchReq(testrig.BaseDN, ldap.ScopeWholeSubtree, "(uid="+login+")", "uid")); err != nil {
			done <- err
			return
		}
		u := userConn(t, rig, login, annaPW)
		defer u.Close()
		_, err := u.Search(searchReq(testrig.PersonDN(login), ldap.ScopeBaseObject, "(objectClass=*)", "uid"))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second): // a hang, not a slow answer
		t.Fatal("the server is stuck: a path takes a second read connection while it holds one")
	}
}
