package ui

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
)

// warnBefore is how long the countdown shows before an idle logout.
const warnBefore = time.Minute

// gate is the PC-room (and kiosk) behaviour: until somebody logs in, the
// window covers the whole screen and cannot be closed; after the login it
// becomes a normal window (the kiosk stays full screen); idle time brings
// a countdown and then the logout, which brings the gate back.
type gate struct {
	u        *UI
	last     time.Time
	Warning  *widget.Label
	StayHere *widget.Button
	banner   fyne.CanvasObject
	stop     chan struct{}
}

func newGate(u *UI) *gate {
	g := &gate{u: u, last: u.opts.Now(), stop: make(chan struct{})}
	g.Warning = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	g.StayHere = widget.NewButton(T("gate.stay"), func() { u.touch() })
	g.StayHere.Importance = widget.WarningImportance
	g.banner = container.NewHBox(spacer(), g.Warning, g.StayHere, spacer())
	u.win.SetCloseIntercept(g.closeRequested)
	// Mouse movement anywhere over the window counts as activity.
	u.win.SetContent(container.NewStack(&activitySensor{touch: u.touch}, u.root))
	if dc, ok := u.win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { u.touch() })
	}
	go g.loop()
	return g
}

// closeRequested is what the window's close button does: it logs out
// (back to the gate); the gate itself cannot be closed.
func (g *gate) closeRequested() {
	if g.u.lock != nil {
		return // the teacher's lock cannot be closed away
	}
	if g.u.sess != nil {
		g.u.Logout(T("login.bye"))
	}
}

// loop checks the idle time every second.
func (g *gate) loop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
			fyne.Do(g.tick)
		}
	}
}

// close brings the gate back: full screen, nobody logged in.
func (g *gate) close() {
	g.hideWarning()
	g.u.win.SetFullScreen(true)
}

// open is the state after a login.
func (g *gate) open() {
	g.last = g.u.opts.Now()
	if g.u.opts.Mode == config.ModePCRoom {
		g.u.win.SetFullScreen(false)
	}
}

// tick shows the countdown in the last minute and logs out at the end.
func (g *gate) tick() {
	u := g.u
	if u.sess == nil || u.lock != nil {
		return // a locked screen is not idle: the teacher holds it
	}
	limit := time.Duration(u.opts.IdleMinutes) * time.Minute
	idle := u.opts.Now().Sub(g.last)
	switch {
	case idle >= limit:
		u.Logout(T("login.idle"))
	case idle >= limit-warnBefore:
		secs := int(math.Ceil((limit - idle).Seconds()))
		g.Warning.SetText(T("gate.countdown", "Seconds", secs))
		if len(u.notice.Objects) == 0 {
			u.notice.Objects = []fyne.CanvasObject{g.banner}
			u.notice.Refresh()
		}
	default:
		g.hideWarning()
	}
}

func (g *gate) hideWarning() {
	if len(g.u.notice.Objects) > 0 {
		g.u.notice.Objects = nil
		g.u.notice.Refresh()
	}
}

// touch records activity (input, an action); it ends a countdown.
func (u *UI) touch() {
	if u.gate == nil {
		return
	}
	u.gate.last = u.opts.Now()
	u.gate.hideWarning()
}

// activitySensor lies under the whole window and notices the mouse.
type activitySensor struct {
	widget.BaseWidget
	touch func()
}

func (a *activitySensor) CreateRenderer() fyne.WidgetRenderer {
	a.ExtendBaseWidget(a)
	return widget.NewSimpleRenderer(container.NewStack())
}

// MouseIn is called when the pointer enters.
func (a *activitySensor) MouseIn(*desktop.MouseEvent) { a.touch() }

// MouseMoved is called when the pointer moves.
func (a *activitySensor) MouseMoved(*desktop.MouseEvent) { a.touch() }

// MouseOut is called when the pointer leaves.
func (a *activitySensor) MouseOut() {}

var _ desktop.Hoverable = (*activitySensor)(nil)
