package ldapd_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
	"kaspel/server/ldapd"
	"kaspel/server/testrig"
)

func TestVisibility(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")
	tina := rig.AddPerson("Tina", "Tafel", directory.Teacher, teachPW, "3a", "3b")
	adam := rig.AddPerson("Adam", "Admin", directory.Admin, adminPW)

	structural := []string{base, peopleDN, groupsDN, servicesN}
	everything := append(slices.Clone(structural),
		testrig.PersonDN(anna), testrig.PersonDN(ben), testrig.PersonDN(tina), testrig.PersonDN(adam),
		groupDN("schueler"), groupDN("lehrer"), groupDN("sekretariat"), groupDN("admins"), groupDN("3a"), groupDN("3b"),
		rig.ServiceDN)

	tests := []struct {
		name string
		c    *ldap.Conn
		want []string
	}{
		{"pupil", userConn(t, rig, anna, annaPW), append(slices.Clone(structural), testrig.PersonDN(anna), groupDN("schueler"), groupDN("3a"))},
		{"other pupil", userConn(t, rig, ben, benPW), append(slices.Clone(structural), testrig.PersonDN(ben), groupDN("schueler"), groupDN("3b"))},
		{"teacher", userConn(t, rig, tina, teachPW), append(slices.Clone(structural), testrig.PersonDN(tina), groupDN("lehrer"), groupDN("3a"), groupDN("3b"))},
		{"admin", userConn(t, rig, adam, adminPW), everything},
		{"service", serviceConn(t, rig), everything},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, attrs := range [][]string{nil, {"*", "+"}, {"*", "+", "userPassword"}, {"userPassword"}} {
				got := search(t, tt.c, base, ldap.ScopeWholeSubtree, "(objectClass=*)", attrs...)
				if !slices.Equal(dns(got), sorted(tt.want...)) {
					t.Errorf("attributes %v: got\n%v\nwant\n%v", attrs, dns(got), sorted(tt.want...))
				}
				for _, e := range got {
					for _, a := range e.Attributes {
						if strings.EqualFold(a.Name, "userPassword") || strings.EqualFold(a.Name, "2.5.4.35") {
							t.Errorf("%s has %s %v", e.DN, a.Name, a.Values)
						}
					}
				}
			}
			if got := search(t, tt.c, base, ldap.ScopeWholeSubtree, "(userPassword=*)"); len(got) != 0 {
				t.Errorf("(userPassword=*): got %v", dns(got))
			}
		})
	}

	pupil := tests[0].c
	t.Run("pupil looks for others", func(t *testing.T) {
		for _, q := range []struct {
			base   string
			scope  int
			filter string
		}{
			{base, ldap.ScopeWholeSubtree, "(uid=" + ben + ")"},
			{testrig.PersonDN(ben), ldap.ScopeBaseObject, "(objectClass=*)"},
			{groupDN("3b"), ldap.ScopeBaseObject, "(objectClass=*)"},
			{groupDN("lehrer"), ldap.ScopeBaseObject, "(objectClass=*)"},
			{rig.ServiceDN, ldap.ScopeBaseObject, "(objectClass=*)"},
			{base, ldap.ScopeWholeSubtree, "(objectClass=posixGroup)"},
			{peopleDN, ldap.ScopeSingleLevel, "(objectClass=posixAccount)"},
		} {
			if q.scope == ldap.ScopeBaseObject {
				// what a pupil may not read does not exist for them
				searchHidden(t, pupil, q.base, q.scope, q.filter)
				continue
			}
			got := search(t, pupil, q.base, q.scope, q.filter)
			for _, e := range got {
				if dn := strings.ToLower(e.DN); dn != testrig.PersonDN(anna) && dn != groupDN("3a") && dn != groupDN("schueler") {
					t.Errorf("%s %s: got %s", q.base, q.filter, e.DN)
				}
			}
		}
	})

	t.Run("operational attributes only on request", func(t *testing.T) {
		plain := search(t, pupil, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)")
		ops := search(t, pupil, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)", "+")
		named := search(t, pupil, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)", "uid", "entryDN")
		if len(plain) != 1 || len(ops) != 1 || len(named) != 1 {
			t.Fatalf("got %d, %d, %d entries", len(plain), len(ops), len(named))
		}
		if v := plain[0].GetAttributeValue("entryDN"); v != "" {
			t.Errorf("entryDN without asking: %q", v)
		}
		if plain[0].GetAttributeValue("uid") != anna {
			t.Errorf("uid missing from a search for all user attributes")
		}
		if v := ops[0].GetAttributeValue("entryDN"); !strings.EqualFold(v, testrig.PersonDN(anna)) {
			t.Errorf("entryDN with +: got %q", v)
		}
		if v := ops[0].GetAttributeValue("uid"); v != "" {
			t.Errorf("uid with only +: got %q", v)
		}
		if len(named[0].Attributes) != 2 {
			t.Errorf("attributes uid and entryDN: got %d attributes", len(named[0].Attributes))
		}
		typesOnly := ldap.NewSearchRequest(testrig.PersonDN(anna), ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, true, "(objectClass=*)", []string{"uid", "cn"}, nil)
		res, err := pupil.Search(typesOnly)
		if err != nil || len(res.Entries) != 1 || len(res.Entries[0].Attributes) != 2 {
			t.Fatalf("types only: %v, %v", res, err)
		}
		for _, a := range res.Entries[0].Attributes {
			if len(a.Values) != 0 {
				t.Errorf("types only: %s has values %v", a.Name, a.Values)
			}
		}
	})
}

