package ui

import (
	"context"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// KioskScreen is the secretary's lending counter: one scan field that
// always has the focus, a big coloured band with the server's German
// sentence about the last scan, and the selected pupil's panel.
//
// A USB scanner is a keyboard: it types the code and Enter. Every scan is
// one call (LendingScan) whose answer holds everything the screen shows
// next. The scans are sent one after the other in the order they came, so
// a stack scanned fast keeps its order.
//
// Keyboard: F1 to F4 choose the mode, Escape drops a held issue, a digit
// 1-9 (and Enter) picks a pupil of a name search; Tab reaches every
// button. The focus comes back to the scan field after every answer and
// every button.
type KioskScreen struct {
	Scan  *KioskEntry
	Band  *KioskBand
	Modes map[string]*widget.Button // desk, return, class, inventory: only those the person may use
	Mode  string

	// Return day: the condition the next scans come back in.
	Conditions map[string]*widget.Button
	Condition  string

	// Class sets: the class and how far it is.
	Class    *widget.Select
	Progress *widget.Label

	// Inventory: the title whose labels are scanned.
	InvTitle *widget.Label
	Title    *wire.LendingTitle

	// A held issue (kind "confirm"): the warnings and the two answers.
	Warnings *widget.Label
	Confirm  *widget.Button
	Cancel   *widget.Button
	Held     *wire.LendingScan

	// A name search with several hits: a button per child.
	Candidates []*widget.Button
	candidates []wire.LendingPupilRef

	Panel *KioskPanel
	// Pupil is the selected pupil (a card scan, a name search, a tap):
	// copies at the counter go to them.
	Pupil string

	// Registration is the form for parents without internet, while open.
	Registration *KioskRegistration
	Tools        map[string]*widget.Button

	Abilities wire.LendingAbilities
	Last      wire.LendingScanResult // the last answer (tests)

	u        *UI
	year     int64
	queue    []string
	busy     bool
	modeBar  *fyne.Container
	holdBox  *fyne.Container
	candBox  *fyne.Container
	condBox  fyne.CanvasObject
	classBox fyne.CanvasObject
	invBox   fyne.CanvasObject
	content  fyne.CanvasObject
}

// kioskModes are the modes in the order of their buttons (F1-F4).
var kioskModes = []string{wire.LendingModeDesk, wire.LendingModeReturn, wire.LendingModeClass, wire.LendingModeInventory}

// kioskConditions are the return day's conditions in their order.
var kioskConditions = []string{wire.LendingReturnOK, wire.LendingReturnLight, wire.LendingReturnMedium, wire.LendingReturnTotal, wire.LendingReturnLost}

// kioskModeAllowed tells whether a person may use a mode: the counter,
// the return day and registrations are the lending staff's, the inventory
// the coordinator's, class sets also the class teachers'.
func kioskModeAllowed(a wire.LendingAbilities, mode string) bool {
	switch mode {
	case wire.LendingModeDesk, wire.LendingModeReturn:
		return a.Staff
	case wire.LendingModeInventory:
		return a.Coordinator
	case wire.LendingModeClass:
		return a.Staff || len(a.Classes) > 0
	}
	return false
}

// openKiosk builds the kiosk for what the person may do; classes are the
// classes they may hand out class sets to.
func (u *UI) openKiosk(ab wire.LendingAbilities, classes []string) {
	s := &KioskScreen{u: u, Abilities: ab, Modes: map[string]*widget.Button{}, Conditions: map[string]*widget.Button{},
		Tools: map[string]*widget.Button{}, Condition: wire.LendingReturnOK}
	if ab.CurrentYear != nil {
		s.year = ab.CurrentYear.ID
	}
	s.Scan = newKioskEntry(s)
	s.Band = newKioskBand()
	s.Panel = newKioskPanel(s)

	s.modeBar = container.NewHBox()
	for i, m := range kioskModes {
		if !kioskModeAllowed(ab, m) {
			continue
		}
		m := m
		b := widget.NewButton(T("lending.kiosk.mode."+m, "Key", "F"+strconv.Itoa(i+1)), func() { s.setMode(m) })
		s.Modes[m] = b
		s.modeBar.Add(b)
	}

	conds := container.NewHBox(widget.NewLabelWithStyle(T("lending.kiosk.condition"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range kioskConditions {
		c := c
		b := widget.NewButton(T("lending.kiosk.condition."+c), func() { s.setCondition(c) })
		s.Conditions[c] = b
		conds.Add(b)
	}
	s.condBox = conds

	s.Class = widget.NewSelect(classes, func(string) { s.classChosen() })
	s.Class.PlaceHolder = T("lending.kiosk.class.choose")
	s.Progress = widget.NewLabel("")
	s.Progress.Wrapping = fyne.TextWrapWord
	s.classBox = container.NewBorder(nil, nil, container.NewHBox(
		widget.NewLabelWithStyle(T("lending.kiosk.class"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWrap(fyne.NewSize(160, s.Class.MinSize().Height), s.Class)), nil, s.Progress)

	s.InvTitle = widget.NewLabelWithStyle(T("lending.kiosk.inventory.no_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.InvTitle.Wrapping = fyne.TextWrapWord
	s.invBox = s.InvTitle

	s.Warnings = widget.NewLabel("")
	s.Warnings.Wrapping = fyne.TextWrapWord
	s.Confirm = widget.NewButtonWithIcon(T("lending.kiosk.confirm"), theme.ConfirmIcon(), s.confirmHeld)
	s.Confirm.Importance = widget.WarningImportance
	s.Cancel = widget.NewButtonWithIcon(T("lending.kiosk.cancel"), theme.CancelIcon(), s.dropHeld)
	s.holdBox = container.NewBorder(nil, nil, nil, container.NewHBox(s.Confirm, s.Cancel), s.Warnings)
	s.holdBox.Hide()
	s.candBox = container.NewGridWrap(fyne.NewSize(260, 44))
	s.candBox.Hide()

	tools := container.NewHBox()
	for _, t := range lendingToolsFor(ab) {
		t := t
		b := widget.NewButtonWithIcon(T(t.title), t.icon(), func() { t.open(u) })
		s.Tools[t.key] = b
		tools.Add(b)
	}

	modeLine := container.NewBorder(nil, nil, s.modeBar, tools)
	extra := container.NewStack(s.condBox, s.classBox, s.invBox)
	scanLine := container.NewBorder(nil, nil, widget.NewLabelWithStyle(T("lending.kiosk.scan"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, s.Scan)
	top := container.NewVBox(modeLine, extra, scanLine, s.Band, s.holdBox, s.candBox)
	s.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(s.Panel.object())))

	u.setScreen(lendingKey, s)
	switch {
	case len(s.Modes) == 0:
		s.content = container.NewBorder(container.NewPadded(modeLine), nil, nil, nil,
			container.NewCenter(widget.NewLabel(T("lending.kiosk.nothing"))))
		u.openScreen(T("lending.tile"), s.content)
		return
	case s.Modes[wire.LendingModeDesk] != nil:
		s.setMode(wire.LendingModeDesk)
	default:
		s.setMode(wire.LendingModeClass)
	}
	if s.year == 0 {
		s.Band.Set(wire.LendingLevelError, T("lending.kiosk.no_year"))
	} else {
		s.Band.Set("", T("lending.kiosk.ready", "Year", ab.CurrentYear.Name))
	}
	s.back()
}

// back shows the kiosk again (after the registration form).
func (s *KioskScreen) back() {
	s.Registration = nil
	s.u.openScreen(T("lending.tile"), s.content)
	s.focus()
}

// focus gives the scan field the focus: after every answer and button.
func (s *KioskScreen) focus() {
	if s.Registration != nil || s.u.hwShown() != s.content {
		return // another screen is in front: its fields keep the keys
	}
	if c := s.u.win.Canvas(); c.Focused() != s.Scan {
		c.Focus(s.Scan)
	}
}

// setMode switches the mode: its button stands out, the line below the
// modes shows the mode's own choice.
func (s *KioskScreen) setMode(mode string) {
	if s.Modes[mode] == nil {
		s.focus()
		return
	}
	if mode == wire.LendingModeReturn && s.Mode != mode {
		// Return day: the books say whose they are; a child chosen at
		// the counter before would make every other child's book a
		// warning.
		s.Pupil = ""
	}
	s.Mode = mode
	for m, b := range s.Modes {
		b.Importance = widget.MediumImportance
		if m == mode {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
	showIf(s.condBox, mode == wire.LendingModeReturn)
	showIf(s.classBox, mode == wire.LendingModeClass)
	showIf(s.invBox, mode == wire.LendingModeInventory)
	s.dropHeld()
	s.setCandidates(nil)
	s.setCondition(s.Condition)
	s.Scan.SetPlaceHolder(T("lending.kiosk.hint." + mode))
	s.focus()
}

// setCondition chooses the return day's condition for the next scans.
func (s *KioskScreen) setCondition(c string) {
	s.Condition = c
	for k, b := range s.Conditions {
		b.Importance = widget.MediumImportance
		if k == c {
			b.Importance = widget.HighImportance
			if c != wire.LendingReturnOK {
				b.Importance = widget.DangerImportance
			}
		}
		b.Refresh()
	}
	s.focus()
}

// classChosen starts a class set: how many children of the class still
// need books, and how many of them have not paid.
func (s *KioskScreen) classChosen() {
	class := s.Class.Selected
	s.Progress.SetText("")
	s.focus()
	if class == "" {
		return
	}
	var st wire.LendingClass
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		st, err = s.u.api.LendingClass(ctx, class, s.year)
		return err
	}, func(err error) {
		defer s.focus()
		if s.Class.Selected != class {
			return
		}
		if err != nil {
			s.fail(err)
			return
		}
		need, unpaid := 0, 0
		for _, p := range st.Pupils {
			switch {
			case p.Missing == 0:
			case p.PaidUp:
				need++
			default:
				unpaid++
			}
		}
		line := T("lending.kiosk.class.state", "Class", st.Class, "Need", need, "Unpaid", unpaid)
		if need == 1 {
			line = T("lending.kiosk.class.state_one", "Class", st.Class, "Unpaid", unpaid)
		}
		s.Progress.SetText(line)
		s.Band.Set("", T("lending.kiosk.class.ready", "Class", st.Class))
	})
}

// submit takes what the scanner (or the person) typed and Enter.
func (s *KioskScreen) submit(text string) {
	s.Scan.SetText("")
	code := strings.TrimSpace(text)
	s.focus()
	if code == "" {
		return
	}
	s.queue = append(s.queue, code)
	s.next()
}

// next sends the next scan of the queue, when the last one is answered.
func (s *KioskScreen) next() {
	if s.busy || len(s.queue) == 0 {
		return
	}
	code := s.queue[0]
	s.queue = s.queue[1:]
	// A digit picks a child of the name search (keyboard only).
	if n, err := strconv.Atoi(code); err == nil && len(code) == 1 && n >= 1 && n <= len(s.candidates) {
		s.choose(s.candidates[n-1])
		return
	}
	req := wire.LendingScan{Code: code, Mode: s.Mode, Year: s.year}
	switch s.Mode {
	case wire.LendingModeDesk:
		req.Pupil = s.Pupil
	case wire.LendingModeReturn:
		req.Pupil = s.Pupil
		req.Condition = s.Condition
	case wire.LendingModeClass:
		req.Class = s.Class.Selected
		if req.Class == "" {
			s.Band.Set(wire.LendingLevelError, T("lending.kiosk.class.first"))
			s.next()
			return
		}
	case wire.LendingModeInventory:
		if s.Title != nil {
			req.Title = s.Title.ID
		}
	}
	// The held copy scanned again issues it.
	if h := s.Held; h != nil && h.Code == code && h.Mode == s.Mode {
		req = *h
		req.Confirm = true
	}
	s.send(req)
}

// send makes one scan call and shows its answer.
func (s *KioskScreen) send(req wire.LendingScan) {
	s.busy = true
	var res wire.LendingScanResult
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		res, err = s.u.api.LendingScan(ctx, req)
		return err
	}, func(err error) {
		s.busy = false
		if err != nil {
			s.fail(err)
		} else {
			s.answer(req, res)
		}
		s.focus()
		s.next()
	})
}

// fail shows an error of a call in the band (the scan field stays); an
// ended session goes back to the login.
func (s *KioskScreen) fail(err error) {
	if calSessionGone(err) {
		s.u.handle(err)
		return
	}
	s.Band.Set(wire.LendingLevelError, errorText(err))
	s.u.beep(wire.LendingLevelError)
}

// answer shows a scan's answer: the band, a held issue, the candidates,
// the class's progress, the inventory's title and the pupil's panel.
func (s *KioskScreen) answer(req wire.LendingScan, res wire.LendingScanResult) {
	s.Last = res
	s.Band.Set(res.Level, res.Message)
	s.u.beep(res.Level)
	if res.NeedsConfirmation {
		h := req
		h.Confirm = false
		s.Held = &h
	} else {
		s.Held = nil
	}
	var warn []string
	for _, w := range res.Warnings {
		warn = append(warn, "• "+w.Message)
	}
	s.Warnings.SetText(strings.Join(warn, "\n"))
	showIf(s.Confirm, s.Held != nil)
	showIf(s.Cancel, s.Held != nil)
	showIf(s.holdBox, len(warn) > 0 || s.Held != nil)
	if res.Kind == wire.LendingScanChoose {
		s.setCandidates(res.Candidates)
	} else {
		s.setCandidates(nil)
	}
	if res.Kind == wire.LendingScanTitle && s.Mode == wire.LendingModeInventory && res.Title != nil {
		t := *res.Title
		s.Title = &t
		s.InvTitle.SetText(T("lending.kiosk.inventory.title", "Title", t.Title, "ISBN", t.ISBN, "Copies", t.Copies))
	}
	if res.Kind == wire.LendingScanCopyAdded && s.Title != nil {
		s.Title.Copies++
		s.InvTitle.SetText(T("lending.kiosk.inventory.title", "Title", s.Title.Title, "ISBN", s.Title.ISBN, "Copies", s.Title.Copies))
	}
	if c := res.Class; c != nil {
		line := T("lending.kiosk.class.progress", "Title", c.Title, "Remaining", c.Remaining, "Unpaid", c.Unpaid)
		if c.Remaining == 1 {
			line = T("lending.kiosk.class.progress_one", "Title", c.Title, "Unpaid", c.Unpaid)
		}
		if c.IssuedTo != "" {
			line = T("lending.kiosk.class.issued_to", "Name", c.IssuedTo) + " " + line
		}
		s.Progress.SetText(line)
	}
	if res.Kind == wire.LendingScanPupil && res.Pupil != nil {
		s.Pupil = res.Pupil.Pupil
	}
	if res.Pupil != nil {
		s.Panel.Set(*res.Pupil)
	}
}

// confirmHeld issues the held copy despite its warnings.
func (s *KioskScreen) confirmHeld() {
	if s.Held == nil || s.busy {
		s.focus()
		return
	}
	req := *s.Held
	req.Confirm = true
	s.send(req)
	s.focus()
}

// dropHeld forgets a held issue: the copy stays in stock.
func (s *KioskScreen) dropHeld() {
	if s.Held != nil {
		s.Held = nil
		s.Band.Set("", T("lending.kiosk.not_issued"))
	}
	s.Warnings.SetText("")
	s.holdBox.Hide()
	s.focus()
}

// setCandidates shows the children of a name search as buttons.
func (s *KioskScreen) setCandidates(list []wire.LendingPupilRef) {
	s.candidates = list
	s.Candidates = nil
	s.candBox.Objects = nil
	for i, p := range list {
		p := p
		text := p.Name
		if p.Class != "" {
			text += " (" + p.Class + ")"
		}
		if i < 9 {
			text = strconv.Itoa(i+1) + "  " + text
		}
		b := widget.NewButton(text, func() { s.choose(p) })
		b.Alignment = widget.ButtonAlignLeading
		s.Candidates = append(s.Candidates, b)
		s.candBox.Add(b)
	}
	showIf(s.candBox, len(list) > 0)
	s.candBox.Refresh()
}

// choose selects a child of a name search.
func (s *KioskScreen) choose(p wire.LendingPupilRef) {
	s.setCandidates(nil)
	s.selectPupil(p.Login)
}

// selectPupil selects a pupil by login: an empty scan with the pupil
// answers with their panel.
func (s *KioskScreen) selectPupil(login string) {
	mode := wire.LendingModeDesk
	if s.Mode == wire.LendingModeReturn {
		mode = s.Mode
	}
	s.send(wire.LendingScan{Mode: mode, Pupil: login, Year: s.year})
	s.focus()
}

// returnLost takes back a loan as lost: a lost book cannot be scanned.
func (s *KioskScreen) returnLost(loan wire.LendingLoan) {
	s.busy = true
	var res wire.LendingScanResult
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		res, err = s.u.api.LendingReturnLoan(ctx, loan.ID, wire.LendingReturnLost)
		return err
	}, func(err error) {
		s.busy = false
		if err != nil {
			s.fail(err)
		} else {
			s.answer(wire.LendingScan{}, res)
		}
		s.focus()
		s.next()
	})
	s.focus()
}

// KioskEntry is the scan field: an entry that sends on Enter and takes
// the kiosk's keys (F1-F4 modes, Escape drops a held issue).
type KioskEntry struct {
	widget.Entry
	s *KioskScreen
}

func newKioskEntry(s *KioskScreen) *KioskEntry {
	e := &KioskEntry{s: s}
	e.ExtendBaseWidget(e)
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.OnSubmitted = s.submit
	return e
}

// TypedKey handles the kiosk's keys and leaves the rest to the entry.
func (e *KioskEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyF1, fyne.KeyF2, fyne.KeyF3, fyne.KeyF4:
		i := map[fyne.KeyName]int{fyne.KeyF1: 0, fyne.KeyF2: 1, fyne.KeyF3: 2, fyne.KeyF4: 3}[k.Name]
		e.s.setMode(kioskModes[i])
		return
	case fyne.KeyEscape:
		e.s.dropHeld()
		e.s.setCandidates(nil)
		return
	}
	e.Entry.TypedKey(k)
}

// The band's colours: strong, for white text; the flash is lighter.
var (
	kioskGreen  = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	kioskOrange = color.NRGBA{R: 0xe6, G: 0x51, B: 0x00, A: 0xff}
	kioskRed    = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	kioskGrey   = color.NRGBA{R: 0x45, G: 0x5a, B: 0x64, A: 0xff}
	kioskFlash  = color.NRGBA{R: 0xff, G: 0xf5, B: 0x9d, A: 0xff}
)

// kioskFlashTime is how long the band flashes after a scan.
const kioskFlashTime = 250 * time.Millisecond

func kioskColour(level string) color.NRGBA {
	switch level {
	case wire.LendingLevelOK:
		return kioskGreen
	case wire.LendingLevelWarning:
		return kioskOrange
	case wire.LendingLevelError:
		return kioskRed
	}
	return kioskGrey
}

// KioskBand is the big status band: green ok, orange warning or
// confirm, red refused, grey for hints; the German sentence in large
// white letters. Each answer flashes it briefly (light yellow), so the
// secretary sees a scan arrived even when the message is the same.
type KioskBand struct {
	widget.BaseWidget
	Level   string // ok, warning, error, or "" for a hint
	Text    string
	Flashes int // answers shown (tests)

	bg    *canvas.Rectangle
	label *widget.Label
	seq   int
	final color.NRGBA
}

func newKioskBand() *KioskBand {
	b := &KioskBand{bg: canvas.NewRectangle(kioskGrey), label: widget.NewLabel(""), final: kioskGrey}
	b.bg.CornerRadius = 10
	b.label.Wrapping = fyne.TextWrapWord
	b.label.SizeName = theme.SizeNameHeadingText
	b.label.TextStyle = fyne.TextStyle{Bold: true}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer draws the band: white text on the colour.
func (b *KioskBand) CreateRenderer() fyne.WidgetRenderer {
	text := container.NewThemeOverride(container.NewPadded(b.label), &kioskBandTheme{Theme: fyne.CurrentApp().Settings().Theme()})
	return widget.NewSimpleRenderer(container.NewStack(b.bg, text))
}

// MinSize keeps the band big enough for two lines.
func (b *KioskBand) MinSize() fyne.Size {
	b.ExtendBaseWidget(b)
	s := b.BaseWidget.MinSize()
	return fyne.NewSize(s.Width, max(s.Height, 96))
}

// Set shows a level and a sentence, with a flash.
func (b *KioskBand) Set(level, text string) {
	b.Level, b.Text = level, text
	b.Flashes++
	b.seq++
	seq := b.seq
	b.label.SetText(text)
	b.bg.FillColor = kioskFlash
	b.bg.Refresh()
	b.final = kioskColour(level)
	time.AfterFunc(kioskFlashTime, func() {
		fyne.Do(func() {
			if b.seq == seq {
				b.settle()
			}
		})
	})
}

// settle ends the flash: the band shows its level's colour.
func (b *KioskBand) settle() {
	b.bg.FillColor = b.final
	b.bg.Refresh()
}

// kioskBandTheme writes white on the band's colour.
type kioskBandTheme struct{ fyne.Theme }

func (t *kioskBandTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return color.White
	}
	return t.Theme.Color(n, theme.VariantLight)
}

// beep sounds the signal of a warning or an error at the counter, where
// the eyes are on the books; an answer that is fine stays silent.
func (u *UI) beep(level string) {
	if u.opts.Beep != nil && (level == wire.LendingLevelWarning || level == wire.LendingLevelError) {
		u.opts.Beep(level)
	}
}
