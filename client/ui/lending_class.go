package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// lendingClassKey is the class view's key in u.screens.
const lendingClassKey = "lending-class"

func init() {
	registerLendingTool(lendingTool{key: lendingClassKey, title: "lendclass.title", icon: theme.ListIcon, order: 40,
		visible: func(a wire.LendingAbilities) bool { return a.Staff || len(a.Classes) > 0 },
		open:    func(u *UI) { u.showLendingClass("") }})
}

// LendingClassScreen is a class's textbook state for its class teacher
// (and the lending staff): who is registered and has paid, and who has
// which book — never amounts, reductions or exemptions (the server
// leaves them out for teachers; this screen shows none for anybody). The
// class's issue list prints as a PDF to hand out the books with.
type LendingClassScreen struct {
	Class   *widget.Select
	Print   *widget.Button
	Reload  *widget.Button
	Heading *widget.Label
	Summary *widget.Label
	Message *widget.Label
	Rows    []*LendingClassRow

	State *wire.LendingClass // as last loaded

	u       *UI
	class   string
	yearID  int64
	rows    *fyne.Container
	seq     int
	loading bool
}

// LendingClassRow is a pupil of the class.
type LendingClassRow struct {
	Pupil  wire.LendingClassPupil
	Name   *widget.Label
	Status *widget.Label
	Books  *widget.Label
}

// showLendingClass opens a class's state ("" the first class the person
// may see).
func (u *UI) showLendingClass(class string) {
	s := &LendingClassScreen{u: u, class: class, Message: newMessage(), rows: container.NewVBox()}
	s.Class = widget.NewSelect(nil, func(c string) {
		if s.loading {
			return
		}
		s.class = c
		s.load()
	})
	s.Class.PlaceHolder = T("lendclass.pick")
	s.Print = widget.NewButtonWithIcon(T("lendclass.print"), theme.DocumentPrintIcon(), s.print)
	s.Print.Importance = widget.HighImportance
	s.Print.Disable()
	s.Reload = widget.NewButtonWithIcon(T("lendclass.reload"), theme.ViewRefreshIcon(), s.load)
	s.Heading = heading("")
	s.Heading.SizeName = theme.SizeNameSubHeadingText
	s.Summary = widget.NewLabel("")
	s.Summary.Wrapping = fyne.TextWrapWord
	intro := widget.NewLabel(T("lendclass.intro"))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(intro,
		container.NewHBox(widget.NewLabel(T("lendclass.class")), container.NewGridWrap(fyne.NewSize(140, s.Class.MinSize().Height), s.Class),
			s.Print, s.Reload),
		s.Heading, s.Summary, s.Message)
	u.setScreen(lendingClassKey, s)
	u.openScreen(T("lendclass.title"), container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(s.rows))))
	s.start()
}

// start finds the classes the person may see, then loads the class.
func (s *LendingClassScreen) start() {
	u := s.u
	var classes []string
	u.run(func(ctx context.Context) error {
		ab, err := u.api.LendingAbilities(ctx)
		if err != nil {
			return err
		}
		classes = append(classes, ab.Classes...)
		if ab.Staff {
			all, err := u.lmClasses(ctx)
			if err == nil {
				classes = all
			}
		}
		slices.Sort(classes)
		classes = slices.Compact(classes)
		return nil
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		s.Class.Options = classes
		s.Class.Refresh()
		if s.class == "" && len(classes) > 0 {
			s.class = classes[0]
		}
		if s.class == "" {
			setPlain(s.Message, T("lendclass.none"))
			return
		}
		s.loading = true
		if slices.Contains(classes, s.class) {
			s.Class.SetSelected(s.class)
		}
		s.loading = false
		s.load()
	})
}

// load fetches the class's state.
func (s *LendingClassScreen) load() {
	u := s.u
	class := s.class
	if class == "" {
		return
	}
	s.seq++
	seq := s.seq
	var st wire.LendingClass
	u.run(func(ctx context.Context) error {
		var err error
		st, err = u.api.LendingClass(ctx, class, 0)
		return err
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if err != nil {
			s.State = nil
			s.Rows = nil
			s.rows.RemoveAll()
			s.Heading.SetText(T("lendclass.heading", "Class", class, "Year", "–"))
			s.Summary.SetText("")
			s.Print.Disable()
			u.report(s.Message, err)
			return
		}
		clearMessage(s.Message)
		s.show(st)
	})
}

// lmClassStatus is a pupil's state for the teacher: registered or not,
// paid or not; nothing about money or benefits.
func lmClassStatus(p wire.LendingClassPupil) (string, widget.Importance) {
	switch {
	case !p.Registered:
		return T("lendclass.status.none"), widget.MediumImportance
	case p.PaidUp:
		return T("lendclass.status.paid"), widget.SuccessImportance
	}
	return T("lendclass.status.due"), widget.WarningImportance
}

func (s *LendingClassScreen) show(st wire.LendingClass) {
	s.State = &st
	s.yearID = st.Year.ID
	s.Heading.SetText(T("lendclass.heading", "Class", st.Class, "Year", st.Year.Name))
	registered, paid, books := 0, 0, 0
	s.Rows = nil
	s.rows.RemoveAll()
	for _, p := range st.Pupils {
		if p.Registered {
			registered++
		}
		if p.Registered && p.PaidUp {
			paid++
		}
		r := &LendingClassRow{Pupil: p, Name: heading(p.Name)}
		text, imp := lmClassStatus(p)
		r.Status = widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		r.Status.Importance = imp
		var have []string
		for _, b := range p.Booked {
			if b.Code != "" {
				books++
				have = append(have, T("lendclass.book.has", "Title", b.Title, "Code", b.Code))
			} else {
				have = append(have, T("lendclass.book.missing", "Title", b.Title))
			}
		}
		switch {
		case !p.Registered:
			r.Books = widget.NewLabel(T("lendclass.books.none"))
		case len(have) == 0:
			r.Books = widget.NewLabel(T("lendclass.books.buys"))
		default:
			r.Books = widget.NewLabel(strings.Join(have, " · "))
		}
		r.Books.Wrapping = fyne.TextWrapWord
		s.Rows = append(s.Rows, r)
		s.rows.Add(container.NewBorder(nil, widget.NewSeparator(), nil, nil,
			container.NewVBox(container.NewBorder(nil, nil, nil, r.Status, r.Name), r.Books)))
	}
	s.Summary.SetText(T("lendclass.summary", "Pupils", len(st.Pupils), "Registered", registered, "Paid", paid, "Books", books))
	if len(st.Pupils) == 0 {
		s.rows.Add(widget.NewLabel(T("lendclass.empty")))
	}
	s.Print.Enable()
}

// print saves the class's issue list (PDF) and opens it.
func (s *LendingClassScreen) print() {
	u := s.u
	class, year := s.class, s.yearID
	var path string
	u.run(func(ctx context.Context) error {
		pdf, err := u.api.LendingDocument(ctx, "issue-list", year, class, 0)
		if err != nil {
			return err
		}
		path, err = u.savePDF(T("lendclass.file", "Class", class), pdf)
		return err
	}, func(err error) { u.openPrinted(path, err, s.Message) })
}
