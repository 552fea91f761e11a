package ldapd_test

import (
	"strings"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"kaspel/server/testrig"
	"kaspel/shared/password"
)

func TestPasswordModify(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")

	// Each case works on its own person, so that changes do not interfere.
	n := 0
	newPupil := func(t *testing.T) string {
		t.Helper()
		n++
		return addPupil(rig, "Anna", "Kind"+strings.Repeat("x", n), annaPW, "3a")
	}

	t.Run("self with the right old password", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", annaPW, "Neu-Passwort-77")); err != nil {
			t.Fatalf("password modify: %v", err)
		}
		if !canBind(t, rig, anna, "Neu-Passwort-77") || canBind(t, rig, anna, annaPW) {
			t.Error("the new password does not bind, or the old one still does")
		}
	})

	t.Run("self naming the own DN", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), "", "Neu-Passwort-77")); err != nil {
			t.Fatalf("password modify: %v", err)
		}
		if !canBind(t, rig, anna, "Neu-Passwort-77") {
			t.Error("the new password does not bind")
		}
	})

	t.Run("self with a wrong old password", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		_, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "Falsch-Geraten-11", "Neu-Passwort-77"))
		wantCode(t, err, ldap.LDAPResultInvalidCredentials, "wrong old password")
		if !canBind(t, rig, anna, annaPW) {
			t.Error("the password changed anyway")
		}
	})

	t.Run("policy violation", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		for _, pw := range []string{"kurz", "nurkleinbuchstaben", "Ohne-Ziffer"} {
			_, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "", pw))
			wantCode(t, err, ldap.LDAPResultConstraintViolation, "weak password "+pw)
			if err == nil || !strings.Contains(err.Error(), "Das Passwort braucht noch") {
				t.Errorf("weak password %q: message %v lacks the German rule text", pw, err)
			}
		}
		_, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "", "kurz"))
		if err != nil && !strings.Contains(err.Error(), "mindestens 8 Zeichen") {
			t.Errorf("short password: message %q does not name the length rule", err)
		}
		if !canBind(t, rig, anna, annaPW) {
			t.Error("the password changed anyway")
		}
	})

	t.Run("same as the current one", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		_, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "", annaPW))
		wantCode(t, err, ldap.LDAPResultConstraintViolation, "same password")
	})

	t.Run("server generates the password", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		res, err := c.PasswordModify(ldap.NewPasswordModifyRequest("", "", ""))
		if err != nil {
			t.Fatalf("password modify: %v", err)
		}
		if res.GeneratedPassword == "" {
			t.Fatal("no generated password")
		}
		if broken := password.Check(res.GeneratedPassword); broken != nil {
			t.Errorf("generated password %q breaks %v", res.GeneratedPassword, broken)
		}
		if !canBind(t, rig, anna, res.GeneratedPassword) || canBind(t, rig, anna, annaPW) {
			t.Error("the generated password does not bind, or the old one still does")
		}
	})

	t.Run("anonymous with identity and old password", func(t *testing.T) {
		anna := newPupil(t)
		for _, c := range []*ldap.Conn{dialStartTLS(t, rig), dialLDAPS(t, rig)} {
			_, err := c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), "Falsch-Geraten-11", "Neu-Passwort-77"))
			wantCode(t, err, ldap.LDAPResultInvalidCredentials, "anonymous, wrong old password")
			_, err = c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), "", "Neu-Passwort-77"))
			wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "anonymous without old password")
			_, err = c.PasswordModify(ldap.NewPasswordModifyRequest("", annaPW, "Neu-Passwort-77"))
			wantCode(t, err, ldap.LDAPResultUnwillingToPerform, "anonymous without identity")
		}
		c := dialStartTLS(t, rig)
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), annaPW, "Neu-Passwort-77")); err != nil {
			t.Fatalf("anonymous password modify: %v", err)
		}
		if !canBind(t, rig, anna, "Neu-Passwort-77") {
			t.Error("the new password does not bind")
		}
		// the plain login name and the authzId form work as the identity too
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest(anna, "Neu-Passwort-77", "Dritte-Wahl-99")); err != nil {
			t.Fatalf("password modify by login name: %v", err)
		}
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("u:"+anna, "Dritte-Wahl-99", "Vierte-Wahl-44")); err != nil {
			t.Fatalf("password modify by u:login: %v", err)
		}
		if _, err := c.PasswordModify(ldap.NewPasswordModifyRequest("dn:"+testrig.PersonDN(anna), "Vierte-Wahl-44", "Fuenfte-Wahl-55")); err != nil {
			t.Fatalf("password modify by dn:DN: %v", err)
		}
		if !canBind(t, rig, anna, "Fuenfte-Wahl-55") {
			t.Error("the fifth password does not bind")
		}
		// the change made nobody bound
		_, err := c.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after an anonymous change")
	})

	t.Run("without TLS", func(t *testing.T) {
		anna := newPupil(t)
		c := dialPlain(t, rig)
		_, err := c.PasswordModify(ldap.NewPasswordModifyRequest(testrig.PersonDN(anna), annaPW, "Neu-Passwort-77"))
		wantCode(t, err, ldap.LDAPResultConfidentialityRequired, "password modify without TLS")
		if !canBind(t, rig, anna, annaPW) {
			t.Error("the password changed anyway")
		}
	})

	t.Run("someone else's password", func(t *testing.T) {
		anna := newPupil(t)
		c := userConn(t, rig, anna, annaPW)
		for _, id := range []string{testrig.PersonDN(ben), ben} {
			_, err := c.PasswordModify(ldap.NewPasswordModifyRequest(id, "", "Neu-Passwort-77"))
			wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "change of "+id)
			_, err = c.PasswordModify(ldap.NewPasswordModifyRequest(id, benPW, "Neu-Passwort-77"))
			wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "change of "+id+" with its password")
		}
		_, err := c.PasswordModify(ldap.NewPasswordModifyRequest(rig.ServiceDN, "", "Neu-Passwort-77"))
		wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "change of the service account")
		if !canBind(t, rig, ben, benPW) {
			t.Error("ben's password changed")
		}
	})

	t.Run("service account", func(t *testing.T) {
		svc := serviceConn(t, rig)
		for _, id := range []string{"", testrig.PersonDN(ben), rig.ServiceDN} {
			_, err := svc.PasswordModify(ldap.NewPasswordModifyRequest(id, "", "Neu-Passwort-77"))
			wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "service account changes "+id)
		}
		if !canBind(t, rig, ben, benPW) {
			t.Error("ben's password changed")
		}
		if err := dialStartTLS(t, rig).Bind(rig.ServiceDN, rig.ServicePassword); err != nil {
			t.Errorf("service bind: %v", err)
		}
	})
}

