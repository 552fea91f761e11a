package bench

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"kaspel/client/serverapi"
	"kaspel/server/argon2id"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/shared/wire"
)

// sizes of a run.
type sizes struct {
	pupils, district, inbox, events    int
	storms                             []int
	throughputFor                      time.Duration // the district's uid search
	throughputRound                    time.Duration // a round of the throughput comparison
	apiLogins, apiRequests, clientRuns int
}

func sizesFor(quick bool) sizes {
	if quick {
		return sizes{pupils: 120, district: 3000, inbox: 2000, events: 40, storms: []int{10, 40},
			throughputFor: time.Second, throughputRound: time.Second, apiLogins: 5, apiRequests: 30, clientRuns: 1}
	}
	return sizes{pupils: 1000, district: 100000, inbox: 100000, events: 300, storms: []int{30, 300},
		throughputFor: 10 * time.Second, throughputRound: 5 * time.Second, apiLogins: 60, apiRequests: 300, clientRuns: 5}
}

// Run does a whole benchmark run.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	if o.Quick {
		o.Rounds = 1
	}
	sz := sizesFor(o.Quick)
	rep := &Report{Started: time.Now(), Facts: machineFacts()}
	logf := func(format string, args ...any) { fmt.Fprintf(o.Out, "bench: "+format+"\n", args...) }

	logf("preparing a school with %d pupils (Kaspel data folder and the same entries for slapd)", sz.pupils)
	sch, err := newSchool(ctx, filepath.Join(o.Work, "school"), sz.pupils)
	if err != nil {
		return nil, err
	}
	teacher := sch.teacher()
	pupils := sch.pupils()
	if err := sch.seedInbox(ctx, teacher, pupils[0], sz.inbox); err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(filepath.Join(config.PKIDir(sch.data), "ca.crt"))
	if err != nil {
		return nil, err
	}
	tlsConf, err := tlsFor(caPEM)
	if err != nil {
		return nil, err
	}
	kp, kaddr, haddr, err := startKaspel(o.ServerBin, sch)
	if err != nil {
		return nil, err
	}
	defer kp.stop()
	sp, saddr, err := startSlapd(sch, filepath.Join(o.Work, "slapd"))
	if err != nil {
		return nil, err
	}
	defer sp.stop()
	rep.Facts = append(rep.Facts, "slapd: "+slapdVersion()+", mdb backend, eq indexes on uid, memberUid, gidNumber, objectClass")
	rep.Facts = append(rep.Facts, "passwords: argon2id t=2, m=19456 KiB, p=1 on both servers (slapd's {ARGON2} scheme with Debian's libargon2; Kaspel: "+argon2id.Implementation+")")
	svcDN := "cn=" + sch.svcName + ",ou=services," + sch.base
	kas := &target{name: "Kaspel", addr: kaddr, tls: tlsConf, base: sch.base, svcDN: svcDN, svcPW: sch.svcPassword, people: pupils, pid: kp.cmd.Process.Pid}
	sla := &target{name: "slapd", addr: saddr, tls: tlsConf, base: sch.base, svcDN: svcDN, svcPW: sch.svcPassword, people: pupils, pid: sp.cmd.Process.Pid}
	for _, t := range []*target{kas, sla} {
		if err := t.sssdLogin(pupils[0]); err != nil {
			return nil, fmt.Errorf("bench: a single login on %s fails: %w", t.name, err)
		}
	}

	// KASPEL_BENCH_ONLY=search (or bind) measures only Kaspel's uid search
	// (or user binds), for a clean CPU profile with KASPEL_BENCH_PROFILE.
	if only := os.Getenv("KASPEL_BENCH_ONLY"); only == "storm" {
		for range 3 {
			r := kas.storm(300)
			rep.add(Row{Part: "storm only", Measure: "300 logins: all done, CPU per login server / load generator",
				Kaspel: secs(r.total) + ", " + micros(r.serverCPU) + " / " + micros(r.loadCPU)})
		}
		return rep, nil
	} else if only == "search" || only == "bind" {
		cpu0 := cpuTime(kas.pid)
		var rate float64
		var lat latencies
		var fails int
		var err error
		if only == "bind" {
			rate, lat, fails, err = kas.throughput(32, 10*time.Second, func(*ldap.Conn) error { return nil }, kas.userBind)
		} else {
			rate, lat, fails, err = kas.rawSearchThroughput(32, 10*time.Second)
		}
		perOp := time.Duration(float64(cpuTime(kas.pid)-cpu0) / (rate * 10))
		rep.add(Row{Part: only + " only", Measure: "rate, p50 / p99, server CPU per operation",
			Kaspel: fmt.Sprintf("%.0f/s, %s / %s, %s", rate, ms(lat.pct(0.5)), ms(lat.pct(0.99)), micros(perOp))})
		if fails > 0 {
			rep.note("%d failures: %v", fails, err)
		}
		return rep, nil
	}

	// Login storms, the servers alternating.
	goals := map[int]time.Duration{30: 500 * time.Millisecond, 300: 4 * time.Second}
	for _, n := range sz.storms {
		var kr, sr []stormResult
		for r := 0; r < o.Rounds; r++ {
			logf("login storm: %d at once, round %d (Kaspel, then slapd)", n, r+1)
			kr = append(kr, kas.storm(n))
			time.Sleep(300 * time.Millisecond)
			sr = append(sr, sla.storm(n))
			time.Sleep(300 * time.Millisecond)
		}
		k, s := medianStorm(kr), medianStorm(sr)
		goal, met := "", ""
		if g, ok := goals[n]; ok {
			goal = "< " + secs(g) + ", 0 errors"
			met = yesNo(k.total < g && k.errors == 0)
		}
		rep.add(Row{Part: fmt.Sprintf("login storm, %d at once", n), Measure: "all done (median of rounds)",
			Kaspel: secs(k.total), Slapd: secs(s.total), Ratio: ratio(k.total.Seconds(), s.total.Seconds()) + " time", Goal: goal, Met: met})
		rep.add(Row{Part: fmt.Sprintf("login storm, %d at once", n), Measure: "per login p50 / p99",
			Kaspel: ms(k.lat.pct(0.5)) + " / " + ms(k.lat.pct(0.99)), Slapd: ms(s.lat.pct(0.5)) + " / " + ms(s.lat.pct(0.99))})
		rep.add(Row{Part: fmt.Sprintf("login storm, %d at once", n), Measure: "CPU per login: server / load generator",
			Kaspel: micros(k.serverCPU) + " / " + micros(k.loadCPU), Slapd: micros(s.serverCPU) + " / " + micros(s.loadCPU)})
		rep.add(Row{Part: fmt.Sprintf("login storm, %d at once", n), Measure: "errors (all rounds)",
			Kaspel: strconv.Itoa(sumErrors(kr)), Slapd: strconv.Itoa(sumErrors(sr))})
		if e := firstError(kr); e != nil {
			rep.note("Kaspel storm error: %v", e)
		}
		if e := firstError(sr); e != nil {
			rep.note("slapd storm error: %v", e)
		}
	}

	// Search and bind throughput: the servers alternating in rounds, the
	// median round of each counts (the machine is shared; one slow
	// stretch should not decide the ratio).
	for _, kind := range []string{"uid search", "bind"} {
		var kr, sr []throughputResult
		for r := 0; r < o.Rounds; r++ {
			for _, t := range []*target{kas, sla} {
				logf("%s throughput on %s: 32 connections, %s, round %d", kind, t.name, sz.throughputRound, r+1)
				var res throughputResult
				var fails int
				var err error
				cpu0 := cpuTime(t.pid)
				if kind == "bind" {
					res.rate, res.lat, fails, err = t.throughput(32, sz.throughputRound, func(*ldap.Conn) error { return nil }, t.userBind)
				} else {
					res.rate, res.lat, fails, err = t.rawSearchThroughput(32, sz.throughputRound)
				}
				if n := res.rate * sz.throughputRound.Seconds(); n > 0 {
					res.cpu = time.Duration(float64(cpuTime(t.pid)-cpu0) / n)
				}
				if fails > 0 {
					rep.note("%s on %s: %d failures, first: %v", kind, t.name, fails, err)
				}
				if t == kas {
					kr = append(kr, res)
				} else {
					sr = append(sr, res)
				}
				time.Sleep(300 * time.Millisecond)
			}
		}
		k, sl := medianThroughput(kr), medianThroughput(sr)
		kRate, kLat, kCPU := k.rate, k.lat, k.cpu
		sRate, sLat, sCPU := sl.rate, sl.lat, sl.cpu
		goal, want := "≥ 1.2× slapd", 1.2
		if kind == "bind" {
			goal, want = "≥ slapd", 1.0
		}
		rep.add(Row{Part: kind + " throughput, 32 connections", Measure: "operations per second",
			Kaspel: fmt.Sprintf("%.0f/s", kRate), Slapd: fmt.Sprintf("%.0f/s", sRate), Ratio: ratio(kRate, sRate) + " rate",
			Goal: goal, Met: yesNo(sRate > 0 && kRate/sRate >= want)})
		rep.add(Row{Part: kind + " throughput, 32 connections", Measure: "latency p50 / p99",
			Kaspel: ms(kLat.pct(0.5)) + " / " + ms(kLat.pct(0.99)), Slapd: ms(sLat.pct(0.5)) + " / " + ms(sLat.pct(0.99))})
		rep.add(Row{Part: kind + " throughput, 32 connections", Measure: "server CPU per operation",
			Kaspel: micros(kCPU), Slapd: micros(sCPU), Ratio: ratio(float64(kCPU), float64(sCPU)) + " CPU"})
	}
	rep.add(Row{Part: "memory", Measure: "resident after the LDAP runs",
		Kaspel: fmt.Sprintf("%d MB", residentKB(kp.cmd.Process.Pid)>>10), Slapd: fmt.Sprintf("%d MB", residentKB(sp.cmd.Process.Pid)>>10)})
	sp.stop()

	if err := apiRuns(ctx, rep, logf, sz, "https://"+haddr, caPEM, pupils, teacher); err != nil {
		return nil, err
	}
	kp.stop()

	if err := importRun(ctx, rep, logf, o, sz.pupils); err != nil {
		return nil, err
	}
	if err := districtRun(ctx, rep, logf, o, sz); err != nil {
		return nil, err
	}
	if err := lendingRun(ctx, rep, logf, o, sz); err != nil {
		return nil, err
	}
	if o.ClientBin != "" {
		if err := clientRun(rep, logf, o, sz, sch); err != nil {
			rep.note("client start-up not measured: %v", err)
		}
	}
	return rep, nil
}

