package ldapd_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/testrig"
)

// sssdUserAttrs is what sssd 2.8.2 asks for in its user lookup.
var sssdUserAttrs = []string{"objectClass", "uid", "userPassword", "uidNumber", "gidNumber", "gecos",
	"homeDirectory", "loginShell", "krbPrincipalName", "cn", "memberOf", "modifyTimestamp",
	"shadowLastChange", "shadowMin", "shadowMax", "shadowWarning", "shadowInactive", "shadowExpire",
	"shadowFlag", "krbLastPwdChange", "krbPasswordExpiration", "pwdAttribute", "authorizedService",
	"accountExpires", "userAccountControl", "nsAccountLock", "host", "rhost", "loginDisabled",
	"loginExpirationTime", "loginAllowedTimeMap", "sshPublicKey", "userCertificate;binary", "mail"}

// rootDSEAttrs is what sssd asks the root DSE for.
var rootDSEAttrs = []string{"*", "altServer", "namingContexts", "supportedControl", "supportedExtension",
	"supportedFeatures", "supportedLDAPVersion", "supportedSASLMechanisms", "defaultNamingContext",
	"lastUSN", "highestCommittedUSN"}

func checkRootDSE(t *testing.T, c *ldap.Conn) {
	t.Helper()
	got := search(t, c, "", ldap.ScopeBaseObject, "(objectclass=*)", rootDSEAttrs...)
	if len(got) != 1 {
		t.Fatalf("root DSE: got %d entries, want 1", len(got))
	}
	e := got[0]
	if nc := e.GetAttributeValues("namingContexts"); !slices.Equal(nc, []string{base}) {
		t.Errorf("namingContexts: got %v, want [%s]", nc, base)
	}
	for _, want := range []struct{ attr, oid string }{
		{"supportedControl", "1.2.840.113556.1.4.319"},    // paging
		{"supportedControl", "1.3.6.1.4.1.42.2.27.8.5.1"}, // password policy
		{"supportedExtension", "1.3.6.1.4.1.4203.1.11.1"}, // password modify
		{"supportedExtension", "1.3.6.1.4.1.4203.1.11.3"}, // who am I
		{"supportedExtension", "1.3.6.1.4.1.1466.20037"},  // StartTLS
		{"supportedLDAPVersion", "3"},
	} {
		if vals := e.GetAttributeValues(want.attr); !slices.Contains(vals, want.oid) {
			t.Errorf("%s: got %v, want %s among them", want.attr, vals, want.oid)
		}
	}
}

