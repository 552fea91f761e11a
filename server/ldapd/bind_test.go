package ldapd_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	_ "github.com/mattn/go-sqlite3"

	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/testrig"
)

func TestBindRefusals(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	locked := addPupil(rig, "Lena", "Lock", benPW, "3a")
	leaver := addPupil(rig, "Lukas", "Weg", benPW, "4a")
	revoked := addPupil(rig, "Rita", "Nein", benPW, "2a")
	if err := rig.Dir.Lock(ctx, testrig.Admin, locked, "Test"); err != nil {
		t.Fatal(err)
	}
	if err := rig.Dir.SetLeaving(ctx, testrig.Admin, leaver, time.Now().AddDate(0, 0, -2).Format("2006-01-02")); err != nil {
		t.Fatal(err)
	}
	if err := rig.Dir.RecordConsent(ctx, testrig.Admin, revoked, "Rosa Nein", time.Now().AddDate(0, -1, 0).Format("2006-01-02")); err != nil {
		t.Fatal(err)
	}
	if err := rig.Dir.RevokeConsent(ctx, testrig.Admin, revoked, time.Now().Format("2006-01-02")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		dn   string
		pw   string
		code uint16
		// the password policy error in the response control; -1: none
		// expected, 0: the control may be absent
		policy int8
	}{
		{"wrong password", testrig.PersonDN(anna), "Falsch-Geraten-11", ldap.LDAPResultInvalidCredentials, 0},
		{"unknown user", testrig.PersonDN("niemand.da"), annaPW, ldap.LDAPResultInvalidCredentials, 0},
		{"DN outside the tree", "cn=admin,dc=example,dc=org", annaPW, ldap.LDAPResultInvalidCredentials, 0},
		{"not a DN", "anna.schmidt", annaPW, ldap.LDAPResultInvalidCredentials, 0},
		{"empty DN with password", "", annaPW, ldap.LDAPResultInvalidCredentials, 0},
		{"service with a wrong password", rig.ServiceDN, "Falsch-Geraten-11", ldap.LDAPResultInvalidCredentials, 0},
		{"person DN under ou=services", "uid=" + anna + ",ou=services," + base, annaPW, ldap.LDAPResultInvalidCredentials, 0},
		{"locked", testrig.PersonDN(locked), benPW, ldap.LDAPResultInvalidCredentials, 1},
		{"left the school", testrig.PersonDN(leaver), benPW, ldap.LDAPResultInvalidCredentials, 1},
		{"consent revoked", testrig.PersonDN(revoked), benPW, ldap.LDAPResultInvalidCredentials, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialStartTLS(t, rig)
			err := c.Bind(tt.dn, tt.pw)
			wantCode(t, err, tt.code, "bind")

			c = dialStartTLS(t, rig)
			pol, err := bindPolicy(t, c, tt.dn, tt.pw)
			wantCode(t, err, tt.code, "bind with the password policy control")
			if tt.policy > 0 {
				if pol == nil {
					t.Fatalf("no password policy response control")
				}
				if pol.Error != tt.policy {
					t.Errorf("password policy error: got %d (%s), want %d", pol.Error, pol.ErrorString, tt.policy)
				}
			}
			if tt.policy == 0 && pol != nil && pol.Error >= 0 {
				t.Errorf("password policy error for a plain failure: got %d (%s), want none", pol.Error, pol.ErrorString)
			}
		})
	}

	t.Run("DN in other case and spacing", func(t *testing.T) {
		c := dialStartTLS(t, rig)
		if err := c.Bind("UID="+strings.ToUpper(anna)+", OU=People, DC=GSBORSUM, DC=DE", annaPW); err != nil {
			t.Errorf("bind: %v", err)
		}
	})

	t.Run("unauthenticated bind", func(t *testing.T) {
		c := dialStartTLS(t, rig)
		wantCode(t, c.UnauthenticatedBind(testrig.PersonDN(anna)), ldap.LDAPResultUnwillingToPerform, "name without password")
		// and it did not make the connection anyone
		_, err := c.Search(searchReq(base, ldap.ScopeWholeSubtree, "(uid="+anna+")"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the refused bind")
	})

	t.Run("anonymous search below the base", func(t *testing.T) {
		c := dialStartTLS(t, rig)
		_, err := c.Search(searchReq(base, ldap.ScopeWholeSubtree, "(uid="+anna+")"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search without bind")
		// an explicit anonymous bind (empty name and password) is the same
		if err := c.UnauthenticatedBind(""); err != nil {
			t.Fatalf("anonymous bind: %v", err)
		}
		_, err = c.Search(searchReq(peopleDN, ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after an anonymous bind")
		// a bind as a person and then anonymously again drops the rights
		if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
			t.Fatal(err)
		}
		if err := c.UnauthenticatedBind(""); err != nil {
			t.Fatalf("anonymous bind: %v", err)
		}
		_, err = c.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after returning to anonymous")
	})

	t.Run("plain bind without TLS", func(t *testing.T) {
		c := dialPlain(t, rig)
		wantCode(t, c.Bind(testrig.PersonDN(anna), annaPW), ldap.LDAPResultConfidentialityRequired, "plain bind")
		wantCode(t, c.Bind(rig.ServiceDN, rig.ServicePassword), ldap.LDAPResultConfidentialityRequired, "plain service bind")
		// The root DSE stays readable and StartTLS still works afterwards.
		checkRootDSE(t, c)
		if err := c.StartTLS(rig.TLSConfig()); err != nil {
			t.Fatalf("StartTLS after the refusal: %v", err)
		}
		if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
			t.Errorf("bind after StartTLS: %v", err)
		}
	})

	t.Run("StartTLS twice", func(t *testing.T) {
		c := dialStartTLS(t, rig)
		_, err := c.Extended(ldap.NewExtendedRequest("1.3.6.1.4.1.1466.20037", nil))
		wantCode(t, err, ldap.LDAPResultOperationsError, "second StartTLS")
		if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
			t.Errorf("bind after the second StartTLS: %v", err)
		}
	})

	t.Run("SASL", func(t *testing.T) {
		c := dialStartTLS(t, rig)
		wantCode(t, c.ExternalBind(), ldap.LDAPResultAuthMethodNotSupported, "SASL EXTERNAL")
		wantCode(t, c.NTLMBind("GSBORSUM", anna, annaPW), ldap.LDAPResultAuthMethodNotSupported, "NTLM")
		// the same connection still works
		if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
			t.Fatalf("simple bind after SASL: %v", err)
		}
		searchStillWorks(t, c, anna)
	})

	t.Run("a failed bind ends the previous one", func(t *testing.T) {
		c := userConn(t, rig, anna, annaPW)
		wantCode(t, c.Bind(testrig.PersonDN(anna), "Falsch-Geraten-11"), ldap.LDAPResultInvalidCredentials, "second bind")
		_, err := c.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the failed bind")
	})
}

func TestLockHoldsForBoundConnection(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	c := userConn(t, rig, anna, annaPW)
	searchStillWorks(t, c, anna)
	c2 := userConn(t, rig, anna, annaPW)
	c3 := userConn(t, rig, anna, annaPW)
	svc := serviceConn(t, rig)
	// Seen once unlocked, so that the entry is one the server keeps built.
	if got := search(t, svc, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)", "shadowExpire"); len(got) != 1 || got[0].GetAttributeValue("shadowExpire") != "" {
		t.Fatalf("before the lock: got %v", got)
	}

	if err := rig.Dir.Lock(ctx, testrig.Admin, anna, "Test"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
	wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search of a connection bound before the lock")
	// the connection is anonymous from then on
	who, err := c.WhoAmI(nil)
	if err != nil || who.AuthzID != "" {
		t.Errorf("WhoAmI after the refusal: got %+v, %v; want anonymous", who, err)
	}
	_, err = c2.PasswordModify(ldap.NewPasswordModifyRequest("", "", "Neu-Passwort-77"))
	wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "password change after the lock")
	_, err = c3.Compare(testrig.PersonDN(anna), "uid", anna)
	wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "compare after the lock")
	if canBind(t, rig, anna, annaPW) {
		t.Error("a locked account can bind")
	}

	// The PCs see the lock in the entry, too.
	got := search(t, svc, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)", "shadowExpire", "pwdAccountLockedTime")
	if len(got) != 1 || got[0].GetAttributeValue("shadowExpire") != "1" || got[0].GetAttributeValue("pwdAccountLockedTime") == "" {
		t.Errorf("locked entry: got %v", got)
	}

	if err := rig.Dir.Unlock(ctx, testrig.Admin, anna); err != nil {
		t.Fatal(err)
	}
	if !canBind(t, rig, anna, annaPW) {
		t.Error("cannot bind after the unlock")
	}
	if got := search(t, svc, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)", "shadowExpire", "pwdAccountLockedTime"); len(got) != 1 || got[0].GetAttributeValue("shadowExpire") != "" || got[0].GetAttributeValue("pwdAccountLockedTime") != "" {
		t.Errorf("after the unlock: got %v", got)
	}
}

