package ldapd_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/audit"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/store"
	"kaspel/server/testrig"
)

// classesOf asks the directory over LDAP which groups a login is in, as
// sssd does, and returns their names.
func classesOf(t *testing.T, c *ldap.Conn, login string) []string {
	t.Helper()
	got := search(t, c, base, ldap.ScopeWholeSubtree, "(&(memberuid="+login+")(objectClass=posixGroup))", "cn")
	var names []string
	for _, e := range got {
		names = append(names, e.GetAttributeValue("cn"))
	}
	slices.Sort(names)
	return names
}

func memberOf(t *testing.T, c *ldap.Conn, login string) []string {
	t.Helper()
	got := search(t, c, testrig.PersonDN(login), ldap.ScopeBaseObject, "(objectClass=*)", "memberOf")
	if len(got) != 1 {
		t.Fatalf("entry of %s: got %d", login, len(got))
	}
	return sorted(got[0].GetAttributeValues("memberOf")...)
}

// Changes an admin makes show at the next request of an open connection,
// whether made by the server's own directory or by a second process (the
// command line) on the same database file.
func TestLiveChanges(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	ben := addPupil(rig, "Ben", "Becker", benPW, "4a")
	carl := addPupil(rig, "Carl", "Clausen", "Wolke-Regen-34", "3a")
	svc := serviceConn(t, rig) // one connection for the whole test

	t.Run("lock", func(t *testing.T) {
		bound := userConn(t, rig, carl, "Wolke-Regen-34")
		if err := rig.Dir.Lock(ctx, testrig.Admin, carl, "Test"); err != nil {
			t.Fatal(err)
		}
		_, err := bound.Search(searchReq(testrig.PersonDN(carl), ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the lock")
		if canBind(t, rig, carl, "Wolke-Regen-34") {
			t.Error("bind after the lock")
		}
		got := search(t, svc, testrig.PersonDN(carl), ldap.ScopeBaseObject, "(objectClass=*)", "shadowExpire")
		if len(got) != 1 || got[0].GetAttributeValue("shadowExpire") != "1" {
			t.Errorf("shadowExpire after the lock: %v", got)
		}
	})

	t.Run("password reset", func(t *testing.T) {
		onetime, err := rig.Dir.ResetPassword(ctx, testrig.Admin, anna)
		if err != nil {
			t.Fatal(err)
		}
		if canBind(t, rig, anna, annaPW) {
			t.Error("the old password binds after the reset")
		}
		c := dialStartTLS(t, rig)
		pol, err := bindPolicy(t, c, testrig.PersonDN(anna), onetime)
		if err != nil {
			t.Fatalf("bind with the new one-time password: %v", err)
		}
		if pol == nil || pol.Error != 2 {
			t.Errorf("password policy after the reset: got %+v, want changeAfterReset", pol)
		}
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "", annaPW+"x")); err != nil {
			t.Fatalf("change after the reset: %v", err)
		}
	})
	annaPW := annaPW + "x"

	t.Run("class change", func(t *testing.T) {
		bound := userConn(t, rig, anna, annaPW)
		if got := memberOf(t, bound, anna); !slices.Equal(got, sorted(groupDN("3a"), groupDN("schueler"))) {
			t.Fatalf("memberOf before: %v", got)
		}
		classes := []string{"3b"}
		if err := rig.Dir.EditPerson(ctx, testrig.Admin, anna, directory.Edit{Classes: &classes}); err != nil {
			t.Fatal(err)
		}
		if got := classesOf(t, svc, anna); !slices.Equal(got, []string{"3b", "schueler"}) {
			t.Errorf("groups after the change: %v", got)
		}
		if got := memberOf(t, bound, anna); !slices.Equal(got, sorted(groupDN("3b"), groupDN("schueler"))) {
			t.Errorf("memberOf after the change: %v", got)
		}
		// the pupil sees the new class and no longer the old one
		if got := search(t, bound, groupDN("3b"), ldap.ScopeBaseObject, "(memberUid="+anna+")"); len(got) != 1 {
			t.Errorf("own new class: got %d entries", len(got))
		}
		searchHidden(t, bound, groupDN("3a"), ldap.ScopeBaseObject, "(objectClass=*)") // the old class is gone for her
	})

	t.Run("import", func(t *testing.T) {
		list := "Vorname;Nachname;Klasse;ID\n" +
			"Anna;Schmidt;3b;1001\n" +
			"Ben;Becker;4a;1002\n" +
			"Carl;Clausen;3a;1003\n" +
			"Mia;Neu;2a;1004\n"
		var created []directory.Created
		importList(t, rig, list, &created)
		if len(created) != 1 || created[0].Login != "mia.neu" {
			t.Fatalf("created: %+v", created)
		}
		if got := search(t, svc, base, ldap.ScopeWholeSubtree, "(&(objectClass=posixAccount)(uid=mia.neu))", "uid"); len(got) != 1 {
			t.Errorf("the imported pupil: got %d entries", len(got))
		}
		if got := classesOf(t, svc, "mia.neu"); !slices.Equal(got, []string{"2a", "schueler"}) {
			t.Errorf("groups of the imported pupil: %v", got)
		}
		c := dialStartTLS(t, rig)
		pol, err := bindPolicy(t, c, testrig.PersonDN("mia.neu"), created[0].Password)
		if err != nil || pol == nil || pol.Error != 2 {
			t.Errorf("bind with the handed-out password: %+v, %v; want success and changeAfterReset", pol, err)
		}

		// a second list moves Mia to 2b
		importList(t, rig, strings.Replace(list, "Mia;Neu;2a", "Mia;Neu;2b", 1), nil)
		if got := classesOf(t, svc, "mia.neu"); !slices.Equal(got, []string{"2b", "schueler"}) {
			t.Errorf("groups after the second import: %v", got)
		}
	})

	t.Run("promotion", func(t *testing.T) {
		yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
		rep, err := rig.Dir.Promote(ctx, testrig.Admin, directory.PromoteOptions{LeavingDate: yesterday})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Leavers) != 1 || rep.Leavers[0].Login != ben {
			t.Fatalf("leavers: %+v", rep.Leavers)
		}
		if got := classesOf(t, svc, anna); !slices.Equal(got, []string{"4b", "schueler"}) {
			t.Errorf("anna after the promotion: %v", got)
		}
		if got := classesOf(t, svc, "mia.neu"); !slices.Equal(got, []string{"3b", "schueler"}) {
			t.Errorf("mia after the promotion: %v", got)
		}
		if canBind(t, rig, ben, benPW) {
			t.Error("a leaver past the leaving date binds")
		}
		if !canBind(t, rig, anna, annaPW) {
			t.Error("a promoted pupil cannot bind")
		}
		got := search(t, svc, base, ldap.ScopeWholeSubtree, "(&(uid="+ben+")(objectClass=posixAccount))", "shadowExpire", "memberOf")
		if len(got) != 1 || got[0].GetAttributeValue("shadowExpire") != "1" {
			t.Errorf("leaver's entry: %v", got)
		}
		if got := classesOf(t, svc, ben); !slices.Equal(got, []string{"schueler"}) {
			t.Errorf("leaver's groups: %v", got)
		}
	})

	t.Run("service account removed", func(t *testing.T) {
		pw, err := rig.Dir.AddServiceAccount(ctx, testrig.Admin, "pgina")
		if err != nil {
			t.Fatal(err)
		}
		dn := "cn=pgina,ou=services," + base
		bound := dialStartTLS(t, rig)
		if err := bound.Bind(dn, pw); err != nil {
			t.Fatalf("bind as the new service account: %v", err)
		}
		if got := search(t, bound, base, ldap.ScopeWholeSubtree, "(uid="+anna+")"); len(got) != 1 {
			t.Fatalf("search as the new service account: %d entries", len(got))
		}
		if err := rig.Dir.RemoveServiceAccount(ctx, testrig.Admin, "pgina"); err != nil {
			t.Fatal(err)
		}
		_, err = bound.Search(searchReq(base, ldap.ScopeWholeSubtree, "(uid="+anna+")"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the removal")
		wantCode(t, dialStartTLS(t, rig).Bind(dn, pw), ldap.LDAPResultInvalidCredentials, "bind after the removal")
	})

	t.Run("second process on the same file", func(t *testing.T) {
		cfg, err := config.Load(rig.Data)
		if err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(config.DBPath(rig.Data), audit.Migrations, directory.Migrations)
		if err != nil {
			t.Fatal(err)
		}
		lg := audit.NewLog(db)
		defer func() {
			lg.Close()
			db.Close()
		}()
		cli, err := directory.New(db, cfg.Directory, lg)
		if err != nil {
			t.Fatal(err)
		}

		bound := userConn(t, rig, anna, annaPW)
		if err := cli.Lock(ctx, testrig.Admin, anna, "from the command line"); err != nil {
			t.Fatal(err)
		}
		_, err = bound.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the lock by the other process")
		if canBind(t, rig, anna, annaPW) {
			t.Error("bind after the lock by the other process")
		}
		if err := cli.Unlock(ctx, testrig.Admin, anna); err != nil {
			t.Fatal(err)
		}
		if !canBind(t, rig, anna, annaPW) {
			t.Error("no bind after the unlock by the other process")
		}

		p, onetime, err := cli.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Tom", LastName: "Neu", Role: directory.Teacher, Classes: []string{"4b"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := classesOf(t, svc, p.Login); !slices.Equal(got, []string{"4b", "lehrer"}) {
			t.Errorf("groups of the person the other process made: %v", got)
		}
		if !canBind(t, rig, p.Login, onetime) {
			t.Error("the person the other process made cannot bind")
		}
		if err := cli.EditPerson(ctx, testrig.Admin, p.Login, directory.Edit{LastName: ptr("Neumann")}); err != nil {
			t.Fatal(err)
		}
		got := search(t, svc, testrig.PersonDN(p.Login), ldap.ScopeBaseObject, "(objectClass=*)", "cn", "sn")
		if len(got) != 1 || got[0].GetAttributeValue("sn") != "Neumann" || got[0].GetAttributeValue("cn") != "Tom Neumann" {
			t.Errorf("entry after the rename by the other process: %v", got)
		}
		if _, err := cli.ResetPassword(ctx, testrig.Admin, p.Login); err != nil {
			t.Fatal(err)
		}
		if canBind(t, rig, p.Login, onetime) {
			t.Error("the first one-time password binds after the other process reset it")
		}
	})
}

func ptr[T any](v T) *T { return &v }

func importList(t *testing.T, rig *testrig.Rig, list string, created *[]directory.Created) {
	t.Helper()
	f, err := directory.ParseImport(strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	opts := directory.ImportOptions{}
	if created != nil {
		opts.Deliver = func(c []directory.Created) error {
			*created = append(*created, c...)
			return nil
		}
	}
	if _, err := rig.Dir.Import(ctx, testrig.Admin, f, opts); err != nil {
		t.Fatal(err)
	}
}
