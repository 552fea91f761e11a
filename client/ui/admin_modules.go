package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// ModulesTab switches the school's modules on and off. A module switched
// off is gone for everyone at their next login, so switching one off is
// asked again; switching on is not.
type ModulesTab struct {
	Checks  map[string]*widget.Check
	Save    *widget.Button
	Confirm *ConfirmBar
	Message *widget.Label

	u       *UI
	current []wire.ModuleSwitch // as the server has them
	boxes   *fyne.Container
	content fyne.CanvasObject
}

func (u *UI) newModulesTab() *ModulesTab {
	t := &ModulesTab{u: u, Checks: map[string]*widget.Check{}, Confirm: newConfirmBar(), Message: newMessage()}
	intro := widget.NewLabel(T("admin.modules.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.boxes = container.NewVBox()
	t.Save = widget.NewButtonWithIcon(T("admin.modules.save"), theme.DocumentSaveIcon(), t.askSave)
	t.Save.Importance = widget.HighImportance
	t.Save.Disable()
	t.content = adminPanel(intro, t.boxes, container.NewHBox(t.Save), t.Confirm.box, t.Message)
	return t
}

// load asks the server which modules there are and which are on.
func (t *ModulesTab) load() {
	u := t.u
	var list []wire.ModuleSwitch
	u.run(func(ctx context.Context) error {
		var err error
		list, err = u.api.Modules(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.show(list)
	})
}

func (t *ModulesTab) show(list []wire.ModuleSwitch) {
	t.current = list
	t.Checks = map[string]*widget.Check{}
	t.boxes.Objects = nil
	for _, m := range list {
		c := widget.NewCheck(moduleName(m.Name), func(bool) { t.u.touch(); t.Confirm.Hide() })
		c.SetChecked(m.Enabled)
		t.Checks[m.Name] = c
		t.boxes.Add(c)
	}
	t.boxes.Refresh()
	t.Save.Enable()
}

// changes are the switches that differ from the server's, and the names
// of the modules they switch off.
func (t *ModulesTab) changes() (switches []wire.ModuleSwitch, off []string) {
	for _, m := range t.current {
		c := t.Checks[m.Name]
		if c == nil || c.Checked == m.Enabled {
			continue
		}
		switches = append(switches, wire.ModuleSwitch{Name: m.Name, Enabled: c.Checked})
		if !c.Checked {
			off = append(off, moduleName(m.Name))
		}
	}
	return switches, off
}

func (t *ModulesTab) askSave() {
	t.u.touch()
	switches, off := t.changes()
	if len(switches) == 0 {
		setInfo(t.Message, T("admin.modules.unchanged"))
		return
	}
	if len(off) > 0 {
		t.Confirm.Ask(T("admin.modules.confirm_off", "Names", strings.Join(off, ", ")), T("admin.modules.confirm_yes"),
			func() { t.save(switches) })
		return
	}
	t.save(switches)
}

func (t *ModulesTab) save(switches []wire.ModuleSwitch) {
	u := t.u
	t.Save.Disable()
	var list []wire.ModuleSwitch
	u.run(func(ctx context.Context) error {
		var err error
		list, err = u.api.SetModules(ctx, switches)
		return err
	}, func(err error) {
		t.Save.Enable()
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.show(list)
		setInfo(t.Message, T("admin.modules.saved"))
	})
}
