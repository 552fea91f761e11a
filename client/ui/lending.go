package ui

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// The textbook lending's area of the client (docs/api/lending.md): the
// home tile "Schulbücher" opens the kiosk (lending_kiosk.go) for the
// lending staff and the class teachers; the coordinator's, the money and
// the class screens hang below it as tools. This file holds the entry and
// the small helpers the lending screens share: Euro amounts and the
// choice of the school year.

// lendingKey is the lending area's key in u.screens (the kiosk).
const lendingKey = wire.ModuleLending

func init() {
	registerTile(tile{key: wire.ModuleLending, title: "lending.tile", icon: lendingIcon, order: 28, module: true,
		// Pupils (their parents) see their books in their own tile; the
		// kiosk and the tools are for the staff and the teachers.
		visible: func(s *wire.Session) bool { return s.User.Role != wire.RolePupil },
		open:    func(u *UI) { u.showLending() }})
	afterLogin = append(afterLogin, lendingAfterLogin)
}

// afterLogin are called after a login has shown the home screen (see
// startSession); the kiosk station uses it to open on the scan screen.
var afterLogin []func(u *UI)

// runAfterLogin calls the afterLogin hooks (from startSession).
func (u *UI) runAfterLogin() {
	for _, f := range afterLogin {
		f(u)
	}
}

// lendingAfterLogin opens the kiosk right after the login on the
// secretary's lending station (--mode kiosk) for the people who work it:
// the lending staff. Everybody else stays on the home screen.
func lendingAfterLogin(u *UI) {
	if u.opts.Mode != config.ModeKiosk || u.sess == nil || u.sess.MustChangePassword {
		return
	}
	switch u.sess.User.Role {
	case wire.RoleSecretary, wire.RoleAdmin, wire.RoleTeacher:
	default:
		return
	}
	on := false
	for _, m := range u.sess.Modules {
		on = on || m == wire.ModuleLending
	}
	if !on {
		return
	}
	var ab wire.LendingAbilities
	u.runInSession(func(ctx context.Context) error {
		var err error
		ab, err = u.api.LendingAbilities(ctx)
		return err
	}, func(err error) {
		if err != nil || !ab.Staff || u.Home == nil {
			return // the home screen stays; the tile opens the kiosk later
		}
		u.showLending()
	})
}

// lendingTool is a button on the lending screen that opens another
// lending screen (the coordinator's, the money, a class's state).
type lendingTool struct {
	key   string
	title string // translation key
	icon  func() fyne.Resource
	order int
	// visible says whether the person may use it.
	visible func(a wire.LendingAbilities) bool
	open    func(u *UI)
}

// lendingTools are the lending screen's tools; each screen file
// registers its own with registerLendingTool from its init.
var lendingTools []lendingTool

// registerLendingTool adds a tool to the lending screen.
func registerLendingTool(t lendingTool) { lendingTools = append(lendingTools, t) }

