package pki_test

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kaspel/server/pki"
)

const school = "Grundschule Borsumer Kaspel"

func create(t *testing.T, names ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pki")
	if err := pki.Create(dir, school, pki.Names(names...)); err != nil {
		t.Fatalf("Create: %v", err)
	}
	return dir
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		t.Fatalf("%s holds no PEM certificate", path)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreate(t *testing.T) {
	dir := create(t, "kaspel.schule.local", "192.168.10.5")
	ca := readCert(t, filepath.Join(dir, pki.CACertFile))
	if !ca.IsCA {
		t.Errorf("CA certificate IsCA = false, want true")
	}
	if !strings.Contains(ca.Subject.CommonName, school) {
		t.Errorf("CA common name %q, want it to name the school", ca.Subject.CommonName)
	}
	srv := readCert(t, filepath.Join(dir, pki.ServerCertFile))
	if srv.IsCA {
		t.Errorf("server certificate IsCA = true, want false")
	}
	pool, err := pki.CAPool(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		host    string
		wantErr bool
	}{
		{"localhost", "localhost", false},
		{"IPv4 loopback", "127.0.0.1", false},
		{"IPv6 loopback", "::1", false},
		{"extra name", "kaspel.schule.local", false},
		{"extra address", "192.168.10.5", false},
		{"other name", "example.org", true},
		{"other address", "10.0.0.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := srv.Verify(x509.VerifyOptions{DNSName: tt.host, Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("Verify(%s) = %v, want error %v", tt.host, err, tt.wantErr)
			}
		})
	}
	// The system roots do not trust it: clients must pin the school CA.
	if _, err := srv.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: x509.NewCertPool()}); err == nil {
		t.Errorf("server certificate verified against an empty pool, want an error")
	}
	// An IP address in the certificate is an IP SAN, not a DNS name.
	if !slices.ContainsFunc(srv.IPAddresses, func(ip net.IP) bool { return ip.Equal(net.ParseIP("127.0.0.1")) }) {
		t.Errorf("server certificate IP addresses %v, want 127.0.0.1 among them", srv.IPAddresses)
	}
	if slices.Contains(srv.DNSNames, "127.0.0.1") {
		t.Errorf("127.0.0.1 is in DNSNames %v, want it only as an IP address", srv.DNSNames)
	}
}

