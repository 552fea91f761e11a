package ldapd_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
	"kaspel/server/testrig"
)

// Passwords the tests give people; they satisfy the policy.
const (
	annaPW  = "Sonne-Hase-47"
	benPW   = "Mond-Igel-58"
	teachPW = "Tafel-Kreide-93"
	adminPW = "Schluessel-Bund-26"
)

var ctx = context.Background()

const (
	base      = testrig.BaseDN
	peopleDN  = "ou=people," + testrig.BaseDN
	groupsDN  = "ou=groups," + testrig.BaseDN
	servicesN = "ou=services," + testrig.BaseDN
)

func groupDN(name string) string { return "cn=" + name + ",ou=groups," + testrig.BaseDN }

// requestTimeout only keeps a broken server from hanging the whole run;
// no test asserts anything about time.
const requestTimeout = 2 * time.Minute

// dialStartTLS connects to the plain port and upgrades with StartTLS, as
// sssd and nslcd do.
func dialStartTLS(t testing.TB, rig *testrig.Rig) *ldap.Conn {
	t.Helper()
	c := dialPlain(t, rig)
	if err := c.StartTLS(rig.TLSConfig()); err != nil {
		t.Fatalf("StartTLS: %v", err)
	}
	return c
}

// dialLDAPS connects to the LDAPS port, as pGina does.
func dialLDAPS(t testing.TB, rig *testrig.Rig) *ldap.Conn {
	t.Helper()
	c, err := ldap.DialURL("ldaps://"+rig.LDAPS, ldap.DialWithTLSConfig(rig.TLSConfig()))
	if err != nil {
		t.Fatalf("dial LDAPS: %v", err)
	}
	c.SetTimeout(requestTimeout)
	t.Cleanup(func() { c.Close() })
	return c
}

// dialPlain connects without TLS.
func dialPlain(t testing.TB, rig *testrig.Rig) *ldap.Conn {
	t.Helper()
	c, err := ldap.DialURL("ldap://" + rig.LDAPAddr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.SetTimeout(requestTimeout)
	t.Cleanup(func() { c.Close() })
	return c
}

// serviceConn is a StartTLS connection bound as the rig's service account.
func serviceConn(t testing.TB, rig *testrig.Rig) *ldap.Conn {
	t.Helper()
	c := dialStartTLS(t, rig)
	if err := c.Bind(rig.ServiceDN, rig.ServicePassword); err != nil {
		t.Fatalf("service bind: %v", err)
	}
	return c
}

// userConn is a StartTLS connection bound as a person.
func userConn(t testing.TB, rig *testrig.Rig, login, pw string) *ldap.Conn {
	t.Helper()
	c := dialStartTLS(t, rig)
	if err := c.Bind(testrig.PersonDN(login), pw); err != nil {
		t.Fatalf("bind as %s: %v", login, err)
	}
	return c
}

// canBind reports whether a person can bind on a new connection; any
// error other than invalidCredentials fails the test.
func canBind(t testing.TB, rig *testrig.Rig, login, pw string) bool {
	t.Helper()
	c := dialStartTLS(t, rig)
	defer c.Close()
	err := c.Bind(testrig.PersonDN(login), pw)
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Fatalf("bind as %s: got %v, want success or invalidCredentials", login, err)
	}
	return err == nil
}

// bindPolicy binds with the password policy request control, as sssd
// does, and returns the policy response control (nil if there is none).
func bindPolicy(t testing.TB, c *ldap.Conn, dn, pw string) (*ldap.ControlBeheraPasswordPolicy, error) {
	t.Helper()
	res, err := c.SimpleBind(ldap.NewSimpleBindRequest(dn, pw, []ldap.Control{ldap.NewControlBeheraPasswordPolicy()}))
	if res == nil {
		return nil, err
	}
	ctl := ldap.FindControl(res.Controls, ldap.ControlTypeBeheraPasswordPolicy)
	if ctl == nil {
		return nil, err
	}
	return ctl.(*ldap.ControlBeheraPasswordPolicy), err
}

func searchReq(baseDN string, scope int, filter string, attrs ...string) *ldap.SearchRequest {
	return ldap.NewSearchRequest(baseDN, scope, ldap.NeverDerefAliases, 0, 0, false, filter, attrs, nil)
}

// search runs a search that must succeed.
func search(t testing.TB, c *ldap.Conn, baseDN string, scope int, filter string, attrs ...string) []*ldap.Entry {
	t.Helper()
	res, err := c.Search(searchReq(baseDN, scope, filter, attrs...))
	if err != nil {
		t.Fatalf("search %s %s: %v", baseDN, filter, err)
	}
	return res.Entries
}

// wantCode fails unless err is an LDAP error with the code.
// searchHidden checks that a search on a base the principal may not read
// answers noSuchObject: to them the entry does not exist.
func searchHidden(t testing.TB, c *ldap.Conn, baseDN string, scope int, filter string) {
	t.Helper()
	res, err := c.Search(searchReq(baseDN, scope, filter))
	if err == nil {
		t.Errorf("search %s %s: got %d entries and no error, want noSuchObject", baseDN, filter, len(res.Entries))
		return
	}
	wantCode(t, err, ldap.LDAPResultNoSuchObject, "search "+baseDN)
}

func wantCode(t testing.TB, err error, code uint16, what string) {
	t.Helper()
	if !ldap.IsErrorWithCode(err, code) {
		t.Errorf("%s: got %v, want result code %d (%s)", what, err, code, ldap.LDAPResultCodeMap[code])
	}
}

// dns lists the entries' DNs, sorted and in lower case.
func dns(entries []*ldap.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.ToLower(e.DN)
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ToLower(v)
	}
	slices.Sort(out)
	return out
}

// addPupil creates a pupil with a known password in a class.
func addPupil(rig *testrig.Rig, first, last, pw, class string) string {
	return rig.AddPerson(first, last, directory.Pupil, pw, class)
}

// gidOf is a group's gidNumber.
func gidOf(t testing.TB, rig *testrig.Rig, name string) int {
	t.Helper()
	groups, err := rig.Dir.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if g.Name == name {
			return g.GIDNumber
		}
	}
	t.Fatalf("no group %s", name)
	return 0
}

// searchStillWorks checks that a connection bound as a person still
// answers: the own entry can be read.
func searchStillWorks(t testing.TB, c *ldap.Conn, login string) {
	t.Helper()
	got := search(t, c, testrig.PersonDN(login), ldap.ScopeBaseObject, "(objectClass=*)", "uid")
	if len(got) != 1 || got[0].GetAttributeValue("uid") != login {
		t.Errorf("search own entry after the error: got %d entries (%v), want uid=%s", len(got), dns(got), login)
	}
}
