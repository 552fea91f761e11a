package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPercentiles(t *testing.T) {
	var l latencies
	for i := 100; i >= 1; i-- {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}}
	for _, tt := range tests {
		if got := l.pct(tt.p); got != tt.want {
			t.Errorf("pct(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if (latencies{}).pct(0.5) != 0 {
		t.Error("pct of nothing is not 0")
	}
}

// TestWriteDoc: the results replace the previous ones between the
// markers; what was written by hand around them stays.
func TestWriteDoc(t *testing.T) {
	path := filepath.Join(t.TempDir(), "performance.md")
	r := &Report{Started: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), Facts: []string{"cores: 2"}}
	r.add(Row{Part: "login storm", Measure: "all done", Kaspel: "0.40 s", Slapd: "0.80 s"})
	if err := WriteDoc(path, r); err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile(path)
	if !strings.Contains(string(doc), "| login storm | all done | 0.40 s | 0.80 s |") {
		t.Fatalf("first write:\\n%s", doc)
	}
	os.WriteFile(path, []byte("# Performance\n\nFindings by hand.\n\n"+string(doc)[strings.Index(string(doc), "<!--"):]+"\nMore by hand.\n"), 0o644)
	r.Rows[0].Kaspel = "0.35 s"
	if err := WriteDoc(path, r); err != nil {
		t.Fatal(err)
	}
	doc, _ = os.ReadFile(path)
	s := string(doc)
	if !strings.Contains(s, "Findings by hand.") || !strings.Contains(s, "More by hand.") {
		t.Errorf("hand-written text lost:\n%s", s)
	}
	if strings.Contains(s, "0.40 s") || !strings.Contains(s, "0.35 s") || strings.Count(s, "<!-- bench:begin -->") != 1 {
		t.Errorf("results not replaced:\n%s", s)
	}
}

// TestSlapdFixture: the accounts written for slapd log in there like on
// Kaspel (the same argon2id hashes work with slapd's {ARGON2} scheme).
// It needs slapd (make bench installs it) and skips without it.
func TestSlapdFixture(t *testing.T) {
	if _, err := os.Stat(sbin("slapd")); err != nil {
		t.Skip("slapd is not installed (make bench installs it)")
	}
	if _, err := os.Stat("/usr/lib/ldap/argon2.so"); err != nil {
		t.Skip("slapd's argon2 module is missing")
	}
	dir := t.TempDir()
	sch, err := newSchool(t.Context(), filepath.Join(dir, "school"), 5)
	if err != nil {
		t.Fatal(err)
	}
	p, addr, err := startSlapd(sch, filepath.Join(dir, "slapd"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.stop()
	ca, err := os.ReadFile(filepath.Join(sch.data, "pki", "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	tc, err := tlsFor(ca)
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{name: "slapd", addr: addr, tls: tc, base: sch.base, svcDN: "cn=sssd,ou=services," + sch.base, svcPW: sch.svcPassword, people: sch.pupils()}
	if err := tg.sssdLogin(sch.pupils()[0]); err != nil {
		t.Errorf("sssd-style login on slapd: %v", err)
	}
	if err := tg.rawSSSDLogin(sch.pupils()[1]); err != nil {
		t.Errorf("sssd-style login on slapd with the lean client: %v", err)
	}
	if rate, _, fails, err := tg.rawSearchThroughput(1, 100*time.Millisecond); rate == 0 || fails != 0 {
		t.Errorf("uid searches on slapd with the lean client: %d failures, %v", fails, err)
	}
	c, err := tg.dial()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind(tg.userDN(sch.pupils()[1]), "wrong"); err == nil {
		t.Error("slapd accepted a wrong password")
	}
}

// The import part goes through the admin's import: a list of n pupils
// makes n accounts, the same list again none (importRun checks both and
// fails otherwise), and both rows are reported.
func TestImportRun(t *testing.T) {
	rep := &Report{}
	if err := importRun(t.Context(), rep, t.Logf, Options{Work: t.TempDir()}, 40); err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 || !strings.Contains(rep.Rows[0].Measure, "one-time passwords") || !strings.HasSuffix(rep.Rows[0].Kaspel, "/s)") {
		t.Fatalf("rows: %+v", rep.Rows)
	}
}