// demoPupils creates n pupils with one shared password in 8 classes and
// returns their logins.
func demoPupils(t testing.TB, rig *testrig.Rig, n int) []string {
	t.Helper()
	people := make([]directory.NewPerson, n)
	for i := range people {
		people[i] = directory.NewPerson{FirstName: "Kind", LastName: fmt.Sprintf("Nummer%05d", i), Role: directory.Pupil,
			Classes: []string{fmt.Sprintf("%d%c", 1+i%4, 'a'+i/4%2)}}
	}
	created, err := rig.Dir.AddDemoPeople(ctx, testrig.Admin, people, "Demo-Passwort-1")
	if err != nil {
		t.Fatal(err)
	}
	logins := make([]string, len(created))
	for i, p := range created {
		logins[i] = p.Login
	}
	return logins
}

func TestPagingAndSizeLimit(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	logins := demoPupils(t, rig, 1100)
	if ldapd.DefaultConfig.SizeLimit != 1000 {
		t.Fatalf("the test assumes the default size limit 1000, not %d", ldapd.DefaultConfig.SizeLimit)
	}
	c := serviceConn(t, rig)
	want := make([]string, len(logins))
	for i, l := range logins {
		want[i] = testrig.PersonDN(l)
	}

	for _, size := range []uint32{100, 333, 5000} {
		t.Run(fmt.Sprintf("paged by %d", size), func(t *testing.T) {
			res, err := c.SearchWithPaging(searchReq(base, ldap.ScopeWholeSubtree, "(objectClass=posixAccount)", "uid"), size)
			if err != nil {
				t.Fatalf("paged search: %v", err)
			}
			if got := dns(res.Entries); !slices.Equal(got, sorted(want...)) {
				t.Errorf("got %d entries (%d distinct), want each of the %d pupils once", len(got), len(slices.Compact(got)), len(want))
			}
		})
	}

	t.Run("one page at a time", func(t *testing.T) {
		req := searchReq(peopleDN, ldap.ScopeSingleLevel, "(objectClass=posixAccount)", "uid")
		paging := ldap.NewControlPaging(400)
		req.Controls = []ldap.Control{paging}
		var pages []int
		seen := map[string]bool{}
		for {
			res, err := c.Search(req)
			if err != nil {
				t.Fatalf("page %d: %v", len(pages)+1, err)
			}
			pages = append(pages, len(res.Entries))
			for _, e := range res.Entries {
				if seen[e.DN] {
					t.Errorf("%s twice", e.DN)
				}
				seen[e.DN] = true
			}
			ctl, ok := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
			if !ok {
				t.Fatal("no paging control in the response")
			}
			if len(ctl.Cookie) == 0 {
				break
			}
			paging.SetCookie(ctl.Cookie)
			if len(pages) > 10 {
				t.Fatal("paging does not end")
			}
		}
		if !slices.Equal(pages, []int{400, 400, 300}) || len(seen) != 1100 {
			t.Errorf("pages: got %v (%d entries), want [400 400 300]", pages, len(seen))
		}
	})

	t.Run("a cookie for another search", func(t *testing.T) {
		req := searchReq(peopleDN, ldap.ScopeSingleLevel, "(objectClass=posixAccount)", "uid")
		paging := ldap.NewControlPaging(100)
		req.Controls = []ldap.Control{paging}
		res, err := c.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		cookie := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging).Cookie
		other := searchReq(peopleDN, ldap.ScopeSingleLevel, "(objectClass=*)", "uid")
		p2 := ldap.NewControlPaging(100)
		p2.SetCookie(cookie)
		other.Controls = []ldap.Control{p2}
		_, err = c.Search(other)
		wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "cookie of another search")
		p3 := ldap.NewControlPaging(100)
		p3.SetCookie([]byte("made up"))
		req.Controls = []ldap.Control{p3}
		_, err = c.Search(req)
		wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "made-up cookie")
	})

	t.Run("abandoned paged search", func(t *testing.T) {
		req := searchReq(peopleDN, ldap.ScopeSingleLevel, "(objectClass=posixAccount)", "uid")
		paging := ldap.NewControlPaging(100)
		req.Controls = []ldap.Control{paging}
		res, err := c.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		cookie := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging).Cookie
		stop := ldap.NewControlPaging(0)
		stop.SetCookie(cookie)
		req.Controls = []ldap.Control{stop}
		res, err = c.Search(req)
		if err != nil || len(res.Entries) != 0 {
			t.Fatalf("abandon with page size 0: %v entries, %v; want none and success", res, err)
		}
		if ctl, ok := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging); !ok || len(ctl.Cookie) != 0 {
			t.Errorf("abandon: response control %v, want one with an empty cookie", res.Controls)
		}
		next := ldap.NewControlPaging(100)
		next.SetCookie(cookie)
		req.Controls = []ldap.Control{next}
		_, err = c.Search(req)
		wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "cookie of the abandoned search")
	})

	t.Run("a new bind forgets the pages", func(t *testing.T) {
		c := serviceConn(t, rig)
		req := searchReq(peopleDN, ldap.ScopeSingleLevel, "(objectClass=posixAccount)", "uid")
		paging := ldap.NewControlPaging(100)
		req.Controls = []ldap.Control{paging}
		res, err := c.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		paging.SetCookie(ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging).Cookie)
		if err := c.Bind(rig.ServiceDN, rig.ServicePassword); err != nil {
			t.Fatal(err)
		}
		_, err = c.Search(req)
		wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "cookie from before the bind")
	})

	t.Run("server size limit", func(t *testing.T) {
		res, err := c.Search(searchReq(base, ldap.ScopeWholeSubtree, "(objectClass=*)", "1.1"))
		wantCode(t, err, ldap.LDAPResultSizeLimitExceeded, "search of everything")
		if res == nil || len(res.Entries) != 1000 {
			t.Errorf("got %v entries, want 1000", res)
		}
	})

	t.Run("client size limit", func(t *testing.T) {
		for _, tt := range []struct {
			limit  int
			filter string
			want   int
			code   uint16
		}{
			{10, "(objectClass=posixAccount)", 10, ldap.LDAPResultSizeLimitExceeded},
			{1, "(objectClass=*)", 1, ldap.LDAPResultSizeLimitExceeded},
			{3, "(objectClass=organizationalUnit)", 3, ldap.LDAPResultSuccess},
			{4, "(objectClass=organizationalUnit)", 3, ldap.LDAPResultSuccess},
			{5000, "(objectClass=posixAccount)", 1000, ldap.LDAPResultSizeLimitExceeded},
		} {
			req := ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, tt.limit, 0, false, tt.filter, []string{"1.1"}, nil)
			res, err := c.Search(req)
			if tt.code == ldap.LDAPResultSuccess {
				if err != nil {
					t.Errorf("limit %d, %s: %v", tt.limit, tt.filter, err)
				}
			} else {
				wantCode(t, err, tt.code, fmt.Sprintf("limit %d, %s", tt.limit, tt.filter))
			}
			if res == nil || len(res.Entries) != tt.want {
				t.Errorf("limit %d, %s: got %v entries, want %d", tt.limit, tt.filter, res, tt.want)
			}
		}
	})

	some := logins[17]
	t.Run("scopes", func(t *testing.T) {
		tests := []struct {
			base   string
			scope  int
			filter string
			want   []string // nil: count only
			count  int
		}{
			{base, ldap.ScopeBaseObject, "(objectClass=*)", []string{base}, 1},
			{base, ldap.ScopeSingleLevel, "(objectClass=*)", []string{peopleDN, groupsDN, servicesN}, 3},
			{base, ldap.ScopeWholeSubtree, "(objectClass=organizationalUnit)", []string{peopleDN, groupsDN, servicesN}, 3},
			{base, ldap.ScopeChildren, "(|(objectClass=organizationalUnit)(dc=*))", []string{peopleDN, groupsDN, servicesN}, 3},
			{base, ldap.ScopeWholeSubtree, "(uid=" + some + ")", []string{testrig.PersonDN(some)}, 1},
			{peopleDN, ldap.ScopeBaseObject, "(objectClass=*)", []string{peopleDN}, 1},
			{peopleDN, ldap.ScopeWholeSubtree, "(uid=" + some + ")", []string{testrig.PersonDN(some)}, 1},
			{peopleDN, ldap.ScopeSingleLevel, "(&(objectClass=posixAccount)(uidNumber>=0))", nil, 1000},
			{groupsDN, ldap.ScopeSingleLevel, "(objectClass=posixGroup)", nil, 12}, // 4 roles, 8 classes
			{groupsDN, ldap.ScopeWholeSubtree, "(ou=*)", []string{groupsDN}, 1},
			{servicesN, ldap.ScopeSingleLevel, "(objectClass=*)", []string{rig.ServiceDN}, 1},
			{testrig.PersonDN(some), ldap.ScopeBaseObject, "(objectClass=*)", []string{testrig.PersonDN(some)}, 1},
			{testrig.PersonDN(some), ldap.ScopeWholeSubtree, "(objectClass=*)", []string{testrig.PersonDN(some)}, 1},
			{testrig.PersonDN(some), ldap.ScopeSingleLevel, "(objectClass=*)", []string{}, 0},
			{testrig.PersonDN(some), ldap.ScopeChildren, "(objectClass=*)", []string{}, 0},
			{testrig.PersonDN(some), ldap.ScopeBaseObject, "(uid=someone.else)", []string{}, 0},
			{strings.ToUpper("uid=" + some + ",OU=People, DC=gsborsum, DC=de"), ldap.ScopeBaseObject, "(objectClass=*)", []string{testrig.PersonDN(some)}, 1},
			{groupDN("2a"), ldap.ScopeBaseObject, "(objectClass=*)", []string{groupDN("2a")}, 1},
			{"", ldap.ScopeWholeSubtree, "(objectClass=*)", []string{}, 0},
		}
		for _, tt := range tests {
			req := searchReq(tt.base, tt.scope, tt.filter, "1.1")
			req.SizeLimit = 0
			res, err := c.Search(req)
			if tt.count == 1000 {
				wantCode(t, err, ldap.LDAPResultSizeLimitExceeded, "one level below ou=people")
			} else if err != nil {
				t.Errorf("%s scope %d %s: %v", tt.base, tt.scope, tt.filter, err)
				continue
			}
			if res == nil || len(res.Entries) != tt.count {
				t.Errorf("%s scope %d %s: got %v, want %d entries", tt.base, tt.scope, tt.filter, res, tt.count)
				continue
			}
			if tt.want != nil && !slices.Equal(dns(res.Entries), sorted(tt.want...)) {
				t.Errorf("%s scope %d %s: got %v, want %v", tt.base, tt.scope, tt.filter, dns(res.Entries), sorted(tt.want...))
			}
		}
	})

	t.Run("missing entries", func(t *testing.T) {
		for _, tt := range []struct {
			base    string
			code    uint16
			matched string
		}{
			{testrig.PersonDN("niemand.da"), ldap.LDAPResultNoSuchObject, peopleDN},
			{"cn=niemand,ou=people," + base, ldap.LDAPResultNoSuchObject, peopleDN},
			{groupDN("9z"), ldap.LDAPResultNoSuchObject, groupsDN},
			{"cn=nobody," + servicesN, ldap.LDAPResultNoSuchObject, servicesN},
			{"ou=rooms," + base, ldap.LDAPResultNoSuchObject, base},
			{"uid=x,uid=" + some + "," + peopleDN, ldap.LDAPResultNoSuchObject, ""},
			{"dc=example,dc=org", ldap.LDAPResultNoSuchObject, ""},
			{"not a dn", ldap.LDAPResultInvalidDNSyntax, ""},
		} {
			for _, scope := range []int{ldap.ScopeBaseObject, ldap.ScopeWholeSubtree} {
				_, err := c.Search(searchReq(tt.base, scope, "(objectClass=*)"))
				wantCode(t, err, tt.code, tt.base)
				var le *ldap.Error
				if errors.As(err, &le) && !strings.EqualFold(le.MatchedDN, tt.matched) {
					t.Errorf("%s: matchedDN %q, want %q", tt.base, le.MatchedDN, tt.matched)
				}
			}
		}
	})
}