func TestMustChangePassword(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	p, onetime, err := rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Mia", LastName: "Neu", Role: directory.Pupil, Classes: []string{"2a"}})
	if err != nil {
		t.Fatal(err)
	}
	dn := testrig.PersonDN(p.Login)

	svc := serviceConn(t, rig)
	if got := search(t, svc, dn, ldap.ScopeBaseObject, "(objectClass=*)", "shadowLastChange"); len(got) != 1 || got[0].GetAttributeValue("shadowLastChange") != "0" {
		t.Errorf("shadowLastChange of a must-change account: got %v", got)
	}

	c := dialStartTLS(t, rig)
	pol, err := bindPolicy(t, c, dn, onetime)
	if err != nil {
		t.Fatalf("bind with the one-time password: %v", err)
	}
	if pol == nil || pol.Error != 2 {
		t.Fatalf("password policy control: got %+v, want error 2 (changeAfterReset)", pol)
	}
	_, err = c.Search(searchReq(dn, ldap.ScopeBaseObject, "(objectClass=*)"))
	wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "search before the change")
	_, err = c.Compare(dn, "cn", "Mia Neu")
	wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "compare before the change")
	_, err = c.Extended(ldap.NewExtendedRequest("1.2.3.4", nil))
	wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "other extended operation before the change")
	checkRootDSE(t, c) // the root DSE stays readable
	who, err := c.WhoAmI(nil)
	if err != nil || who.AuthzID != "dn:"+dn {
		t.Errorf("WhoAmI before the change: got %+v, %v", who, err)
	}

	if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "", "New-Pass-42")); err != nil {
		t.Fatalf("password modify: %v", err)
	}
	got := search(t, c, dn, ldap.ScopeBaseObject, "(objectClass=*)", "uid")
	if len(got) != 1 {
		t.Errorf("search after the change: got %d entries, want 1", len(got))
	}
	if canBind(t, rig, p.Login, onetime) {
		t.Error("the one-time password still binds after the change")
	}
	c2 := dialStartTLS(t, rig)
	pol, err = bindPolicy(t, c2, dn, "New-Pass-42")
	if err != nil {
		t.Fatalf("bind with the new password: %v", err)
	}
	if pol == nil || pol.Error != -1 {
		t.Errorf("password policy control after the change: got %+v, want no error", pol)
	}

	// pGina changes the password with a Modify of userPassword.
	p2, onetime2, err := rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Tom", LastName: "Neu", Role: directory.Teacher})
	if err != nil {
		t.Fatal(err)
	}
	c3 := dialLDAPS(t, rig)
	if err := c3.Bind(testrig.PersonDN(p2.Login), onetime2); err != nil {
		t.Fatalf("bind with the one-time password: %v", err)
	}
	_, err = c3.Search(searchReq(testrig.PersonDN(p2.Login), ldap.ScopeBaseObject, "(objectClass=*)"))
	wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "search before the change")
	m := ldap.NewModifyRequest(testrig.PersonDN(p2.Login), nil)
	m.Delete("userPassword", []string{onetime2})
	m.Add("userPassword", []string{"New-Pass-43"})
	if err := c3.Modify(m); err != nil {
		t.Fatalf("modify userPassword: %v", err)
	}
	searchStillWorks(t, c3, p2.Login)
	if !canBind(t, rig, p2.Login, "New-Pass-43") {
		t.Error("the new password does not bind")
	}
}

