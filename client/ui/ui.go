// Package ui is the desktop client's screens (Fyne): the login and the
// forced password change, the home tiles, the modules (mail, calendar,
// address book), the settings, the admin and teacher tools and the
// protocol viewer, and the PC-room gate that covers a school computer
// until a pupil logs in.
//
// Screens are structs holding their widgets, built from interfaces to the
// server (the API client satisfies them), so the tests drive the real
// widgets under fyne.io/fyne/v2/test against a real server. Nothing talks
// to the network on the UI goroutine: UI.run does the work in the
// background and hands the result back with fyne.Do; a slow server shows
// a progress bar, never a frozen window.
package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// SessionAPI is what the login, the password change and the home screen
// need from the server.
type SessionAPI interface {
	Login(ctx context.Context, login, password, computer string) (wire.Session, error)
	Session(ctx context.Context) (wire.Session, error)
	Logout(ctx context.Context) error
	ChangePassword(ctx context.Context, old, new string) error
	Health(ctx context.Context) error
}

// Client is everything the screens use; *serverapi.Client is one.
type Client interface {
	SessionAPI
	MailAPI
	CalendarAPI
	AddressbookAPI
	AdminAPI
	RoomsAPI
	HomeworkAPI
	ForumAPI
	ChatAPI
	FilesAPI
	LendingAPI
}

// Options configure the UI.
type Options struct {
	Mode        string // config.ModePCRoom, ModeStaff or ModeKiosk
	Computer    string // this PC's name, for the protocol
	IdleMinutes int    // PC-room logout after this long without input
	// School is the school's name on the login screen.
	School string
	// Now is the clock (tests move it to test the idle logout).
	Now func() time.Time
	// FilesDir is where saved attachments and printed slips go; in the
	// PC room a folder per session that is deleted at the logout.
	FilesDir string
	// OpenFile shows a saved file with the system's viewer (printing goes
	// through it too); tests record the calls.
	OpenFile func(path string) error
	// PickFile asks the person for a file to attach; done gets "" if they
	// cancelled. Tests answer directly.
	PickFile func(done func(path string))
	// Beep sounds the kiosk's signal for a scan's answer of the level
	// (warning, error); nil is silent. The app passes client/beep.Signal.
	Beep func(level string)
}

// UI is the client's window and everything on it.
type UI struct {
	app  fyne.App
	win  fyne.Window
	api  Client
	opts Options

	sess     *wire.Session // nil when logged out
	password string        // the login password, kept only until a forced change is done
	ops      sync.WaitGroup
	inFlight atomic.Int32 // background work running (u.run); the progress bar shows while > 0

	root     *fyne.Container // the whole window content
	bar      *fyne.Container // the top bar
	notice   *fyne.Container // a line at the bottom (the PC-room countdown)
	body     *fyne.Container // the current screen
	title    *widget.Label
	userName *widget.Label
	progress *widget.ProgressBarInfinite
	homeBtn  *widget.Button
	logout   *widget.Button

	// The screens, for tests: Login and Password always, the others
	// (keyed by tile) while they are open.
	Login    *LoginScreen
	Password *PasswordScreen
	Home     *HomeScreen
	screens  map[string]any

	gate *gate // PC-room mode only

	lock        *LockScreen   // the teacher's lock, while it shows
	roomMessage *widget.Label // the last message from the teacher (tests)

	// onSession is called after every login and logout (nil on logout),
	// for the agent's report of who uses this PC.
	onSession func(*wire.Session)
}

// New builds the UI in a new window of app.
func New(app fyne.App, api Client, opts Options) *UI {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IdleMinutes <= 0 {
		opts.IdleMinutes = config.DefaultIdleMinutes
	}
	if opts.Mode == "" {
		opts.Mode = config.ModeStaff
	}
	if opts.FilesDir == "" {
		opts.FilesDir = filepath.Join(os.TempDir(), "kaspel")
	}
	if opts.OpenFile == nil {
		opts.OpenFile = func(path string) error { return openWithSystem(app, path) }
	}
	u := &UI{app: app, api: api, opts: opts, screens: map[string]any{}}
	app.Settings().SetTheme(newTheme(opts.Mode == config.ModePCRoom))
	u.win = app.NewWindow(T("app.title"))
	if opts.PickFile == nil {
		u.opts.PickFile = u.pickFileDialog
	}
	u.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.userName = widget.NewLabel("")
	u.progress = widget.NewProgressBarInfinite()
	u.progress.Hide()
	u.homeBtn = widget.NewButtonWithIcon(T("nav.home"), homeIcon(), u.ShowHome)
	u.logout = widget.NewButtonWithIcon(T("nav.logout"), logoutIcon(), func() { u.Logout(T("login.bye")) })
	u.bar = container.NewBorder(nil, u.progress, container.NewHBox(u.homeBtn, u.title), container.NewHBox(u.userName, u.logout))
	u.body = container.NewStack()
	u.notice = container.NewStack()
	u.root = container.NewBorder(u.bar, u.notice, nil, nil, u.body)
	u.win.SetContent(u.root)
	u.win.Resize(fyne.NewSize(1100, 760))
	if opts.Mode == config.ModePCRoom || opts.Mode == config.ModeKiosk {
		u.gate = newGate(u)
	}
	return u
}

