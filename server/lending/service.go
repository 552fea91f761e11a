package lending

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// Directory is what the lending reads from the school's directory. The
// module never queries the directory's tables itself.
type Directory interface {
	PersonByID(ctx context.Context, id int64) (directory.Person, error)
	Person(ctx context.Context, login string) (directory.Person, error)
	PupilWithClasses(ctx context.Context, id int64) (directory.Listed, error)
	PupilsOfClass(ctx context.Context, class string) ([]directory.Listed, error)
	CurrentPupils(ctx context.Context) ([]directory.Listed, error)
	SearchPeople(ctx context.Context, term string, limit int) ([]directory.Listed, error)
	TeachesClass(ctx context.Context, teacher directory.Person, class string) (bool, error)
	ClassesTaught(ctx context.Context, teacher directory.Person) ([]string, error)
	HasRight(ctx context.Context, personID int64, right string) (bool, error)
	School(ctx context.Context) (directory.School, error)
	LastPromotion(ctx context.Context) (string, error)
}

var _ Directory = (*directory.Directory)(nil)

// Notifier puts a message of the school server into a person's inbox,
// inside the caller's transaction (the mail module's Notices).
type Notifier interface {
	Deliver(ctx context.Context, tx *sql.Tx, to directory.Person, subject, body string, at time.Time) error
}

// Limits of what people type.
const (
	MaxText     = 200  // characters of a title, a name, a note
	MaxTerms    = 5000 // characters of the lending conditions
	MaxCopies   = 500  // copies entered at once
	MaxLabels   = 2000 // labels printed at once
	maxSearched = 20   // pupils a name search shows
)

// Service is the lending module. It is safe for concurrent use.
type Service struct {
	db     *store.DB
	dir    Directory
	notify Notifier
	cfg    Config
	now    func() time.Time
}

// New makes the lending service. notify may be nil (no confirmation
// messages, as in tools that only read).
func New(db *store.DB, dir Directory, notify Notifier, cfg Config) (*Service, error) {
	if db == nil || dir == nil {
		return nil, errors.New("lending: needs the database and the directory")
	}
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	return &Service{db: db, dir: dir, notify: notify, cfg: cfg, now: time.Now}, nil
}

// SetClock replaces the clock, for tests of deadlines.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Config is the configuration the service runs with (defaults filled in).
func (s *Service) Config() Config { return s.cfg }

func (s *Service) today() string { return dateOf(s.now()) }

// who is what a person may do in the lending, read once per call.
type who struct {
	me directory.Person
	// coordinator: the lending right, or an admin (who may do what the
	// coordinator does).
	coordinator bool
	// staff: the coordinator or the secretary, who registers for parents,
	// takes payments and issues and takes back books.
	staff bool
}

func (s *Service) whoIs(ctx context.Context, me directory.Person) (who, error) {
	w := who{me: me}
	switch me.Role {
	case directory.Admin:
		w.coordinator = true
	case directory.Teacher, directory.Secretary:
		has, err := s.dir.HasRight(ctx, me.ID, directory.RightLending)
		if err != nil {
			return w, fmt.Errorf("lending: rights of %s: %w", me.Login, err)
		}
		w.coordinator = has
	}
	w.staff = w.coordinator || me.Role == directory.Secretary
	return w, nil
}

func (s *Service) coordinator(ctx context.Context, me directory.Person) (who, error) {
	w, err := s.whoIs(ctx, me)
	if err == nil && !w.coordinator {
		err = errCoordOnly
	}
	return w, err
}

func (s *Service) staff(ctx context.Context, me directory.Person) (who, error) {
	w, err := s.whoIs(ctx, me)
	if err == nil && !w.staff {
		err = errStaffOnly
	}
	return w, err
}

// Abilities tells the client which screens to offer a person.
type Abilities struct {
	Coordinator bool     // titles, lists, fees, copies, years, reports
	Staff       bool     // registrations, payments, kiosk
	Classes     []string // classes whose state a teacher sees and hands out sets to
}

// AbilitiesOf tells what the person may do in the lending.
func (s *Service) AbilitiesOf(ctx context.Context, me directory.Person) (Abilities, error) {
	w, err := s.whoIs(ctx, me)
	if err != nil {
		return Abilities{}, err
	}
	a := Abilities{Coordinator: w.coordinator, Staff: w.staff}
	if me.Role == directory.Teacher {
		if a.Classes, err = s.dir.ClassesTaught(ctx, me); err != nil {
			return a, fmt.Errorf("lending: classes of %s: %w", me.Login, err)
		}
	}
	return a, nil
}

