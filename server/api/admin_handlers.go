package api

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"kaspel/server/directory"
	"kaspel/server/store"
	"kaspel/shared/slip"
	"kaspel/shared/wire"
)

var admins = []directory.Role{directory.Admin}

func (s *Server) adminRoutes() {
	a := Access{Roles: admins}
	s.handle("GET", "/api/v1/admin/users", a, s.listPeople)
	s.handle("POST", "/api/v1/admin/users", a, s.addPerson)
	s.handle("GET", "/api/v1/admin/users/{login}", a, s.getPerson)
	s.handle("PATCH", "/api/v1/admin/users/{login}", a, s.editPerson)
	s.handle("POST", "/api/v1/admin/users/{login}/lock", a, s.lockPerson)
	s.handle("DELETE", "/api/v1/admin/users/{login}/lock", a, s.unlockPerson)
	s.handle("POST", "/api/v1/admin/users/{login}/consent", a, s.consent)
	s.handle("PUT", "/api/v1/admin/users/{login}/rights/{right}", a, s.grantRight)
	s.handle("DELETE", "/api/v1/admin/users/{login}/rights/{right}", a, s.revokeRight)
	s.handle("POST", "/api/v1/admin/import", Access{Roles: admins, MaxBody: wire.MaxUpload}, s.importList)
	s.handle("POST", "/api/v1/admin/promotion", a, s.promote)
	s.handle("GET", "/api/v1/admin/modules", a, s.getModules)
	s.handle("PUT", "/api/v1/admin/modules", a, s.putModules)

	s.handle("POST", "/api/v1/users/{login}/password-reset", Access{Roles: []directory.Role{directory.Admin, directory.Teacher}}, s.resetPassword)
	s.handle("GET", "/api/v1/classes/{class}/pupils", Access{Roles: staff}, s.classPupils)
	s.handle("POST", "/api/v1/classes/{class}/password-reset", Access{Roles: []directory.Role{directory.Admin, directory.Teacher}}, s.resetClass)
	s.handle("GET", "/api/v1/groups", Access{}, s.listGroups)
}

// person loads the person the path names.
func (c *call) person() (directory.PersonDetails, error) {
	return c.s.Dir.Details(c.ctx, c.r.PathValue("login"))
}

func (s *Server) wirePerson(c *call, d directory.PersonDetails) (wire.Person, error) {
	school, err := s.Dir.School(c.ctx)
	if err != nil {
		return wire.Person{}, err
	}
	p := wire.Person{
		Login: d.Login, FirstName: d.FirstName, LastName: d.LastName, Role: string(d.Role),
		Classes: []string{}, Mail: school.Mail(d.Login), ExternalID: d.ExternalID, MustChange: d.MustChange,
		Locked: d.Locked(), LockReason: d.LockReason, LockedBy: d.LockedBy, LockedAt: d.LockedAt,
		LeavingDate: d.LeavingDate, HoldBack: d.HoldBack, Rights: d.Rights,
	}
	for _, g := range d.Groups {
		if g.Kind == directory.KindClass {
			p.Classes = append(p.Classes, g.Name)
		}
	}
	if d.Consent != nil {
		p.Consent = &wire.Consent{Guardian: d.Consent.Guardian, SignedOn: d.Consent.SignedOn, RevokedOn: d.Consent.RevokedOn}
	}
	return p, nil
}

func (s *Server) listPeople(c *call) error {
	q := directory.ListQuery{Class: c.query("class"), Leavers: c.flag("all")}
	if r := c.query("role"); r != "" {
		role, err := directory.ParseRole(r)
		if err != nil {
			return invalid("Diese Rolle gibt es nicht.", "role")
		}
		q.Role = role
	}
	list, err := s.Dir.List(c.ctx, q)
	if err != nil {
		return err
	}
	school, err := s.Dir.School(c.ctx)
	if err != nil {
		return err
	}
	out := wire.People{People: make([]wire.Person, 0, len(list))}
	for _, l := range list {
		classes := l.Classes
		if classes == nil {
			classes = []string{}
		}
		out.People = append(out.People, wire.Person{
			Login: l.Login, FirstName: l.FirstName, LastName: l.LastName, Role: string(l.Role), Classes: classes,
			Mail: school.Mail(l.Login), ExternalID: l.ExternalID, MustChange: l.MustChange, Locked: l.Locked(),
			LockReason: l.LockReason, LeavingDate: l.LeavingDate, HoldBack: l.HoldBack,
		})
	}
	return c.ok(out)
}

