package lending

// All SQL of the lending module lives in this file.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

type scanner interface{ Scan(dest ...any) error }

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("lending: %s: %w", what, err)
}

func affectedOne(res sql.Result, err error, what string, none error) error {
	if err != nil {
		return wrap(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(what, err)
	}
	if n == 0 {
		return none
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: store.FormatTime(t), Valid: true}
}

func parseNullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := store.ParseTime(s.String)
	return t
}

func parseTime(s string) time.Time {
	t, _ := store.ParseTime(s)
	return t
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// --- settings and counters

func getSetting(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM lending_settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.ErrNotFound
	}
	return v, wrap("setting "+key, err)
}

func setSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lending_settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return wrap("set "+key, err)
}

// takeNumbers reserves n numbers of a counter and returns the first; a
// counter starts at first (or above floor, the highest number in use).
func takeNumbers(ctx context.Context, tx *sql.Tx, key string, n, first, floor int64) (int64, error) {
	next := first
	v, err := getSetting(ctx, tx, key)
	switch {
	case err == nil:
		if next, err = strconv.ParseInt(v, 10, 64); err != nil {
			return 0, wrap("counter "+key, err)
		}
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	if next <= floor {
		next = floor + 1
	}
	if err := setSetting(ctx, tx, key, strconv.FormatInt(next+n, 10)); err != nil {
		return 0, err
	}
	return next, nil
}

// --- years

const yearCols = `id, name, starts_on, second_half_on, ends_on, registration_from, registration_until, payment_due, return_due,
	iban, account_holder, bank, rate_min_bp, rate_max_bp, rate_bp, multi_year_bp, round_to_cents, reduction_pct, package_only,
	damage_light_pct, damage_medium_pct, damage_total_pct, terms, created_at, updated_at`

func scanYear(s scanner) (Year, error) {
	var y Year
	var created, updated string
	r := &y.Rules
	err := s.Scan(&y.ID, &y.Name, &y.Start, &y.SecondHalf, &y.End, &y.RegistrationFrom, &y.RegistrationUntil, &y.PaymentDue, &y.ReturnDue,
		&y.IBAN, &y.AccountHolder, &y.Bank, &r.RateMin, &r.RateMax, &r.Rate, &r.MultiYear, &r.RoundTo, &r.ReductionPct, &r.PackageOnly,
		&r.DamageLightPct, &r.DamageMediumPct, &r.DamageTotalPct, &y.Terms, &created, &updated)
	y.CreatedAt, y.UpdatedAt = parseTime(created), parseTime(updated)
	return y, err
}

func yearByID(ctx context.Context, q querier, id int64) (Year, error) {
	y, err := scanYear(q.QueryRowContext(ctx, `SELECT `+yearCols+` FROM lending_years WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return y, errNoYear
	}
	return y, wrap("year", err)
}

func listYears(ctx context.Context, q querier) ([]Year, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+yearCols+` FROM lending_years ORDER BY starts_on`)
	if err != nil {
		return nil, wrap("years", err)
	}
	defer rows.Close()
	var out []Year
	for rows.Next() {
		y, err := scanYear(rows)
		if err != nil {
			return nil, wrap("years", err)
		}
		out = append(out, y)
	}
	return out, wrap("years", rows.Err())
}

func yearArgs(y Year) []any {
	r := y.Rules
	return []any{y.Name, y.Start, y.SecondHalf, y.End, y.RegistrationFrom, y.RegistrationUntil, y.PaymentDue, y.ReturnDue,
		y.IBAN, y.AccountHolder, y.Bank, r.RateMin, r.RateMax, r.Rate, r.MultiYear, r.RoundTo, r.ReductionPct, b2i(r.PackageOnly),
		r.DamageLightPct, r.DamageMediumPct, r.DamageTotalPct, y.Terms}
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

var errYearName = refuse(Conflict, "name", "Ein Schuljahr mit diesem Namen gibt es schon.", "year name taken")

func insertYear(ctx context.Context, tx *sql.Tx, y *Year) error {
	args := append(yearArgs(*y), store.FormatTime(y.CreatedAt), store.FormatTime(y.UpdatedAt))
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_years (name, starts_on, second_half_on, ends_on, registration_from,
		registration_until, payment_due, return_due, iban, account_holder, bank, rate_min_bp, rate_max_bp, rate_bp, multi_year_bp,
		round_to_cents, reduction_pct, package_only, damage_light_pct, damage_medium_pct, damage_total_pct, terms, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if isUnique(err) {
		return errYearName
	}
	if err != nil {
		return wrap("insert year", err)
	}
	y.ID, err = res.LastInsertId()
	return wrap("insert year", err)
}

func updateYear(ctx context.Context, tx *sql.Tx, y Year) error {
	args := append(yearArgs(y), store.FormatTime(y.UpdatedAt), y.ID)
	res, err := tx.ExecContext(ctx, `UPDATE lending_years SET name = ?, starts_on = ?, second_half_on = ?, ends_on = ?,
		registration_from = ?, registration_until = ?, payment_due = ?, return_due = ?, iban = ?, account_holder = ?, bank = ?,
		rate_min_bp = ?, rate_max_bp = ?, rate_bp = ?, multi_year_bp = ?, round_to_cents = ?, reduction_pct = ?, package_only = ?,
		damage_light_pct = ?, damage_medium_pct = ?, damage_total_pct = ?, terms = ?, updated_at = ? WHERE id = ?`, args...)
	if isUnique(err) {
		return errYearName
	}
	return affectedOne(res, err, "update year", errNoYear)
}

// --- titles

const titleCols = `t.id, t.isbn, t.title, t.publisher, t.subject, t.grades, t.price_cents, t.years_of_use, t.consumable,
	t.created_at, t.updated_at,
	(SELECT COUNT(*) FROM lending_copies c WHERE c.title_id = t.id AND c.status NOT IN ('lost', 'retired')),
	(SELECT COUNT(*) FROM lending_copies c WHERE c.title_id = t.id AND c.status = 'in_stock'),
	(SELECT COUNT(*) FROM lending_copies c WHERE c.title_id = t.id AND c.status = 'lent')`

func scanTitle(s scanner) (Title, error) {
	var t Title
	var grades, created, updated string
	err := s.Scan(&t.ID, &t.ISBN, &t.Title, &t.Publisher, &t.Subject, &grades, &t.Price, &t.YearsOfUse, &t.Consumable,
		&created, &updated, &t.Copies, &t.InStock, &t.Lent)
	t.Grades = parseGrades(grades)
	t.CreatedAt, t.UpdatedAt = parseTime(created), parseTime(updated)
	return t, err
}

func parseGrades(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func gradesText(gs []int) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = strconv.Itoa(g)
	}
	return strings.Join(parts, ",")
}

func titleByID(ctx context.Context, q querier, id int64) (Title, error) {
	t, err := scanTitle(q.QueryRowContext(ctx, `SELECT `+titleCols+` FROM lending_titles t WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, errNoTitle
	}
	return t, wrap("title", err)
}

func titleByISBN(ctx context.Context, q querier, isbn string) (Title, error) {
	t, err := scanTitle(q.QueryRowContext(ctx, `SELECT `+titleCols+` FROM lending_titles t WHERE t.isbn = ?`, isbn))
	if errors.Is(err, sql.ErrNoRows) {
		return t, errNoTitle
	}
	return t, wrap("title by isbn", err)
}

// listTitles lists titles by subject and title; term ("" for all)
// narrows to titles whose ISBN, title, publisher or subject contain it.
func listTitles(ctx context.Context, q querier, term string) ([]Title, error) {
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(term)) + "%"
	rows, err := q.QueryContext(ctx, `SELECT `+titleCols+` FROM lending_titles t
		WHERE ? = '' OR t.isbn LIKE ? ESCAPE '\' OR lower(t.title) LIKE ? ESCAPE '\' OR lower(t.publisher) LIKE ? ESCAPE '\'
			OR lower(t.subject) LIKE ? ESCAPE '\'
		ORDER BY t.subject COLLATE NOCASE, t.title COLLATE NOCASE, t.id`, term, like, like, like, like)
	if err != nil {
		return nil, wrap("titles", err)
	}
	return scanTitles(rows)
}

func scanTitles(rows *sql.Rows) ([]Title, error) {
	defer rows.Close()
	var out []Title
	for rows.Next() {
		t, err := scanTitle(rows)
		if err != nil {
			return nil, wrap("titles", err)
		}
		out = append(out, t)
	}
	return out, wrap("titles", rows.Err())
}

var errISBNTaken = refuse(Conflict, "isbn", "Einen Titel mit dieser ISBN gibt es schon.", "isbn taken")

func insertTitle(ctx context.Context, tx *sql.Tx, t *Title) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_titles (isbn, title, publisher, subject, grades, price_cents, years_of_use,
		consumable, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ISBN, t.Title, t.Publisher, t.Subject,
		gradesText(t.Grades), t.Price, t.YearsOfUse, b2i(t.Consumable), store.FormatTime(t.CreatedAt), store.FormatTime(t.UpdatedAt))
	if isUnique(err) {
		return errISBNTaken
	}
	if err != nil {
		return wrap("insert title", err)
	}
	t.ID, err = res.LastInsertId()
	return wrap("insert title", err)
}