func TestWhoAmI(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")

	c := dialStartTLS(t, rig)
	who, err := c.WhoAmI(nil)
	if err != nil || who.AuthzID != "" {
		t.Errorf("anonymous: got %+v, %v; want an empty authzId", who, err)
	}
	if err := c.Bind(testrig.PersonDN(anna), annaPW); err != nil {
		t.Fatal(err)
	}
	who, err = c.WhoAmI(nil)
	if err != nil || who.AuthzID != "dn:"+testrig.PersonDN(anna) {
		t.Errorf("person: got %+v, %v; want dn:%s", who, err, testrig.PersonDN(anna))
	}
	svc := serviceConn(t, rig)
	who, err = svc.WhoAmI(nil)
	if err != nil || who.AuthzID != "dn:"+rig.ServiceDN {
		t.Errorf("service: got %+v, %v; want dn:%s", who, err, rig.ServiceDN)
	}
}

func TestModifyOwnPassword(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	dn := testrig.PersonDN(anna)
	c := userConn(t, rig, anna, annaPW)

	replace := ldap.NewModifyRequest(dn, nil)
	replace.Replace("userPassword", []string{"Neu-Passwort-77"})
	if err := c.Modify(replace); err != nil {
		t.Fatalf("replace userPassword: %v", err)
	}
	if !canBind(t, rig, anna, "Neu-Passwort-77") || canBind(t, rig, anna, annaPW) {
		t.Fatal("after replace: the new password does not bind, or the old one still does")
	}

	wrongOld := ldap.NewModifyRequest(dn, nil)
	wrongOld.Delete("userPassword", []string{"Falsch-Geraten-11"})
	wrongOld.Add("userPassword", []string{"Dritte-Wahl-99"})
	wantCode(t, c.Modify(wrongOld), ldap.LDAPResultInvalidCredentials, "delete with a wrong old value")

	swap := ldap.NewModifyRequest(dn, nil)
	swap.Delete("userPassword", []string{"Neu-Passwort-77"})
	swap.Add("userPassword", []string{"Dritte-Wahl-99"})
	if err := c.Modify(swap); err != nil {
		t.Fatalf("delete old + add new: %v", err)
	}
	if !canBind(t, rig, anna, "Dritte-Wahl-99") || canBind(t, rig, anna, "Neu-Passwort-77") {
		t.Fatal("after delete + add: the new password does not bind, or the old one still does")
	}

	tests := []struct {
		name string
		req  func() *ldap.ModifyRequest
		code uint16
	}{
		{"client-side hash", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Replace("userPassword", []string{"{SSHA}abc"})
			return m
		}, ldap.LDAPResultUnwillingToPerform},
		{"client-side crypt hash", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Replace("userPassword", []string{"{CRYPT}$6$abc$def"})
			return m
		}, ldap.LDAPResultUnwillingToPerform},
		{"weak password", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Replace("userPassword", []string{"kurz"})
			return m
		}, ldap.LDAPResultConstraintViolation},
		{"two new passwords", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Replace("userPassword", []string{"Neu-Passwort-77", "Dritte-Wahl-99"})
			return m
		}, ldap.LDAPResultConstraintViolation},
		{"only a delete", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Delete("userPassword", []string{"Dritte-Wahl-99"})
			return m
		}, ldap.LDAPResultConstraintViolation},
		{"another attribute", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Replace("mail", []string{"anna@example.org"})
			return m
		}, ldap.LDAPResultInsufficientAccessRights},
		{"password and another attribute", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(dn, nil)
			m.Replace("userPassword", []string{"Neu-Passwort-77"})
			m.Replace("loginShell", []string{"/bin/sh"})
			return m
		}, ldap.LDAPResultInsufficientAccessRights},
		{"someone else's entry", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(testrig.PersonDN(ben), nil)
			m.Replace("userPassword", []string{"Neu-Passwort-77"})
			return m
		}, ldap.LDAPResultInsufficientAccessRights},
		{"a group", func() *ldap.ModifyRequest {
			m := ldap.NewModifyRequest(groupDN("3a"), nil)
			m.Add("memberUid", []string{ben})
			return m
		}, ldap.LDAPResultInsufficientAccessRights},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, c.Modify(tt.req()), tt.code, tt.name)
			if !canBind(t, rig, anna, "Dritte-Wahl-99") {
				t.Error("the password changed")
			}
			searchStillWorks(t, c, anna)
		})
	}
	if !canBind(t, rig, ben, benPW) {
		t.Error("ben's password changed")
	}
	// entries stay as they were
	svc := serviceConn(t, rig)
	got := search(t, svc, dn, ldap.ScopeBaseObject, "(objectClass=*)", "mail", "loginShell")
	if len(got) != 1 || got[0].GetAttributeValue("mail") != anna+"@"+testrig.Domain || got[0].GetAttributeValue("loginShell") != "/bin/bash" {
		t.Errorf("entry after refused modifies: %v", got)
	}

	t.Run("service account and anonymous", func(t *testing.T) {
		m := ldap.NewModifyRequest(dn, nil)
		m.Replace("userPassword", []string{"Neu-Passwort-77"})
		wantCode(t, svc.Modify(m), ldap.LDAPResultInsufficientAccessRights, "service account")
		wantCode(t, dialStartTLS(t, rig).Modify(m), ldap.LDAPResultInsufficientAccessRights, "anonymous")
	})
}

