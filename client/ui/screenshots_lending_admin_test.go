package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
)

// screenshotsLendingAdmin renders the lending coordinator's screen for
// docs/screenshots: the school year's form, the titles with one in the
// form, the fees, a title's copies with a copy's history, and the print
// tab. It fills the lending with the test seed unless the school has a
// year already; TestScreenshots calls it with its shot.
func screenshotsLendingAdmin(t *testing.T, w *world, shot func(u *UI, name string)) {
	t.Helper()
	years, err := w.apiAs(w.Admin).LendingYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var annaMaths string
	var maths int64
	if len(years.Years) == 0 {
		seed := w.seedLending()
		annaMaths, maths = seed.AnnaMaths, seed.Maths3.ID
	}
	u := w.newUI(config.ModeStaff)
	s := openLendingAdmin(t, w, u, w.Admin)
	s.Tabs.Select(s.YearItem)
	shot(u, "lending-admin-year")

	s.Tabs.Select(s.TitlesItem)
	if len(s.Titles.Rows) > 0 {
		test.Tap(s.Titles.Rows[0].Open)
	}
	shot(u, "lending-admin-titles")

	s.Tabs.Select(s.FeesItem)
	u.Wait()
	shot(u, "lending-admin-fees")

	s.Tabs.Select(s.CopiesItem)
	if maths != 0 {
		s.Copies.choose(maths)
	} else if len(s.Copies.titles) > 0 {
		s.Copies.Title.SetSelected(s.Copies.Title.Options[0])
	}
	u.Wait()
	if annaMaths == "" && len(s.Copies.Copies) > 0 {
		annaMaths = s.Copies.Copies[0].Code
	}
	if annaMaths != "" {
		s.Copies.Code.SetText(annaMaths)
		test.Tap(s.Copies.Show)
		u.Wait()
	}
	shot(u, "lending-admin-copies")

	s.Tabs.Select(s.PrintItem)
	s.Print.Start.SetText("5")
	s.Print.Count.SetText("48")
	s.Print.CardClass.SetText("3a")
	s.Print.DocClass.SetText("3a")
	shot(u, "lending-admin-print")
	u.Logout("")
	u.Wait()
}