func updateTitle(ctx context.Context, tx *sql.Tx, t Title) error {
	res, err := tx.ExecContext(ctx, `UPDATE lending_titles SET isbn = ?, title = ?, publisher = ?, subject = ?, grades = ?,
		price_cents = ?, years_of_use = ?, consumable = ?, updated_at = ? WHERE id = ?`, t.ISBN, t.Title, t.Publisher, t.Subject,
		gradesText(t.Grades), t.Price, t.YearsOfUse, b2i(t.Consumable), store.FormatTime(t.UpdatedAt), t.ID)
	if isUnique(err) {
		return errISBNTaken
	}
	return affectedOne(res, err, "update title", errNoTitle)
}

// titleInUse reports whether copies, book lists or registrations name it.
func titleInUse(ctx context.Context, q querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM lending_copies WHERE title_id = ?)
		OR EXISTS (SELECT 1 FROM lending_list_titles WHERE title_id = ?)
		OR EXISTS (SELECT 1 FROM lending_registration_titles WHERE title_id = ?)`, id, id, id).Scan(&n)
	return n == 1, wrap("title in use", err)
}

func deleteTitle(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM lending_titles WHERE id = ?`, id)
	return affectedOne(res, err, "delete title", errNoTitle)
}

// --- fees

func feeOverrides(ctx context.Context, q querier, yearID int64) (map[int64]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT title_id, fee_cents FROM lending_fees WHERE year_id = ?`, yearID)
	if err != nil {
		return nil, wrap("fees", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, fee int64
		if err := rows.Scan(&id, &fee); err != nil {
			return nil, wrap("fees", err)
		}
		out[id] = fee
	}
	return out, wrap("fees", rows.Err())
}

func setFee(ctx context.Context, tx *sql.Tx, yearID, titleID, fee int64, by string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lending_fees (year_id, title_id, fee_cents, set_by, set_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (year_id, title_id) DO UPDATE SET fee_cents = excluded.fee_cents, set_by = excluded.set_by, set_at = excluded.set_at`,
		yearID, titleID, fee, by, store.FormatTime(at))
	return wrap("set fee", err)
}