func medianStorm(rs []stormResult) stormResult {
	s := append([]stormResult(nil), rs...)
	sort.Slice(s, func(i, j int) bool { return s[i].total < s[j].total })
	m := s[len(s)/2]
	var all latencies
	for _, r := range rs {
		all = append(all, r.lat...)
	}
	m.lat = all
	return m
}

func sumErrors(rs []stormResult) int {
	n := 0
	for _, r := range rs {
		n += r.errors
	}
	return n
}

func firstError(rs []stormResult) error {
	for _, r := range rs {
		if r.first != nil {
			return r.first
		}
	}
	return nil
}

// timed runs f n times and returns the latencies.
func timed(n int, f func(i int) error) (latencies, error) {
	var lat latencies
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := f(i); err != nil {
			return lat, err
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, nil
}

// apiRuns measures the HTTPS API at a school of 1,000 pupils: the login
// (argon2id is most of it), an inbox page of a mailbox with 100,000
// messages (first and deep), and the calendar's month view.
func apiRuns(ctx context.Context, rep *Report, logf func(string, ...any), sz sizes, url string, caPEM []byte, pupils []string, teacher string) error {
	client := func() (*serverapi.Client, error) { return serverapi.New(url, caPEM) }
	logf("API: %d logins", sz.apiLogins)
	lat, err := timed(sz.apiLogins, func(i int) error {
		c, err := client()
		if err != nil {
			return err
		}
		_, err = c.Login(ctx, pupils[(i+1)%len(pupils)], Password, "bench")
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: API login: %w", err)
	}
	rep.add(Row{Part: fmt.Sprintf("API at %d pupils", len(pupils)), Measure: "login p50 / p99", Kaspel: ms(lat.pct(0.5)) + " / " + ms(lat.pct(0.99))})

	owner, err := client()
	if err != nil {
		return err
	}
	if _, err := owner.Login(ctx, pupils[0], Password, "bench"); err != nil {
		return err
	}
	first, err := owner.MailPage(ctx, "inbox", "", 50)
	if err != nil {
		return fmt.Errorf("bench: inbox: %w", err)
	}
	logf("API: inbox pages of %d messages", sz.inbox)
	lat, err = timed(sz.apiRequests, func(int) error { _, err := owner.MailPage(ctx, "inbox", "", 50); return err })
	if err != nil {
		return err
	}
	rep.add(Row{Part: fmt.Sprintf("API at %d pupils", len(pupils)), Measure: fmt.Sprintf("inbox first page (%d messages) p50 / p99", sz.inbox), Kaspel: ms(lat.pct(0.5)) + " / " + ms(lat.pct(0.99))})
	// a page deep in the mailbox: follow the cursor most of the way
	cursor := first.Next
	for i := 0; i < 40 && cursor != ""; i++ {
		p, err := owner.MailPage(ctx, "inbox", cursor, 100)
		if err != nil {
			return err
		}
		cursor = p.Next
	}
	if cursor != "" {
		lat, err = timed(sz.apiRequests, func(int) error { _, err := owner.MailPage(ctx, "inbox", cursor, 50); return err })
		if err != nil {
			return err
		}
		rep.add(Row{Part: fmt.Sprintf("API at %d pupils", len(pupils)), Measure: "inbox page 4,000 deep p50 / p99", Kaspel: ms(lat.pct(0.5)) + " / " + ms(lat.pct(0.99))})
	}

	// The class teacher fills the class calendar; a pupil looks at the month.
	tc, err := client()
	if err != nil {
		return err
	}
	if _, err := tc.Login(ctx, teacher, Password, "bench"); err != nil {
		return err
	}
	cals, err := tc.Calendars(ctx, false)
	if err != nil {
		return err
	}
	var classCal int64
	for _, c := range cals {
		// The class's, not the staff room's (the teachers' role group),
		// which the pupil does not see.
		if c.Writable && c.Kind == "group" && c.Group != directory.Teacher.GroupName() {
			classCal = c.ID
		}
	}
	if classCal == 0 {
		return fmt.Errorf("bench: the teacher has no class calendar")
	}
	month := time.Now().In(time.Local)
	firstDay := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.Local)
	rng := rand.New(rand.NewPCG(3, 4))
	logf("API: %d calendar events", sz.events)
	for i := 0; i < sz.events; i++ {
		day := firstDay.AddDate(0, 0, rng.IntN(60)-15)
		in := wire.EventInput{Title: fmt.Sprintf("Termin %d", i), Start: day.Format("2006-01-02") + "T08:00", End: day.Format("2006-01-02") + "T09:30"}
		if i%8 == 0 {
			in.Recurrence = &wire.Recurrence{Freq: "WEEKLY", Interval: 1}
		}
		if _, err := tc.CreateEvent(ctx, classCal, in); err != nil {
			return fmt.Errorf("bench: create event: %w", err)
		}
	}
	from, to := firstDay.Format("2006-01-02"), firstDay.AddDate(0, 1, 0).Format("2006-01-02")
	// The pupil's month must hold the class's events, or the row would
	// time an empty month.
	if occ, err := owner.Occurrences(ctx, from, to); err != nil || len(occ.List) < sz.events/4 {
		return fmt.Errorf("bench: the pupil's month shows %d of the class's events (%v)", len(occ.List), err)
	}
	lat, err = timed(sz.apiRequests, func(int) error { _, err := owner.Occurrences(ctx, from, to); return err })
	if err != nil {
		return fmt.Errorf("bench: month view: %w", err)
	}
	rep.add(Row{Part: fmt.Sprintf("API at %d pupils", len(pupils)), Measure: fmt.Sprintf("calendar month view (%d events) p50 / p99", sz.events), Kaspel: ms(lat.pct(0.5)) + " / " + ms(lat.pct(0.99))})
	return nil
}

// districtRun builds a directory of district size and measures the uid
// search there.
func districtRun(ctx context.Context, rep *Report, logf func(string, ...any), o Options, sz sizes) error {
	logf("district scale: %d accounts", sz.district)
	sch, err := newSchool(ctx, filepath.Join(o.Work, "district"), sz.district)
	if err != nil {
		return err
	}
	rep.add(Row{Part: fmt.Sprintf("directory, %d accounts", sz.district), Measure: "accounts created (one shared hash)",
		Kaspel: secs(sch.created)})
	caPEM, err := os.ReadFile(filepath.Join(config.PKIDir(sch.data), "ca.crt"))
	if err != nil {
		return err
	}
	tlsConf, err := tlsFor(caPEM)
	if err != nil {
		return err
	}
	kp, kaddr, _, err := startKaspel(o.ServerBin, sch)
	if err != nil {
		return err
	}
	defer kp.stop()
	t := &target{name: "Kaspel", addr: kaddr, tls: tlsConf, base: sch.base, svcDN: "cn=" + sch.svcName + ",ou=services," + sch.base, svcPW: sch.svcPassword, people: sch.pupils()}
	rate, lat, fails, err := t.throughput(4, sz.throughputFor, t.serviceBind, t.uidSearch)
	if fails > 0 {
		return fmt.Errorf("bench: district uid search: %d failures: %w", fails, err)
	}
	rep.add(Row{Part: fmt.Sprintf("directory, %d accounts", sz.district), Measure: "uid search p50 / p99 (4 connections)",
		Kaspel: ms(lat.pct(0.5)) + " / " + ms(lat.pct(0.99)) + fmt.Sprintf(" (%.0f/s)", rate)})
	rep.add(Row{Part: fmt.Sprintf("directory, %d accounts", sz.district), Measure: "resident memory of the server",
		Kaspel: fmt.Sprintf("%d MB", residentKB(kp.cmd.Process.Pid)>>10)})
	return nil
}

// What the client's start-up probe says besides its resident memory.
var (
	probeGraphics = regexp.MustCompile(`graphics (\d+) KB`)
	probeHeap     = regexp.MustCompile(`heap in use (\d+) KB`)
)

// clientRun starts the desktop client against a server cold, up to its
// login screen, under Xvfb when there is no display.
func clientRun(rep *Report, logf func(string, ...any), o Options, sz sizes, sch *school) error {
	kp, _, haddr, err := startKaspel(o.ServerBin, sch)
	if err != nil {
		return err
	}
	defer kp.stop()
	display := os.Getenv("DISPLAY")
	if display == "" {
		if _, err := exec.LookPath("Xvfb"); err != nil {
			return fmt.Errorf("no display and no Xvfb")
		}
		display = ":97"
		x := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := x.Start(); err != nil {
			return err
		}
		defer func() { x.Process.Kill(); x.Wait() }()
		time.Sleep(500 * time.Millisecond)
	}
	var times latencies
	var rss, graphics, heap []int
	for i := 0; i < sz.clientRuns; i++ {
		cmd := exec.Command(o.ClientBin, "--config", filepath.Join(o.Work, "none.json"), "--server", "https://"+haddr,
			"--ca", filepath.Join(config.PKIDir(sch.data), "ca.crt"), "--mode", "pcroom")
		cmd.Env = append(os.Environ(), "DISPLAY="+display, "KASPEL_STARTUP_PROBE=1", "LANG=de_DE.UTF-8")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		sc := bufio.NewScanner(out)
		ready := false
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 3 && f[1] == "ready" {
				times = append(times, time.Since(t0))
				n, _ := strconv.Atoi(f[2])
				rss = append(rss, n)
				if m := probeGraphics.FindStringSubmatch(sc.Text()); m != nil {
					g, _ := strconv.Atoi(m[1])
					graphics = append(graphics, g)
				}
				if m := probeHeap.FindStringSubmatch(sc.Text()); m != nil {
					h, _ := strconv.Atoi(m[1])
					heap = append(heap, h)
				}
				ready = true
			}
		}
		cmd.Wait()
		if !ready {
			return fmt.Errorf("the client never reported its login screen")
		}
	}
	sort.Ints(rss)
	med := times.pct(0.5)
	rep.add(Row{Part: "desktop client", Measure: fmt.Sprintf("cold start to the login screen (median of %d)", len(times)),
		Kaspel: secs(med), Goal: "< 1.5 s", Met: yesNo(med < 1500*time.Millisecond)})
	rep.add(Row{Part: "desktop client", Measure: "resident memory at the login screen",
		Kaspel: fmt.Sprintf("%d MB", rss[len(rss)/2]>>10), Goal: "< 120 MB", Met: yesNo(rss[len(rss)/2]>>10 < 120)})
	if len(graphics) == len(rss) && len(heap) == len(rss) {
		sort.Ints(graphics)
		sort.Ints(heap)
		rep.add(Row{Part: "desktop client", Measure: "of which OpenGL driver libraries / Go heap in use",
			Kaspel: fmt.Sprintf("%d MB / %d MB", graphics[len(graphics)/2]>>10, heap[len(heap)/2]>>10)})
	}
	if os.Getenv("DISPLAY") == "" {
		rep.note("The client ran under Xvfb with Mesa's software renderer (llvmpipe): its LLVM library alone keeps about 60 MB resident, which a PC with a graphics driver does not pay.")
	}
	return nil
}

