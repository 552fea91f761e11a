package ui

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

var ctx = context.Background()

var _ Client = (*serverapi.Client)(nil)

func TestMain(m *testing.M) {
	os.Setenv("LANG", "de_DE.UTF-8")
	if err := SetLanguage("de"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// Passwords of the fixture's people.
const (
	pupilPW   = "Pupil-Pass-11"
	teacherPW = "Teacher-Pass-22"
	staffPW   = "Staff-Pass-33"
)

// world is a real server (testrig) with a small school, and a client UI
// on Fyne's test driver talking to it over HTTPS.
type world struct {
	t   *testing.T
	rig *testrig.Rig
	app fyne.App

	Pupil, Pupil2, OtherPupil, Teacher, Secretary, Admin string
	clock                                                *fakeClock
	opened                                               *openLog
}

func newWorld(t *testing.T) *world {
	t.Helper()
	rig := testrig.New(t, testrig.Options{})
	w := &world{t: t, rig: rig, app: test.NewTempApp(t), clock: &fakeClock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.Local)}, opened: &openLog{}}
	w.Pupil = rig.AddPerson("Anna", "Schmidt", directory.Pupil, pupilPW, "3a")
	w.Pupil2 = rig.AddPerson("Ben", "Becker", directory.Pupil, pupilPW, "3a")
	w.OtherPupil = rig.AddPerson("Clara", "Roth", directory.Pupil, pupilPW, "4b")
	w.Teacher = rig.AddPerson("Tina", "Lehmann", directory.Teacher, teacherPW, "3a")
	w.Secretary = rig.AddPerson("Sabine", "Sekretär", directory.Secretary, staffPW)
	w.Admin = rig.AddPerson("Adam", "Admin", directory.Admin, staffPW)
	return w
}

// passwordOf is the fixture password of a login.
func (w *world) passwordOf(login string) string {
	switch login {
	case w.Pupil, w.Pupil2, w.OtherPupil:
		return pupilPW
	case w.Teacher:
		return teacherPW
	}
	return staffPW
}

// client makes an API client trusting the rig's CA.
func (w *world) client() *serverapi.Client {
	c, err := serverapi.NewWithPool(w.rig.BaseURL, w.rig.CAPool)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// newUI starts a client UI in a mode, with files in a temporary folder.
func (w *world) newUI(mode string) *UI {
	w.t.Helper()
	return w.newUIWith(w.client(), mode)
}

func (w *world) newUIWith(c Client, mode string) *UI {
	w.t.Helper()
	u := New(w.app, c, Options{
		Mode: mode, Computer: "PC-07", IdleMinutes: 10, Now: w.clock.now,
		FilesDir: filepath.Join(w.t.TempDir(), "files"), OpenFile: w.opened.open,
		PickFile: func(done func(string)) { done("") },
	})
	u.Start()
	u.Wait()
	w.t.Cleanup(func() {
		if u.gate != nil {
			close(u.gate.stop)
		}
		u.Wait()
	})
	return u
}

// login types a login and password and waits for the answer.
func (w *world) login(u *UI, login, password string) {
	w.t.Helper()
	test.Type(u.Login.Login, login)
	test.Type(u.Login.Password, password)
	test.Tap(u.Login.Submit)
	u.Wait()
}

// loggedIn logs in and fails the test unless the home screen shows.
func (w *world) loggedIn(u *UI, login string) {
	w.t.Helper()
	w.login(u, login, w.passwordOf(login))
	if u.Home == nil {
		w.t.Fatalf("login as %s: no home screen; message %q", login, u.Login.Message.Text)
	}
}

// fakeClock is the UI's clock in tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openLog records the files the UI asked the system to open.
type openLog struct {
	mu    sync.Mutex
	paths []string
}

func (o *openLog) open(path string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.paths = append(o.paths, path)
	return nil
}

func (o *openLog) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.paths...)
}

// texts collects every label and button text on the window, for checks
// like "the message names the locked account".
func texts(u *UI) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.Button:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(v)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(u.win.Content())
	return b.String()
}

// switchClient lets a test swap the server a UI talks to (down, then up).
type switchClient struct {
	mu sync.Mutex
	Client
}

func (s *switchClient) set(c Client) {
	s.mu.Lock()
	s.Client = c
	s.mu.Unlock()
}

func (s *switchClient) get() Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Client
}

func (s *switchClient) Login(ctx context.Context, login, pw, computer string) (wire.Session, error) {
	return s.get().Login(ctx, login, pw, computer)
}

func (s *switchClient) SchoolName(ctx context.Context) (string, error) {
	if h, ok := s.get().(interface {
		SchoolName(context.Context) (string, error)
	}); ok {
		return h.SchoolName(ctx)
	}
	return "", nil
}

// usedKeys lists the translation keys the package's code names: the first
// argument of T and the title of tiles.
func usedKeys(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	var keys []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.CallExpr:
				if id, ok := v.Fun.(*ast.Ident); ok && id.Name == "T" && len(v.Args) > 0 {
					if lit, ok := v.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						k, _ := strconv.Unquote(lit.Value)
						keys = append(keys, k)
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := v.Key.(*ast.Ident); ok && id.Name == "title" {
					if lit, ok := v.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						k, _ := strconv.Unquote(lit.Value)
						keys = append(keys, k)
					}
				}
			}
			return true
		})
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d translation keys in the code", len(keys))
	}
	return keys
}