func clearFee(ctx context.Context, tx *sql.Tx, yearID, titleID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM lending_fees WHERE year_id = ? AND title_id = ?`, yearID, titleID)
	return wrap("clear fee", err)
}

// --- book lists

// listsOf returns a year's lists with their titles (ordered).
func listsOf(ctx context.Context, q querier, yearID int64, grade int) ([]BookList, error) {
	rows, err := q.QueryContext(ctx, `SELECT grade, published_at FROM lending_lists WHERE year_id = ? AND (? = 0 OR grade = ?) ORDER BY grade`,
		yearID, grade, grade)
	if err != nil {
		return nil, wrap("lists", err)
	}
	var out []BookList
	for rows.Next() {
		l := BookList{YearID: yearID}
		var pub sql.NullString
		if err := rows.Scan(&l.Grade, &pub); err != nil {
			rows.Close()
			return nil, wrap("lists", err)
		}
		l.PublishedAt, l.Published = parseNullTime(pub), pub.Valid
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("lists", err)
	}
	for i := range out {
		rows, err := q.QueryContext(ctx, `SELECT `+titleCols+` FROM lending_list_titles lt JOIN lending_titles t ON t.id = lt.title_id
			WHERE lt.year_id = ? AND lt.grade = ? ORDER BY lt.position, t.id`, yearID, out[i].Grade)
		if err != nil {
			return nil, wrap("list titles", err)
		}
		ts, err := scanTitles(rows)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			out[i].Titles = append(out[i].Titles, ListTitle{Title: t})
		}
	}
	return out, nil
}

func putList(ctx context.Context, tx *sql.Tx, yearID int64, grade int, titleIDs []int64, published bool, at time.Time) error {
	pub := sql.NullString{}
	if published {
		// Keep the first publication's time when a published list changes.
		var old sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT published_at FROM lending_lists WHERE year_id = ? AND grade = ?`, yearID, grade).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return wrap("list", err)
		}
		pub = old
		if !pub.Valid {
			pub = nullTime(at)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lending_lists (year_id, grade, published_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (year_id, grade) DO UPDATE SET published_at = excluded.published_at, updated_at = excluded.updated_at`,
		yearID, grade, pub, store.FormatTime(at)); err != nil {
		return wrap("put list", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM lending_list_titles WHERE year_id = ? AND grade = ?`, yearID, grade); err != nil {
		return wrap("put list", err)
	}
	for i, id := range titleIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lending_list_titles (year_id, grade, title_id, position) VALUES (?, ?, ?, ?)`,
			yearID, grade, id, i); err != nil {
			return wrap("put list title", err)
		}
	}
	return nil
}

// --- copies

const copyCols = `c.id, c.number, c.title_id, t.title, t.isbn, c.acquired_on, c.condition, c.status, c.loan_count, c.note,
	c.created_at, c.updated_at`

func scanCopy(s scanner) (Copy, error) {
	var c Copy
	var created, updated string
	err := s.Scan(&c.ID, &c.Number, &c.TitleID, &c.Title, &c.ISBN, &c.AcquiredOn, &c.Condition, &c.Status, &c.LoanCount, &c.Note,
		&created, &updated)
	c.Code = CopyCode(c.Number)
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return c, err
}

func copyByNumber(ctx context.Context, q querier, number int64) (Copy, error) {
	c, err := scanCopy(q.QueryRowContext(ctx, `SELECT `+copyCols+` FROM lending_copies c JOIN lending_titles t ON t.id = c.title_id
		WHERE c.number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errNoCopy
	}
	return c, wrap("copy", err)
}

func copiesOfTitle(ctx context.Context, q querier, titleID int64) ([]Copy, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+copyCols+` FROM lending_copies c JOIN lending_titles t ON t.id = c.title_id
		WHERE c.title_id = ? ORDER BY c.number`, titleID)
	if err != nil {
		return nil, wrap("copies", err)
	}
	defer rows.Close()
	var out []Copy
	for rows.Next() {
		c, err := scanCopy(rows)
		if err != nil {
			return nil, wrap("copies", err)
		}
		out = append(out, c)
	}
	return out, wrap("copies", rows.Err())
}

func maxCopyNumber(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) FROM lending_copies`).Scan(&n)
	return n, wrap("max copy number", err)
}

var errCopyTaken = refuse(Conflict, "code", "Diese Buchnummer ist schon vergeben.", "copy number taken")

func insertCopy(ctx context.Context, tx *sql.Tx, c *Copy) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_copies (number, title_id, acquired_on, condition, status, loan_count, note,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Number, c.TitleID, c.AcquiredOn, c.Condition, c.Status, c.LoanCount,
		c.Note, store.FormatTime(c.CreatedAt), store.FormatTime(c.UpdatedAt))
	if isUnique(err) {
		return errCopyTaken
	}
	if err != nil {
		return wrap("insert copy", err)
	}
	c.ID, err = res.LastInsertId()
	c.Code = CopyCode(c.Number)
	return wrap("insert copy", err)
}

// setCopy writes a copy's state; loans adds to its loan count.
func setCopy(ctx context.Context, tx *sql.Tx, id int64, status CopyStatus, cond Condition, note string, loans int, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE lending_copies SET status = ?, condition = ?, note = ?, loan_count = loan_count + ?, updated_at = ?
		WHERE id = ?`, status, cond, note, loans, store.FormatTime(at), id)
	return affectedOne(res, err, "set copy", errNoCopy)
}