// Window is the client's window.
func (u *UI) Window() fyne.Window { return u.win }

// Start shows the login screen.
func (u *UI) Start() {
	if u.gate != nil {
		u.gate.close()
	}
	u.showLogin("")
}

// Session is the current session (nil when logged out).
func (u *UI) Session() *wire.Session { return u.sess }

// OnSession registers a function called after every login and logout.
func (u *UI) OnSession(f func(*wire.Session)) { u.onSession = f }

// run does work in the background and then done (on the UI goroutine)
// with its error. The progress bar shows while anything runs.
func (u *UI) run(work func(ctx context.Context) error, done func(err error)) {
	u.touch()
	u.ops.Add(1)
	u.inFlight.Add(1)
	u.progress.Show()
	go func() {
		defer u.ops.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		err := work(ctx)
		cancel()
		fyne.DoAndWait(func() {
			if u.inFlight.Add(-1) == 0 {
				u.progress.Hide()
			}
			if done != nil {
				done(err)
			}
		})
	}()
}

// Wait waits until all background work and its screen updates are done
// (for tests).
func (u *UI) Wait() { u.ops.Wait() }

// show puts a screen into the window under the top bar.
func (u *UI) show(title string, content fyne.CanvasObject) {
	u.touch()
	u.title.SetText(title)
	u.body.Objects = []fyne.CanvasObject{content}
	if !u.bar.Visible() {
		u.bar.Show()
		u.root.Refresh() // the bar takes its place above the screen again
	}
	u.body.Refresh()
}

// setScreen remembers an open module screen (for tests) under its key.
func (u *UI) setScreen(key string, s any) { u.screens[key] = s }

// screen returns the open screen under key, or nil.
func (u *UI) screen(key string) any { return u.screens[key] }

// handle deals with an error of a background call the screen cannot
// handle itself: an ended session or a locked account go back to the
// login; other errors show their German message in a dialog.
func (u *UI) handle(err error) bool {
	if err == nil {
		return false
	}
	switch serverapi.Code(err) {
	case wire.CodeUnauthenticated:
		u.endSession(T("login.expired"))
		return true
	case wire.CodeAccountLocked:
		u.endSession(serverapi.Message(err))
		return true
	}
	u.showError(err)
	return true
}

// showError shows the German message of an error.
func (u *UI) showError(err error) {
	msg := serverapi.Message(err)
	if errors.Is(err, errLocal) {
		msg = err.Error()
	}
	showMessage(u.win, T("error.title"), msg)
}

// errLocal marks errors made by the client itself, whose text is already
// the message for the person.
var errLocal = errors.New("")

type localError struct{ msg string }

func (e *localError) Error() string        { return e.msg }
func (e *localError) Is(target error) bool { return target == errLocal }

// userError is an error whose text is shown as it is.
func userError(msg string) error { return &localError{msg: msg} }

// tiles are the home screen's tiles; each screen file registers its own.
var tiles []tile

// tile is a home screen tile.
type tile struct {
	key     string // a module name (mail, calendar, ...) or a tool (admin, settings, ...)
	title   string // translation key
	icon    func() fyne.Resource
	order   int
	module  bool                       // shown only when the module is switched on
	visible func(s *wire.Session) bool // nil: for everyone
	open    func(u *UI)
	// badge counts something to show on the tile (unread mail); nil if none.
	badge func(ctx context.Context, u *UI) (int, error)
}

func sortedTiles() []tile {
	out := append([]tile(nil), tiles...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// registerTile adds a tile (called from init functions).
func registerTile(t tile) { tiles = append(tiles, t) }
