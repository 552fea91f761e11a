package ldapd_test

import (
	"fmt"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"kaspel/server/directory"
	"kaspel/server/testrig"
)

// BenchmarkBind is a person's bind over an open TLS connection with the
// hash a school really uses (argon2id at directory.DefaultHashParams), so
// it measures what a login storm costs per login.
func BenchmarkBind(b *testing.B) {
	cfg := directory.DefaultConfig
	rig := testrig.New(b, testrig.Options{Directory: &cfg})
	anna := addPupil(rig, "Anna", "Schmidt", annaPW, "3a")
	c := dialStartTLS(b, rig)
	dn := testrig.PersonDN(anna)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Bind(dn, annaPW); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUIDSearch is sssd's user lookup on a service-bound connection
// in a directory of a few thousand accounts.
func BenchmarkUIDSearch(b *testing.B) {
	rig := testrig.New(b, testrig.Options{})
	logins := demoPupils(b, rig, 3000)
	c := serviceConn(b, rig)
	filters := make([]string, len(logins))
	for i, l := range logins {
		filters[i] = fmt.Sprintf("(&(uid=%s)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", l)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := searchReq(base, ldap.ScopeWholeSubtree, filters[i%len(filters)], sssdUserAttrs...)
		res, err := c.Search(req)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Entries) != 1 {
			b.Fatalf("%s: got %d entries", filters[i%len(filters)], len(res.Entries))
		}
		i++
	}
}
