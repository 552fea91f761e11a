package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

func init() {
	registerTile(tile{key: "classes", title: "classes.title", icon: theme.ListIcon, order: 40,
		visible: func(s *wire.Session) bool {
			return len(s.User.Classes) > 0 && (s.User.Role == wire.RoleTeacher || s.User.Role == wire.RoleAdmin)
		},
		open: func(u *UI) { u.showClasses() }})
}

// ClassesScreen is the class teacher's tool for the most common problem
// of a computer lesson: a child forgot the password. The teacher picks
// the class, gives one child a new password (shown big, printable) or
// prints new slips for the whole class or the children ticked. The
// server allows it for the teacher's own classes only.
type ClassesScreen struct {
	Class         *widget.Select
	All           *widget.Check // ticks every child
	Rows          []*PupilRow
	PrintClass    *widget.Button
	PrintSelected *widget.Button
	Confirm       *ConfirmBar
	OneTime       *OneTimeBox
	Message       *widget.Label

	u      *UI
	class  string
	pupils []wire.Person
	rows   *fyne.Container
}

// PupilRow is one child of the class list.
type PupilRow struct {
	Pick   *widget.Check
	Name   *widget.Label
	State  *widget.Label
	Reset  *widget.Button
	Person wire.Person
}

func (u *UI) showClasses() {
	s := &ClassesScreen{u: u, Confirm: newConfirmBar(), OneTime: u.newOneTimeBox(), Message: newMessage(),
		rows: container.NewVBox()}
	classes := append([]string(nil), u.sess.User.Classes...)
	slices.Sort(classes)
	s.Class = widget.NewSelect(classes, func(c string) { s.load(c) })
	s.Class.PlaceHolder = T("classes.pick")
	s.All = widget.NewCheck(T("classes.all"), func(on bool) {
		for _, r := range s.Rows {
			r.Pick.SetChecked(on)
		}
		s.updateButtons()
	})
	s.PrintClass = widget.NewButtonWithIcon(T("classes.print_class"), theme.DocumentPrintIcon(), s.askPrintClass)
	s.PrintClass.Importance = widget.HighImportance
	s.PrintSelected = widget.NewButtonWithIcon(T("classes.print_selected"), theme.DocumentPrintIcon(), s.askPrintSelected)
	s.updateButtons()
	intro := widget.NewLabel(T("classes.intro"))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		intro,
		widget.NewForm(widget.NewFormItem(T("classes.class"), s.Class)),
		container.NewHBox(s.PrintClass, s.PrintSelected),
		s.Confirm.box, s.Message, s.OneTime.box,
		s.All,
	)
	u.setScreen("classes", s)
	u.openScreen(T("classes.title"), container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(s.rows))))
	if len(classes) > 0 {
		s.Class.SetSelected(classes[0])
	}
}

// load shows the children of a class.
func (s *ClassesScreen) load(class string) {
	u := s.u
	u.touch()
	s.Confirm.Hide()
	s.OneTime.Clear()
	clearMessage(s.Message)
	var pupils []wire.Person
	u.run(func(ctx context.Context) error {
		var err error
		pupils, err = u.api.ClassPupils(ctx, class)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		s.class, s.pupils = class, pupils
		s.fill()
	})
}

func (s *ClassesScreen) fill() {
	s.Rows = nil
	s.rows.Objects = nil
	s.All.SetChecked(false)
	if len(s.pupils) == 0 {
		s.rows.Add(widget.NewLabel(T("classes.empty")))
	}
	for _, p := range s.pupils {
		r := &PupilRow{Person: p,
			Name:  widget.NewLabelWithStyle(personName(p), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			State: widget.NewLabel(pupilState(p)),
		}
		r.Pick = widget.NewCheck("", func(bool) { s.updateButtons() })
		r.Reset = widget.NewButtonWithIcon(T("classes.reset"), theme.ViewRefreshIcon(), func() { s.askReset(r) })
		s.Rows = append(s.Rows, r)
		s.rows.Add(container.NewBorder(nil, nil, container.NewHBox(r.Pick, r.Name), r.Reset, r.State))
	}
	s.rows.Refresh()
	s.updateButtons()
}

// pupilState is what the teacher should know about a child's account.
func pupilState(p wire.Person) string {
	switch {
	case p.Locked:
		return T("classes.state_locked")
	case p.MustChange:
		return T("classes.state_new")
	}
	return ""
}

// selected lists the logins ticked.
func (s *ClassesScreen) selected() []string {
	var out []string
	for _, r := range s.Rows {
		if r.Pick.Checked {
			out = append(out, r.Person.Login)
		}
	}
	return out
}

func (s *ClassesScreen) updateButtons() {
	if s.class == "" || len(s.pupils) == 0 {
		s.PrintClass.Disable()
	} else {
		s.PrintClass.Enable()
	}
	if len(s.selected()) == 0 {
		s.PrintSelected.Disable()
	} else {
		s.PrintSelected.Enable()
	}
}

func (s *ClassesScreen) askReset(r *PupilRow) {
	s.u.touch()
	s.Confirm.Ask(T("classes.reset_confirm", "Name", personName(r.Person)), T("classes.reset_yes"), func() { s.reset(r) })
}

// reset gives one child a new password and shows it.
func (s *ClassesScreen) reset(r *PupilRow) {
	u := s.u
	s.OneTime.Clear()
	var otp wire.OneTimePassword
	u.run(func(ctx context.Context) error {
		var err error
		otp, err = u.api.ResetPassword(ctx, r.Person.Login)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		r.Person.MustChange = true
		r.State.SetText(pupilState(r.Person))
		clearMessage(s.Message)
		s.OneTime.Show(otp)
	})
}

func (s *ClassesScreen) askPrintClass() {
	s.u.touch()
	s.Confirm.Ask(T("classes.print_class_confirm", "Class", s.class, "Count", len(s.pupils)), T("classes.print_yes"),
		func() { s.printSlips(nil) })
}

func (s *ClassesScreen) askPrintSelected() {
	s.u.touch()
	logins := s.selected()
	s.Confirm.Ask(T("classes.print_selected_confirm", "Count", len(logins)), T("classes.print_yes"),
		func() { s.printSlips(logins) })
}

// printSlips gives the children (all when logins is empty) new
// passwords and prints the server's slips.
func (s *ClassesScreen) printSlips(logins []string) {
	u := s.u
	class := s.class
	s.OneTime.Clear()
	var path string
	u.run(func(ctx context.Context) error {
		pdf, err := u.api.ResetClassSlips(ctx, class, logins)
		if err != nil {
			return err
		}
		path, err = u.savePDF("passwoerter-"+class+".pdf", pdf)
		return err
	}, func(err error) {
		u.openPrinted(path, err, s.Message)
		if err == nil {
			for _, r := range s.Rows {
				if len(logins) == 0 || slices.Contains(logins, r.Person.Login) {
					r.Person.MustChange = true
					r.State.SetText(pupilState(r.Person))
				}
				r.Pick.SetChecked(false)
			}
			s.All.SetChecked(false)
		}
	})
}