// glauth #470: a disabled user could bind.
func TestGlauth470LockedUserCannotBind(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	if err := rig.Dir.Lock(ctx, testrig.Admin, anna, "Test"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*ldap.Conn{dialStartTLS(t, rig), dialLDAPS(t, rig)} {
		wantCode(t, c.Bind(testrig.PersonDN(anna), annaPW), ldap.LDAPResultInvalidCredentials, "bind of a locked account")
		_, err := c.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the refused bind")
	}
	// nor can the account change its password with the old one
	c := dialStartTLS(t, rig)
	_, err := c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), annaPW, "Neu-Passwort-77"))
	wantCode(t, err, ldap.LDAPResultInvalidCredentials, "anonymous password change of a locked account")
}

// glauth #471: a user without a password accepted any password.
func TestGlauth471NoPasswordAcceptsNothing(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	p, onetime, err := rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Otto", LastName: "Ohne", Role: directory.Teacher})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+config.DBPath(rig.Data)+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE people SET password_hash = NULL WHERE login = ?`, p.Login)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("cleared %d hashes, want 1", n)
	}
	for _, pw := range []string{onetime, "x", "anything", "Sonne-Hase-47", " "} {
		if canBind(t, rig, p.Login, pw) {
			t.Errorf("an account without password binds with %q", pw)
		}
	}
	c := dialStartTLS(t, rig)
	wantCode(t, c.UnauthenticatedBind(testrig.PersonDN(p.Login)), ldap.LDAPResultUnwillingToPerform, "empty password")
	_, err = c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(p.Login), "anything", "Neu-Passwort-77"))
	wantCode(t, err, ldap.LDAPResultInvalidCredentials, "anonymous password change without a password")
}

