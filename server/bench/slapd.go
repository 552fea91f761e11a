package bench

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"kaspel/server/config"
)

// slapdConf is OpenLDAP's configuration for the comparison: the mdb
// backend with equality indexes on the attributes the PCs search by, the
// school's TLS certificate, argon2 verification, the same access rules as
// Kaspel (root DSE for everybody, the rest after a bind).
const slapdConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload argon2
pidfile {{dir}}/slapd.pid
argsfile {{dir}}/slapd.args
TLSCertificateFile {{pki}}/server.crt
TLSCertificateKeyFile {{pki}}/server.key
TLSCACertificateFile {{pki}}/ca.crt
sizelimit 1000
access to dn.base="" by * read
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
database mdb
suffix "{{base}}"
rootdn "cn=admin,{{base}}"
directory {{dir}}/db
maxsize 4294967296
index objectClass eq
index uid,memberUid,gidNumber eq
`

// startSlapd writes the school's accounts as LDIF, loads them with
// slapadd and runs slapd on a loopback port.
func startSlapd(s *school, dir string) (*process, string, error) {
	if _, err := exec.LookPath("slapd"); err != nil {
		if _, err := os.Stat("/usr/sbin/slapd"); err != nil {
			return nil, "", fmt.Errorf("bench: slapd is not installed (make deps installs it)")
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		return nil, "", err
	}
	conf := strings.NewReplacer("{{dir}}", dir, "{{pki}}", config.PKIDir(s.data), "{{base}}", s.base).Replace(slapdConf)
	confPath := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return nil, "", err
	}
	ldif := filepath.Join(dir, "school.ldif")
	if err := s.writeLDIF(ldif); err != nil {
		return nil, "", err
	}
	if out, err := exec.Command(sbin("slapadd"), "-q", "-f", confPath, "-l", ldif).CombinedOutput(); err != nil {
		return nil, "", fmt.Errorf("bench: slapadd: %v: %s", err, out)
	}
	addr, err := freePort()
	if err != nil {
		return nil, "", err
	}
	logf, err := os.Create(filepath.Join(dir, "slapd.log"))
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(sbin("slapd"), "-f", confPath, "-h", "ldap://"+addr+"/", "-d", "0")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, "", fmt.Errorf("bench: start slapd: %w", err)
	}
	p := &process{cmd: cmd, log: logf, name: "slapd"}
	if err := waitTCP(addr, 20*time.Second); err != nil {
		p.stop()
		return nil, "", err
	}
	return p, addr, nil
}

func sbin(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return "/usr/sbin/" + name
}

// slapdVersion is slapd's version line.
func slapdVersion() string {
	out, _ := exec.Command(sbin("slapd"), "-VV").CombinedOutput()
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(strings.TrimPrefix(line, "@(#) $OpenLDAP: "))
}

// writeLDIF writes the same entries Kaspel serves. OpenLDAP's schema
// does not let posixGroup and groupOfNames share an entry (both are
// structural), so slapd's groups carry memberUid only — what sssd and
// nslcd search by.
func (s *school) writeLDIF(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	dc := strings.TrimPrefix(strings.SplitN(s.base, ",", 2)[0], "dc=")
	fmt.Fprintf(w, "dn: %s\nobjectClass: dcObject\nobjectClass: organization\ndc: %s\no: Grundschule Bench\n\n", s.base, dc)
	for _, ou := range []string{"people", "groups", "services"} {
		fmt.Fprintf(w, "dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n", ou, s.base, ou)
	}
	for _, p := range s.people {
		fmt.Fprintf(w, "dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nobjectClass: shadowAccount\n", p.Login, s.base)
		fmt.Fprintf(w, "uid: %s\ncn: %s\nsn: %s\ngivenName: %s\nmail: %s@gsborsum.de\n", p.Login, p.Name(), p.LastName, p.FirstName, p.Login)
		fmt.Fprintf(w, "uidNumber: %d\ngidNumber: %d\nhomeDirectory: /home/%s\nloginShell: /bin/bash\ngecos: %s\n", p.UIDNumber, s.roleGID[p.Role], p.Login, p.Name())
		fmt.Fprintf(w, "employeeType: %s\nuserPassword: {ARGON2}%s\n\n", p.Role, s.phc)
	}
	for _, g := range s.groups {
		fmt.Fprintf(w, "dn: cn=%s,ou=groups,%s\nobjectClass: posixGroup\ncn: %s\ngidNumber: %d\n", g.name, s.base, g.name, g.gid)
		for _, m := range g.members {
			fmt.Fprintf(w, "memberUid: %s\n", m)
		}
		w.WriteString("\n")
	}
	fmt.Fprintf(w, "dn: cn=%s,ou=services,%s\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: %s\nuserPassword: {ARGON2}%s\n\n",
		s.svcName, s.base, s.svcName, s.svcPHC)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