// --- cards

func cardOf(ctx context.Context, q querier, personID int64) (string, error) {
	var n string
	err := q.QueryRowContext(ctx, `SELECT number FROM lending_cards WHERE person_id = ?`, personID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.ErrNotFound
	}
	return n, wrap("card", err)
}

func cardsOf(ctx context.Context, q querier, personIDs []int64) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id, number FROM lending_cards WHERE person_id IN (SELECT value FROM json_each(?))`,
		store.IDsJSON(personIDs))
	if err != nil {
		return nil, wrap("cards", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap("cards", err)
		}
		out[id] = n
	}
	return out, wrap("cards", rows.Err())
}

func personOfCard(ctx context.Context, q querier, number string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT person_id FROM lending_cards WHERE number = ?`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	return id, wrap("card owner", err)
}

func insertCard(ctx context.Context, tx *sql.Tx, personID int64, number string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lending_cards (person_id, number, created_at) VALUES (?, ?, ?)`,
		personID, number, store.FormatTime(at))
	return wrap("insert card", err)
}

// --- accounts

// accountCols computes the sums with the account, so that a panel needs
// one query for the money: the current registration's amounts and
// proofs, the live claims and the payments.
const accountCols = `a.id, COALESCE(a.person_id, 0), a.pupil_login, a.pupil_name, a.year_id, y.name, a.reference, a.created_at,
	r.id IS NOT NULL, COALESCE(r.full_cents, 0), COALESCE(r.reduced_cents, 0), COALESCE(r.reduction, 0), COALESCE(r.reduction_proof, ''),
	COALESCE(r.exemption, ''), COALESCE(r.exemption_proof, ''),
	(SELECT COALESCE(SUM(c.amount_cents), 0) FROM lending_claims c WHERE c.account_id = a.id AND c.state <> 'cancelled'),
	(SELECT COALESCE(SUM(p.amount_cents), 0) FROM lending_payments p WHERE p.account_id = a.id), a.kept_cents`

const accountFrom = ` FROM lending_accounts a JOIN lending_years y ON y.id = a.year_id
	LEFT JOIN lending_registrations r ON r.account_id = a.id AND r.replaced_at IS NULL `

func scanAccount(s scanner) (Account, error) {
	var a Account
	var created string
	var full, reduced int64
	var reduction bool
	var rp, ex, ep string
	err := s.Scan(&a.ID, &a.PersonID, &a.PupilLogin, &a.PupilName, &a.YearID, &a.YearName, &a.Reference, &created,
		&a.Registered, &full, &reduced, &reduction, &rp, &ex, &ep, &a.ClaimsDue, &a.Paid, &a.Kept)
	if err != nil {
		return a, err
	}
	a.CreatedAt = parseTime(created)
	if a.Registered {
		a.RegistrationDue, a.Waiting = AmountDue(full, reduced, reduction, Proof(rp), ex != "", Proof(ep))
	} else {
		a.RegistrationDue = a.Kept // of a registration taken back during the year
	}
	a.Status = AccountStatus(a.RegistrationDue, a.ClaimsDue, a.Paid, a.Waiting)
	if !a.Registered && a.Status == StatusPaid && a.ClaimsDue == 0 && a.Paid == 0 {
		a.Status = StatusNone
	}
	return a, nil
}

func accountOf(ctx context.Context, q querier, personID, yearID int64) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+accountFrom+`WHERE a.person_id = ? AND a.year_id = ?`, personID, yearID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, store.ErrNotFound
	}
	return a, wrap("account", err)
}

func accountByID(ctx context.Context, q querier, id int64) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+accountFrom+`WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errNoAccount
	}
	return a, wrap("account", err)
}

func accountByReference(ctx context.Context, q querier, ref string) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+accountFrom+`WHERE a.reference = ?`, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errNoAccount
	}
	return a, wrap("account by reference", err)
}

// accountsOf lists a year's accounts (or, with personIDs, those of the
// pupils) by name.
func accountsOf(ctx context.Context, q querier, yearID int64, personIDs []int64) ([]Account, error) {
	where := `WHERE a.year_id = ?`
	args := []any{yearID}
	if personIDs != nil {
		where += ` AND a.person_id IN (SELECT value FROM json_each(?))`
		args = append(args, store.IDsJSON(personIDs))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+accountCols+accountFrom+where+` ORDER BY a.pupil_name COLLATE NOCASE, a.id`, args...)
	if err != nil {
		return nil, wrap("accounts", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, wrap("accounts", err)
		}
		out = append(out, a)
	}
	return out, wrap("accounts", rows.Err())
}

func insertAccount(ctx context.Context, tx *sql.Tx, a *Account) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_accounts (person_id, pupil_login, pupil_name, year_id, reference, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.PersonID, a.PupilLogin, a.PupilName, a.YearID, a.Reference, store.FormatTime(a.CreatedAt))
	if err != nil {
		return wrap("insert account", err)
	}
	a.ID, err = res.LastInsertId()
	return wrap("insert account", err)
}

// --- registrations

const regCols = `r.id, r.account_id, a.reference, r.person_id, r.year_id, y.name, r.grade, r.channel, r.package, r.guardian,
	r.reduction, r.reduction_proof, r.exemption, r.exemption_proof, r.half_year, r.terms_accepted_at, r.full_cents, r.reduced_cents,
	r.created_at, r.created_by, r.replaced_at`

const regFrom = ` FROM lending_registrations r JOIN lending_accounts a ON a.id = r.account_id JOIN lending_years y ON y.id = r.year_id `

