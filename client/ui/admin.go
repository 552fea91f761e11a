package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// ClassesAPI is what the teacher's class tool needs: the class list and
// new one-time passwords for one pupil or many (the server checks that
// the class is the teacher's).
type ClassesAPI interface {
	ClassPupils(ctx context.Context, class string) ([]wire.Person, error)
	ResetPassword(ctx context.Context, login string) (wire.OneTimePassword, error)
	ResetClassSlips(ctx context.Context, class string, logins []string) ([]byte, error)
}

// ProtocolAPI is what the protocol viewer needs.
type ProtocolAPI interface {
	Protocol(ctx context.Context, q serverapi.ProtocolQuery) ([]wire.ProtocolEntry, error)
}

// AdminAPI is what the admin screens, the class tool and the protocol
// viewer need from the server.
type AdminAPI interface {
	ClassesAPI
	ProtocolAPI
	People(ctx context.Context, q serverapi.PeopleQuery) ([]wire.Person, error)
	AddPerson(ctx context.Context, p wire.NewPerson) (wire.OneTimePassword, error)
	Person(ctx context.Context, login string) (wire.Person, error)
	EditPerson(ctx context.Context, login string, e wire.PersonEdit) (wire.Person, error)
	Lock(ctx context.Context, login, reason string) (wire.Person, error)
	Unlock(ctx context.Context, login string) (wire.Person, error)
	Consent(ctx context.Context, login string, ch wire.ConsentChange) (wire.Person, error)
	SetRight(ctx context.Context, login, right string, grant bool) (wire.Person, error)
	Import(ctx context.Context, csv []byte, dryRun, force bool) (wire.ImportReport, error)
	Promote(ctx context.Context, dryRun, force bool, leavingDate string) (wire.Promotion, error)
	Modules(ctx context.Context) ([]wire.ModuleSwitch, error)
	SetModules(ctx context.Context, switches []wire.ModuleSwitch) ([]wire.ModuleSwitch, error)
	Groups(ctx context.Context) ([]wire.Group, error)
}

func init() {
	registerTile(tile{key: "admin", title: "admin.title", icon: theme.GridIcon, order: 50,
		visible: func(s *wire.Session) bool { return s.User.Role == wire.RoleAdmin },
		open:    func(u *UI) { u.showAdmin() }})
}

// AdminScreen is the admin's tool, one tab per job: the people (find,
// create, change, reset, lock, consent, rights), the import of the pupil
// list, the promotion at the end of the school year and the module
// switches. The jobs of a normal week come first.
type AdminScreen struct {
	Tabs      *container.AppTabs
	People    *PeopleTab
	Import    *ImportTab
	Promotion *PromotionTab
	Modules   *ModulesTab

	PeopleItem, ImportItem, PromotionItem, ModulesItem *container.TabItem
}

func (u *UI) showAdmin() {
	s := &AdminScreen{}
	s.People = u.newPeopleTab()
	s.Import = u.newImportTab(s.People)
	s.Promotion = u.newPromotionTab(s.People)
	s.Modules = u.newModulesTab()
	s.PeopleItem = container.NewTabItemWithIcon(T("admin.tab.people"), theme.AccountIcon(), s.People.content)
	s.ImportItem = container.NewTabItemWithIcon(T("admin.tab.import"), theme.UploadIcon(), s.Import.content)
	s.PromotionItem = container.NewTabItemWithIcon(T("admin.tab.promotion"), theme.MoveUpIcon(), s.Promotion.content)
	s.ModulesItem = container.NewTabItemWithIcon(T("admin.tab.modules"), theme.SettingsIcon(), s.Modules.content)
	s.Tabs = container.NewAppTabs(s.PeopleItem, s.ImportItem, s.PromotionItem, s.ModulesItem)
	s.Tabs.OnSelected = func(item *container.TabItem) {
		u.touch()
		// Another tab may have changed the people (import, promotion).
		if item == s.PeopleItem && s.People.stale && s.People.Detail == nil && s.People.Create == nil {
			s.People.load()
		}
	}
	u.setScreen("admin", s)
	u.openScreen(T("admin.title"), s.Tabs)
	s.People.load()
	s.Modules.load()
}

// adminPanel is a tab's content: a scrolling column with some padding.
func adminPanel(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
}