func (s *Server) addPerson(c *call) error {
	var req wire.NewPerson
	if err := c.decode(&req); err != nil {
		return err
	}
	role, err := directory.ParseRole(req.Role)
	if err != nil {
		return invalid("Bitte eine Rolle wählen: pupil, teacher, secretary oder admin.", "role")
	}
	p, pw, err := s.Dir.AddPerson(c.ctx, c.actor, directory.NewPerson{
		FirstName: req.FirstName, LastName: req.LastName, Role: role, Classes: req.Classes, ExternalID: req.ExternalID,
	})
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wire.OneTimePassword{Login: p.Login, Name: p.Name(), Class: strings.Join(req.Classes, ","), Password: pw})
}

func (s *Server) getPerson(c *call) error {
	d, err := c.person()
	if err != nil {
		return err
	}
	p, err := s.wirePerson(c, d)
	if err != nil {
		return err
	}
	return c.ok(p)
}

func (s *Server) editPerson(c *call) error {
	var req wire.PersonEdit
	if err := c.decode(&req); err != nil {
		return err
	}
	login := c.r.PathValue("login")
	ed := directory.Edit{FirstName: req.FirstName, LastName: req.LastName, Classes: req.Classes, ExternalID: req.ExternalID,
		LeavingDate: req.LeavingDate, HoldBack: req.HoldBack}
	if req.Role != nil {
		r, err := directory.ParseRole(*req.Role)
		if err != nil {
			return invalid("Diese Rolle gibt es nicht.", "role")
		}
		ed.Role = &r
	}
	// The directory applies all parts in one transaction; these checks
	// only give its refusals the admin's German words and the field.
	if req.LeavingDate != nil && *req.LeavingDate != "" {
		if _, err := time.Parse(store.DateFormat, *req.LeavingDate); err != nil {
			return invalid("„"+*req.LeavingDate+"“ ist kein Datum wie 2027-07-31.", "leaving_date")
		}
	}
	if req.HoldBack != nil {
		d, err := c.person()
		if err != nil {
			return err
		}
		role := d.Role
		if ed.Role != nil {
			role = *ed.Role
		}
		if role != directory.Pupil {
			return invalid("Nur Schülerinnen und Schüler werden versetzt oder wiederholen.", "hold_back")
		}
	}
	if err := s.Dir.EditPerson(c.ctx, c.actor, login, ed); err != nil {
		return err
	}
	return s.getPerson(c)
}

func (s *Server) lockPerson(c *call) error {
	var req wire.Lock
	if err := c.decode(&req); err != nil {
		return err
	}
	d, err := c.person()
	if err != nil {
		return err
	}
	if d.ID == c.me.ID {
		return invalid("Du kannst dich nicht selbst sperren.")
	}
	if err := s.Dir.Lock(c.ctx, c.actor, d.Login, req.Reason); err != nil {
		return err
	}
	if err := s.Sessions.DeleteAllOf(c.ctx, d.ID, 0); err != nil {
		return err
	}
	return s.getPerson(c)
}

func (s *Server) unlockPerson(c *call) error {
	if err := s.Dir.Unlock(c.ctx, c.actor, c.r.PathValue("login")); err != nil {
		return err
	}
	return s.getPerson(c)
}

func (s *Server) consent(c *call) error {
	var req wire.ConsentChange
	if err := c.decode(&req); err != nil {
		return err
	}
	login := c.r.PathValue("login")
	var err error
	switch {
	case req.RevokedOn != "" && req.SignedOn == "" && req.Guardian == "":
		err = s.Dir.RevokeConsent(c.ctx, c.actor, login, req.RevokedOn)
	case req.SignedOn != "" && req.Guardian != "" && req.RevokedOn == "":
		err = s.Dir.RecordConsent(c.ctx, c.actor, login, req.Guardian, req.SignedOn)
	default:
		return invalid("Bitte entweder Erziehungsberechtigte und Datum der Unterschrift angeben oder das Datum des Widerrufs.", "guardian", "signed_on", "revoked_on")
	}
	if err != nil {
		return err
	}
	return s.getPerson(c)
}

func (s *Server) grantRight(c *call) error  { return s.setRight(c, true) }
func (s *Server) revokeRight(c *call) error { return s.setRight(c, false) }

func (s *Server) setRight(c *call, grant bool) error {
	if err := s.Dir.SetRight(c.ctx, c.actor, c.r.PathValue("login"), c.r.PathValue("right"), grant); err != nil {
		return err
	}
	return s.getPerson(c)
}