// --- school years

// Years lists the school years, oldest first (every member of staff
// may read them: the kiosk and the class view need them).
func (s *Service) Years(ctx context.Context, me directory.Person) ([]Year, error) {
	if me.Role == directory.Pupil {
		return nil, errStaffOnly
	}
	return listYears(ctx, s.db.R)
}

// Year returns one school year.
func (s *Service) Year(ctx context.Context, id int64) (Year, error) { return yearByID(ctx, s.db.R, id) }

// NewYearTemplate is a year with the configured default rules, for the
// form of a new year.
func (s *Service) NewYearTemplate() Year {
	r, _ := s.cfg.Rules.rules()
	return Year{Rules: r}
}

// CreateYear enters a school year (coordinator).
func (s *Service) CreateYear(ctx context.Context, me directory.Person, y Year) (Year, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Year{}, err
	}
	if err := s.checkYear(&y); err != nil {
		return Year{}, err
	}
	y.CreatedAt, y.UpdatedAt = s.now(), s.now()
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return insertYear(ctx, tx, &y) }); err != nil {
		return Year{}, err
	}
	return yearByID(ctx, s.db.R, y.ID)
}

// UpdateYear changes a school year's dates, account and rules
// (coordinator). Fees already registered stay as the parents saw them.
func (s *Service) UpdateYear(ctx context.Context, me directory.Person, id int64, y Year) (Year, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Year{}, err
	}
	old, err := yearByID(ctx, s.db.R, id)
	if err != nil {
		return Year{}, err
	}
	if err := s.checkYear(&y); err != nil {
		return Year{}, err
	}
	if old.StartYear() != y.StartYear() {
		return Year{}, refuse(Invalid, "starts_on", "Der Beginn kann nur innerhalb desselben Kalenderjahres verschoben werden: "+
			"die Verwendungszwecke der Anmeldungen enthalten das Jahr.", "start year changed")
	}
	y.ID, y.CreatedAt, y.UpdatedAt = id, old.CreatedAt, s.now()
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return updateYear(ctx, tx, y) }); err != nil {
		return Year{}, err
	}
	return yearByID(ctx, s.db.R, id)
}

// checkYear validates a year's input: names, dates in order, the IBAN,
// the rules.
func (s *Service) checkYear(y *Year) error {
	y.Name = oneLine(y.Name)
	if y.Name == "" || utf8.RuneCountInString(y.Name) > 20 {
		return refuse(Invalid, "name", "Bitte geben Sie dem Schuljahr einen Namen wie „2026/27“.", "bad year name")
	}
	dates := []struct {
		v     *string
		field string
		name  string
	}{{&y.Start, "starts_on", "Beginn"}, {&y.SecondHalf, "second_half_on", "Beginn des 2. Halbjahres"}, {&y.End, "ends_on", "Ende"},
		{&y.RegistrationFrom, "registration_from", "Beginn der Anmeldung"}, {&y.RegistrationUntil, "registration_until", "Anmeldeschluss"},
		{&y.PaymentDue, "payment_due", "Zahlungstermin"}, {&y.ReturnDue, "return_due", "Rückgabetermin"}}
	for _, d := range dates {
		*d.v = strings.TrimSpace(*d.v)
		if _, ok := parseDate(*d.v); !ok {
			return refuse(Invalid, d.field, fmt.Sprintf("Bitte geben Sie „%s“ als Datum an (z. B. 2026-08-01).", d.name), "bad date %s %q", d.field, *d.v)
		}
	}
	switch {
	case !(y.Start < y.SecondHalf && y.SecondHalf < y.End):
		return refuse(Invalid, "second_half_on", "Das 2. Halbjahr beginnt nach dem Beginn und vor dem Ende des Schuljahres.", "half-year order")
	case y.RegistrationFrom > y.RegistrationUntil:
		return refuse(Invalid, "registration_until", "Der Anmeldeschluss liegt nach dem Beginn der Anmeldung.", "registration window order")
	case y.ReturnDue > y.End:
		// A return deadline after the year's end would leave claims of
		// a finished year open; the decree wants them fixed by then.
		return refuse(Invalid, "return_due", "Der Rückgabetermin liegt spätestens am Ende des Schuljahres.", "return after end")
	case y.ReturnDue < y.Start:
		return refuse(Invalid, "return_due", "Der Rückgabetermin liegt im Schuljahr.", "return before start")
	}
	if y.IBAN != "" {
		iban, err := NormalizeIBAN(y.IBAN)
		if err != nil {
			return err
		}
		y.IBAN = iban
	}
	y.AccountHolder, y.Bank = oneLine(y.AccountHolder), oneLine(y.Bank)
	if utf8.RuneCountInString(y.AccountHolder) > MaxText || utf8.RuneCountInString(y.Bank) > MaxText {
		return refuse(Invalid, "account_holder", fmt.Sprintf("Kontoinhaber und Bank dürfen höchstens %d Zeichen lang sein.", MaxText), "account text too long")
	}
	y.Terms = cleanText(y.Terms)
	if utf8.RuneCountInString(y.Terms) > MaxTerms {
		return refuse(Invalid, "terms", fmt.Sprintf("Die Leihbedingungen dürfen höchstens %d Zeichen lang sein.", MaxTerms), "terms too long")
	}
	if y.Rules.RoundTo == 0 {
		y.Rules.RoundTo = 1
	}
	return y.Rules.Check()
}