func TestCompare(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	ben := addPupil(rig, "Ben", "Becker", benPW, "3b")
	dn := testrig.PersonDN(anna)
	c := userConn(t, rig, anna, annaPW)
	svc := serviceConn(t, rig)

	tests := []struct {
		name     string
		c        *ldap.Conn
		dn, attr string
		value    string
		want     bool
		code     uint16 // 0: no error
	}{
		{"own cn", c, dn, "cn", "Anna Schmidt", true, 0},
		{"own cn, other case", c, dn, "cn", "ANNA SCHMIDT", true, 0},
		{"own cn, other value", c, dn, "cn", "Ben Becker", false, 0},
		{"own gidNumber, other value", c, dn, "gidNumber", "0", false, 0},
		{"own uidNumber, not a number", c, dn, "uidNumber", "abc", false, ldap.LDAPResultInvalidAttributeSyntax},
		{"own memberOf", c, dn, "memberOf", "CN=3a, OU=Groups, DC=gsborsum, DC=de", true, 0},
		{"the base entry", c, base, "o", testrig.School, true, 0},
		{"own class", c, groupDN("3a"), "memberUid", anna, true, 0},
		{"userPassword", c, dn, "userPassword", annaPW, false, ldap.LDAPResultInsufficientAccessRights},
		{"userPassword, wrong", c, dn, "userPassword", "Falsch-Geraten-11", false, ldap.LDAPResultInsufficientAccessRights},
		{"someone else's entry", c, testrig.PersonDN(ben), "cn", "Ben Becker", false, ldap.LDAPResultNoSuchObject},
		{"a missing entry", c, testrig.PersonDN("niemand.da"), "cn", "x", false, ldap.LDAPResultNoSuchObject},
		{"an attribute the entry lacks", c, dn, "description", "x", false, ldap.LDAPResultNoSuchAttribute},
		{"an unknown attribute", c, dn, "favouriteColour", "blue", false, ldap.LDAPResultUndefinedAttributeType},
		{"service, any person", svc, testrig.PersonDN(ben), "uid", ben, true, 0},
		{"service, userPassword", svc, testrig.PersonDN(ben), "userPassword", benPW, false, ldap.LDAPResultInsufficientAccessRights},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.Compare(tt.dn, tt.attr, tt.value)
			if tt.code != 0 {
				wantCode(t, err, tt.code, "compare")
			} else if err != nil || got != tt.want {
				t.Errorf("compare %s %s=%q: got %v, %v; want %v", tt.dn, tt.attr, tt.value, got, err, tt.want)
			}
			if tt.code != 0 && tt.c == c {
				searchStillWorks(t, c, anna)
			}
		})
	}
	_, err := dialStartTLS(t, rig).Compare(dn, "cn", "Anna Schmidt")
	wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "anonymous compare")
}