// importList takes a pupil list as the request body (as kaspel-server
// import does). The real run answers with the new accounts' one-time
// passwords, once; they are stored nowhere.
func (s *Server) importList(c *call) error {
	f, err := directory.ParseImport(c.r.Body)
	if err != nil {
		return err
	}
	var created []directory.Created
	rep, err := s.Dir.Import(c.ctx, c.actor, f, directory.ImportOptions{
		DryRun: c.flag("dry_run"), Force: c.flag("force"),
		Deliver: func(list []directory.Created) error { created = list; return nil },
	})
	if err != nil {
		return err
	}
	out := wire.ImportReport{DryRun: c.flag("dry_run"), Format: f.Format, Encoding: f.Encoding, Rows: len(f.Rows),
		New: []wire.OneTimePassword{}, Changed: []wire.ImportChange{}, Leaving: []wire.Person{},
		Unchanged: rep.Unchanged, Partial: rep.Partial, Outdated: rep.Outdated}
	pw := map[string]string{}
	for _, cr := range created {
		pw[cr.Login] = cr.Password
	}
	for _, n := range rep.New {
		out.New = append(out.New, wire.OneTimePassword{Login: n.Login, Name: n.FirstName + " " + n.LastName, Class: n.Class, Password: pw[n.Login]})
	}
	for _, ch := range rep.Changed {
		out.Changed = append(out.Changed, wire.ImportChange{Login: ch.Login, What: ch.What})
	}
	for _, l := range rep.Leaving {
		classes := l.Classes
		if classes == nil {
			classes = []string{}
		}
		out.Leaving = append(out.Leaving, wire.Person{Login: l.Login, FirstName: l.FirstName, LastName: l.LastName, Role: string(l.Role), Classes: classes})
	}
	return c.ok(out)
}

func (s *Server) promote(c *call) error {
	rep, err := s.Dir.Promote(c.ctx, c.actor, directory.PromoteOptions{
		DryRun: c.flag("dry_run"), Force: c.flag("force"), LeavingDate: c.query("leaving_date"),
	})
	if err != nil {
		return err
	}
	moves := func(ms []directory.Move) []wire.Move {
		out := make([]wire.Move, len(ms))
		for i, m := range ms {
			out[i] = wire.Move{Login: m.Login, Name: m.Name, From: m.From, To: m.To}
		}
		return out
	}
	return c.ok(wire.Promotion{DryRun: c.flag("dry_run"), Promoted: moves(rep.Promoted), HeldBack: moves(rep.HeldBack),
		Leavers: moves(rep.Leavers), Skipped: moves(rep.Skipped)})
}

func (s *Server) getModules(c *call) error {
	on, err := s.Dir.Modules(c.ctx, s.modules)
	if err != nil {
		return err
	}
	out := wire.ModuleSwitches{Modules: []wire.ModuleSwitch{}}
	for _, m := range s.modules {
		out.Modules = append(out.Modules, wire.ModuleSwitch{Name: m, Enabled: on[m]})
	}
	return c.ok(out)
}

func (s *Server) putModules(c *call) error {
	var req wire.ModuleSwitches
	if err := c.decode(&req); err != nil {
		return err
	}
	for _, m := range req.Modules {
		if !slices.Contains(s.modules, m.Name) {
			return invalid("Das Modul „"+m.Name+"“ gibt es nicht.", "modules")
		}
	}
	for _, m := range req.Modules {
		if err := s.Dir.SetModule(c.ctx, c.actor, m.Name, m.Enabled); err != nil {
			return err
		}
	}
	return s.getModules(c)
}

// teaches reports whether the caller teaches a class the pupil is in.
func (s *Server) teaches(c *call, pupil directory.PersonDetails) (bool, error) {
	mine, err := s.Dir.ClassesOf(c.ctx, c.me)
	if err != nil {
		return false, err
	}
	for _, g := range pupil.Groups {
		if g.Kind == directory.KindClass && slices.Contains(mine, g.Name) {
			return true, nil
		}
	}
	return false, nil
}

// resetPassword gives a person a new one-time password. Admins may reset
// anyone's; teachers only those of pupils in their own classes. With
// ?format=pdf the answer is a slip to print and hand to the child.
func (s *Server) resetPassword(c *call) error {
	d, err := c.person()
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if c.me.Role == directory.Teacher {
		ok, err := s.teaches(c, d)
		if err != nil {
			return err
		}
		if d.Role != directory.Pupil || !ok {
			return newError(http.StatusForbidden, wire.CodeForbidden, "Du kannst nur die Passwörter der Kinder deiner Klassen zurücksetzen.")
		}
	}
	if d.ID == c.me.ID {
		return invalid("Dein eigenes Passwort änderst du unter Einstellungen.")
	}
	pw, err := s.Dir.ResetPassword(c.ctx, c.actor, d.Login)
	if err != nil {
		return err
	}
	if err := s.Sessions.DeleteAllOf(c.ctx, d.ID, 0); err != nil {
		return err
	}
	var classes []string
	for _, g := range d.Groups {
		if g.Kind == directory.KindClass {
			classes = append(classes, g.Name)
		}
	}
	otp := wire.OneTimePassword{Login: d.Login, Name: d.Name(), Class: strings.Join(classes, ","), Password: pw}
	if c.query("format") == "pdf" {
		school, err := s.Dir.School(c.ctx)
		if err != nil {
			return err
		}
		pdf, err := slip.Render(school.Name, school.Domain, []wire.OneTimePassword{otp}, slip.German)
		if err != nil {
			return err
		}
		c.w.Header().Set("Content-Type", "application/pdf")
		c.w.Header().Set("Content-Disposition", `attachment; filename="passwort-`+d.Login+`.pdf"`)
		_, err = c.w.Write(pdf)
		return err
	}
	return c.ok(otp)
}