// CurrentYear is the year the kiosk works in (see currentYear).
func (s *Service) CurrentYear(ctx context.Context) (Year, error) { return s.currentYear(ctx) }

// currentYear is the year the kiosk works in: the one under way, else the
// next to begin, else the last one.
func (s *Service) currentYear(ctx context.Context) (Year, error) {
	years, err := listYears(ctx, s.db.R)
	if err != nil {
		return Year{}, err
	}
	return pickCurrent(years, s.today())
}

func pickCurrent(years []Year, today string) (Year, error) {
	if len(years) == 0 {
		return Year{}, refuse(NotFound, "year", "Es ist noch kein Schuljahr für die Schulbuchausleihe angelegt.", "no years")
	}
	for _, y := range years {
		if y.Start <= today && today <= y.End {
			return y, nil
		}
	}
	for _, y := range years {
		if y.Start > today {
			return y, nil
		}
	}
	return years[len(years)-1], nil
}

// yearOrCurrent is the year with the id, or the current one for 0.
func (s *Service) yearOrCurrent(ctx context.Context, id int64) (Year, error) {
	if id == 0 {
		return s.currentYear(ctx)
	}
	return yearByID(ctx, s.db.R, id)
}

// nextYear is the year after y (by start), if there is one.
func nextYear(years []Year, y Year) (Year, bool) {
	for _, n := range years {
		if n.Start > y.Start {
			return n, true
		}
	}
	return Year{}, false
}

// --- titles

// Titles lists the titles, narrowed by a search term (staff).
func (s *Service) Titles(ctx context.Context, me directory.Person, term string) ([]Title, error) {
	if me.Role == directory.Pupil {
		return nil, errStaffOnly
	}
	term = strings.TrimSpace(term)
	if isbn, err := NormalizeISBN(term); err == nil {
		term = isbn
	}
	return listTitles(ctx, s.db.R, term)
}

// Title returns one title with its stock counts.
func (s *Service) Title(ctx context.Context, me directory.Person, id int64) (Title, error) {
	if me.Role == directory.Pupil {
		return Title{}, errStaffOnly
	}
	return titleByID(ctx, s.db.R, id)
}

// CreateTitle enters a title (coordinator).
func (s *Service) CreateTitle(ctx context.Context, me directory.Person, in TitleInput) (Title, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Title{}, err
	}
	t, err := checkTitle(in)
	if err != nil {
		return Title{}, err
	}
	t.CreatedAt, t.UpdatedAt = s.now(), s.now()
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return insertTitle(ctx, tx, &t) }); err != nil {
		return Title{}, err
	}
	return titleByID(ctx, s.db.R, t.ID)
}

