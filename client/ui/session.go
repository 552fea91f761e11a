package ui

import (
	"context"
	"errors"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// LoginScreen is the first thing everybody sees: the school's name and
// logo, login and password, one big button.
type LoginScreen struct {
	School   *widget.Label
	Login    *widget.Entry
	Password *widget.Entry
	Submit   *widget.Button
	Message  *widget.Label // German answer: wrong password, locked, server down, ...
	Computer *widget.Label
	content  fyne.CanvasObject
}

func (u *UI) showLogin(message string) {
	s := &LoginScreen{
		School:   widget.NewLabelWithStyle(u.opts.School, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		Login:    widget.NewEntry(),
		Password: widget.NewPasswordEntry(),
		Message:  widget.NewLabelWithStyle(message, fyne.TextAlignCenter, fyne.TextStyle{}),
		Computer: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
	}
	if u.opts.Computer != "" {
		s.Computer.SetText(T("login.computer", "Name", u.opts.Computer))
	}
	if u.opts.School == "" {
		s.School.SetText(T("app.title"))
	}
	s.Message.Wrapping = fyne.TextWrapWord
	s.Login.SetPlaceHolder(T("login.login_hint"))
	s.Password.SetPlaceHolder(T("login.password_hint"))
	s.Submit = widget.NewButtonWithIcon(T("login.submit"), loginIcon(), func() { u.submitLogin(s) })
	s.Submit.Importance = widget.HighImportance
	s.Login.OnSubmitted = func(string) { u.win.Canvas().Focus(s.Password) }
	s.Password.OnSubmitted = func(string) { u.submitLogin(s) }
	logo := canvas.NewImageFromResource(logoIcon())
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(96, 96))
	form := container.NewVBox(
		logo, s.School,
		widget.NewLabel(T("login.login")), s.Login,
		widget.NewLabel(T("login.password")), s.Password,
		s.Submit, s.Message, s.Computer,
	)
	s.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(420, form.MinSize().Height), form))
	u.Login = s
	u.Password = nil
	u.title.SetText("")
	u.body.Objects = []fyne.CanvasObject{s.content}
	u.bar.Hide()
	u.root.Refresh()
	u.win.Canvas().Focus(s.Login)
	if u.opts.School == "" {
		u.loadSchoolName(s)
	}
}

// loadSchoolName asks the server for the school's name (public).
func (u *UI) loadSchoolName(s *LoginScreen) {
	type health interface {
		SchoolName(ctx context.Context) (string, error)
	}
	h, ok := u.api.(health)
	if !ok {
		return
	}
	var name string
	u.run(func(ctx context.Context) error {
		var err error
		name, err = h.SchoolName(ctx)
		return err
	}, func(err error) {
		if err == nil && name != "" {
			u.opts.School = name
			s.School.SetText(name)
		}
	})
}

func (u *UI) submitLogin(s *LoginScreen) {
	login := strings.TrimSpace(strings.ToLower(s.Login.Text))
	pw := s.Password.Text
	if login == "" || pw == "" {
		s.Message.SetText(T("login.missing"))
		return
	}
	s.Submit.Disable()
	s.Message.SetText(T("login.checking"))
	var sess wire.Session
	u.run(func(ctx context.Context) error {
		var err error
		sess, err = u.api.Login(ctx, login, pw, u.opts.Computer)
		return err
	}, func(err error) {
		s.Submit.Enable()
		if err != nil {
			// Keep the typed login; the password is typed again.
			s.Password.SetText("")
			s.Message.SetText(loginMessage(err))
			u.win.Canvas().Focus(s.Password)
			return
		}
		s.Password.SetText("")
		u.startSession(sess, pw)
	})
}

// loginMessage is what a child reads after a failed login.
func loginMessage(err error) string {
	switch {
	case errors.Is(err, serverapi.ErrUnreachable):
		return T("login.unreachable")
	case serverapi.Code(err) == wire.CodeWrongCredentials:
		return T("login.wrong")
	case serverapi.Code(err) == wire.CodeAccountLocked, serverapi.Code(err) == wire.CodeRateLimited:
		return serverapi.Message(err) // the server says what to do
	}
	return serverapi.Message(err)
}