// glauth #451: credentials in the logs. Neither the server's log nor the
// protocol (audit table) may hold a password, whichever way it came.
func TestGlauth451NoPasswordsInLogs(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	const (
		wrongPW    = "Falsch-Geraten-11"
		modifyPW   = "Neu-Passwort-77"
		replacePW  = "Noch-Neuer-88"
		nameTypoPW = "Tipp-Fehler-55" // typed into the name field
		plainPW    = "Ohne-Tls-Geheim-3"
	)
	secrets := []string{annaPW, wrongPW, modifyPW, replacePW, nameTypoPW, plainPW, rig.ServicePassword}

	c := dialStartTLS(t, rig)
	wantCode(t, c.Bind(testrig.PersonDN(anna), wrongPW), ldap.LDAPResultInvalidCredentials, "wrong password")
	wantCode(t, c.Bind(testrig.PersonDN(nameTypoPW), annaPW), ldap.LDAPResultInvalidCredentials, "password as the name")
	wantCode(t, c.Bind("uid="+nameTypoPW, annaPW), ldap.LDAPResultInvalidCredentials, "password as a short name")
	if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", wrongPW, modifyPW)); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Errorf("password modify with a wrong old password: %v", err)
	}
	if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", annaPW, modifyPW)); err != nil {
		t.Fatalf("password modify: %v", err)
	}
	m := ldap.NewModifyRequest(testrig.PersonDN(anna), nil)
	m.Replace("userPassword", []string{replacePW})
	if err := c.Modify(m); err != nil {
		t.Fatalf("modify userPassword: %v", err)
	}
	if err := rig.Dir.Lock(ctx, testrig.Admin, anna, "Test"); err != nil { // logs the recheck
		t.Fatal(err)
	}
	if _, err := c.Search(searchReq(base, ldap.ScopeBaseObject, "(objectClass=*)")); err == nil {
		t.Error("search after the lock succeeded")
	}
	svc := serviceConn(t, rig)
	search(t, svc, base, ldap.ScopeWholeSubtree, "(uid="+anna+")")
	plain := dialPlain(t, rig)
	wantCode(t, plain.Bind(testrig.PersonDN(anna), plainPW), ldap.LDAPResultConfidentialityRequired, "plain bind")
	rig.FlushAudit()

	logText := rig.Log.String()
	if !strings.Contains(logText, anna) {
		t.Errorf("the server log does not mention the lock recheck of %s; is it logging at all?\n%s", anna, logText)
	}
	for _, s := range secrets {
		if strings.Contains(logText, s) {
			t.Errorf("the server log holds the password %q:\n%s", s, logText)
		}
	}

	rows, err := rig.DB.R.Query(`SELECT * FROM audit`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	n, logins := 0, 0
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		n++
		var line []string
		for i, v := range vals {
			line = append(line, cols[i]+"="+string(v))
			if cols[i] == "action" && string(v) == "login" {
				logins++
			}
		}
		for i, v := range vals {
			for _, s := range secrets {
				if strings.Contains(string(v), s) {
					t.Errorf("audit column %s holds the password %q: %s", cols[i], s, strings.Join(line, " "))
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// binds, the old-password checks of the password change, the service
	if logins < 6 {
		t.Errorf("audit has %d login rows (of %d), want the attempts of this test", logins, n)
	}
}

// Throttling holds over LDAP: after too many wrong passwords even the
// right one is refused, with the same answer.
func TestThrottle(t *testing.T) {
	cfg := directory.DefaultConfig
	cfg.Hash = testrig.FastHash
	cfg.Throttle = directory.ThrottleConfig{AccountFailures: 3, SourceFailures: 50, WindowSeconds: 600}
	rig := testrig.New(t, testrig.Options{Directory: &cfg})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")

	if !canBind(t, rig, anna, annaPW) {
		t.Fatal("cannot bind before any failure")
	}
	c := dialStartTLS(t, rig)
	for i := 0; i < 3; i++ {
		wantCode(t, c.Bind(testrig.PersonDN(anna), "Falsch-Geraten-11"), ldap.LDAPResultInvalidCredentials, "wrong password")
	}
	wantCode(t, c.Bind(testrig.PersonDN(anna), annaPW), ldap.LDAPResultInvalidCredentials, "right password after 3 failures")
	if canBind(t, rig, anna, annaPW) {
		t.Error("the throttled account binds on a new connection")
	}
	_, err := dialStartTLS(t, rig).PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), annaPW, "Neu-Passwort-77"))
	wantCode(t, err, ldap.LDAPResultInvalidCredentials, "password change of the throttled account")
	// another account from the same address is not affected
	if !canBind(t, rig, ben, benPW) {
		t.Error("another account cannot bind")
	}
}