func scanRegistration(s scanner) (Registration, error) {
	var r Registration
	var terms, created string
	var replaced sql.NullString
	err := s.Scan(&r.ID, &r.AccountID, &r.Reference, &r.PersonID, &r.YearID, &r.YearName, &r.Grade, &r.Channel, &r.Package, &r.Guardian,
		&r.Reduction, &r.ReductionProof, &r.Exemption, &r.ExemptionProof, &r.HalfYear, &terms, &r.Full, &r.Reduced,
		&created, &r.CreatedBy, &replaced)
	r.TermsAcceptedAt, r.CreatedAt, r.ReplacedAt = parseTime(terms), parseTime(created), parseNullTime(replaced)
	r.Due, r.Waiting = AmountDue(r.Full, r.Reduced, r.Reduction, r.ReductionProof, r.Exemption != ExemptNone, r.ExemptionProof)
	return r, err
}

// registrationsOf returns the current registrations of a year with their
// titles, for the pupils (nil: all), per person id.
func registrationsOf(ctx context.Context, q querier, yearID int64, personIDs []int64) (map[int64]*Registration, error) {
	where := `WHERE r.year_id = ? AND r.replaced_at IS NULL`
	args := []any{yearID}
	if personIDs != nil {
		where += ` AND r.person_id IN (SELECT value FROM json_each(?))`
		args = append(args, store.IDsJSON(personIDs))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+regCols+regFrom+where, args...)
	if err != nil {
		return nil, wrap("registrations", err)
	}
	out := map[int64]*Registration{}
	byID := map[int64]*Registration{}
	var ids []int64
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("registrations", err)
		}
		out[r.PersonID] = &r
		byID[r.ID] = &r
		ids = append(ids, r.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("registrations", err)
	}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT rt.registration_id, rt.title_id, t.isbn, t.title, t.subject, rt.choice, rt.fee_cents,
		rt.price_cents, t.consumable, t.years_of_use FROM lending_registration_titles rt JOIN lending_titles t ON t.id = rt.title_id
		WHERE rt.registration_id IN (SELECT value FROM json_each(?)) ORDER BY rt.registration_id, rt.position`, store.IDsJSON(ids))
	if err != nil {
		return nil, wrap("registration titles", err)
	}
	defer rows.Close()
	for rows.Next() {
		var regID int64
		var t RegisteredTitle
		if err := rows.Scan(&regID, &t.TitleID, &t.ISBN, &t.Title, &t.Subject, &t.Choice, &t.Fee, &t.Price, &t.Consumable, &t.YearsOfUse); err != nil {
			return nil, wrap("registration titles", err)
		}
		byID[regID].Titles = append(byID[regID].Titles, t)
	}
	return out, wrap("registration titles", rows.Err())
}

func currentRegistration(ctx context.Context, q querier, personID, yearID int64) (*Registration, error) {
	m, err := registrationsOf(ctx, q, yearID, []int64{personID})
	if err != nil {
		return nil, err
	}
	r, ok := m[personID]
	if !ok {
		return nil, store.ErrNotFound
	}
	return r, nil
}

// registeredFor tells which of the pupils have a current registration
// for the year.
func registeredFor(ctx context.Context, q querier, yearID int64, personIDs []int64) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id FROM lending_registrations WHERE year_id = ? AND replaced_at IS NULL
		AND person_id IN (SELECT value FROM json_each(?))`, yearID, store.IDsJSON(personIDs))
	if err != nil {
		return nil, wrap("registered", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("registered", err)
		}
		out[id] = true
	}
	return out, wrap("registered", rows.Err())
}

func insertRegistration(ctx context.Context, tx *sql.Tx, r *Registration) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_registrations (account_id, person_id, year_id, grade, channel, package, guardian,
		reduction, reduction_proof, exemption, exemption_proof, half_year, terms_accepted_at, full_cents, reduced_cents, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.AccountID, r.PersonID, r.YearID, r.Grade, r.Channel, b2i(r.Package),
		r.Guardian, b2i(r.Reduction), r.ReductionProof, r.Exemption, r.ExemptionProof, b2i(r.HalfYear), store.FormatTime(r.TermsAcceptedAt),
		r.Full, r.Reduced, store.FormatTime(r.CreatedAt), r.CreatedBy)
	if err != nil {
		return wrap("insert registration", err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return wrap("insert registration", err)
	}
	for i, t := range r.Titles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lending_registration_titles (registration_id, title_id, choice, fee_cents, price_cents, position)
			VALUES (?, ?, ?, ?, ?, ?)`, r.ID, t.TitleID, t.Choice, t.Fee, t.Price, i); err != nil {
			return wrap("insert registration title", err)
		}
	}
	return nil
}

// replaceRegistration marks the current registration of a pupil and year
// as replaced (by a newer one that is inserted next); none is fine.
func replaceRegistration(ctx context.Context, tx *sql.Tx, personID, yearID int64, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM lending_registrations WHERE person_id = ? AND year_id = ? AND replaced_at IS NULL`,
		personID, yearID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, wrap("replace registration", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE lending_registrations SET replaced_at = ? WHERE id = ?`, store.FormatTime(at), id)
	return id, wrap("replace registration", err)
}

func linkReplacement(ctx context.Context, tx *sql.Tx, oldID, newID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE lending_registrations SET replaced_by = ? WHERE id = ?`, newID, oldID)
	return wrap("link replacement", err)
}