func (u *UI) startSession(sess wire.Session, password string) {
	u.sess = &sess
	u.userName.SetText(sess.User.Name)
	u.bar.Refresh() // the name's width changed
	if u.gate != nil {
		u.gate.open()
	}
	if u.onSession != nil {
		u.onSession(u.sess)
	}
	if sess.MustChangePassword {
		u.password = password
		u.showPasswordChange(true)
		return
	}
	u.ShowHome()
	u.runAfterLogin()
}

// Logout ends the session on the server and shows the login with a
// message.
func (u *UI) Logout(message string) {
	if u.sess == nil {
		return
	}
	u.run(func(ctx context.Context) error { return u.api.Logout(ctx) }, nil)
	u.endSession(message)
}

// endSession forgets everything of the person: their screens, the
// session, the files they saved here; then the login (and, in the PC
// room, the gate) comes back.
func (u *UI) endSession(message string) {
	u.sess = nil
	u.password = ""
	u.screens = map[string]any{}
	u.Home = nil
	u.Password = nil
	u.userName.SetText("")
	// Dialogs of the person who leaves (a mail draft, a file's name, a
	// confirmation) must not stay over the login for the next one; only
	// the teacher's lock stays.
	overlays := u.win.Canvas().Overlays()
	for _, o := range append([]fyne.CanvasObject(nil), overlays.List()...) {
		if u.lock == nil || o != u.lock.obj {
			overlays.Remove(o)
		}
	}
	if u.gate != nil {
		os.RemoveAll(u.opts.FilesDir)
		u.gate.close()
	}
	if u.onSession != nil {
		u.onSession(nil)
	}
	u.showLogin(message)
}

// HomeScreen shows a large tile per module and tool the person may use.
type HomeScreen struct {
	Tiles map[string]*widget.Button
	Badge map[string]*widget.Label
}

// ShowHome shows the home tiles.
func (u *UI) ShowHome() {
	if u.sess == nil {
		return
	}
	if u.sess.MustChangePassword {
		u.showPasswordChange(true)
		return
	}
	h := &HomeScreen{Tiles: map[string]*widget.Button{}, Badge: map[string]*widget.Label{}}
	grid := container.NewGridWrap(fyne.NewSize(210, 170))
	enabled := map[string]bool{}
	for _, m := range u.sess.Modules {
		enabled[m] = true
	}
	var badges []func()
	for _, t := range sortedTiles() {
		if t.module && !enabled[t.key] {
			continue
		}
		if t.visible != nil && !t.visible(u.sess) {
			continue
		}
		t := t
		// A large tile: the button takes the tap, the big icon, the name
		// and the count lie on top of it.
		b := widget.NewButton("", func() { t.open(u) })
		icon := canvas.NewImageFromResource(t.icon())
		icon.FillMode = canvas.ImageFillContain
		icon.SetMinSize(fyne.NewSize(56, 56))
		name := widget.NewLabelWithStyle(T(t.title), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		badge := widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		badge.Importance = widget.SuccessImportance
		h.Tiles[t.key] = b
		h.Badge[t.key] = badge
		grid.Add(container.NewStack(b, container.NewCenter(container.NewVBox(icon, name, badge))))
		if t.badge != nil {
			badges = append(badges, func() {
				var n int
				u.run(func(ctx context.Context) error {
					var err error
					n, err = t.badge(ctx, u)
					return err
				}, func(err error) {
					if err == nil && n > 0 {
						badge.SetText(T("home.badge", "Count", n))
					}
				})
			})
		}
	}
	greeting := widget.NewLabelWithStyle(T("home.hello", "Name", u.sess.User.FirstName), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.Home = h
	u.show(T("nav.home"), container.NewBorder(container.NewPadded(greeting), nil, nil, nil,
		container.NewVScroll(container.NewPadded(grid))))
	u.homeBtn.Hide()
	// The counts are asked for once the screen stands.
	for _, b := range badges {
		b()
	}
}

// openScreen shows a module screen with the home button.
func (u *UI) openScreen(title string, content fyne.CanvasObject) {
	u.show(title, content)
	u.homeBtn.Show()
}

// spacer is a flexible gap in a box.
func spacer() fyne.CanvasObject { return layout.NewSpacer() }
