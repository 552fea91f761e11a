package bench

import (
	"strings"
	"testing"
	"time"

	"kaspel/server/directory"
	"kaspel/server/testrig"
)

// The lean client of the throughput runs does real, checked searches: on
// Kaspel's server every lookup of an existing pupil passes, and one of a
// login that does not exist is counted as a failure.
func TestRawSearchThroughput(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := rig.AddPerson("Anna", "Schmidt", directory.Pupil, "Geheim-Passwort-1", "3a")
	ben := rig.AddPerson("Ben", "Becker", directory.Pupil, "Geheim-Passwort-1", "3a")
	tg := &target{name: "Kaspel", addr: rig.LDAPAddr, tls: rig.TLSConfig(), base: testrig.BaseDN,
		svcDN: rig.ServiceDN, svcPW: rig.ServicePassword, people: []string{anna, ben}}
	rate, lat, fails, err := tg.rawSearchThroughput(2, 300*time.Millisecond)
	if fails != 0 || rate == 0 || len(lat) == 0 {
		t.Fatalf("rate %.0f/s, %d failures: %v", rate, fails, err)
	}
	tg.people = []string{"niemand.da"}
	if _, _, fails, err := tg.rawSearchThroughput(1, 100*time.Millisecond); fails == 0 || err == nil || !strings.Contains(err.Error(), "0 entries") {
		t.Errorf("a login that does not exist: %d failures, %v", fails, err)
	}
	tg.svcPW = "falsch"
	if _, _, fails, err := tg.rawSearchThroughput(1, 100*time.Millisecond); fails == 0 || err == nil || !strings.Contains(err.Error(), "bind refused") {
		t.Errorf("a wrong service password: %d failures, %v", fails, err)
	}
}

// The lean sssd login passes for a pupil with the right password on
// Kaspel's server, reads the gidNumber from the user entry, and fails on
// a wrong password.
func TestRawSSSDLogin(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	anna := rig.AddPerson("Anna", "Schmidt", directory.Pupil, Password, "3a")
	tg := &target{name: "Kaspel", addr: rig.LDAPAddr, tls: rig.TLSConfig(), base: testrig.BaseDN,
		svcDN: rig.ServiceDN, svcPW: rig.ServicePassword, people: []string{anna}}
	if err := tg.rawSSSDLogin(anna); err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := tg.sssdLogin(anna); err != nil {
		t.Fatalf("the same login with go-ldap: %v", err)
	}
	other := rig.AddPerson("Ben", "Becker", directory.Pupil, "Ein-anderes-Passwort-9", "3a")
	if err := tg.rawSSSDLogin(other); err == nil || !strings.Contains(err.Error(), "user bind") {
		t.Errorf("a wrong password: %v", err)
	}
	if err := tg.rawSSSDLogin("niemand.da"); err == nil || !strings.Contains(err.Error(), "user search") {
		t.Errorf("an unknown login: %v", err)
	}
}
