package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"kaspel/server/store"
)

// ImportOptions steer an import.
type ImportOptions struct {
	// DryRun computes the report (with the logins new pupils would get)
	// and changes nothing.
	DryRun bool
	// Force applies an import that would mark more than half of the
	// pupils as leaving, which usually means a partial list was exported.
	Force bool
	// Deliver receives the new accounts with their one-time passwords
	// inside the transaction: if it fails (a file cannot be written), the
	// import is rolled back, so no account exists whose password is lost.
	Deliver func([]Created) error
}

// Created is a new account and its one-time password.
type Created struct {
	Login, FirstName, LastName, Class, Password string
}

// Change is an existing pupil whose data the list changes.
type Change struct {
	Login string
	What  []string // e.g. "class 3a -> 3b", "last name", "returns (leaving date cleared)"
}

// ImportReport is the diff a pupil list makes.
type ImportReport struct {
	File      *ImportFile
	New       []Created // Password is empty in a dry run
	Changed   []Change
	Unchanged int
	Leaving   []Listed // pupils missing from the list, now marked as leaving
	// Partial is set when more than half of the pupils are missing, which
	// usually means a partial list; applying it then needs Force.
	Partial bool
	// Outdated is set when the list puts most known pupils into a lower
	// grade: a list exported before the promotion, which would undo it.
	// Applying it needs Force.
	Outdated bool
}

// ErrOutdatedList is returned when an import would move most known pupils
// into a lower grade and Force is not set.
var ErrOutdatedList = errors.New("the list puts most pupils into a lower grade: was it exported before the promotion? (use --force if it is right)")