// TestSSSDFlow replays what sssd 2.8.2 sends for one login: identity
// lookups on a service-bound connection, then the authentication on a new
// connection of its own.
func TestSSSDFlow(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	login := addPupil(rig, "Jürgen", "Weiß", annaPW, "3a")
	addPupil(rig, "Ben", "Becker", benPW, "3b")
	person, err := rig.Dir.Person(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	pupilGID := gidOf(t, rig, "schueler")

	c := dialStartTLS(t, rig)
	checkRootDSE(t, c)
	if err := c.Bind(rig.ServiceDN, rig.ServicePassword); err != nil {
		t.Fatalf("service bind: %v", err)
	}

	users := search(t, c, base, ldap.ScopeWholeSubtree,
		fmt.Sprintf("(&(uid=%s)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", login), sssdUserAttrs...)
	if len(users) != 1 {
		t.Fatalf("user search: got %d entries (%v), want 1", len(users), dns(users))
	}
	u := users[0]
	if u.DN != testrig.PersonDN(login) {
		t.Errorf("DN: got %q, want %q", u.DN, testrig.PersonDN(login))
	}
	for _, tt := range []struct{ attr, want string }{
		{"uid", login},
		{"uidNumber", strconv.Itoa(person.UIDNumber)},
		{"gidNumber", strconv.Itoa(pupilGID)},
		{"homeDirectory", "/home/" + login},
		{"loginShell", "/bin/bash"},
		{"gecos", "Juergen Weiss"},
		{"cn", "Jürgen Weiß"},
		{"mail", login + "@" + testrig.Domain},
	} {
		if got := u.GetAttributeValue(tt.attr); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.attr, got, tt.want)
		}
	}
	if got, want := sorted(u.GetAttributeValues("memberOf")...), sorted(groupDN("3a"), groupDN("schueler")); !slices.Equal(got, want) {
		t.Errorf("memberOf: got %v, want %v", got, want)
	}
	if v := u.GetAttributeValues("userPassword"); len(v) != 0 {
		t.Errorf("userPassword returned: %v", v)
	}
	if v := u.GetAttributeValues("shadowExpire"); len(v) != 0 {
		t.Errorf("shadowExpire of a usable account: %v", v)
	}

	primary := search(t, c, base, ldap.ScopeWholeSubtree,
		fmt.Sprintf("(&(gidNumber=%d)(objectClass=posixGroup))", pupilGID), "objectClass", "cn", "gidNumber", "memberUid")
	if got, want := dns(primary), sorted(groupDN("schueler")); !slices.Equal(got, want) {
		t.Errorf("primary group: got %v, want %v", got, want)
	}

	res, err := c.SearchWithPaging(searchReq(base, ldap.ScopeWholeSubtree,
		fmt.Sprintf("(&(memberuid=%s)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", login),
		"objectClass", "cn", "userPassword", "gidNumber", "memberUid", "modifyTimestamp"), 1000)
	if err != nil {
		t.Fatalf("membership search: %v", err)
	}
	if got, want := dns(res.Entries), sorted(groupDN("3a"), groupDN("schueler")); !slices.Equal(got, want) {
		t.Errorf("memberships: got %v, want %v", got, want)
	}
	for _, e := range res.Entries {
		if !slices.Contains(e.GetAttributeValues("memberUid"), login) {
			t.Errorf("%s: memberUid %v lacks %s", e.DN, e.GetAttributeValues("memberUid"), login)
		}
		if e.GetAttributeValue("gidNumber") == "" {
			t.Errorf("%s: no gidNumber", e.DN)
		}
	}
	if err := c.Unbind(); err != nil {
		t.Errorf("unbind: %v", err)
	}

	// Authentication: a new connection, StartTLS, root DSE, bind with the
	// password policy control.
	auth := dialStartTLS(t, rig)
	checkRootDSE(t, auth)
	pol, err := bindPolicy(t, auth, testrig.PersonDN(login), annaPW)
	if err != nil {
		t.Fatalf("user bind: %v", err)
	}
	if pol == nil {
		t.Fatal("user bind: no password policy response control")
	}
	if pol.Error != -1 || pol.Expire != -1 || pol.Grace != -1 {
		t.Errorf("password policy control of a normal user: got error %d expire %d grace %d, want none", pol.Error, pol.Expire, pol.Grace)
	}
	if err := auth.Unbind(); err != nil {
		t.Errorf("unbind: %v", err)
	}
}

