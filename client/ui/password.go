package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

// PasswordScreen changes the own password: after a reset straight after
// the login, with no way around it (forced), or from the settings. The
// school's rules show as a checklist that ticks off while the person
// types (the same rules the server enforces, from shared/password).
type PasswordScreen struct {
	Old     *widget.Entry // only when not forced: the forced change reuses the login password
	New     *widget.Entry
	Repeat  *widget.Entry
	Rules   map[password.Rule]*widget.Label
	Match   *widget.Label
	Submit  *widget.Button
	Message *widget.Label
	forced  bool
}

func (u *UI) showPasswordChange(forced bool) {
	s := &PasswordScreen{
		New: widget.NewPasswordEntry(), Repeat: widget.NewPasswordEntry(),
		Rules: map[password.Rule]*widget.Label{}, Message: widget.NewLabel(""), forced: forced,
	}
	s.Message.Wrapping = fyne.TextWrapWord
	checklist := container.NewVBox(widget.NewLabelWithStyle(T("password.rules"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, r := range password.Rules {
		l := widget.NewLabel("")
		s.Rules[r] = l
		checklist.Add(l)
	}
	s.Match = widget.NewLabel("")
	checklist.Add(s.Match)
	s.Submit = widget.NewButtonWithIcon(T("password.submit"), theme.ConfirmIcon(), func() { u.submitPassword(s) })
	s.Submit.Importance = widget.HighImportance
	update := func(string) {
		u.touch()
		s.update()
	}
	s.New.OnChanged = update
	s.Repeat.OnChanged = update
	s.Repeat.OnSubmitted = func(string) {
		if !s.Submit.Disabled() {
			u.submitPassword(s)
		}
	}
	form := container.NewVBox()
	if forced {
		form.Add(widget.NewLabelWithStyle(T("password.forced"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	} else {
		s.Old = widget.NewPasswordEntry()
		s.Old.OnChanged = update
		form.Add(widget.NewLabel(T("password.old")))
		form.Add(s.Old)
	}
	form.Add(widget.NewLabel(T("password.new")))
	form.Add(s.New)
	form.Add(widget.NewLabel(T("password.repeat")))
	form.Add(s.Repeat)
	form.Add(checklist)
	form.Add(s.Submit)
	form.Add(s.Message)
	s.update()
	u.Password = s
	content := container.NewCenter(container.NewGridWrap(fyne.NewSize(460, form.MinSize().Height), form))
	if forced {
		// No way around it: no home button, only the logout.
		u.show(T("password.title"), content)
		u.homeBtn.Hide()
	} else {
		u.openScreen(T("password.title"), content)
	}
	u.win.Canvas().Focus(s.New)
}

// update ticks the checklist and enables the button when everything holds.
func (s *PasswordScreen) update() {
	broken := map[password.Rule]bool{}
	for _, r := range password.Check(s.New.Text) {
		broken[r] = true
	}
	for r, l := range s.Rules {
		mark := "✔ "
		if broken[r] {
			mark = "✘ "
		}
		l.SetText(mark + T(string(r)))
	}
	same := s.New.Text != "" && s.New.Text == s.Repeat.Text
	if same {
		s.Match.SetText("✔ " + T("password.match"))
	} else {
		s.Match.SetText("✘ " + T("password.match"))
	}
	ok := len(broken) == 0 && same && (s.Old == nil || s.Old.Text != "")
	if ok {
		s.Submit.Enable()
	} else {
		s.Submit.Disable()
	}
}

func (u *UI) submitPassword(s *PasswordScreen) {
	old := u.password
	if s.Old != nil {
		old = s.Old.Text
	}
	newPW := s.New.Text
	s.Submit.Disable()
	var sess wire.Session
	u.run(func(ctx context.Context) error {
		if err := u.api.ChangePassword(ctx, old, newPW); err != nil {
			return err
		}
		var err error
		sess, err = u.api.Session(ctx)
		return err
	}, func(err error) {
		if err != nil {
			if code := serverapi.Code(err); code == wire.CodeUnauthenticated || code == wire.CodeAccountLocked {
				u.handle(err)
				return
			}
			s.Message.SetText(serverapi.Message(err))
			s.update()
			return
		}
		u.password = ""
		u.sess = &sess
		if s.forced {
			u.ShowHome()
			u.runAfterLogin() // the login is complete only now
			return
		}
		s.New.SetText("")
		s.Repeat.SetText("")
		s.Old.SetText("")
		s.Message.SetText(T("password.changed"))
	})
}

func init() {
	registerTile(tile{key: "settings", title: "settings.title", icon: theme.SettingsIcon, order: 90,
		open: func(u *UI) { u.showSettings() }})
}

// SettingsScreen: the own password, the language, and what further
// sections other screens add (what of my data the address book shows).
type SettingsScreen struct {
	Language       *widget.RadioGroup
	ChangePassword *widget.Button
}

// settingsSections are added by other screens (the address book).
var settingsSections []func(u *UI) fyne.CanvasObject

func (u *UI) showSettings() {
	s := &SettingsScreen{}
	s.ChangePassword = widget.NewButtonWithIcon(T("settings.password"), theme.AccountIcon(), func() { u.showPasswordChange(false) })
	names := map[string]string{"Deutsch": "de", "English": "en"}
	s.Language = widget.NewRadioGroup([]string{"Deutsch", "English"}, func(choice string) {
		code := names[choice]
		if code == "" || code == Language() {
			return
		}
		if err := SetLanguage(code); err != nil {
			u.showError(err)
			return
		}
		u.refreshTexts()
		u.showSettings()
	})
	s.Language.Horizontal = true
	if Language() == "en" {
		s.Language.SetSelected("English")
	} else {
		s.Language.SetSelected("Deutsch")
	}
	box := container.NewVBox(
		widget.NewLabelWithStyle(T("settings.language"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.Language,
		widget.NewSeparator(), s.ChangePassword,
	)
	for _, sec := range settingsSections {
		if o := sec(u); o != nil { // nil: nothing to show (a module is off)
			box.Add(widget.NewSeparator())
			box.Add(o)
		}
	}
	u.setScreen("settings", s)
	u.openScreen(T("settings.title"), container.NewVScroll(container.NewPadded(box)))
}

// refreshTexts renews the texts of the window's own parts after a
// language change (screens are rebuilt when shown).
func (u *UI) refreshTexts() {
	u.win.SetTitle(T("app.title"))
	u.homeBtn.SetText(T("nav.home"))
	u.logout.SetText(T("nav.logout"))
}
