package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// PromotionTab moves every pupil a grade up at the end of the school
// year. It runs once a year, so it explains itself, always shows the
// server's preview first and asks again before the real run. A second
// run within 180 days is refused by the server; the admin can then
// tick that it is intended (a promotion undone by hand, say).
type PromotionTab struct {
	LeavingDate *widget.Entry
	Preview     *widget.Button
	Summary     *widget.Label
	Moves       *widget.Label // the preview's lines
	Force       *widget.Check
	Run         *widget.Button
	Confirm     *ConfirmBar
	Message     *widget.Label

	u       *UI
	people  *PeopleTab
	date    string // the leaving date of the preview
	preview *wire.Promotion
	content fyne.CanvasObject
}

func (u *UI) newPromotionTab(people *PeopleTab) *PromotionTab {
	t := &PromotionTab{u: u, people: people, LeavingDate: widget.NewEntry(), Summary: newMessage(),
		Moves: monoLines(), Confirm: newConfirmBar(), Message: newMessage()}
	intro := widget.NewLabel(T("admin.promotion.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.LeavingDate.SetPlaceHolder(T("admin.date.hint_today"))
	t.LeavingDate.OnChanged = func(string) { t.invalidate() }
	t.Preview = widget.NewButtonWithIcon(T("admin.promotion.preview"), theme.SearchIcon(), t.showPreview)
	t.Preview.Importance = widget.HighImportance
	t.Force = widget.NewCheck(T("admin.promotion.force"), func(bool) { t.invalidate() })
	t.Force.Hide()
	t.Run = widget.NewButtonWithIcon(T("admin.promotion.run"), theme.MoveUpIcon(), t.askRun)
	t.Run.Importance = widget.DangerImportance
	t.Run.Disable()
	form := widget.NewForm(widget.NewFormItem(T("admin.promotion.leaving_date"), t.LeavingDate))
	t.content = adminPanel(intro, form, t.Force, container.NewHBox(t.Preview), t.Message, t.Summary,
		container.NewHBox(t.Run), t.Confirm.box, t.Moves)
	return t
}

// invalidate drops a preview that no longer matches the fields.
func (t *PromotionTab) invalidate() {
	t.preview = nil
	t.Run.Disable()
	t.Confirm.Hide()
}

func (t *PromotionTab) showPreview() {
	u := t.u
	u.touch()
	date, err := isoDate(t.LeavingDate.Text)
	if err != nil {
		setProblem(t.Message, errorText(err))
		return
	}
	t.invalidate()
	force := t.Force.Checked
	var p wire.Promotion
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Promote(ctx, true, force, date)
		return err
	}, func(err error) {
		if err != nil {
			if serverapi.Code(err) == wire.CodeConflict {
				// Ran recently: say so and offer the way through.
				t.Force.Show()
			}
			u.report(t.Message, err)
			return
		}
		clearMessage(t.Message)
		t.preview, t.date = &p, date
		setPlain(t.Summary, T("admin.promotion.summary", "Promoted", len(p.Promoted), "HeldBack", len(p.HeldBack),
			"Leavers", len(p.Leavers), "Skipped", len(p.Skipped)))
		t.Moves.SetText(promotionLines(p))
		t.Run.Enable()
	})
}

// promotionLines lists the preview, one pupil per line, by group.
func promotionLines(p wire.Promotion) string {
	var b strings.Builder
	group := func(title string, moves []wire.Move, to func(wire.Move) string) {
		if len(moves) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s\n", title)
		for _, m := range moves {
			fmt.Fprintf(&b, "  %-30s %s\n", m.Name, to(m))
		}
		b.WriteString("\n")
	}
	group(T("admin.promotion.promoted", "Count", len(p.Promoted)), p.Promoted, func(m wire.Move) string { return m.From + " → " + m.To })
	group(T("admin.promotion.held_back", "Count", len(p.HeldBack)), p.HeldBack, func(m wire.Move) string { return m.From })
	group(T("admin.promotion.leavers", "Count", len(p.Leavers)), p.Leavers, func(m wire.Move) string { return m.From + " → " + T("admin.promotion.leaves") })
	group(T("admin.promotion.skipped", "Count", len(p.Skipped)), p.Skipped, func(m wire.Move) string {
		if m.From == "" {
			return "–"
		}
		return m.From
	})
	return strings.TrimSpace(b.String())
}

func (t *PromotionTab) askRun() {
	t.u.touch()
	if t.preview == nil {
		return
	}
	t.Confirm.Ask(T("admin.promotion.confirm", "Promoted", len(t.preview.Promoted), "Leavers", len(t.preview.Leavers)),
		T("admin.promotion.confirm_yes"), t.runNow)
}

func (t *PromotionTab) runNow() {
	u := t.u
	date, force := t.date, t.Force.Checked
	t.Run.Disable()
	var p wire.Promotion
	u.run(func(ctx context.Context) error {
		var err error
		p, err = u.api.Promote(ctx, false, force, date)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.preview = nil
		t.people.stale = true
		setInfo(t.Message, T("admin.promotion.done", "Promoted", len(p.Promoted), "Leavers", len(p.Leavers)))
		clearMessage(t.Summary)
		t.Moves.SetText(promotionLines(p))
	})
}