// classPupils lists the pupils of a class: teachers their own classes,
// the secretary and admins every class.
func (s *Server) classPupils(c *call) error {
	class, err := directory.NormalizeClass(c.r.PathValue("class"))
	if err != nil {
		return errNotFound
	}
	if c.me.Role == directory.Teacher {
		mine, err := s.Dir.ClassesOf(c.ctx, c.me)
		if err != nil {
			return err
		}
		if !slices.Contains(mine, class) {
			return newError(http.StatusForbidden, wire.CodeForbidden, "Das ist nicht deine Klasse.")
		}
	}
	list, err := s.Dir.List(c.ctx, directory.ListQuery{Class: class, Role: directory.Pupil})
	if err != nil {
		return err
	}
	school, err := s.Dir.School(c.ctx)
	if err != nil {
		return err
	}
	out := wire.People{People: []wire.Person{}}
	for _, l := range list {
		out.People = append(out.People, wire.Person{Login: l.Login, FirstName: l.FirstName, LastName: l.LastName,
			Role: string(l.Role), Classes: []string{class}, Mail: school.Mail(l.Login), MustChange: l.MustChange, Locked: l.Locked()})
	}
	return c.ok(out)
}

// listGroups lists the classes and role groups with their sizes (the
// mail recipient picker and the admin screens use it).
func (s *Server) listGroups(c *call) error {
	groups, err := s.Dir.GroupsWithCounts(c.ctx)
	if err != nil {
		return err
	}
	out := wire.Groups{Groups: []wire.Group{}}
	for _, g := range groups {
		out.Groups = append(out.Groups, wire.Group{Name: g.Name, Kind: string(g.Kind), Description: g.Description, Members: g.Members})
	}
	sort.SliceStable(out.Groups, func(i, j int) bool { return out.Groups[i].Kind > out.Groups[j].Kind })
	return c.ok(out)
}

// resetClass gives the pupils of a class (all, or the logins named) new
// one-time passwords at once, e.g. for the first computer lesson of a new
// class; with ?format=pdf the answer is the class's slips to print.
// Teachers may do it for their own classes only.
func (s *Server) resetClass(c *call) error {
	var req wire.ClassReset
	if err := c.decode(&req); err != nil {
		return err
	}
	class, err := directory.NormalizeClass(c.r.PathValue("class"))
	if err != nil {
		return errNotFound
	}
	if c.me.Role == directory.Teacher {
		mine, err := s.Dir.ClassesOf(c.ctx, c.me)
		if err != nil {
			return err
		}
		if !slices.Contains(mine, class) {
			return newError(http.StatusForbidden, wire.CodeForbidden, "Das ist nicht deine Klasse.")
		}
	}
	pupils, err := s.Dir.List(c.ctx, directory.ListQuery{Class: class, Role: directory.Pupil})
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, l := range req.Logins {
		want[strings.ToLower(l)] = true
	}
	var chosen []directory.Listed
	for _, p := range pupils {
		if len(want) > 0 && !want[p.Login] {
			continue
		}
		delete(want, p.Login)
		chosen = append(chosen, p)
	}
	// Check the names before anything changes.
	if len(want) > 0 {
		return invalid("Nicht alle genannten Kinder sind in der Klasse "+class+".", "logins")
	}
	if len(chosen) == 0 {
		return invalid("In der Klasse "+class+" ist niemand.", "logins")
	}
	var out []wire.OneTimePassword
	for _, p := range chosen {
		pw, err := s.Dir.ResetPassword(c.ctx, c.actor, p.Login)
		if err != nil {
			return err
		}
		if err := s.Sessions.DeleteAllOf(c.ctx, p.ID, 0); err != nil {
			return err
		}
		out = append(out, wire.OneTimePassword{Login: p.Login, Name: p.Name(), Class: class, Password: pw})
	}
	if c.query("format") == "pdf" {
		school, err := s.Dir.School(c.ctx)
		if err != nil {
			return err
		}
		pdf, err := slip.Render(school.Name, school.Domain, out, slip.German)
		if err != nil {
			return err
		}
		c.w.Header().Set("Content-Type", "application/pdf")
		c.w.Header().Set("Content-Disposition", `attachment; filename="passwoerter-`+class+`.pdf"`)
		_, err = c.w.Write(pdf)
		return err
	}
	return c.ok(wire.OneTimePasswords{Passwords: out})
}