func setProof(ctx context.Context, tx *sql.Tx, regID int64, exemption bool, p Proof) error {
	col := "reduction_proof"
	if exemption {
		col = "exemption_proof"
	}
	res, err := tx.ExecContext(ctx, `UPDATE lending_registrations SET `+col+` = ? WHERE id = ? AND `+col+` <> ''`, p, regID)
	return affectedOne(res, err, "set proof", refuse(Conflict, "kind", "Für diese Anmeldung wurde das nicht beantragt.", "proof not applied for"))
}

// --- loans

const loanCols = `l.id, l.copy_id, c.number, c.title_id, t.title, t.years_of_use, COALESCE(l.person_id, 0), l.pupil_login, l.pupil_name,
	l.year_id, y.name, l.fee_cents, l.issued_at, l.issued_by, l.returned_at, COALESCE(l.returned_by, ''), COALESCE(l.return_condition, '')`

const loanFrom = ` FROM lending_loans l JOIN lending_copies c ON c.id = l.copy_id JOIN lending_titles t ON t.id = c.title_id
	JOIN lending_years y ON y.id = l.year_id `

func scanLoan(s scanner) (Loan, error) {
	var l Loan
	var issued string
	var returned sql.NullString
	err := s.Scan(&l.ID, &l.CopyID, &l.CopyNumber, &l.TitleID, &l.Title, &l.YearsOfUse, &l.PersonID, &l.PupilLogin, &l.PupilName,
		&l.YearID, &l.YearName, &l.Fee, &issued, &l.IssuedBy, &returned, &l.ReturnedBy, &l.ReturnCondition)
	l.Code = CopyCode(l.CopyNumber)
	l.IssuedAt, l.ReturnedAt = parseTime(issued), parseNullTime(returned)
	return l, err
}

func queryLoans(ctx context.Context, q querier, where string, args ...any) ([]Loan, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+loanCols+loanFrom+where, args...)
	if err != nil {
		return nil, wrap("loans", err)
	}
	defer rows.Close()
	var out []Loan
	for rows.Next() {
		l, err := scanLoan(rows)
		if err != nil {
			return nil, wrap("loans", err)
		}
		out = append(out, l)
	}
	return out, wrap("loans", rows.Err())
}

func loanByID(ctx context.Context, q querier, id int64) (Loan, error) {
	ls, err := queryLoans(ctx, q, `WHERE l.id = ?`, id)
	if err != nil {
		return Loan{}, err
	}
	if len(ls) == 0 {
		return Loan{}, errNoLoan
	}
	return ls[0], nil
}

func openLoanOfCopy(ctx context.Context, q querier, copyID int64) (*Loan, error) {
	ls, err := queryLoans(ctx, q, `WHERE l.copy_id = ? AND l.returned_at IS NULL`, copyID)
	if err != nil || len(ls) == 0 {
		return nil, err
	}
	return &ls[0], nil
}

func loansOfCopy(ctx context.Context, q querier, copyID int64) ([]Loan, error) {
	return queryLoans(ctx, q, `WHERE l.copy_id = ? ORDER BY l.id DESC`, copyID)
}

func openLoansOf(ctx context.Context, q querier, personID int64) ([]Loan, error) {
	return queryLoans(ctx, q, `WHERE l.person_id = ? AND l.returned_at IS NULL ORDER BY t.subject COLLATE NOCASE, t.title COLLATE NOCASE`, personID)
}

// openLoansOfPeople returns the open loans of the pupils (every year).
func openLoansOfPeople(ctx context.Context, q querier, personIDs []int64) ([]Loan, error) {
	return queryLoans(ctx, q, `WHERE l.person_id IN (SELECT value FROM json_each(?)) AND l.returned_at IS NULL`, store.IDsJSON(personIDs))
}

// loansOfYear returns the loans of a year (open ones only if open), of
// the pupils (nil: all).
func loansOfYear(ctx context.Context, q querier, yearID int64, personIDs []int64, open bool) ([]Loan, error) {
	where := `WHERE l.year_id = ?`
	args := []any{yearID}
	if personIDs != nil {
		where += ` AND l.person_id IN (SELECT value FROM json_each(?))`
		args = append(args, store.IDsJSON(personIDs))
	}
	if open {
		where += ` AND l.returned_at IS NULL`
	}
	return queryLoans(ctx, q, where+` ORDER BY l.pupil_name COLLATE NOCASE, t.title COLLATE NOCASE`, args...)
}

// openLoans returns every open loan (all years), for the nightly job.
func openLoans(ctx context.Context, q querier) ([]Loan, error) {
	return queryLoans(ctx, q, `WHERE l.returned_at IS NULL ORDER BY l.id`)
}