// lendingRun times the secretary's kiosk: a card, the pupil's copies
// issued, then returned, on a school with ten copies per pupil.
func lendingRun(ctx context.Context, rep *Report, logf func(string, ...any), o Options, sz sizes) error {
	logf("lending kiosk: %d pupils, %d copies", sz.pupils, 10*sz.pupils)
	folder := filepath.Join(o.Work, "lending")
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return err
	}
	fig, err := lending.MeasureScans(ctx, folder, sz.pupils, 10*sz.pupils, 200)
	if err != nil {
		return fmt.Errorf("bench: lending scans: %w", err)
	}
	rep.add(Row{Part: "lending kiosk", Measure: fmt.Sprintf("scan to answer p50 / p99 (%d scans)", fig.Scans),
		Kaspel: ms(fig.P50) + " / " + ms(fig.P99), Goal: "p99 < 100 ms", Met: yesNo(fig.P99 < 100*time.Millisecond)})
	return nil
}

// throughputResult is one round of a throughput comparison on one server.
type throughputResult struct {
	rate float64
	lat  latencies
	cpu  time.Duration // the server's CPU time per operation
}

// medianThroughput is the round with the median rate.
func medianThroughput(rs []throughputResult) throughputResult {
	if len(rs) == 0 {
		return throughputResult{}
	}
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b throughputResult) int { return cmp.Compare(a.rate, b.rate) })
	return s[len(s)/2]
}