// UpdateTitle changes a title (coordinator). A title with copies stays a
// lent title: it cannot become a consumable.
func (s *Service) UpdateTitle(ctx context.Context, me directory.Person, id int64, in TitleInput) (Title, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Title{}, err
	}
	t, err := checkTitle(in)
	if err != nil {
		return Title{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := titleByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.Consumable && old.Copies+old.Lent > 0 {
			return refuse(Conflict, "consumable", "Von diesem Titel gibt es Exemplare zum Verleihen: er kann kein Verbrauchsmaterial sein.", "consumable with copies")
		}
		t.ID, t.CreatedAt, t.UpdatedAt = id, old.CreatedAt, s.now()
		return updateTitle(ctx, tx, t)
	})
	if err != nil {
		return Title{}, err
	}
	return titleByID(ctx, s.db.R, id)
}

// DeleteTitle removes a title nothing refers to yet (coordinator).
func (s *Service) DeleteTitle(ctx context.Context, me directory.Person, id int64) error {
	if _, err := s.coordinator(ctx, me); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		used, err := titleInUse(ctx, tx, id)
		if err != nil {
			return err
		}
		if used {
			return refuse(Conflict, "", "Dieser Titel hat Exemplare oder steht auf einer Bücherliste oder Anmeldung: er kann nicht gelöscht werden.", "title %d in use", id)
		}
		return deleteTitle(ctx, tx, id)
	})
}

func checkTitle(in TitleInput) (Title, error) {
	isbn, err := NormalizeISBN(in.ISBN)
	if err != nil {
		return Title{}, err
	}
	t := Title{ISBN: isbn, Title: oneLine(in.Title), Publisher: oneLine(in.Publisher), Subject: oneLine(in.Subject),
		Price: in.Price, YearsOfUse: in.YearsOfUse, Consumable: in.Consumable}
	switch {
	case t.Title == "":
		return t, refuse(Invalid, "title", "Bitte geben Sie den Titel des Buches an.", "no title")
	case utf8.RuneCountInString(t.Title) > MaxText || utf8.RuneCountInString(t.Publisher) > MaxText || utf8.RuneCountInString(t.Subject) > MaxText:
		return t, refuse(Invalid, "title", fmt.Sprintf("Titel, Verlag und Fach dürfen höchstens %d Zeichen lang sein.", MaxText), "title text too long")
	case t.Price <= 0 || t.Price > 100_000:
		return t, refuse(Invalid, "price_cents", "Bitte geben Sie den Ladenpreis an (bis 1.000 €).", "price %d", t.Price)
	case t.YearsOfUse == 0:
		t.YearsOfUse = 1
	case t.YearsOfUse != 1 && t.YearsOfUse != 2:
		return t, refuse(Invalid, "years_of_use", "Ein Buch wird ein oder zwei Schuljahre genutzt.", "years of use %d", t.YearsOfUse)
	}
	if t.Consumable && t.YearsOfUse != 1 {
		return t, refuse(Invalid, "years_of_use", "Verbrauchsmaterial wird nur ein Jahr genutzt.", "consumable for two years")
	}
	seen := map[int]bool{}
	for _, g := range in.Grades {
		if g < 1 || g > 13 {
			return t, refuse(Invalid, "grades", "Die Klassenstufen liegen zwischen 1 und 13.", "grade %d", g)
		}
		if !seen[g] {
			seen[g] = true
			t.Grades = append(t.Grades, g)
		}
	}
	sort.Ints(t.Grades)
	return t, nil
}

// --- fees

// Fees lists every title's fee in a year: the default from the year's
// rules and, where set, the coordinator's (staff and teachers read).
func (s *Service) Fees(ctx context.Context, me directory.Person, yearID int64) (Year, []Fee, error) {
	if me.Role == directory.Pupil {
		return Year{}, nil, errStaffOnly
	}
	y, err := yearByID(ctx, s.db.R, yearID)
	if err != nil {
		return y, nil, err
	}
	titles, err := listTitles(ctx, s.db.R, "")
	if err != nil {
		return y, nil, err
	}
	over, err := feeOverrides(ctx, s.db.R, yearID)
	if err != nil {
		return y, nil, err
	}
	out := make([]Fee, len(titles))
	for i, t := range titles {
		out[i] = feeOf(y, t, over)
	}
	return y, out, nil
}

func feeOf(y Year, t Title, over map[int64]int64) Fee {
	f := Fee{Title: t, Default: DefaultFee(y.Rules, t.terms())}
	f.Fee = f.Default
	if v, ok := over[t.ID]; ok && !t.Consumable {
		f.Fee, f.Override = v, true
	}
	return f
}