// The directory is read-only over LDAP; the refusals leave the connection
// usable, as do unknown extended operations.
func TestReadOnlyOperations(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	c := userConn(t, rig, anna, annaPW)
	svc := serviceConn(t, rig)

	for _, conn := range []struct {
		name string
		c    *ldap.Conn
	}{{"person", c}, {"service", svc}} {
		t.Run(conn.name, func(t *testing.T) {
			add := ldap.NewAddRequest("uid=neu.ling,"+peopleDN, nil)
			add.Attribute("objectClass", []string{"inetOrgPerson"})
			add.Attribute("uid", []string{"neu.ling"})
			wantCode(t, conn.c.Add(add), ldap.LDAPResultUnwillingToPerform, "add")
			wantCode(t, conn.c.Del(ldap.NewDelRequest(testrig.PersonDN(anna), nil)), ldap.LDAPResultUnwillingToPerform, "delete")
			wantCode(t, conn.c.ModifyDN(ldap.NewModifyDNRequest(testrig.PersonDN(anna), "uid=anna.neu", true, "")), ldap.LDAPResultUnwillingToPerform, "modify DN")
			_, err := conn.c.Extended(ldap.NewExtendedRequest("1.3.6.1.4.1.4203.1.11.99", nil))
			wantCode(t, err, ldap.LDAPResultProtocolError, "unknown extended operation")
			_, err = conn.c.Extended(ldap.NewExtendedRequest("1.3.6.1.4.1.1466.20036", ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "x", "")))
			wantCode(t, err, ldap.LDAPResultProtocolError, "extended operation with a value")
			// still usable
			got := search(t, conn.c, testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)", "uid")
			if len(got) != 1 {
				t.Errorf("search after the refusals: got %d entries, want 1", len(got))
			}
		})
	}
	if !canBind(t, rig, anna, annaPW) {
		t.Error("anna can no longer bind")
	}
	if _, err := rig.Dir.Person(ctx, "neu.ling"); err == nil {
		t.Error("the add created a person")
	}
}