// feesOfCopy is the fee of every loan of the copy: its years of use.
func feesOfCopy(ctx context.Context, q querier, copyID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT fee_cents FROM lending_loans WHERE copy_id = ?`, copyID)
	if err != nil {
		return nil, wrap("fees of copy", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var f int64
		if err := rows.Scan(&f); err != nil {
			return nil, wrap("fees of copy", err)
		}
		out = append(out, f)
	}
	return out, wrap("fees of copy", rows.Err())
}

var errCopyOut = refuse(Conflict, "code", "Dieses Buch ist schon ausgeliehen.", "copy already out")

func insertLoan(ctx context.Context, tx *sql.Tx, l *Loan) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_loans (copy_id, person_id, pupil_login, pupil_name, year_id, fee_cents, issued_at, issued_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.CopyID, l.PersonID, l.PupilLogin, l.PupilName, l.YearID, l.Fee, store.FormatTime(l.IssuedAt), l.IssuedBy)
	if isUnique(err) {
		return errCopyOut
	}
	if err != nil {
		return wrap("insert loan", err)
	}
	l.ID, err = res.LastInsertId()
	return wrap("insert loan", err)
}

func closeLoan(ctx context.Context, tx *sql.Tx, id int64, at time.Time, by string, cond ReturnCondition) error {
	res, err := tx.ExecContext(ctx, `UPDATE lending_loans SET returned_at = ?, returned_by = ?, return_condition = ? WHERE id = ? AND returned_at IS NULL`,
		store.FormatTime(at), by, cond, id)
	return affectedOne(res, err, "return loan", refuse(Conflict, "loan", "Dieses Buch ist schon zurückgegeben.", "loan already closed"))
}

// --- claims

const claimCols = `c.id, c.account_id, a.reference, c.loan_id, COALESCE(a.person_id, 0), a.pupil_login, a.pupil_name, a.year_id, y.name,
	cp.number, t.title, c.kind, c.value_cents, c.percent, c.amount_cents, c.state, c.created_at, c.created_by, c.fixed_at, c.cancelled_at,
	COALESCE(c.cancelled_by, ''), c.cancel_reason`

const claimFrom = ` FROM lending_claims c JOIN lending_accounts a ON a.id = c.account_id JOIN lending_years y ON y.id = a.year_id
	JOIN lending_loans l ON l.id = c.loan_id JOIN lending_copies cp ON cp.id = l.copy_id JOIN lending_titles t ON t.id = cp.title_id `

func scanClaim(s scanner) (Claim, error) {
	var c Claim
	var number int64
	var created string
	var fixed, cancelled sql.NullString
	err := s.Scan(&c.ID, &c.AccountID, &c.Reference, &c.LoanID, &c.PersonID, &c.PupilLogin, &c.PupilName, &c.YearID, &c.YearName,
		&number, &c.Title, &c.Kind, &c.Value, &c.Percent, &c.Amount, &c.State, &created, &c.CreatedBy, &fixed, &cancelled,
		&c.CancelledBy, &c.CancelReason)
	c.Code = CopyCode(number)
	c.CreatedAt, c.FixedAt, c.CancelledAt = parseTime(created), parseNullTime(fixed), parseNullTime(cancelled)
	return c, err
}

func queryClaims(ctx context.Context, q querier, where string, args ...any) ([]Claim, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+claimCols+claimFrom+where, args...)
	if err != nil {
		return nil, wrap("claims", err)
	}
	defer rows.Close()
	var out []Claim
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, wrap("claims", err)
		}
		out = append(out, c)
	}
	return out, wrap("claims", rows.Err())
}

func claimByID(ctx context.Context, q querier, id int64) (Claim, error) {
	cs, err := queryClaims(ctx, q, `WHERE c.id = ?`, id)
	if err != nil {
		return Claim{}, err
	}
	if len(cs) == 0 {
		return Claim{}, errNoClaim
	}
	return cs[0], nil
}

// liveClaimsOfPerson are the claims (not cancelled) of a pupil, all years.
func liveClaimsOfPerson(ctx context.Context, q querier, personID int64) ([]Claim, error) {
	return queryClaims(ctx, q, `WHERE a.person_id = ? AND c.state <> 'cancelled' ORDER BY c.id`, personID)
}

// claimsFiltered lists claims of a year (0: all) in a state ("": live
// ones), by pupil name.
func claimsFiltered(ctx context.Context, q querier, yearID int64, state ClaimState, personIDs []int64) ([]Claim, error) {
	where := `WHERE (? = 0 OR a.year_id = ?)`
	args := []any{yearID, yearID}
	if state == "" {
		where += ` AND c.state <> 'cancelled'`
	} else {
		where += ` AND c.state = ?`
		args = append(args, state)
	}
	if personIDs != nil {
		where += ` AND a.person_id IN (SELECT value FROM json_each(?))`
		args = append(args, store.IDsJSON(personIDs))
	}
	return queryClaims(ctx, q, where+` ORDER BY a.pupil_name COLLATE NOCASE, c.id`, args...)
}

func liveClaimOfLoan(ctx context.Context, q querier, loanID int64) (*Claim, error) {
	cs, err := queryClaims(ctx, q, `WHERE c.loan_id = ? AND c.state <> 'cancelled'`, loanID)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return &cs[0], nil
}

func insertClaim(ctx context.Context, tx *sql.Tx, c *Claim) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_claims (account_id, loan_id, kind, value_cents, percent, amount_cents, state,
		created_at, created_by, fixed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.AccountID, c.LoanID, c.Kind, c.Value, c.Percent, c.Amount,
		c.State, store.FormatTime(c.CreatedAt), c.CreatedBy, nullTime(c.FixedAt))
	if err != nil {
		return wrap("insert claim", err)
	}
	c.ID, err = res.LastInsertId()
	return wrap("insert claim", err)
}

func cancelClaim(ctx context.Context, tx *sql.Tx, id int64, at time.Time, by, reason string) error {
	res, err := tx.ExecContext(ctx, `UPDATE lending_claims SET state = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ?
		WHERE id = ? AND state <> 'cancelled'`, store.FormatTime(at), by, reason, id)
	return affectedOne(res, err, "cancel claim", refuse(Conflict, "claim", "Diese Forderung ist schon aufgehoben.", "claim already cancelled"))
}

// provisionalPastDeadline counts the provisional claims of years whose
// return deadline lies before today.
func provisionalPastDeadline(ctx context.Context, q querier, today string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM lending_claims c JOIN lending_accounts a ON a.id = c.account_id
		JOIN lending_years y ON y.id = a.year_id WHERE c.state = 'provisional' AND y.return_due < ?`, today).Scan(&n)
	return n, wrap("provisional claims", err)
}

