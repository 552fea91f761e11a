package bench

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// target is an LDAP server under test.
type target struct {
	name   string
	addr   string
	tls    *tls.Config
	base   string
	svcDN  string
	svcPW  string
	people []string // logins to log in as
	pid    int      // the server's process, for its CPU time
}

func (t *target) userDN(login string) string { return "uid=" + login + ",ou=people," + t.base }

func (t *target) dial() (*ldap.Conn, error) {
	c, err := ldap.DialURL("ldap://" + t.addr)
	if err != nil {
		return nil, err
	}
	if err := c.StartTLS(t.tls); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// sssdUserAttrs are the attributes sssd 2.8 asks for in its user search.
var sssdUserAttrs = []string{"objectClass", "uid", "userPassword", "uidNumber", "gidNumber", "gecos", "homeDirectory",
	"loginShell", "krbPrincipalName", "cn", "modifyTimestamp", "modifyTimestamp", "shadowLastChange", "shadowMin", "shadowMax",
	"shadowWarning", "shadowInactive", "shadowExpire", "shadowFlag", "krbLastPwdChange", "krbPasswordExpiration",
	"pwdAttribute", "authorizedService", "accountExpires", "userAccountControl", "nsAccountLock", "host", "rhost",
	"loginDisabled", "loginExpirationTime", "loginAllowedTimeMap", "ipaSshPubKey", "ipaUserAuthType", "mail"}

var rootDSEAttrs = []string{"*", "altServer", "namingContexts", "supportedControl", "supportedExtension", "supportedFeatures",
	"supportedLDAPVersion", "supportedSASLMechanisms", "domainControllerFunctionality", "defaultNamingContext", "lastUSN", "highestCommittedUSN"}

func rootDSE(c *ldap.Conn) error {
	_, err := c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", rootDSEAttrs, nil))
	return err
}

// sssdLogin does what sssd 2.8 does for one login (see
// ../shared/domain/ldap.md): a lookup connection (StartTLS, root DSE,
// service bind, user search, primary group, memberships with paging) and
// then the authentication on a new connection (StartTLS, root DSE, user
// bind with the password policy control).
func (t *target) sssdLogin(login string) error {
	c, err := t.dial()
	if err != nil {
		return fmt.Errorf("lookup dial: %w", err)
	}
	defer c.Close()
	if err := rootDSE(c); err != nil {
		return fmt.Errorf("root DSE: %w", err)
	}
	if err := c.Bind(t.svcDN, t.svcPW); err != nil {
		return fmt.Errorf("service bind: %w", err)
	}
	res, err := c.Search(ldap.NewSearchRequest(t.base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(&(uid=%s)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", ldap.EscapeFilter(login)),
		sssdUserAttrs, nil))
	if err != nil {
		return fmt.Errorf("user search: %w", err)
	}
	if len(res.Entries) != 1 {
		return fmt.Errorf("user search: %d entries", len(res.Entries))
	}
	gid := res.Entries[0].GetAttributeValue("gidNumber")
	if _, err := c.Search(ldap.NewSearchRequest(t.base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(&(gidNumber=%s)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", gid),
		[]string{"objectClass", "cn", "userPassword", "gidNumber", "memberUid", "modifyTimestamp"}, nil)); err != nil {
		return fmt.Errorf("primary group: %w", err)
	}
	groups, err := c.SearchWithPaging(ldap.NewSearchRequest(t.base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(&(memberuid=%s)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", ldap.EscapeFilter(login)),
		[]string{"objectClass", "cn", "userPassword", "gidNumber", "memberUid", "modifyTimestamp"}, nil), 1000)
	if err != nil {
		return fmt.Errorf("memberships: %w", err)
	}
	if len(groups.Entries) < 1 {
		return fmt.Errorf("memberships: none")
	}
	c.Close()

	a, err := t.dial()
	if err != nil {
		return fmt.Errorf("auth dial: %w", err)
	}
	defer a.Close()
	if err := rootDSE(a); err != nil {
		return fmt.Errorf("auth root DSE: %w", err)
	}
	req := ldap.NewSimpleBindRequest(t.userDN(login), Password, []ldap.Control{ldap.NewControlBeheraPasswordPolicy()})
	if _, err := a.SimpleBind(req); err != nil {
		return fmt.Errorf("user bind: %w", err)
	}
	return nil
}

// stormResult is a login storm's outcome.
type stormResult struct {
	total  time.Duration
	lat    latencies
	errors int
	first  error
	// CPU time per login of the server and of the load generator (this
	// process), which share the cores.
	serverCPU, loadCPU time.Duration
}

// storm starts n sssd-style logins at the same instant, each as another
// person, and measures until the last is done.
func (t *target) storm(n int) stormResult {
	var wg sync.WaitGroup
	start := make(chan struct{})
	lat := make(latencies, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t0 := time.Now()
			errs[i] = t.rawSSSDLogin(t.people[i%len(t.people)])
			lat[i] = time.Since(t0)
		}()
	}
	t0 := time.Now()
	srv0, self0 := cpuTime(t.pid), cpuTime(os.Getpid())
	close(start)
	wg.Wait()
	r := stormResult{total: time.Since(t0), lat: lat,
		serverCPU: (cpuTime(t.pid) - srv0) / time.Duration(n), loadCPU: (cpuTime(os.Getpid()) - self0) / time.Duration(n)}
	for _, e := range errs {
		if e != nil {
			r.errors++
			if r.first == nil {
				r.first = e
			}
		}
	}
	return r
}

// throughput runs op on conns connections for d and counts operations
// per second; setup prepares each connection.
func (t *target) throughput(conns int, d time.Duration, setup func(*ldap.Conn) error, op func(*ldap.Conn, *rand.Rand) error) (float64, latencies, int, error) {
	var ops, fails atomic.Int64
	var mu sync.Mutex
	var all latencies
	var firstErr error
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := t.dial()
			if err == nil {
				err = setup(c)
			}
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				fails.Add(1)
				return
			}
			defer c.Close()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			var mine latencies
			for time.Now().Before(stop) {
				t0 := time.Now()
				if err := op(c, rng); err != nil {
					fails.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t0))
				ops.Add(1)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return float64(ops.Load()) / d.Seconds(), all, int(fails.Load()), firstErr
}

// uidSearch is one sssd-style user lookup.
func (t *target) uidSearch(c *ldap.Conn, rng *rand.Rand) error {
	login := t.people[rng.IntN(len(t.people))]
	res, err := c.Search(ldap.NewSearchRequest(t.base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(&(uid="+ldap.EscapeFilter(login)+")(objectclass=posixAccount))", []string{"uid", "uidNumber", "gidNumber", "homeDirectory", "loginShell", "cn"}, nil))
	if err != nil {
		return err
	}
	if len(res.Entries) != 1 {
		return fmt.Errorf("uid=%s: %d entries", login, len(res.Entries))
	}
	return nil
}

func (t *target) serviceBind(c *ldap.Conn) error { return c.Bind(t.svcDN, t.svcPW) }

func (t *target) userBind(c *ldap.Conn, rng *rand.Rand) error {
	return c.Bind(t.userDN(t.people[rng.IntN(len(t.people))]), Password)
}

func tlsFor(caPEM []byte) (*tls.Config, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("bench: no CA certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}, nil
}