func TestCriticalControls(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	c := userConn(t, rig, anna, annaPW)
	unknown := &ldap.ControlString{ControlType: "1.3.6.1.4.1.4203.666.5.99", Criticality: true}

	req := searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)")
	req.Controls = []ldap.Control{unknown}
	_, err := c.Search(req)
	wantCode(t, err, ldap.LDAPResultUnavailableCriticalExtension, "search with a critical unknown control")

	// server-side sorting is not supported either
	sortCritical := &ldap.ControlString{ControlType: ldap.ControlTypeServerSideSorting, Criticality: true}
	req.Controls = []ldap.Control{sortCritical}
	_, err = c.Search(req)
	wantCode(t, err, ldap.LDAPResultUnavailableCriticalExtension, "search with critical sorting")

	// A bind refused for its control is a failed bind: the connection is
	// anonymous afterwards (RFC 4511 4.2.1), not still the earlier person.
	other := userConn(t, rig, anna, annaPW)
	_, err = other.SimpleBind(ldap.NewSimpleBindRequest(rig.ServiceDN, rig.ServicePassword, []ldap.Control{unknown}))
	wantCode(t, err, ldap.LDAPResultUnavailableCriticalExtension, "bind with a critical unknown control")
	if who, err := other.WhoAmI(nil); err != nil || who.AuthzID != "" {
		t.Errorf("WhoAmI after the refused bind: got %+v, %v; want anonymous", who, err)
	}
	_, err = other.Search(searchReq(testrig.PersonDN(anna), ldap.ScopeBaseObject, "(objectClass=*)"))
	wantCode(t, err, ldap.LDAPResultInsufficientAccessRights, "search after the refused bind")

	m := ldap.NewModifyRequest(testrig.PersonDN(anna), []ldap.Control{unknown})
	m.Replace("userPassword", []string{"Neu-Passwort-77"})
	wantCode(t, c.Modify(m), ldap.LDAPResultUnavailableCriticalExtension, "modify with a critical unknown control")
	if !canBind(t, rig, anna, annaPW) {
		t.Error("the modify with the critical control changed the password")
	}

	// A non-critical unknown control is ignored, and known critical ones work.
	req.Controls = []ldap.Control{&ldap.ControlString{ControlType: "1.3.6.1.4.1.4203.666.5.99"}}
	if res, err := c.Search(req); err != nil || len(res.Entries) != 1 {
		t.Errorf("search with a non-critical unknown control: %v", err)
	}
	req.Controls = []ldap.Control{ldap.NewControlManageDsaIT(true)}
	if res, err := c.Search(req); err != nil || len(res.Entries) != 1 {
		t.Errorf("search with critical ManageDsaIT: %v", err)
	}
}