// fixClaims fixes the provisional claims of the years whose return
// deadline lies before today.
func fixClaims(ctx context.Context, tx *sql.Tx, today string, at time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE lending_claims SET state = 'fixed', fixed_at = ? WHERE state = 'provisional'
		AND account_id IN (SELECT a.id FROM lending_accounts a JOIN lending_years y ON y.id = a.year_id WHERE y.return_due < ?)`,
		store.FormatTime(at), today)
	if err != nil {
		return 0, wrap("fix claims", err)
	}
	n, err := res.RowsAffected()
	return n, wrap("fix claims", err)
}

// --- payments and bank lines

const paymentCols = `p.id, p.account_id, a.reference, a.pupil_name, p.amount_cents, p.booked_on, p.source, COALESCE(p.bank_line_id, 0),
	p.payer, p.note, p.created_at, p.created_by`

func paymentsOf(ctx context.Context, q querier, accountID int64) ([]Payment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+paymentCols+` FROM lending_payments p JOIN lending_accounts a ON a.id = p.account_id
		WHERE p.account_id = ? ORDER BY p.booked_on, p.id`, accountID)
	if err != nil {
		return nil, wrap("payments", err)
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		var p Payment
		var created string
		if err := rows.Scan(&p.ID, &p.AccountID, &p.Reference, &p.PupilName, &p.Amount, &p.BookedOn, &p.Source, &p.BankLineID,
			&p.Payer, &p.Note, &created, &p.CreatedBy); err != nil {
			return nil, wrap("payments", err)
		}
		p.CreatedAt = parseTime(created)
		out = append(out, p)
	}
	return out, wrap("payments", rows.Err())
}

func insertPayment(ctx context.Context, tx *sql.Tx, p *Payment) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_payments (account_id, amount_cents, booked_on, source, bank_line_id, payer, note,
		created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.AccountID, p.Amount, p.BookedOn, p.Source, nullID(p.BankLineID),
		p.Payer, p.Note, store.FormatTime(p.CreatedAt), p.CreatedBy)
	if err != nil {
		return wrap("insert payment", err)
	}
	p.ID, err = res.LastInsertId()
	return wrap("insert payment", err)
}

func insertImport(ctx context.Context, tx *sql.Tx, at time.Time, by, encoding string) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_imports (imported_at, imported_by, encoding, lines, matched, unmatched, duplicates)
		VALUES (?, ?, ?, 0, 0, 0, 0)`, store.FormatTime(at), by, encoding)
	if err != nil {
		return 0, wrap("insert import", err)
	}
	id, err := res.LastInsertId()
	return id, wrap("insert import", err)
}

func finishImport(ctx context.Context, tx *sql.Tx, id int64, lines, matched, unmatched, duplicates int) error {
	_, err := tx.ExecContext(ctx, `UPDATE lending_imports SET lines = ?, matched = ?, unmatched = ?, duplicates = ? WHERE id = ?`,
		lines, matched, unmatched, duplicates, id)
	return wrap("finish import", err)
}

func bankLineKnown(ctx context.Context, q querier, fingerprint string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM lending_bank_lines WHERE fingerprint = ?)`, fingerprint).Scan(&n)
	return n == 1, wrap("bank line known", err)
}

func insertBankLine(ctx context.Context, tx *sql.Tx, l *BankLine, fingerprint string) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO lending_bank_lines (import_id, fingerprint, row_no, booked_on, amount_cents, payer, iban,
		purpose, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ImportID, fingerprint, l.Row, l.BookedOn, l.Amount, l.Payer, l.IBAN, l.Purpose, l.State)
	if err != nil {
		return wrap("insert bank line", err)
	}
	l.ID, err = res.LastInsertId()
	return wrap("insert bank line", err)
}

const bankLineCols = `id, import_id, row_no, booked_on, amount_cents, payer, iban, purpose, state, resolved_at, resolved_by`

func scanBankLine(s scanner) (BankLine, error) {
	var l BankLine
	var resolved sql.NullString
	err := s.Scan(&l.ID, &l.ImportID, &l.Row, &l.BookedOn, &l.Amount, &l.Payer, &l.IBAN, &l.Purpose, &l.State, &resolved, &l.ResolvedBy)
	l.ResolvedAt = parseNullTime(resolved)
	return l, err
}

func bankLineByID(ctx context.Context, q querier, id int64) (BankLine, error) {
	l, err := scanBankLine(q.QueryRowContext(ctx, `SELECT `+bankLineCols+` FROM lending_bank_lines WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, errNoLine
	}
	return l, wrap("bank line", err)
}

func unmatchedLines(ctx context.Context, q querier) ([]BankLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+bankLineCols+` FROM lending_bank_lines WHERE state = 'unmatched' ORDER BY booked_on, id`)
	if err != nil {
		return nil, wrap("unmatched lines", err)
	}
	defer rows.Close()
	var out []BankLine
	for rows.Next() {
		l, err := scanBankLine(rows)
		if err != nil {
			return nil, wrap("unmatched lines", err)
		}
		out = append(out, l)
	}
	return out, wrap("unmatched lines", rows.Err())
}

func resolveBankLine(ctx context.Context, tx *sql.Tx, id int64, state string, at time.Time, by string) error {
	res, err := tx.ExecContext(ctx, `UPDATE lending_bank_lines SET state = ?, resolved_at = ?, resolved_by = ? WHERE id = ? AND state = 'unmatched'`,
		state, store.FormatTime(at), by, id)
	return affectedOne(res, err, "resolve bank line", refuse(Conflict, "line", "Diese Buchung ist schon zugeordnet.", "bank line resolved"))
}