// SetFee sets (fee >= 0) or, with nil, clears the coordinator's fee of a
// title in a year. Registrations made before keep their fee.
func (s *Service) SetFee(ctx context.Context, me directory.Person, yearID, titleID int64, fee *int64) (Fee, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return Fee{}, err
	}
	y, err := yearByID(ctx, s.db.R, yearID)
	if err != nil {
		return Fee{}, err
	}
	t, err := titleByID(ctx, s.db.R, titleID)
	if err != nil {
		return Fee{}, err
	}
	if fee != nil {
		if err := CheckFee(y.Rules, t.terms(), *fee); err != nil {
			return Fee{}, err
		}
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if fee == nil {
			return clearFee(ctx, tx, yearID, titleID)
		}
		return setFee(ctx, tx, yearID, titleID, *fee, me.Login, s.now())
	})
	if err != nil {
		return Fee{}, err
	}
	over, err := feeOverrides(ctx, s.db.R, yearID)
	if err != nil {
		return Fee{}, err
	}
	return feeOf(y, t, over), nil
}

// --- book lists

// Lists returns a year's book lists with each title's fee (staff and
// teachers; parents see a published list on their page).
func (s *Service) Lists(ctx context.Context, me directory.Person, yearID int64) ([]BookList, error) {
	if me.Role == directory.Pupil {
		return nil, errStaffOnly
	}
	return s.lists(ctx, s.db.R, yearID, 0)
}

func (s *Service) lists(ctx context.Context, q querier, yearID int64, grade int) ([]BookList, error) {
	y, err := yearByID(ctx, q, yearID)
	if err != nil {
		return nil, err
	}
	lists, err := listsOf(ctx, q, yearID, grade)
	if err != nil {
		return nil, err
	}
	over, err := feeOverrides(ctx, q, yearID)
	if err != nil {
		return nil, err
	}
	for i := range lists {
		for j := range lists[i].Titles {
			lists[i].Titles[j].Fee = feeOf(y, lists[i].Titles[j].Title, over).Fee
		}
	}
	return lists, nil
}

// list returns one grade's list.
func (s *Service) list(ctx context.Context, q querier, yearID int64, grade int) (BookList, error) {
	lists, err := s.lists(ctx, q, yearID, grade)
	if err != nil {
		return BookList{}, err
	}
	if len(lists) == 0 {
		return BookList{}, refuse(NotFound, "grade", fmt.Sprintf("Für Klasse %d gibt es in diesem Schuljahr keine Bücherliste.", grade), "no list for grade %d", grade)
	}
	return lists[0], nil
}

// PutList sets a grade's book list in a year: its titles in order and
// whether parents see it (coordinator).
func (s *Service) PutList(ctx context.Context, me directory.Person, yearID int64, grade int, titleIDs []int64, published bool) (BookList, error) {
	if _, err := s.coordinator(ctx, me); err != nil {
		return BookList{}, err
	}
	if grade < 1 || grade > 13 {
		return BookList{}, refuse(Invalid, "grade", "Die Klassenstufe liegt zwischen 1 und 13.", "grade %d", grade)
	}
	if published && len(titleIDs) == 0 {
		return BookList{}, refuse(Invalid, "titles", "Eine leere Bücherliste kann nicht veröffentlicht werden.", "empty list published")
	}
	seen := map[int64]bool{}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := yearByID(ctx, tx, yearID); err != nil {
			return err
		}
		for _, id := range titleIDs {
			if seen[id] {
				return refuse(Invalid, "titles", "Ein Titel steht zweimal auf der Liste.", "title %d twice", id)
			}
			seen[id] = true
			if _, err := titleByID(ctx, tx, id); err != nil {
				return err
			}
		}
		return putList(ctx, tx, yearID, grade, titleIDs, published, s.now())
	})
	if err != nil {
		return BookList{}, err
	}
	return s.list(ctx, s.db.R, yearID, grade)
}

// --- helpers

// oneLine collapses white space and drops control characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// cleanText keeps a text's lines, without NULs and trailing blank space.
func cleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\x00", "")
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// classOf is the first class with a grade of a pupil ("" if none).
func classOf(classes []string) string {
	for _, c := range classes {
		if gradeOf(c) > 0 {
			return c
		}
	}
	if len(classes) > 0 {
		return classes[0]
	}
	return ""
}
