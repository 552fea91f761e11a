// Package lending is the school's textbook lending (Schulbuchausleihe)
// as Lower Saxony's decree "Entgeltliche Ausleihe von Lernmitteln"
// (RdErl. d. MK v. 1.1.2013) has schools run it: the lending coordinator
// keeps the titles, the book lists per grade and the copies with their
// barcode labels and sets the fees of each school year; parents register
// their child every year (online through the child's account, or through
// the secretary) and pay the fee by bank transfer with a payment
// reference; the secretary issues and takes back the copies at a kiosk
// with a barcode scanner; damaged and lost books become claims at their
// current value (Zeitwert).
//
// The rules of the decree live here and nowhere else: a copy is lent at
// most Config.MaxLoans times (three), families with three or more
// school-age children pay a reduced share, exempt families pay nothing,
// pupils who join in the second half-year pay half, consumables
// (workbooks) are never lent, and claims stay provisional until the
// return deadline. Money is integer cents throughout; the fee engine
// (fee.go) is pure functions so that its arithmetic is tested on its own.
//
// The module reads people and classes through the directory and puts its
// confirmation into the child's mailbox through a Notifier (the mail
// module's bridge); it never touches another module's tables.
package lending

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"time"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the lending tables' schema.
var Migrations = store.Migrations{Component: "lending", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config is the lending module's part of the server configuration. The
// fee rules of each school year are not here: the Schulvorstand decides
// them per year, and the coordinator enters them with the year; Rules
// are only what a new year starts with.
type Config struct {
	// MaxLoans is how often one copy may be lent. The decree says three
	// times (3 x 1/2 year, 3 x 2 years for two-year volumes); the kiosk
	// warns at the last loan and refuses one more.
	MaxLoans int `json:"max_loans"`
	// LastGrade is the school's highest grade (Grundschule: 4): a pupil
	// in it has no book list for the next school year.
	LastGrade int `json:"last_grade"`
	// ReferencePrefix starts every payment reference ("SBA-2026-000123"),
	// so that the bank import finds it in any purpose text.
	ReferencePrefix string `json:"reference_prefix"`
	// Rules are the fee rules a new school year starts with.
	Rules RulesConfig `json:"rules"`
}

// RulesConfig are a new school year's default fee rules, in percent.
type RulesConfig struct {
	RateMinPct      float64 `json:"rate_min_pct"`      // the band the Schulvorstand set: 33 %
	RateMaxPct      float64 `json:"rate_max_pct"`      // ... to 40 % of the shop price per year
	RatePct         float64 `json:"rate_pct"`          // the default rate inside the band
	MultiYearPct    float64 `json:"multi_year_pct"`    // a two-year volume's one-off rate
	ReductionPct    int     `json:"reduction_pct"`     // what families with 3+ children pay: 80 %
	DamageLightPct  int     `json:"damage_light_pct"`  // of the Zeitwert
	DamageMediumPct int     `json:"damage_medium_pct"` // of the Zeitwert
	DamageTotalPct  int     `json:"damage_total_pct"`  // of the Zeitwert; lost books pay 100 %
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{
	MaxLoans:        3,
	LastGrade:       4,
	ReferencePrefix: "SBA",
	Rules: RulesConfig{RateMinPct: 33, RateMaxPct: 40, RatePct: 35, MultiYearPct: 60, ReductionPct: 80,
		DamageLightPct: 25, DamageMediumPct: 50, DamageTotalPct: 100},
}

// normalize fills zero fields with the defaults (a configuration file
// without them must not switch a rule off) and checks the rest.
func (c Config) normalize() (Config, error) {
	d := DefaultConfig
	if c.MaxLoans == 0 {
		c.MaxLoans = d.MaxLoans
	}
	if c.LastGrade == 0 {
		c.LastGrade = d.LastGrade
	}
	if c.ReferencePrefix == "" {
		c.ReferencePrefix = d.ReferencePrefix
	}
	r := &c.Rules
	if r.RateMaxPct == 0 {
		r.RateMinPct, r.RateMaxPct = d.Rules.RateMinPct, d.Rules.RateMaxPct
	}
	if r.RatePct == 0 {
		r.RatePct = d.Rules.RatePct
	}
	if r.MultiYearPct == 0 {
		r.MultiYearPct = d.Rules.MultiYearPct
	}
	if r.ReductionPct == 0 {
		r.ReductionPct = d.Rules.ReductionPct
	}
	if r.DamageLightPct == 0 && r.DamageMediumPct == 0 && r.DamageTotalPct == 0 {
		r.DamageLightPct, r.DamageMediumPct, r.DamageTotalPct = d.Rules.DamageLightPct, d.Rules.DamageMediumPct, d.Rules.DamageTotalPct
	}
	switch {
	case c.MaxLoans < 1 || c.MaxLoans > 10:
		return c, fmt.Errorf("lending: max_loans %d is not between 1 and 10", c.MaxLoans)
	case c.LastGrade < 1 || c.LastGrade > 13:
		return c, fmt.Errorf("lending: last_grade %d is not between 1 and 13", c.LastGrade)
	case !validPrefix(c.ReferencePrefix):
		return c, fmt.Errorf("lending: reference_prefix %q must be 2 to 5 capital letters", c.ReferencePrefix)
	}
	if _, err := c.Rules.rules(); err != nil {
		return c, fmt.Errorf("lending: rules: %w", err)
	}
	return c, nil
}

// rules converts the configured percentages into a year's Rules.
func (rc RulesConfig) rules() (Rules, error) {
	r := Rules{RateMin: bp(rc.RateMinPct), RateMax: bp(rc.RateMaxPct), Rate: bp(rc.RatePct), MultiYear: bp(rc.MultiYearPct),
		RoundTo: 1, ReductionPct: rc.ReductionPct, DamageLightPct: rc.DamageLightPct, DamageMediumPct: rc.DamageMediumPct,
		DamageTotalPct: rc.DamageTotalPct}
	return r, r.Check()
}

// bp turns a percentage into basis points (35.5 % -> 3550).
func bp(pct float64) int { return int(math.Round(pct * 100)) }

func validPrefix(p string) bool {
	if len(p) < 2 || len(p) > 5 {
		return false
	}
	for _, r := range p {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// berlin is the school's time zone: the dates of the lending (deadlines,
// issue days) are its days.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
