package bench

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"kaspel/server/api"
	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/mail"
	"kaspel/server/pki"
	"kaspel/server/store"
)

// Password is every benchmark account's password (one hash made once;
// verifying costs the same for every account).
const Password = "Bench-Pass-2026"

// school is a data folder with accounts, shared by Kaspel and slapd.
type school struct {
	data        string
	base        string
	people      []directory.Person
	groups      []groupEntry
	roleGID     map[directory.Role]int
	phc         string // Password's argon2id hash (default parameters)
	svcName     string
	svcPassword string
	svcPHC      string
	created     time.Duration // how long creating the accounts took
}

type groupEntry struct {
	name    string
	gid     int
	members []string
}

// newSchool makes a data folder with pupils in classes 1a..4d, teachers
// and a service account, like kaspel-server init would.
func newSchool(ctx context.Context, dir string, pupils int) (*school, error) {
	s := &school{data: dir, svcName: "sssd", roleGID: map[directory.Role]int{}}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	cfg := config.Default()
	if err := config.Save(dir, cfg); err != nil {
		return nil, err
	}
	if err := pki.Create(config.PKIDir(dir), "Grundschule Bench", pki.Names()); err != nil {
		return nil, err
	}
	db, err := store.Open(config.DBPath(dir), api.Migrations()...)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	lg := audit.NewLog(db)
	defer lg.Close()
	d, err := directory.New(db, cfg.Directory, lg)
	if err != nil {
		return nil, err
	}
	actor := directory.Actor{Name: "bench", Service: "cli"}
	if err := d.InitSchool(ctx, actor, directory.School{Name: "Grundschule Bench", Domain: "gsborsum.de"}); err != nil {
		return nil, err
	}
	s.base = "dc=gsborsum,dc=de"
	start := time.Now()
	classes := []string{}
	for g := 1; g <= 4; g++ {
		for _, c := range "abcd" {
			classes = append(classes, fmt.Sprintf("%d%c", g, c))
		}
	}
	const batch = 10000
	for done := 0; done < pupils; done += batch {
		var list []directory.NewPerson
		for i := done; i < pupils && i < done+batch; i++ {
			list = append(list, directory.NewPerson{FirstName: fmt.Sprintf("Kind%06d", i+1), LastName: "Bench",
				Role: directory.Pupil, Classes: []string{classes[i%len(classes)]}})
		}
		if _, err := d.AddDemoPeople(ctx, actor, list, Password); err != nil {
			return nil, err
		}
	}
	var teachers []directory.NewPerson
	for i, c := range classes {
		teachers = append(teachers, directory.NewPerson{FirstName: fmt.Sprintf("Lehrkraft%02d", i+1), LastName: "Bench", Role: directory.Teacher, Classes: []string{c}})
	}
	if _, err := d.AddDemoPeople(ctx, actor, teachers, Password); err != nil {
		return nil, err
	}
	s.created = time.Since(start)
	if s.svcPassword, err = d.AddServiceAccount(ctx, actor, s.svcName); err != nil {
		return nil, err
	}
	if s.phc, err = d.Hasher().Hash(ctx, Password); err != nil {
		return nil, err
	}
	if s.svcPHC, err = d.Hasher().Hash(ctx, s.svcPassword); err != nil {
		return nil, err
	}

	v, err := d.View(ctx)
	if err != nil {
		return nil, err
	}
	defer v.Close()
	if err := v.EachPerson(func(p directory.Person) error { s.people = append(s.people, p); return nil }); err != nil {
		return nil, err
	}
	groups, err := v.Groups()
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		members, err := v.MemberLogins(g)
		if err != nil {
			return nil, err
		}
		s.groups = append(s.groups, groupEntry{name: g.Name, gid: g.GIDNumber, members: members})
		if g.Kind == directory.KindRole {
			for _, r := range directory.Roles {
				if r.GroupName() == g.Name {
					s.roleGID[r] = g.GIDNumber
				}
			}
		}
	}
	return s, nil
}

// pupils lists the pupils' logins.
func (s *school) pupils() []string {
	var out []string
	for _, p := range s.people {
		if p.Role == directory.Pupil {
			out = append(out, p.Login)
		}
	}
	return out
}

func (s *school) teacher() string {
	for _, p := range s.people {
		if p.Role == directory.Teacher {
			return p.Login
		}
	}
	return ""
}

// seedInbox gives a person a full inbox (for the API benchmark).
func (s *school) seedInbox(ctx context.Context, from, to string, n int) error {
	db, err := store.Open(config.DBPath(s.data), api.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := directory.New(db, directory.DefaultConfig, nil)
	if err != nil {
		return err
	}
	bl, err := blobs.Open(config.BlobsDir(s.data))
	if err != nil {
		return err
	}
	m, err := mail.New(db, d, bl, mail.DefaultConfig)
	if err != nil {
		return err
	}
	return m.SeedInbox(ctx, from, to, n)
}

// freePort finds a free loopback port.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// waitTCP waits until addr accepts connections.
func waitTCP(addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("bench: %s did not come up within %s", addr, limit)
}

// process is a started server.
type process struct {
	cmd  *exec.Cmd
	log  *os.File
	name string
}

func (p *process) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	p.log.Close()
}

// residentKB reads a process's resident memory.
func residentKB(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var n int
			fmt.Sscan(strings.TrimSpace(v), &n)
			return n
		}
	}
	return 0
}

// cpuTime is the CPU time (user and system) a process has used so far,
// from /proc (clock ticks of 10 ms).
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces: the fields follow its ')'.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var user, sys int64
	fmt.Sscan(f[11], &user)
	fmt.Sscan(f[12], &sys)
	return time.Duration(user+sys) * 10 * time.Millisecond
}

// startKaspel runs kaspel-server serve on the school's data folder.
func startKaspel(bin string, s *school) (*process, string, string, error) {
	ldapAddr, err := freePort()
	if err != nil {
		return nil, "", "", err
	}
	httpsAddr, err := freePort()
	if err != nil {
		return nil, "", "", err
	}
	logf, err := os.Create(filepath.Join(s.data, "serve.log"))
	if err != nil {
		return nil, "", "", err
	}
	cmd := exec.Command(bin, "serve", "--data", s.data, "--ldap", ldapAddr, "--ldaps", "off", "--https", httpsAddr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if prof := os.Getenv("KASPEL_BENCH_PROFILE"); prof != "" {
		cmd.Env = append(os.Environ(), "KASPEL_CPUPROFILE="+prof)
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, "", "", fmt.Errorf("bench: start %s: %w", bin, err)
	}
	p := &process{cmd: cmd, log: logf, name: "kaspel-server"}
	if err := waitTCP(ldapAddr, 20*time.Second); err != nil {
		p.stop()
		return nil, "", "", err
	}
	if err := waitTCP(httpsAddr, 20*time.Second); err != nil {
		p.stop()
		return nil, "", "", err
	}
	return p, ldapAddr, httpsAddr, nil
}
