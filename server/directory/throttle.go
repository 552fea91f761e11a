package directory

import (
	"net/netip"
	"strings"
	"sync"
	"time"
)

// ThrottleConfig bounds failed logins per account and per source address.
// A child mistypes often, so the per-account limit is generous; a script
// guessing passwords still gets only a handful of tries a minute.
type ThrottleConfig struct {
	// AccountFailures failed logins of one account within Window block
	// further attempts on it until the oldest failure leaves the window.
	AccountFailures int `json:"account_failures"`
	// SourceFailures is the same per source address (all accounts).
	SourceFailures int `json:"source_failures"`
	// WindowSeconds is the length of the window.
	WindowSeconds int `json:"window_seconds"`
	// TrustedSources are addresses or prefixes (CIDR) exempt from the
	// per-source limit, e.g. a web application that binds for many users.
	TrustedSources []string `json:"trusted_sources"`
}

// DefaultThrottle is the throttle a new school starts with.
var DefaultThrottle = ThrottleConfig{AccountFailures: 10, SourceFailures: 50, WindowSeconds: 600}

// maxTracked caps the memory the throttle may use under an attack from
// many addresses; beyond it the oldest records are dropped.
const maxTracked = 100000

type throttle struct {
	cfg     ThrottleConfig
	window  time.Duration
	trusted []netip.Prefix

	mu       sync.Mutex
	accounts map[string][]time.Time
	sources  map[string][]time.Time
	sweeps   int
}

func newThrottle(cfg ThrottleConfig) *throttle {
	t := &throttle{
		cfg:      cfg,
		window:   time.Duration(cfg.WindowSeconds) * time.Second,
		accounts: map[string][]time.Time{},
		sources:  map[string][]time.Time{},
	}
	for _, s := range cfg.TrustedSources {
		if p, err := netip.ParsePrefix(s); err == nil {
			t.trusted = append(t.trusted, p)
		} else if a, err := netip.ParseAddr(s); err == nil {
			t.trusted = append(t.trusted, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return t
}

// sourceKey strips the port from an address; unknown forms are kept whole.
func sourceKey(source string) string {
	if ap, err := netip.ParseAddrPort(source); err == nil {
		return ap.Addr().Unmap().String()
	}
	return source
}

func (t *throttle) isTrusted(src string) bool {
	a, err := netip.ParseAddr(src)
	if err != nil {
		return false
	}
	for _, p := range t.trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

func recent(list []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(list) && now.Sub(list[i]) >= window {
		i++
	}
	return list[i:]
}

// blocked reports whether an attempt for account from source must be
// refused without checking the password.
func (t *throttle) blocked(account, source string, now time.Time) bool {
	if t.window <= 0 {
		return false
	}
	account, source = strings.ToLower(account), sourceKey(source)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cfg.AccountFailures > 0 && len(recent(t.accounts[account], now, t.window)) >= t.cfg.AccountFailures {
		return true
	}
	if t.cfg.SourceFailures > 0 && source != "" && !t.isTrusted(source) &&
		len(recent(t.sources[source], now, t.window)) >= t.cfg.SourceFailures {
		return true
	}
	return false
}

// failed records a failed attempt. account is empty for names that do not
// exist, so that guessing names cannot fill the memory; such guesses still
// count against their source.
func (t *throttle) failed(account, source string, now time.Time) {
	if t.window <= 0 {
		return
	}
	account, source = strings.ToLower(account), sourceKey(source)
	t.mu.Lock()
	defer t.mu.Unlock()
	if account != "" {
		t.accounts[account] = append(recent(t.accounts[account], now, t.window), now)
	}
	if source != "" {
		t.sources[source] = append(recent(t.sources[source], now, t.window), now)
	}
	t.sweeps++
	if t.sweeps >= 1000 || len(t.sources) > maxTracked {
		t.sweeps = 0
		t.sweep(now)
	}
}

// succeeded forgets an account's failures. A source's failures stay: one
// good password must not wipe out the record of guesses at other accounts.
func (t *throttle) succeeded(account string) {
	t.mu.Lock()
	delete(t.accounts, strings.ToLower(account))
	t.mu.Unlock()
}

func (t *throttle) sweep(now time.Time) {
	for _, m := range []map[string][]time.Time{t.accounts, t.sources} {
		for k, v := range m {
			if len(recent(v, now, t.window)) == 0 {
				delete(m, k)
			}
		}
	}
	// Still too many sources under an attack from a spread of addresses:
	// forget the sources rather than grow. Accounts are bounded by the
	// directory, so their records (the real protection) stay.
	if len(t.sources) > maxTracked {
		t.sources = map[string][]time.Time{}
	}
}
