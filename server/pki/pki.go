// Package pki is the school's own certificate authority: one CA made at
// init, and the server certificate it signs for LDAPS, StartTLS and HTTPS.
// Clients and PCs trust only this CA (pinned by its SHA-256 fingerprint),
// never the system store, so a school needs no public certificate and no
// internet to run TLS on every wire.
package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// File names inside the PKI folder.
const (
	CACertFile     = "ca.crt"
	CAKeyFile      = "ca.key"
	ServerCertFile = "server.crt"
	ServerKeyFile  = "server.key"
)

// Validity periods. The CA outlives many server certificates; the server
// certificate is renewed with "kaspel-server cert renew" (clients pin the
// CA, so a renewal needs nothing on the PCs).
const (
	caValidity     = 20 * 365 * 24 * time.Hour
	serverValidity = 5 * 365 * 24 * time.Hour
)

// Names lists the DNS names and IP addresses a server certificate is for:
// always localhost, 127.0.0.1 and ::1, the machine's host name, and what
// the admin adds.
func Names(extra ...string) []string {
	names := []string{"localhost", "127.0.0.1", "::1"}
	if h, err := os.Hostname(); err == nil && h != "" {
		names = append(names, h)
	}
	names = append(names, extra...)
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Create makes a new CA for the school and a server certificate for names
// in dir. It refuses to overwrite an existing CA: every PC trusts it.
func Create(dir, school string, names []string) error {
	if _, err := os.Stat(filepath.Join(dir, CACertFile)); err == nil {
		return fmt.Errorf("pki: %s exists already; a new CA would lock out every enrolled computer", filepath.Join(dir, CACertFile))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("pki: CA key: %w", err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "Kaspel CA " + school, Organization: []string{school}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return fmt.Errorf("pki: sign CA: %w", err)
	}
	if err := writeKey(filepath.Join(dir, CAKeyFile), caKey); err != nil {
		return err
	}
	if err := writeCert(filepath.Join(dir, CACertFile), caDER); err != nil {
		return err
	}
	return Renew(dir, school, names)
}

// Renew makes a new server certificate (e.g. for a new host name) signed
// by the existing CA.
func Renew(dir, school string, names []string) error {
	ca, caKey, err := loadCA(dir)
	if err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("pki: server key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: names[0], Organization: []string{school}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(serverValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return fmt.Errorf("pki: sign server certificate: %w", err)
	}
	if err := writeKey(filepath.Join(dir, ServerKeyFile), key); err != nil {
		return err
	}
	return writeCert(filepath.Join(dir, ServerCertFile), der)
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic("pki: crypto/rand failed: " + err.Error())
	}
	return n
}

// writeFile writes via a temporary file and rename, so that a crash never
// leaves half a key behind.
func writeFile(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	return nil
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("pki: encode key: %w", err)
	}
	return writeFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

func writeCert(path string, der []byte) error {
	return writeFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func loadCA(dir string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, CACertFile), filepath.Join(dir, CAKeyFile))
	if err != nil {
		return nil, nil, fmt.Errorf("pki: load CA: %w", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, nil, fmt.Errorf("pki: parse CA: %w", err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		return nil, nil, errors.New("pki: the CA key is not an ECDSA key")
	}
	return cert, key, nil
}

// ServerTLS loads the server certificate (with the CA in the chain) into a
// TLS configuration for LDAPS, StartTLS and HTTPS.
func ServerTLS(dir string) (*tls.Config, error) {
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, ServerCertFile), filepath.Join(dir, ServerKeyFile))
	if err != nil {
		return nil, fmt.Errorf("pki: load server certificate: %w", err)
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, CACertFile))
	if err != nil {
		return nil, fmt.Errorf("pki: read CA: %w", err)
	}
	if b, _ := pem.Decode(caPEM); b != nil {
		pair.Certificate = append(pair.Certificate, b.Bytes)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, nil
}

// CAPool returns a pool holding only the school CA, for clients.
func CAPool(dir string) (*x509.CertPool, error) {
	caPEM, err := os.ReadFile(filepath.Join(dir, CACertFile))
	if err != nil {
		return nil, fmt.Errorf("pki: read CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("pki: the CA file holds no certificate")
	}
	return pool, nil
}

// Fingerprint is the SHA-256 fingerprint of the CA certificate as
// colon-separated hex, the form admins compare when enrolling a computer.
func Fingerprint(dir string) (string, error) {
	caPEM, err := os.ReadFile(filepath.Join(dir, CACertFile))
	if err != nil {
		return "", fmt.Errorf("pki: read CA: %w", err)
	}
	b, _ := pem.Decode(caPEM)
	if b == nil {
		return "", errors.New("pki: the CA file holds no certificate")
	}
	return FingerprintDER(b.Bytes), nil
}

// FingerprintDER formats the SHA-256 fingerprint of a DER certificate.
func FingerprintDER(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	parts := make([]string, 0, len(sum))
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// Info describes the server certificate, for "kaspel-server cert show".
type Info struct {
	Fingerprint string
	Names       []string
	NotAfter    time.Time
}

// Describe reads the CA fingerprint and the server certificate's names.
func Describe(dir string) (Info, error) {
	var info Info
	fp, err := Fingerprint(dir)
	if err != nil {
		return info, err
	}
	info.Fingerprint = fp
	pemData, err := os.ReadFile(filepath.Join(dir, ServerCertFile))
	if err != nil {
		return info, fmt.Errorf("pki: read server certificate: %w", err)
	}
	b, _ := pem.Decode(pemData)
	if b == nil {
		return info, errors.New("pki: the server certificate file holds no certificate")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return info, fmt.Errorf("pki: parse server certificate: %w", err)
	}
	info.Names = append(info.Names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		info.Names = append(info.Names, ip.String())
	}
	sort.Strings(info.Names)
	info.NotAfter = c.NotAfter
	return info, nil
}
