package lending

import (
	"path/filepath"
	"sort"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// BenchmarkScan times the kiosk's scans in a school of 1,000 pupils and
// 10,000 copies (the goal: under 100 ms at the 99th percentile). The
// school is built once; the sub-benchmarks report p50 and p99 of their
// scans besides the mean.
func BenchmarkScan(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations, Migrations)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	dcfg := directory.DefaultConfig
	dcfg.Hash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	dir, err := directory.New(db, dcfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule Bench", Domain: "bench.de"}); err != nil {
		b.Fatal(err)
	}
	f, err := BuildFixture(ctx, db, dir, 1000, 10000)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := New(db, dir, nil, DefaultConfig)
	if err != nil {
		b.Fatal(err)
	}
	report := func(b *testing.B, times []time.Duration) {
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		b.ReportMetric(float64(Percentile(times, 0.5).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(Percentile(times, 0.99).Microseconds())/1000, "p99-ms")
	}
	// Every copy of the plans in turn (each may go out three times).
	type turn struct{ login, code string }
	var turns []turn
	for _, p := range f.Plans {
		for _, c := range p.Copies {
			turns = append(turns, turn{p.Login, c})
		}
	}
	next := 0
	b.Run("card", func(b *testing.B) {
		times := make([]time.Duration, 0, b.N)
		for i := 0; i < b.N; i++ {
			p := f.Plans[i%len(f.Plans)]
			t0 := time.Now()
			res, err := svc.Scan(ctx, f.Secretary, ScanRequest{Code: p.Card, Year: f.Year.ID})
			times = append(times, time.Since(t0))
			if err != nil || res.Kind != ScanPupil {
				b.Fatalf("card: %v %s", err, res.Message)
			}
		}
		report(b, times)
	})
	// issue-return: a copy issued at the counter and taken back on return
	// day, two scans per iteration (each timed).
	b.Run("issue-return", func(b *testing.B) {
		times := make([]time.Duration, 0, 2*b.N)
		for i := 0; i < b.N; i++ {
			tn := turns[next%len(turns)]
			next++
			code := tn.code
			t0 := time.Now()
			res, err := svc.Scan(ctx, f.Secretary, ScanRequest{Code: code, Pupil: tn.login, Year: f.Year.ID, Confirm: true})
			times = append(times, time.Since(t0))
			if err != nil || res.Kind != ScanIssued {
				b.Fatalf("issue %s: %v %s", code, err, res.Message)
			}
			t0 = time.Now()
			res, err = svc.Scan(ctx, f.Secretary, ScanRequest{Code: code, Mode: ModeReturn, Year: f.Year.ID})
			times = append(times, time.Since(t0))
			if err != nil || res.Kind != ScanReturned {
				b.Fatalf("return %s: %v %s", code, err, res.Message)
			}
		}
		report(b, times)
	})
}

// The measurement make bench runs, small: it builds its school and
// answers sensible figures.
func TestMeasureScans(t *testing.T) {
	fig, err := MeasureScans(ctx, t.TempDir(), 64, 640, 5)
	if err != nil {
		t.Fatal(err)
	}
	// 5 pupils: a card and 9 copies each, then the 45 copies back.
	if fig.Scans < 5*10+45 || fig.P50 <= 0 || fig.P99 < fig.P50 || fig.Max < fig.P99 {
		t.Errorf("got %+v", fig)
	}
}