func TestFileModes(t *testing.T) {
	dir := create(t)
	tests := []struct {
		file string
		want os.FileMode
	}{
		{pki.CAKeyFile, 0o600},
		{pki.ServerKeyFile, 0o600},
		{pki.CACertFile, 0o644},
		{pki.ServerCertFile, 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fi, err := os.Stat(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got&^tt.want != 0 {
				t.Errorf("%s: mode %v, want at most %v", tt.file, got, tt.want)
			}
			if tt.want == 0o600 && fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want %v", tt.file, fi.Mode().Perm(), tt.want)
			}
		})
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("pki folder mode %v, want %v", got, os.FileMode(0o700))
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func TestCreateRefusesToOverwrite(t *testing.T) {
	dir := create(t)
	before, err := os.ReadFile(filepath.Join(dir, pki.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	beforeKey, _ := os.ReadFile(filepath.Join(dir, pki.CAKeyFile))
	if err := pki.Create(dir, school, pki.Names()); err == nil {
		t.Fatalf("second Create = nil, want an error")
	}
	after, _ := os.ReadFile(filepath.Join(dir, pki.CACertFile))
	afterKey, _ := os.ReadFile(filepath.Join(dir, pki.CAKeyFile))
	if string(before) != string(after) || string(beforeKey) != string(afterKey) {
		t.Errorf("the CA changed after a refused Create")
	}
}

func TestRenewKeepsCA(t *testing.T) {
	dir := create(t)
	fp, err := pki.Fingerprint(dir)
	if err != nil {
		t.Fatal(err)
	}
	oldServer := readCert(t, filepath.Join(dir, pki.ServerCertFile))
	if err := pki.Renew(dir, school, pki.Names("neuer-server.schule.local")); err != nil {
		t.Fatalf("Renew: %v", err)
	}
	fp2, err := pki.Fingerprint(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fp2 != fp {
		t.Errorf("CA fingerprint after Renew = %s, want %s", fp2, fp)
	}
	srv := readCert(t, filepath.Join(dir, pki.ServerCertFile))
	if srv.SerialNumber.Cmp(oldServer.SerialNumber) == 0 {
		t.Errorf("Renew kept the old server certificate")
	}
	pool, err := pki.CAPool(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Verify(x509.VerifyOptions{DNSName: "neuer-server.schule.local", Roots: pool}); err != nil {
		t.Errorf("renewed certificate for the new name: %v", err)
	}
	info, err := pki.Describe(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Fingerprint != fp {
		t.Errorf("Describe().Fingerprint = %s, want %s", info.Fingerprint, fp)
	}
	for _, n := range []string{"localhost", "127.0.0.1", "::1", "neuer-server.schule.local"} {
		if !slices.Contains(info.Names, n) {
			t.Errorf("Describe().Names = %v, want %s among them", info.Names, n)
		}
	}
	if !slices.IsSorted(info.Names) {
		t.Errorf("Describe().Names = %v, want sorted", info.Names)
	}
	if !info.NotAfter.Equal(srv.NotAfter) {
		t.Errorf("Describe().NotAfter = %v, want %v", info.NotAfter, srv.NotAfter)
	}
}

func TestRenewWithoutCA(t *testing.T) {
	if err := pki.Renew(t.TempDir(), school, pki.Names()); err == nil {
		t.Errorf("Renew without a CA = nil, want an error")
	}
}

func TestFingerprint(t *testing.T) {
	dir := create(t)
	fp, err := pki.Fingerprint(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9A-F]{2}(:[0-9A-F]{2}){31}$`).MatchString(fp) {
		t.Errorf("Fingerprint = %q, want 32 colon-separated upper-case hex pairs", fp)
	}
	ca := readCert(t, filepath.Join(dir, pki.CACertFile))
	sum := sha256.Sum256(ca.Raw)
	want := strings.ToUpper(hex.EncodeToString(sum[:]))
	if got := strings.ReplaceAll(fp, ":", ""); got != want {
		t.Errorf("Fingerprint = %s, want sha256 of the CA DER %s", got, want)
	}
	if got := pki.FingerprintDER(ca.Raw); got != fp {
		t.Errorf("FingerprintDER = %s, want %s", got, fp)
	}
	if _, err := pki.Fingerprint(t.TempDir()); err == nil {
		t.Errorf("Fingerprint of an empty folder = nil, want an error")
	}
}

// TestServerTLS makes a real TLS connection with the server configuration
// and a client that trusts only the school CA.
func TestServerTLS(t *testing.T) {
	dir := create(t)
	cfg, err := pki.ServerTLS(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Certificates) != 1 || len(cfg.Certificates[0].Certificate) != 2 {
		t.Fatalf("ServerTLS chain has %d certificates, want server and CA", len(cfg.Certificates[0].Certificate))
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.(*tls.Conn).Handshake()
		c.Write([]byte("hallo"))
	}()
	pool, err := pki.CAPool(dir)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("TLS handshake trusting the school CA: %v", err)
	}
	defer conn.Close()
	buf := make([]byte, 5)
	if _, err := conn.Read(buf); err != nil || string(buf) != "hallo" {
		t.Errorf("read %q, %v, want hallo", buf, err)
	}

	// A client trusting another CA refuses the server.
	other := create(t)
	otherPool, err := pki.CAPool(other)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	if c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: otherPool, ServerName: "localhost"}); err == nil {
		c.Close()
		t.Errorf("a client trusting another school's CA connected, want a certificate error")
	}
}

func TestNames(t *testing.T) {
	got := pki.Names(" Kaspel.Schule.Local ", "localhost", "", "192.168.10.5")
	for _, n := range []string{"localhost", "127.0.0.1", "::1", "kaspel.schule.local", "192.168.10.5"} {
		if !slices.Contains(got, n) {
			t.Errorf("Names() = %v, want %s among them", got, n)
		}
	}
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] {
			t.Errorf("Names() = %v, want %s once", got, n)
		}
		seen[n] = true
		if n == "" {
			t.Errorf("Names() = %v holds an empty name", got)
		}
	}
	if got[0] != "localhost" {
		t.Errorf("Names()[0] = %s, want localhost (the certificate's common name)", got[0])
	}
}