// TestNSLCDFlow replays nslcd: lookups as the service account, then
// the login as a bind and a base search on the own entry.
func TestNSLCDFlow(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	login := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	other := addPupil(rig, "Ben", "Becker", benPW, "3b")
	dn := testrig.PersonDN(login)

	c := serviceConn(t, rig)
	users := search(t, c, base, ldap.ScopeWholeSubtree, fmt.Sprintf("(&(objectClass=posixAccount)(uid=%s))", login),
		"uid", "userPassword", "uidNumber", "gidNumber", "cn", "homeDirectory", "loginShell", "gecos", "objectClass")
	if got, want := dns(users), sorted(dn); !slices.Equal(got, want) {
		t.Fatalf("user lookup: got %v, want %v", got, want)
	}

	for _, filter := range []string{
		fmt.Sprintf("(&(objectClass=posixGroup)(|(memberUid=%s)(member=%s)))", login, dn),
		// the member DN in another spelling
		fmt.Sprintf("(&(objectClass=posixGroup)(|(memberUid=nobody)(member=UID=%s, OU=People, DC=gsborsum, DC=de)))", login),
	} {
		groups := search(t, c, base, ldap.ScopeWholeSubtree, filter, "cn", "userPassword", "memberUid", "gidNumber")
		if got, want := dns(groups), sorted(groupDN("3a"), groupDN("schueler")); !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", filter, got, want)
		}
	}
	// all groups with their members, as "getent group" does
	all := search(t, c, base, ldap.ScopeWholeSubtree, "(objectClass=posixGroup)", "cn", "gidNumber", "memberUid")
	members := map[string][]string{}
	for _, e := range all {
		members[e.GetAttributeValue("cn")] = e.GetAttributeValues("memberUid")
	}
	if !slices.Equal(members["3a"], []string{login}) || !slices.Equal(members["3b"], []string{other}) {
		t.Errorf("class members: got %v", members)
	}
	if got := members["schueler"]; len(got) != 2 {
		t.Errorf("members of schueler: got %v, want both pupils", got)
	}

	// the login
	u := userConn(t, rig, login, annaPW)
	own := search(t, u, dn, ldap.ScopeBaseObject, "(objectClass=*)")
	if len(own) != 1 || own[0].GetAttributeValue("uid") != login {
		t.Fatalf("base search on the own DN: got %v", dns(own))
	}
}

// TestPGinaFlow replays pGina's LDAP plugin: find the DN as the service
// account, bind as the user, and check a class membership with a base
// search on the group.
func TestPGinaFlow(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")

	svc := dialLDAPS(t, rig)
	if err := svc.Bind(rig.ServiceDN, rig.ServicePassword); err != nil {
		t.Fatalf("service bind: %v", err)
	}
	found := search(t, svc, base, ldap.ScopeWholeSubtree, "(uid="+anna+")", "1.1")
	if len(found) != 1 {
		t.Fatalf("DN lookup: got %v, want one entry", dns(found))
	}
	if len(found[0].Attributes) != 0 {
		t.Errorf("attributes for 1.1: got %d, want none", len(found[0].Attributes))
	}
	annaDN := found[0].DN

	user := dialLDAPS(t, rig)
	if err := user.Bind(annaDN, annaPW); err != nil {
		t.Fatalf("bind as the found DN %s: %v", annaDN, err)
	}
	benConn := dialLDAPS(t, rig)
	if err := benConn.Bind(testrig.PersonDN(ben), benPW); err != nil {
		t.Fatalf("bind as ben: %v", err)
	}

	class := "cn=3a,ou=groups,dc=gsborsum,dc=de"
	tests := []struct {
		name   string
		c      func() *ldap.Conn
		filter string
		want   int
	}{
		{"service, member", func() *ldap.Conn { return svc }, "(memberUid=" + anna + ")", 1},
		{"service, member by DN", func() *ldap.Conn { return svc }, "(member=" + annaDN + ")", 1},
		{"service, not a member", func() *ldap.Conn { return svc }, "(memberUid=" + ben + ")", 0},
		{"service, unknown login", func() *ldap.Conn { return svc }, "(memberUid=nobody)", 0},
		{"user, member", func() *ldap.Conn { return user }, "(memberUid=" + anna + ")", 1},
		{"user, member by DN", func() *ldap.Conn { return user }, "(member=" + annaDN + ")", 1},
		{"user, not a member", func() *ldap.Conn { return benConn }, "(memberUid=" + ben + ")", -1},
		{"user, asks about another", func() *ldap.Conn { return benConn }, "(memberUid=" + anna + ")", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want < 0 { // a group the user is not in does not exist for them
				searchHidden(t, tt.c(), class, ldap.ScopeBaseObject, tt.filter)
				return
			}
			got := search(t, tt.c(), class, ldap.ScopeBaseObject, tt.filter, "cn")
			if len(got) != tt.want {
				t.Errorf("base search on %s with %s: got %d entries, want %d", class, tt.filter, len(got), tt.want)
			}
		})
	}
}
