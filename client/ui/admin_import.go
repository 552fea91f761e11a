package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// ImportTab brings in the pupil list exported from the school
// administration (DaNiS "Freie Liste" or a CSV with Vorname, Nachname,
// Klasse, ID). It always shows the server's dry run first: who is new
// (with the login they will get), what changes, who leaves, and a
// warning when the list looks partial or from before the promotion.
// Only then "Übernehmen" sends the very same bytes for real. The new
// pupils' one-time passwords come back once and are printed per class.
type ImportTab struct {
	Choose  *widget.Button
	File    *widget.Label
	Message *widget.Label

	Summary *widget.Label
	Warning *widget.Label
	New     *widget.Label // one line per new pupil
	Changed *widget.Label
	Leaving *widget.Label
	Force   *widget.Check // needed for a partial or outdated list
	Apply   *widget.Button

	Result     *widget.Label
	Passwords  *widget.Label // one line per new pupil, with the password
	PrintAll   *widget.Button
	PrintClass map[string]*widget.Button

	u          *UI
	people     *PeopleTab
	csv        []byte // the file the dry run saw
	name       string
	report     *wire.ImportReport
	created    []wire.OneTimePassword
	diff       *fyne.Container
	newCard    *widget.Card
	changeCard *widget.Card
	leaveCard  *widget.Card
	result     *fyne.Container
	classBtns  *fyne.Container
	content    fyne.CanvasObject
}