// lendingToolsFor are the tools a person may use, in their order.
func lendingToolsFor(a wire.LendingAbilities) []lendingTool {
	var out []lendingTool
	for _, t := range lendingTools {
		if t.visible == nil || t.visible(a) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// showLending opens the lending area: the kiosk for those who may scan
// (lending staff, class teachers), else a page with the tools.
func (u *UI) showLending() {
	if u.sess == nil {
		return
	}
	var ab wire.LendingAbilities
	var classes []string
	u.runInSession(func(ctx context.Context) error {
		var err error
		if ab, err = u.api.LendingAbilities(ctx); err != nil {
			return err
		}
		if ab.Staff {
			// Class sets may be handed out for every class.
			groups, err := u.api.Groups(ctx)
			if err != nil {
				return err
			}
			for _, g := range groups {
				if g.Kind == "class" {
					classes = append(classes, g.Name)
				}
			}
		}
		return nil
	}, func(err error) {
		if u.handle(err) {
			return
		}
		if !ab.Staff {
			classes = append([]string(nil), ab.Classes...)
		}
		sort.Strings(classes)
		u.openKiosk(ab, classes)
	})
}

// lendingIcon is an open book: the tile and the kiosk's heading.
func lendingIcon() fyne.Resource { return theme.NewThemedResource(lendingBook) }

var lendingBook = fyne.NewStaticResource("book.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
	`<path fill="#000" d="M12 6.5C10.3 5.2 7.9 4.5 5.5 4.5c-1.2 0-2.4.2-3.5.5v14c1.1-.3 2.3-.5 3.5-.5 2.4 0 4.8.7 6.5 2 1.7-1.3 4.1-2 6.5-2 1.2 0 2.4.2 3.5.5V5c-1.1-.3-2.3-.5-3.5-.5-2.4 0-4.8.7-6.5 2zm-1 11.6c-1.6-.8-3.6-1.1-5.5-1.1-.9 0-1.7.1-2.5.2V6.4c.8-.2 1.6-.3 2.5-.3 1.9 0 3.9.5 5.5 1.5v10.5zm10-1c-.8-.1-1.6-.2-2.5-.2-1.9 0-3.9.4-5.5 1.1V7.6c1.6-1 3.6-1.5 5.5-1.5.9 0 1.7.1 2.5.3v10.7z"/></svg>`))

// euro writes cents as people read Euro amounts: "12,50 €", "1.234,00 €",
// "-3,05 €".
func euro(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s,%02d €", sign, b.String(), cents%100)
}

// euroPlain is an amount for an input field: "24,95", "1.234,50".
func euroPlain(cents int64) string { return strings.TrimSuffix(euro(cents), " €") }

// parseEuro reads an amount as people type it: "12,50", "12.50",
// "1.234,56", "12", "12,5 €", "-3,05". A point followed by three digits
// groups thousands; one or two digits after a comma or point are cents;
// three after a comma ("1,234") are refused as unclear.
func parseEuro(s string) (int64, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	t = strings.ReplaceAll(strings.ReplaceAll(t, " ", ""), "\u00a0", "")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), "+")
	whole, frac, bad := t, "", false
	if i := strings.LastIndexAny(t, ",."); i >= 0 && len(t)-i-1 <= 2 {
		whole, frac = t[:i], t[i+1:]
		bad = strings.IndexByte(whole, t[i]) >= 0 // "1,2,3"
	} else if i >= 0 && t[i] == ',' {
		bad = true // "1,234": a comma never groups thousands here
	}
	whole = strings.ReplaceAll(strings.ReplaceAll(whole, ".", ""), ",", "")
	bad = bad || (whole == "" && frac == "")
	for _, r := range whole + frac {
		bad = bad || r < '0' || r > '9'
	}
	if bad || len(whole) > 12 {
		return 0, userError(T("lending.common.euro_invalid", "Text", strings.TrimSpace(s)))
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	c := w*100 + f
	if neg {
		c = -c
	}
	return c, nil
}

// LendingYearChoice picks a school year: the years by name, the current
// one (the year the kiosk works in) preselected.
type LendingYearChoice struct {
	Select *widget.Select
	years  []wire.LendingYear
}

// newLendingYearChoice makes the choice from GET /api/v1/lending/years;
// changed gets the chosen year's id (not called for the preselection).
func newLendingYearChoice(ys wire.LendingYears, changed func(id int64)) *LendingYearChoice {
	c := &LendingYearChoice{years: ys.Years}
	var names []string
	for _, y := range ys.Years {
		names = append(names, y.Name)
	}
	c.Select = widget.NewSelect(names, nil)
	c.Select.PlaceHolder = T("lending.common.year_choose")
	for _, y := range ys.Years {
		if y.ID == ys.Current {
			c.Select.SetSelected(y.Name)
		}
	}
	if c.Select.Selected == "" && len(names) > 0 {
		c.Select.SetSelected(names[len(names)-1])
	}
	c.Select.OnChanged = func(string) {
		if changed != nil {
			changed(c.ID())
		}
	}
	return c
}

// Year is the chosen year (nil if none).
func (c *LendingYearChoice) Year() *wire.LendingYear {
	for i := range c.years {
		if c.years[i].Name == c.Select.Selected {
			return &c.years[i]
		}
	}
	return nil
}

// ID is the chosen year's id (0 if none).
func (c *LendingYearChoice) ID() int64 {
	if y := c.Year(); y != nil {
		return y.ID
	}
	return 0
}

// lendingStatusText is an account's status in the chosen language (the
// server's titles are German only).
func lendingStatusText(status string) string {
	switch status {
	case "waiting":
		return T("lending.common.status.waiting")
	case "due":
		return T("lending.common.status.due")
	case "paid":
		return T("lending.common.status.paid")
	case "refund":
		return T("lending.common.status.refund")
	}
	return T("lending.common.status.none")
}
