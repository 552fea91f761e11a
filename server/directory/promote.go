package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"kaspel/server/store"
)

// PromoteOptions steer the promotion at the end of the school year.
type PromoteOptions struct {
	DryRun bool
	// Force runs a second promotion within 180 days of the last one
	// (which would otherwise move everybody up two grades in one year).
	Force bool
	// LeavingDate is the leavers' last day (YYYY-MM-DD); default today.
	LeavingDate string
	// LastGrade is the school's highest grade; default 4 (Grundschule).
	LastGrade int
}

// Move is one pupil's promotion.
type Move struct {
	Login, Name, From, To string // To is "" for leavers
}

// PromoteReport lists what the promotion does.
type PromoteReport struct {
	Promoted []Move
	HeldBack []Move
	Leavers  []Move
	Skipped  []Move // pupils without a class that has a grade (e.g. "daz")
}

var gradeRE = regexp.MustCompile(`^([0-9]{1,2})([a-z]*)$`)

// ErrPromotedRecently is returned for a second promotion within 180 days.
var ErrPromotedRecently = errors.New("the promotion ran less than 180 days ago")

// Promote moves every pupil one grade up (1a -> 2a ... 3b -> 4b), keeps
// pupils marked with HoldBack in their class (and clears the mark), and
// makes pupils of the last grade leavers with a leaving date. Leavers
// leave their class group (the next class moves in), and their former
// class is kept for the record.
func (d *Directory) Promote(ctx context.Context, actor Actor, opts PromoteOptions) (*PromoteReport, error) {
	if opts.LastGrade == 0 {
		opts.LastGrade = 4
	}
	today := d.now().Format(store.DateFormat)
	if opts.LeavingDate == "" {
		opts.LeavingDate = today
	}
	if _, err := time.Parse(store.DateFormat, opts.LeavingDate); err != nil {
		return nil, invalidf("%q is not a date like 2027-07-31", opts.LeavingDate)
	}
	rep := &PromoteReport{}
	err := d.db.Tx(ctx, func(tx *sql.Tx) error {
		if last, err := getSetting(ctx, tx, settingLastPromotion); err == nil && !opts.Force {
			if t, err := time.Parse(store.DateFormat, last); err == nil && d.now().Sub(t) < 180*24*time.Hour {
				return fmt.Errorf("promote: last run on %s: %w (use --force if you are sure)", last, ErrPromotedRecently)
			}
		}
		pupils, err := queryPeople(ctx, tx, "WHERE role = ? AND (leaving_date IS NULL OR leaving_date >= ?) ORDER BY last_name, first_name", Pupil, today)
		if err != nil {
			return err
		}
		ids := make([]int64, len(pupils))
		for i, p := range pupils {
			ids[i] = p.ID
		}
		member, err := explicitGroupIDs(ctx, tx, ids)
		if err != nil {
			return err
		}
		groups, err := queryGroups(ctx, tx, "")
		if err != nil {
			return err
		}
		byID := map[int64]Group{}
		for _, g := range groups {
			byID[g.ID] = g
		}
		for _, p := range pupils {
			var class Group
			for _, gid := range member[p.ID] {
				if g := byID[gid]; g.Kind == KindClass {
					class = g
					break
				}
			}
			m := gradeRE.FindStringSubmatch(class.Name)
			mv := Move{Login: p.Login, Name: p.Name(), From: class.Name}
			switch {
			case m == nil:
				rep.Skipped = append(rep.Skipped, mv)
			case p.HoldBack:
				mv.To = class.Name
				rep.HeldBack = append(rep.HeldBack, mv)
				no := false
				if err := updatePerson(ctx, tx, p.ID, personUpdate{HoldBack: &no}); err != nil {
					return err
				}
			default:
				grade, _ := strconv.Atoi(m[1])
				if grade >= opts.LastGrade {
					rep.Leavers = append(rep.Leavers, mv)
					if err := updatePerson(ctx, tx, p.ID, personUpdate{LeavingDate: &opts.LeavingDate, FormerClass: &class.Name}); err != nil {
						return err
					}
					if err := removeMembership(ctx, tx, class.ID, p.ID); err != nil {
						return err
					}
					break
				}
				mv.To = strconv.Itoa(grade+1) + m[2]
				rep.Promoted = append(rep.Promoted, mv)
				next, err := ensureClass(ctx, tx, mv.To)
				if err != nil {
					return err
				}
				if err := removeMembership(ctx, tx, class.ID, p.ID); err != nil {
					return err
				}
				if err := addMembership(ctx, tx, next.ID, p.ID); err != nil {
					return err
				}
			}
		}
		if opts.DryRun {
			return errDryRun
		}
		if err := putSetting(ctx, tx, settingLastPromotion, today); err != nil {
			return err
		}
		return d.record(ctx, tx, actor, "promote", "", fmt.Sprintf("%d promoted, %d held back, %d leavers (leaving %s), %d without grade: %s",
			len(rep.Promoted), len(rep.HeldBack), len(rep.Leavers), opts.LeavingDate, len(rep.Skipped), loginsOf(rep.Leavers)))
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func loginsOf(ms []Move) string {
	l := make([]string, len(ms))
	for i, m := range ms {
		l[i] = m.Login
	}
	return strings.Join(l, ",")
}

// PurgeOptions steer the deletion of leavers.
type PurgeOptions struct {
	DryRun bool
}

// Purge deletes the accounts of people whose leaving date lies more than
// the grace period back, with everything they own (the database deletes
// their rows in every module by cascade). Each deletion is in the protocol.
func (d *Directory) Purge(ctx context.Context, actor Actor, opts PurgeOptions) ([]Person, error) {
	cutoff := d.now().AddDate(0, 0, -d.cfg.PurgeGraceDays)
	var gone []Person
	err := d.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		gone, err = leaversBefore(ctx, tx, cutoff)
		if err != nil {
			return err
		}
		for _, p := range gone {
			if err := deletePerson(ctx, tx, p.ID); err != nil {
				return err
			}
			if err := d.record(ctx, tx, actor, "purge", p.Login, fmt.Sprintf("%s, %s, left %s, class %s", p.Name(), p.Role, p.LeavingDate, orDash(p.FormerClass))); err != nil {
				return err
			}
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return gone, err
}