// A smaller size limit in the configuration holds for searches and pages.
func TestConfiguredSizeLimit(t *testing.T) {
	cfg := ldapd.DefaultConfig
	cfg.SizeLimit = 25
	rig := testrig.New(t, testrig.Options{LDAP: &cfg})
	demoPupils(t, rig, 40)
	c := serviceConn(t, rig)

	req := ldap.NewSearchRequest(peopleDN, ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 100, 0, false, "(objectClass=posixAccount)", []string{"uid"}, nil)
	res, err := c.Search(req)
	wantCode(t, err, ldap.LDAPResultSizeLimitExceeded, "search past the configured limit")
	if res == nil || len(res.Entries) != 25 {
		t.Errorf("got %v entries, want 25", res)
	}
	paged, err := c.SearchWithPaging(searchReq(peopleDN, ldap.ScopeSingleLevel, "(objectClass=posixAccount)", "uid"), 100)
	if err != nil || len(paged.Entries) != 40 {
		t.Errorf("paged search with pages above the limit: %v entries, %v; want all 40", len(paged.Entries), err)
	}
}

// TestSearchFilters runs filters over a small directory as the service
// account. The server narrows candidates with the filter's indexed
// assertions; every branch of that must still find exactly the entries
// the filter matches.
func TestSearchFilters(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")
	tina := rig.AddPerson("Tina", "Tafel", directory.Teacher, teachPW, "3a", "3b")
	c := serviceConn(t, rig)
	uidOf := func(login string) string {
		p, err := rig.Dir.Person(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(p.UIDNumber)
	}
	annaDN, benDN, tinaDN := testrig.PersonDN(anna), testrig.PersonDN(ben), testrig.PersonDN(tina)
	allGroups := []string{groupDN("schueler"), groupDN("lehrer"), groupDN("sekretariat"), groupDN("admins"), groupDN("3a"), groupDN("3b")}

	tests := []struct {
		filter string
		want   []string
	}{
		{"(uid=" + strings.ToUpper(anna) + ")", []string{annaDN}},
		{"(mail=ANNA.SCHMIDT@GSBORSUM.DE)", []string{annaDN}},
		{"(mail=anna.schmidt@example.org)", nil},
		{"(mail=no-at-sign)", nil},
		{"(uidNumber=" + uidOf(anna) + ")", []string{annaDN}},
		{"(uidNumber=0" + uidOf(ben) + ")", []string{benDN}},
		{"(uidNumber=abc)", nil},
		{"(uidNumber>=" + uidOf(tina) + ")", []string{tinaDN}},
		{"(uidNumber<=" + uidOf(anna) + ")", []string{annaDN}},
		{"(cn=Anna Schmidt)", []string{annaDN}},
		{"(cn=3A)", []string{groupDN("3a")}},
		{"(cn=sssd)", []string{rig.ServiceDN}},
		{"(cn=lehrer)", []string{groupDN("lehrer")}},
		{"(cn=niemand)", nil},
		{fmt.Sprintf("(gidNumber=%d)", gidOf(t, rig, "schueler")), []string{annaDN, benDN, groupDN("schueler")}},
		{fmt.Sprintf("(gidNumber=%d)", gidOf(t, rig, "3a")), []string{groupDN("3a")}},
		{fmt.Sprintf("(gidNumber=%d)", gidOf(t, rig, "sekretariat")), []string{groupDN("sekretariat")}},
		{"(gidNumber=1)", nil},
		{"(memberUid=" + tina + ")", []string{groupDN("lehrer"), groupDN("3a"), groupDN("3b")}},
		{"(memberUid=niemand)", nil},
		{"(member=" + annaDN + ")", []string{groupDN("schueler"), groupDN("3a")}},
		{"(member=uid=" + anna + ",ou=people,dc=example,dc=org)", nil},
		{"(member=" + rig.ServiceDN + ")", nil},
		{"(uniqueMember=" + annaDN + ")", nil}, // not shown on groups
		{"(memberOf=CN=3a,OU=Groups,DC=gsborsum,DC=de)", []string{annaDN, tinaDN}},
		{"(|(uid=" + anna + ")(cn=3b))", []string{annaDN, groupDN("3b")}},
		{"(&(objectClass=posixAccount)(!(uid=" + anna + ")))", []string{benDN, tinaDN}},
		{"(&(objectClass=posixGroup)(!(cn=3*)))", []string{groupDN("schueler"), groupDN("lehrer"), groupDN("sekretariat"), groupDN("admins")}},
		{"(|(objectClass=applicationProcess)(objectClass=organization))", []string{rig.ServiceDN, base}},
		{"(hasSubordinates=TRUE)", []string{base, peopleDN, groupsDN, servicesN}},
		{"(uid~=" + strings.ReplaceAll(anna, ".", "") + ")", []string{annaDN}},
		{"(employeeType=teacher)", []string{tinaDN}},
		{"(sn=Sch*)", []string{annaDN}},
		{"(description=Klasse*)", []string{groupDN("3a"), groupDN("3b")}},
		{"(entryDN=" + strings.ToUpper(annaDN) + ")", []string{annaDN}},
		{"(ou=people)", []string{peopleDN}},
		{"(favouriteColour=blue)", nil},
		{"(!(favouriteColour=blue))", nil},
		{"(|(favouriteColour=blue)(uid=" + ben + "))", []string{benDN}},
		{"(&(objectClass=posixGroup)(!(uidNumber=0)))", allGroups},
		{"(cn:caseExactMatch:=3a)", nil},
		{"(objectClass=*)", append([]string{base, peopleDN, groupsDN, servicesN, annaDN, benDN, tinaDN, rig.ServiceDN}, allGroups...)},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got := search(t, c, base, ldap.ScopeWholeSubtree, tt.filter, "1.1")
			if want := sorted(tt.want...); !slices.Equal(dns(got), want) {
				t.Errorf("%s: got %v, want %v", tt.filter, dns(got), want)
			}
		})
	}
}