// lowerGrade reports whether class b has a lower grade than class a ("3a" -> "2a").
func lowerGrade(a, b string) bool {
	ma, mb := gradeRE.FindStringSubmatch(a), gradeRE.FindStringSubmatch(b)
	if ma == nil || mb == nil {
		return false
	}
	ga, _ := strconv.Atoi(ma[1])
	gb, _ := strconv.Atoi(mb[1])
	return gb < ga
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// ErrPartialList is returned when an import would mark more than half of
// the pupils as leaving and Force is not set.
var ErrPartialList = errors.New("the list misses more than half of the pupils: is it the whole school's list? (use --force if it is)")

// Import applies a pupil list: new pupils get accounts (one-time passwords
// to Deliver), known pupils (by ID, or by name and class for accounts
// made by hand) get their names and class updated, and pupils missing from
// the list are marked as leaving (today), never deleted. The same file
// imported twice changes nothing the second time.
func (d *Directory) Import(ctx context.Context, actor Actor, f *ImportFile, opts ImportOptions) (*ImportReport, error) {
	// A dry run first: it tells how many passwords to hash, and the hashing
	// (10-25 ms each, by processor) then runs in parallel outside the write lock.
	dry, err := d.importTx(ctx, actor, f, nil, true, opts)
	if err != nil || opts.DryRun {
		return dry, err
	}
	if dry.Partial && !opts.Force {
		return nil, fmt.Errorf("import: %d pupils are not on the list: %w", len(dry.Leaving), ErrPartialList)
	}
	if dry.Outdated && !opts.Force {
		return nil, fmt.Errorf("import: %w", ErrOutdatedList)
	}
	passwords := make([]string, len(dry.New))
	hashes := make([]string, len(dry.New))
	var wg sync.WaitGroup
	errs := make([]error, len(dry.New))
	for i := range passwords {
		passwords[i] = OneTimePassword()
		wg.Add(1)
		go func() {
			defer wg.Done()
			hashes[i], errs[i] = d.hasher.Hash(ctx, passwords[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	pool := &hashPool{passwords: passwords, hashes: hashes, d: d}
	return d.importTx(ctx, actor, f, pool, false, opts)
}

// hashPool hands out pre-made password hashes, making more if the
// database changed between the dry run and the real one.
type hashPool struct {
	passwords, hashes []string
	d                 *Directory
}

func (p *hashPool) next(ctx context.Context) (string, string, error) {
	if len(p.passwords) > 0 {
		pw, h := p.passwords[0], p.hashes[0]
		p.passwords, p.hashes = p.passwords[1:], p.hashes[1:]
		return pw, h, nil
	}
	pw := OneTimePassword()
	h, err := p.d.hasher.Hash(ctx, pw)
	return pw, h, err
}

func (d *Directory) importTx(ctx context.Context, actor Actor, f *ImportFile, pool *hashPool, dry bool, opts ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{File: f}
	err := d.db.Tx(ctx, func(tx *sql.Tx) error {
		pupils, err := queryPeople(ctx, tx, "WHERE role = ?", Pupil)
		if err != nil {
			return err
		}
		ids := make([]int64, len(pupils))
		for i, p := range pupils {
			ids[i] = p.ID
		}
		groupIDs, err := explicitGroupIDs(ctx, tx, ids)
		if err != nil {
			return err
		}
		groups, err := queryGroups(ctx, tx, "")
		if err != nil {
			return err
		}
		classOf := func(p Person) string {
			var cs []string
			for _, gid := range groupIDs[p.ID] {
				for _, g := range groups {
					if g.ID == gid && g.Kind == KindClass {
						cs = append(cs, g.Name)
					}
				}
			}
			sort.Strings(cs)
			return strings.Join(cs, ",")
		}
		byExt := map[string]*Person{}
		byNameClass := map[string]*Person{}
		for i := range pupils {
			p := &pupils[i]
			if p.ExternalID != "" {
				byExt[p.ExternalID] = p
			} else {
				byNameClass[nameClassKey(p.FirstName, p.LastName, classOf(*p))] = p
			}
		}
		// Every row's ID must not belong to a member of staff.
		for _, row := range f.Rows {
			if _, ok := byExt[row.ID]; ok {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE external_id = ?`, row.ID).Scan(&n); err != nil {
				return fmt.Errorf("import: check IDs: %w", err)
			}
			if n > 0 {
				return invalidf("line %d: the ID %s belongs to an account that is not a pupil", row.Line, row.ID)
			}
		}
		matched := map[int64]bool{}
		downgrades := 0 // known pupils the list puts into a lower grade
		today := d.now().Format(store.DateFormat)
		var created []Created
		for _, row := range f.Rows {
			p, ok := byExt[row.ID]
			adopted := false
			if !ok {
				p, ok = byNameClass[nameClassKey(row.FirstName, row.LastName, row.Class)]
				adopted = ok && !matched[p.ID]
				ok = adopted
			}
			if !ok {
				var pw, hash string
				if !dry {
					if pw, hash, err = pool.next(ctx); err != nil {
						return err
					}
				}
				var classes []string
				if row.Class != "" {
					classes = []string{row.Class}
				}
				np, err := addPerson(ctx, tx, d.now(), NewPerson{FirstName: row.FirstName, LastName: row.LastName, Role: Pupil, Classes: classes, ExternalID: row.ID}, hash)
				if err != nil {
					return fmt.Errorf("line %d: %w", row.Line, err)
				}
				created = append(created, Created{Login: np.Login, FirstName: np.FirstName, LastName: np.LastName, Class: row.Class, Password: pw})
				if err := d.record(ctx, tx, actor, "import.add", np.Login, "class "+row.Class); err != nil {
					return err
				}
				continue
			}
			matched[p.ID] = true
			var what []string
			var u personUpdate
			if adopted {
				u.ExternalID = &row.ID
				what = append(what, "ID "+row.ID+" recorded")
			}
			if p.FirstName != row.FirstName {
				u.FirstName = &row.FirstName
				what = append(what, fmt.Sprintf("first name %s -> %s", p.FirstName, row.FirstName))
			}
			if p.LastName != row.LastName {
				u.LastName = &row.LastName
				what = append(what, fmt.Sprintf("last name %s -> %s", p.LastName, row.LastName))
			}
			// Back on the list after the import marked the pupil as leaving.
			// A leaving date in the future (set by an admin: the family
			// moves at the end of the month) stays.
			if p.LeavingDate != "" && p.LeavingDate <= today {
				empty := ""
				u.LeavingDate, u.FormerClass = &empty, &empty
				what = append(what, "on the list again (leaving date "+p.LeavingDate+" cleared)")
			}
			if old := classOf(*p); old != row.Class {
				if lowerGrade(old, row.Class) {
					downgrades++
				}
				var classes []string
				if row.Class != "" {
					classes = []string{row.Class}
				}
				if err := setClasses(ctx, tx, p.ID, classes); err != nil {
					return err
				}
				what = append(what, fmt.Sprintf("class %s -> %s", orDash(old), orDash(row.Class)))
			}
			if len(what) == 0 {
				rep.Unchanged++
				continue
			}
			if err := updatePerson(ctx, tx, p.ID, u); err != nil {
				return err
			}
			rep.Changed = append(rep.Changed, Change{Login: p.Login, What: what})
			if err := d.record(ctx, tx, actor, "import.change", p.Login, strings.Join(what, "; ")); err != nil {
				return err
			}
		}
		active := 0
		for _, p := range pupils {
			if p.LeavingDate != "" {
				continue
			}
			active++
			if matched[p.ID] {
				continue
			}
			c := classOf(p)
			rep.Leaving = append(rep.Leaving, Listed{Person: p, Classes: splitNonEmpty(c)})
			if err := updatePerson(ctx, tx, p.ID, personUpdate{LeavingDate: &today}); err != nil {
				return err
			}
			if err := d.record(ctx, tx, actor, "import.leaving", p.Login, "not on the list; leaving date "+today); err != nil {
				return err
			}
		}
		rep.Partial = active >= 10 && len(rep.Leaving)*2 > active
		if rep.Partial && !dry && !opts.Force {
			return fmt.Errorf("import: %d of %d pupils are not on the list: %w", len(rep.Leaving), active, ErrPartialList)
		}
		rep.Outdated = downgrades >= 5 && downgrades*2 > len(matched)
		if rep.Outdated && !dry && !opts.Force {
			return fmt.Errorf("import: %d of %d known pupils would go down a grade: %w", downgrades, len(matched), ErrOutdatedList)
		}
		rep.New = created
		if dry {
			return errDryRun
		}
		if err := d.record(ctx, tx, actor, "import", "", fmt.Sprintf("%s file, %d rows: %d new, %d changed, %d leaving, %d unchanged",
			f.Format, len(f.Rows), len(rep.New), len(rep.Changed), len(rep.Leaving), rep.Unchanged)); err != nil {
			return err
		}
		if opts.Deliver != nil {
			if err := opts.Deliver(created); err != nil {
				return fmt.Errorf("import: hand out the new passwords: %w (nothing was imported)", err)
			}
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func nameClassKey(first, last, class string) string {
	return strings.ToLower(strings.TrimSpace(first)) + "\x00" + strings.ToLower(strings.TrimSpace(last)) + "\x00" + class
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
