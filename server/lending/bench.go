package lending

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// The kiosk's figure for "make bench": how long a scan takes from the
// code to the answer the screen shows, in a school of realistic size —
// 1,000 pupils in 16 classes, 10,000 copies of 36 titles, every pupil
// registered, half of them with their books already. BuildFixture makes
// that school in a database; MeasureScans times a counter's morning on
// it through the service (the API's benchmark adds HTTPS and JSON).

// Fixture is a school prepared for measuring scans.
type Fixture struct {
	Year      Year
	Secretary directory.Person
	// Plans are pupils without their books yet: the card and one copy in
	// stock of each title they booked.
	Plans []ScanPlan
}

// ScanPlan is one pupil's turn at the counter.
type ScanPlan struct {
	Login  string
	Card   string
	Copies []string
}

// BuildFixture fills db (with the directory's, audit's and the lending's
// tables) with a school of that many pupils and copies.
func BuildFixture(ctx context.Context, db *store.DB, dir *directory.Directory, pupils, copies int) (*Fixture, error) {
	svc, err := New(db, dir, nil, DefaultConfig)
	if err != nil {
		return nil, err
	}
	actor := directory.Actor{Name: "bench", Service: "cli"}
	var classes []string
	for g := 1; g <= 4; g++ {
		for _, c := range "abcd" {
			classes = append(classes, fmt.Sprintf("%d%c", g, c))
		}
	}
	var np []directory.NewPerson
	for i := 0; i < pupils; i++ {
		np = append(np, directory.NewPerson{FirstName: fmt.Sprintf("Kind%05d", i+1), LastName: "Bench", Role: directory.Pupil,
			Classes: []string{classes[i%len(classes)]}})
	}
	np = append(np, directory.NewPerson{FirstName: "Sabine", LastName: "Bench", Role: directory.Secretary})
	people, err := dir.AddDemoPeople(ctx, actor, np, "Bench-Pass-2026")
	if err != nil {
		return nil, err
	}
	f := &Fixture{Secretary: people[len(people)-1]}
	now := svc.now()
	day := func(d int) string { return dateOf(now.AddDate(0, 0, d)) }
	rules, _ := DefaultConfig.Rules.rules()
	y := Year{Name: "Bench " + day(0), Start: day(-20), SecondHalf: day(150), End: day(330), RegistrationFrom: day(-120), RegistrationUntil: day(-40),
		PaymentDue: day(-30), ReturnDue: day(300), IBAN: "DE89370400440532013000", AccountHolder: "Förderverein", Rules: rules,
		CreatedAt: now, UpdatedAt: now}
	lists := map[int][]Title{}
	stock := map[int64][]Copy{} // title -> copies in stock
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertYear(ctx, tx, &y); err != nil {
			return err
		}
		seq := 0
		var lendable []Title
		for g := 1; g <= 4; g++ {
			var ids []int64
			for k := 0; k < 10; k++ {
				seq++
				d12 := fmt.Sprintf("978399%06d", seq)
				t := Title{ISBN: d12 + string(isbn13Check(d12)), Title: fmt.Sprintf("Band %d für Klasse %d", k+1, g), Subject: "Fach",
					Grades: []int{g}, Price: int64(1500 + 100*k), YearsOfUse: 1, Consumable: k == 9, CreatedAt: now, UpdatedAt: now}
				if err := insertTitle(ctx, tx, &t); err != nil {
					return err
				}
				lists[g] = append(lists[g], t)
				ids = append(ids, t.ID)
				if !t.Consumable {
					lendable = append(lendable, t)
				}
			}
			if err := putList(ctx, tx, y.ID, g, ids, true, now); err != nil {
				return err
			}
		}
		for i := 0; i < copies; i++ {
			t := lendable[i%len(lendable)]
			c := Copy{Number: int64(i + 1), TitleID: t.ID, AcquiredOn: day(-400), Condition: ConditionGood, Status: InStock, CreatedAt: now, UpdatedAt: now}
			if err := insertCopy(ctx, tx, &c); err != nil {
				return err
			}
			stock[t.ID] = append(stock[t.ID], c)
		}
		return setSetting(ctx, tx, "next_copy_number", fmt.Sprint(copies+1))
	})
	if err != nil {
		return nil, err
	}
	f.Year = y
	var listed []directory.Listed
	for i, p := range people[:pupils] {
		listed = append(listed, directory.Listed{Person: p, Classes: []string{classes[i%len(classes)]}})
	}
	cards, err := svc.ensureCards(ctx, listed)
	if err != nil {
		return nil, err
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for i, p := range listed {
			g := gradeOf(p.Classes[0])
			acc, err := svc.ensureAccount(ctx, tx, p.Person, y)
			if err != nil {
				return err
			}
			r := Registration{AccountID: acc.ID, PersonID: p.ID, YearID: y.ID, Grade: g, Channel: Online, Package: true, Guardian: "Bench",
				TermsAcceptedAt: now, CreatedAt: now, CreatedBy: p.Login}
			var copiesOf []Copy
			for _, t := range lists[g] {
				fee := DefaultFee(y.Rules, t.terms())
				c := Buy
				if !t.Consumable {
					c = Borrow
					r.Full += fee
					if in := stock[t.ID]; len(in) > 0 {
						copiesOf = append(copiesOf, in[0])
						stock[t.ID] = in[1:]
					}
				}
				r.Titles = append(r.Titles, RegisteredTitle{TitleID: t.ID, Choice: c, Fee: fee, Price: t.Price})
			}
			r.Reduced = r.Full
			if err := insertRegistration(ctx, tx, &r); err != nil {
				return err
			}
			if i%10 != 0 { // nine in ten paid
				if err := insertPayment(ctx, tx, &Payment{AccountID: acc.ID, Amount: r.Full, BookedOn: day(-35), Source: "bank", CreatedAt: now, CreatedBy: "bench"}); err != nil {
					return err
				}
			}
			if i < pupils/2 {
				plan := ScanPlan{Login: p.Login, Card: cards[p.ID]}
				for _, c := range copiesOf {
					plan.Copies = append(plan.Copies, c.Code)
				}
				f.Plans = append(f.Plans, plan)
				continue
			}
			// The other half has its books already.
			for _, c := range copiesOf {
				l := Loan{CopyID: c.ID, PersonID: p.ID, PupilLogin: p.Login, PupilName: p.Name(), YearID: y.ID, Fee: 500, IssuedAt: now, IssuedBy: "bench"}
				if err := insertLoan(ctx, tx, &l); err != nil {
					return err
				}
				if err := setCopy(ctx, tx, c.ID, Lent, ConditionGood, "", 1, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ScanFigures are the latencies of a counter's scans.
type ScanFigures struct {
	Pupils, Copies int
	Scans          int
	P50, P99, Max  time.Duration
}

// Percentile is the p-th (0..1) of sorted durations (nearest rank).
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// MeasureScans makes the school in folder (a new SQLite file there) and
// times the counter for rounds pupils: the card, each of the pupil's
// copies issued (a held issue confirmed with a second scan), then on
// return day every one of those copies taken back.
func MeasureScans(ctx context.Context, folder string, pupils, copies, rounds int) (ScanFigures, error) {
	db, err := store.Open(filepath.Join(folder, "kaspel.db"), audit.Migrations, directory.Migrations, Migrations)
	if err != nil {
		return ScanFigures{}, err
	}
	defer db.Close()
	dcfg := directory.DefaultConfig
	dcfg.Hash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	dir, err := directory.New(db, dcfg, nil)
	if err != nil {
		return ScanFigures{}, err
	}
	if err := dir.InitSchool(ctx, directory.Actor{Name: "bench", Service: "cli"}, directory.School{Name: "Grundschule Bench", Domain: "bench.de"}); err != nil {
		return ScanFigures{}, err
	}
	f, err := BuildFixture(ctx, db, dir, pupils, copies)
	if err != nil {
		return ScanFigures{}, err
	}
	svc, err := New(db, dir, nil, DefaultConfig)
	if err != nil {
		return ScanFigures{}, err
	}
	var times []time.Duration
	scan := func(req ScanRequest) (ScanResult, error) {
		req.Year = f.Year.ID
		t0 := time.Now()
		res, err := svc.Scan(ctx, f.Secretary, req)
		times = append(times, time.Since(t0))
		return res, err
	}
	var issued []string
	for _, p := range f.Plans[:min(rounds, len(f.Plans))] {
		if _, err := scan(ScanRequest{Code: p.Card}); err != nil {
			return ScanFigures{}, err
		}
		for _, code := range p.Copies {
			res, err := scan(ScanRequest{Code: code, Pupil: p.Login})
			if err == nil && res.Kind == ScanConfirm {
				res, err = scan(ScanRequest{Code: code, Pupil: p.Login, Confirm: true})
			}
			if err != nil {
				return ScanFigures{}, err
			}
			if res.Kind != ScanIssued {
				return ScanFigures{}, fmt.Errorf("lending: bench: %s not issued: %s", code, res.Message)
			}
			issued = append(issued, code)
		}
	}
	for _, code := range issued {
		if res, err := scan(ScanRequest{Code: code, Mode: ModeReturn}); err != nil || res.Kind != ScanReturned {
			return ScanFigures{}, fmt.Errorf("lending: bench: return %s: %v %s", code, err, res.Message)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return ScanFigures{Pupils: pupils, Copies: copies, Scans: len(times), P50: Percentile(times, 0.5), P99: Percentile(times, 0.99),
		Max: times[len(times)-1]}, nil
}
