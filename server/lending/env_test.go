package lending

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/mail"
	"kaspel/server/session"
	"kaspel/server/store"
)

// The tests run the service on a real SQLite file with the real
// directory and the mail module's real delivery of system messages, as
// the server does.

var (
	ctx   = context.Background()
	admin = directory.Actor{Name: "cli:test", Service: "cli"}
	// start is the tests' "now": Monday, 4 May 2026, 10 o'clock in
	// Berlin, while the registration for 2026/27 is open.
	start = time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// env is a small school: class 3a (Anna, Ben, Dora; teacher Tina),
// class 4b (Clara; teacher Otto), the secretary Sabine, the lending
// coordinator Kai (a teacher with the lending right) and the admin Adam;
// the school year 2026/27 with a published book list for grade 4.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	svc   *Service
	clock *clock

	anna, ben, dora, clara, tina, otto, sabine, kai, adam directory.Person

	year                       Year
	maths, reading, sachu, mwb Title // mwb: the maths workbook (consumable)
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := newBareEnv(t)
	e.anna = e.add("Anna", "Schmidt", directory.Pupil, "3a")
	e.ben = e.add("Ben", "Becker", directory.Pupil, "3a")
	e.dora = e.add("Dora", "Adler", directory.Pupil, "3a")
	e.clara = e.add("Clara", "Roth", directory.Pupil, "4b")
	e.tina = e.add("Tina", "Lehmann", directory.Teacher, "3a")
	e.otto = e.add("Otto", "Weber", directory.Teacher, "4b")
	e.sabine = e.add("Sabine", "Sekretär", directory.Secretary)
	e.kai = e.add("Kai", "Koordinator", directory.Teacher)
	e.adam = e.add("Adam", "Admin", directory.Admin)
	if err := e.dir.SetRight(ctx, admin, e.kai.Login, directory.RightLending, true); err != nil {
		t.Fatal(err)
	}
	e.year = e.createYear(testYear())
	e.maths = e.title(TitleInput{ISBN: isbn("978312345678"), Title: "Mathe-Welt 4", Publisher: "Klett", Subject: "Mathematik", Grades: []int{4}, Price: 2495, YearsOfUse: 1})
	e.reading = e.title(TitleInput{ISBN: isbn("978306012345"), Title: "Lesebuch 4", Publisher: "Cornelsen", Subject: "Deutsch", Grades: []int{4}, Price: 2200, YearsOfUse: 1})
	e.sachu = e.title(TitleInput{ISBN: isbn("978314123456"), Title: "Sachunterricht 3/4", Publisher: "Westermann", Subject: "Sachunterricht", Grades: []int{3, 4}, Price: 2800, YearsOfUse: 2})
	e.mwb = e.title(TitleInput{ISBN: isbn("978312345999"), Title: "Mathe-Welt 4 Arbeitsheft", Publisher: "Klett", Subject: "Mathematik", Grades: []int{4}, Price: 995, YearsOfUse: 1, Consumable: true})
	if _, err := e.svc.PutList(ctx, e.kai, e.year.ID, 4, []int64{e.maths.ID, e.reading.ID, e.sachu.ID, e.mwb.ID}, true); err != nil {
		t.Fatal(err)
	}
	return e
}

// newBareEnv is the school without people, years or titles.
func newBareEnv(t testing.TB) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations, session.Migrations, mail.Migrations, Migrations)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	dcfg := directory.DefaultConfig
	dcfg.Hash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	dir, err := directory.New(db, dcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: start}
	dir.SetClock(c.now)
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule Borsumer Kaspel", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(db, dir, mail.NewNotices(dir), DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetClock(c.now)
	return &env{t: t, db: db, dir: dir, svc: svc, clock: c}
}

func (e *env) add(first, last string, role directory.Role, classes ...string) directory.Person {
	e.t.Helper()
	p, _, err := e.dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: first, LastName: last, Role: role, Classes: classes})
	if err != nil {
		e.t.Fatalf("AddPerson %s %s: %v", first, last, err)
	}
	return p
}

// isbn completes 12 digits with their check digit.
func isbn(d12 string) string { return d12 + string(isbn13Check(d12)) }

// testYear is 2026/27 with the default rules (33-40 %, 35 %, two-year
// volumes 60 %) and the school's account.
func testYear() Year {
	r, _ := DefaultConfig.Rules.rules()
	return Year{Name: "2026/27", Start: "2026-08-06", SecondHalf: "2027-02-01", End: "2027-07-31",
		RegistrationFrom: "2026-03-01", RegistrationUntil: "2026-06-30", PaymentDue: "2026-07-15", ReturnDue: "2027-07-01",
		IBAN: "DE89 3704 0044 0532 0130 00", AccountHolder: "Förderverein GS Borsum", Bank: "Sparkasse Hildesheim", Rules: r}
}

func (e *env) createYear(y Year) Year {
	e.t.Helper()
	y, err := e.svc.CreateYear(ctx, e.kai, y)
	if err != nil {
		e.t.Fatalf("CreateYear: %v", err)
	}
	return y
}

func (e *env) title(in TitleInput) Title {
	e.t.Helper()
	t, err := e.svc.CreateTitle(ctx, e.kai, in)
	if err != nil {
		e.t.Fatalf("CreateTitle %s: %v", in.Title, err)
	}
	return t
}

// copies enters n copies of a title and returns their barcodes.
func (e *env) copies(t Title, n int) []string {
	e.t.Helper()
	list, err := e.svc.CreateCopies(ctx, e.kai, CopiesInput{Title: t.ID, Count: n})
	if err != nil {
		e.t.Fatalf("CreateCopies: %v", err)
	}
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Code
	}
	return out
}

// register registers a pupil through the secretary.
func (e *env) register(p directory.Person, in RegistrationInput) Registered {
	e.t.Helper()
	if in.Guardian == "" {
		in.Guardian = "Eva " + p.LastName
	}
	in.AcceptTerms = true
	r, err := e.svc.RegisterFor(ctx, e.sabine, p.Login, in)
	if err != nil {
		e.t.Fatalf("RegisterFor %s: %v", p.Login, err)
	}
	return r
}

// pay books a payment of the amount on the pupil's account.
func (e *env) pay(p directory.Person, cents int64) {
	e.t.Helper()
	if _, err := e.svc.AddPayment(ctx, e.sabine, directory.Actor{Name: e.sabine.Login, Service: "test"},
		PaymentInput{Pupil: p.Login, Year: e.year.ID, Amount: cents}); err != nil {
		e.t.Fatalf("AddPayment: %v", err)
	}
}

// at moves the clock to a day in Berlin at 10 o'clock.
func (e *env) at(day string) {
	e.t.Helper()
	d, err := time.ParseInLocation("2006-01-02", day, berlin)
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.set(d.Add(10 * time.Hour))
}

// scan scans as a person and fails the test on an error.
func (e *env) scan(by directory.Person, req ScanRequest) ScanResult {
	e.t.Helper()
	if req.Year == 0 {
		req.Year = e.year.ID
	}
	res, err := e.svc.Scan(ctx, by, req)
	if err != nil {
		e.t.Fatalf("Scan %+v: %v", req, err)
	}
	return res
}

// count runs a COUNT query.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// kindOf is the kind of a lending refusal, 0 for nil or other errors.
func kindOf(err error) Kind {
	var le *Error
	if errors.As(err, &le) {
		return le.Kind
	}
	return 0
}
