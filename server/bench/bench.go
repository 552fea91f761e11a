// Package bench is "make bench": it measures Kaspel where a school's
// worst minute is (8:00 on the first school day, a whole class or school
// logging in at once) and compares with OpenLDAP's slapd, the server most
// schools' LDAP runs on, in the same run, with the same accounts, the same
// TLS certificate and passwords hashed with argon2id at the same
// parameters. It also measures the directory at district scale, the API
// and the desktop client's start. Results are a table on stdout and
// docs/performance.md.
package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Options steer a run.
type Options struct {
	ServerBin string // kaspel-server binary
	ClientBin string // kaspel-client binary ("" skips the client)
	Work      string // a scratch folder
	Out       io.Writer
	// Quick makes every part small (a smoke run, used by the tests).
	Quick bool
	// Rounds repeats the login storms, alternating the servers.
	Rounds int
}

// Row is one line of the result table.
type Row struct {
	Part    string
	Measure string
	Kaspel  string
	Slapd   string
	Ratio   string // Kaspel relative to slapd, "better" direction noted
	Goal    string
	Met     string // "yes", "no" or ""
}

// Report is a finished run.
type Report struct {
	Rows    []Row
	Facts   []string // machine facts
	Notes   []string
	Started time.Time
}

func (r *Report) add(row Row) { r.Rows = append(r.Rows, row) }

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// Table renders the rows as a Markdown table.
func (r *Report) Table() string {
	var b strings.Builder
	b.WriteString("| part | measure | Kaspel | slapd | Kaspel vs slapd | goal | met |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, x := range r.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", x.Part, x.Measure, x.Kaspel, dash(x.Slapd), dash(x.Ratio), dash(x.Goal), dash(x.Met))
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// machineFacts describes the machine the numbers come from.
func machineFacts() []string {
	facts := []string{
		fmt.Sprintf("cores: %d (GOMAXPROCS %d)", runtime.NumCPU(), runtime.GOMAXPROCS(0)),
		"Go: " + runtime.Version(),
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				facts = append(facts, "CPU: "+strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":")))
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if line, _, ok := strings.Cut(string(data), "\n"); ok {
			facts = append(facts, "memory: "+strings.Join(strings.Fields(strings.TrimPrefix(line, "MemTotal:")), " "))
		}
	}
	return facts
}

// latencies summarises durations.
type latencies []time.Duration

func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append(latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func ratio(kaspel, slapd float64) string {
	if slapd == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", kaspel/slapd)
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

func micros(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}