// TestBindDNSpellings: a bind DN may spell attribute types by alias or
// OID and in any case, as RFC 4514 allows; search accepts the same DNs.
func TestBindDNSpellings(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	for _, dn := range []string{
		"UID=" + anna + ",OU=People,DC=gsborsum,DC=de",
		"userid=" + anna + ",ou=people,dc=gsborsum,dc=de",
		"0.9.2342.19200300.100.1.1=" + anna + ",ou=people,dc=gsborsum,dc=de",
		"uid=" + anna + ", ou=people, dc=gsborsum, dc=de",
	} {
		c := dialStartTLS(t, rig)
		if err := c.Bind(dn, annaPW); err != nil {
			t.Errorf("bind as %q: %v", dn, err)
		}
		c.Close()
	}
	svc := dialStartTLS(t, rig)
	if err := svc.Bind("commonName=sssd,organizationalUnitName=services,dc=gsborsum,dc=de", rig.ServicePassword); err != nil {
		t.Errorf("service bind with aliases: %v", err)
	}
	// Not one of our entries: refused like a wrong password.
	c := dialStartTLS(t, rig)
	err := c.Bind("cn="+anna+",ou=people,dc=gsborsum,dc=de", annaPW)
	wantCode(t, err, ldap.LDAPResultInvalidCredentials, "bind with cn= below ou=people")
}