func (u *UI) newImportTab(people *PeopleTab) *ImportTab {
	t := &ImportTab{u: u, people: people,
		File: widget.NewLabel(""), Message: newMessage(), Summary: newMessage(), Warning: newMessage(),
		New: monoLines(), Changed: monoLines(), Leaving: monoLines(),
		Result: newMessage(), Passwords: monoLines(), PrintClass: map[string]*widget.Button{},
	}
	intro := widget.NewLabel(T("admin.import.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.Choose = widget.NewButtonWithIcon(T("admin.import.choose"), theme.FolderOpenIcon(), t.choose)
	t.Choose.Importance = widget.HighImportance
	t.Warning.Importance = widget.DangerImportance
	t.Warning.TextStyle.Bold = true
	t.Force = widget.NewCheck(T("admin.import.force"), func(bool) { t.updateApply() })
	t.Apply = widget.NewButtonWithIcon(T("admin.import.apply"), theme.ConfirmIcon(), t.apply)
	t.Apply.Importance = widget.HighImportance
	t.newCard = widget.NewCard("", T("admin.import.new_hint"), t.New)
	t.changeCard = widget.NewCard("", "", t.Changed)
	t.leaveCard = widget.NewCard("", T("admin.import.leaving_hint"), t.Leaving)
	t.diff = container.NewVBox(t.Summary, t.Warning, t.Force, container.NewHBox(t.Apply),
		t.newCard, t.changeCard, t.leaveCard)
	t.diff.Hide()
	t.PrintAll = widget.NewButtonWithIcon(T("admin.import.print_all"), theme.DocumentPrintIcon(), func() {
		t.print("passwoerter-neu.pdf", t.created)
	})
	t.PrintAll.Importance = widget.HighImportance
	t.classBtns = container.NewHBox()
	note := widget.NewLabel(T("admin.import.passwords_note"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.WarningImportance
	t.result = container.NewVBox(t.Result, note, container.NewHBox(t.PrintAll), t.classBtns,
		widget.NewCard(T("admin.import.passwords_title"), "", t.Passwords))
	t.result.Hide()
	t.content = adminPanel(intro, container.NewHBox(t.Choose), t.File, t.Message, t.diff, t.result)
	return t
}

// monoLines is a label for a list of lines that line up.
func monoLines() *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (t *ImportTab) choose() {
	t.u.touch()
	t.u.opts.PickFile(func(path string) {
		if path != "" {
			t.dryRun(path)
		}
	})
}

// dryRun reads the file and asks the server what it would do.
func (t *ImportTab) dryRun(path string) {
	u := t.u
	t.reset()
	t.File.SetText(T("admin.import.file", "Name", filepath.Base(path)))
	var data []byte
	var rep wire.ImportReport
	u.run(func(ctx context.Context) error {
		var err error
		if data, err = readLimited(path, wire.MaxUpload); err != nil {
			return err
		}
		rep, err = u.api.Import(ctx, data, true, false)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.csv, t.name, t.report = data, filepath.Base(path), &rep
		t.showDiff(rep)
	})
}

// readLimited reads a file the person chose, refusing one over the
// upload limit before sending it.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, userError(T("admin.import.unreadable", "Name", filepath.Base(path)))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, userError(T("admin.import.unreadable", "Name", filepath.Base(path)))
	}
	if int64(len(data)) > limit {
		return nil, userError(T("admin.import.too_large", "MB", limit>>20))
	}
	return data, nil
}

// reset forgets the last file and its diff.
func (t *ImportTab) reset() {
	t.csv, t.report, t.created = nil, nil, nil
	clearMessage(t.Message)
	t.diff.Hide()
	t.result.Hide()
	t.Force.SetChecked(false)
}

func (t *ImportTab) showDiff(rep wire.ImportReport) {
	format := rep.Format
	if format == "generic" {
		format = T("admin.import.format_generic")
	}
	setPlain(t.Summary, T("admin.import.summary", "Rows", rep.Rows, "Format", format, "Encoding", rep.Encoding,
		"New", len(rep.New), "Changed", len(rep.Changed), "Leaving", len(rep.Leaving), "Unchanged", rep.Unchanged))
	var warn []string
	if rep.Partial {
		warn = append(warn, T("admin.import.partial"))
	}
	if rep.Outdated {
		warn = append(warn, T("admin.import.outdated"))
	}
	t.Warning.SetText(strings.Join(warn, "\n\n"))
	if len(warn) > 0 {
		t.Warning.Show()
		t.Force.Show()
	} else {
		t.Warning.Hide()
		t.Force.Hide()
	}

	var lines []string
	for _, n := range rep.New {
		lines = append(lines, fmt.Sprintf("%-6s %-30s %s", n.Class, n.Name, n.Login))
	}
	t.New.SetText(strings.Join(lines, "\n"))
	t.newCard.SetTitle(T("admin.import.new_title", "Count", len(rep.New)))
	showIf(t.newCard, len(rep.New) > 0)

	lines = lines[:0]
	for _, c := range rep.Changed {
		what := make([]string, len(c.What))
		for i, w := range c.What {
			what[i] = changeText(w)
		}
		lines = append(lines, c.Login+": "+strings.Join(what, "; "))
	}
	t.Changed.SetText(strings.Join(lines, "\n"))
	t.changeCard.SetTitle(T("admin.import.changed_title", "Count", len(rep.Changed)))
	showIf(t.changeCard, len(rep.Changed) > 0)

	lines = lines[:0]
	for _, p := range rep.Leaving {
		lines = append(lines, fmt.Sprintf("%-6s %-30s %s", strings.Join(p.Classes, ","), personName(p), p.Login))
	}
	t.Leaving.SetText(strings.Join(lines, "\n"))
	t.leaveCard.SetTitle(T("admin.import.leaving_title", "Count", len(rep.Leaving)))
	showIf(t.leaveCard, len(rep.Leaving) > 0)

	if len(rep.New)+len(rep.Changed)+len(rep.Leaving) == 0 {
		setInfo(t.Message, T("admin.import.nothing"))
		t.Apply.Hide()
	} else {
		t.Apply.Show()
	}
	t.updateApply()
	t.diff.Show()
}

// updateApply enables "Übernehmen" once there is a dry run, and for a
// suspicious list only after the admin ticked that it is right.
func (t *ImportTab) updateApply() {
	if t.report == nil || t.csv == nil {
		t.Apply.Disable()
		return
	}
	if (t.report.Partial || t.report.Outdated) && !t.Force.Checked {
		t.Apply.Disable()
		return
	}
	t.Apply.Enable()
}

// apply imports the file the dry run showed.
func (t *ImportTab) apply() {
	u := t.u
	u.touch()
	if t.csv == nil || t.report == nil {
		return
	}
	data, force := t.csv, t.Force.Checked
	t.Apply.Disable()
	t.Choose.Disable()
	var rep wire.ImportReport
	u.run(func(ctx context.Context) error {
		var err error
		rep, err = u.api.Import(ctx, data, false, force)
		return err
	}, func(err error) {
		t.Choose.Enable()
		if err != nil {
			t.updateApply()
			u.report(t.Message, err)
			return
		}
		// The file is in; a second tap must not import it again.
		t.csv = nil
		t.people.stale = true
		t.diff.Hide()
		t.showResult(rep)
	})
}

// showResult lists the new pupils with their passwords and offers the
// slips per class: the class teacher hands them out in class.
func (t *ImportTab) showResult(rep wire.ImportReport) {
	setInfo(t.Result, T("admin.import.done", "New", len(rep.New), "Changed", len(rep.Changed), "Leaving", len(rep.Leaving)))
	t.created = append([]wire.OneTimePassword(nil), rep.New...)
	sort.SliceStable(t.created, func(i, j int) bool {
		if t.created[i].Class != t.created[j].Class {
			return t.created[i].Class < t.created[j].Class
		}
		return t.created[i].Name < t.created[j].Name
	})
	var lines []string
	byClass := map[string][]wire.OneTimePassword{}
	var classes []string
	for _, n := range t.created {
		lines = append(lines, fmt.Sprintf("%-6s %-30s %-24s %s", n.Class, n.Name, n.Login, n.Password))
		if _, ok := byClass[n.Class]; !ok {
			classes = append(classes, n.Class)
		}
		byClass[n.Class] = append(byClass[n.Class], n)
	}
	t.Passwords.SetText(strings.Join(lines, "\n"))
	t.PrintClass = map[string]*widget.Button{}
	t.classBtns.Objects = nil
	if len(classes) > 1 {
		for _, c := range classes {
			list := byClass[c]
			label, file := T("admin.import.print_class", "Class", c), "passwoerter-"+c+".pdf"
			if c == "" {
				label, file = T("admin.import.print_no_class"), "passwoerter-ohne-klasse.pdf"
			}
			b := widget.NewButtonWithIcon(label, theme.DocumentPrintIcon(), func() { t.print(file, list) })
			t.PrintClass[c] = b
			t.classBtns.Add(b)
		}
	}
	t.classBtns.Refresh()
	showIf(t.PrintAll, len(t.created) > 0)
	t.result.Show()
}

func (t *ImportTab) print(file string, list []wire.OneTimePassword) {
	if len(list) == 0 {
		return
	}
	t.u.printSlips(file, list, t.Result)
}

// The server describes changes in English words (the command line's
// language); the admin reads them in the client's language.
var (
	changeID      = regexp.MustCompile(`^ID (.+) recorded$`)
	changeFirst   = regexp.MustCompile(`^first name (.*) -> (.*)$`)
	changeLast    = regexp.MustCompile(`^last name (.*) -> (.*)$`)
	changeClass   = regexp.MustCompile(`^class (.*) -> (.*)$`)
	changeReturns = regexp.MustCompile(`^on the list again \(leaving date (.+) cleared\)$`)
)

// changeText is one change of a pupil as the admin reads it.
func changeText(w string) string {
	if m := changeID.FindStringSubmatch(w); m != nil {
		return T("admin.import.what_id", "ID", m[1])
	}
	if m := changeFirst.FindStringSubmatch(w); m != nil {
		return T("admin.import.what_first", "Old", m[1], "New", m[2])
	}
	if m := changeLast.FindStringSubmatch(w); m != nil {
		return T("admin.import.what_last", "Old", m[1], "New", m[2])
	}
	if m := changeClass.FindStringSubmatch(w); m != nil {
		return T("admin.import.what_class", "Old", m[1], "New", m[2])
	}
	if m := changeReturns.FindStringSubmatch(w); m != nil {
		return T("admin.import.what_returns", "Date", shownDate(m[1]))
	}
	return w
}

// showIf shows or hides an object.
func showIf(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}
