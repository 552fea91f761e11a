package api

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

func (s *Server) sessionRoutes() {
	s.handle("POST", "/api/v1/session", Access{Public: true}, s.login)
	s.handle("GET", "/api/v1/session", Access{DuringPasswordChange: true}, s.getSession)
	s.handle("DELETE", "/api/v1/session", Access{DuringPasswordChange: true}, s.logout)
	s.handle("POST", "/api/v1/password", Access{DuringPasswordChange: true}, s.changePassword)
	s.handle("GET", "/api/v1/password/policy", Access{Public: true}, s.passwordPolicy)
}

// login checks the password with the same rules, throttle and protocol
// as an LDAP bind and starts a session.
func (s *Server) login(c *call) error {
	var req wire.LoginRequest
	if err := c.decode(&req); err != nil {
		return err
	}
	req.Login = strings.ToLower(strings.TrimSpace(req.Login))
	if req.Login == "" || req.Password == "" {
		return invalid("Bitte Login und Passwort eingeben.", "login", "password")
	}
	computer := strings.TrimSpace(req.Computer)
	if len(computer) > 64 {
		// Cut at a character, not inside one (an umlaut is two bytes).
		n := 64
		for n > 0 && !utf8.RuneStart(computer[n]) {
			n--
		}
		computer = computer[:n]
	}
	p, err := s.Dir.Authenticate(c.ctx, directory.Credentials{
		Kind: directory.PersonPrincipal, Name: req.Login, Password: req.Password,
		Source: c.actor.Source, Service: "api", Computer: computer,
	})
	if err != nil {
		return loginError(err)
	}
	me, err := s.Dir.PersonByID(c.ctx, p.ID)
	if err != nil {
		return err
	}
	token, sess, err := s.Sessions.Create(c.ctx, me.ID, computer, c.actor.Source)
	if err != nil {
		return err
	}
	c.me, c.sess = me, sess
	answer, err := s.sessionAnswer(c)
	if err != nil {
		return err
	}
	answer.Token = token
	return c.reply(http.StatusCreated, answer)
}

func (s *Server) sessionAnswer(c *call) (wire.Session, error) {
	user, err := s.userOf(c, c.me)
	if err != nil {
		return wire.Session{}, err
	}
	mods, err := s.enabledModules(c.ctx)
	if err != nil {
		return wire.Session{}, err
	}
	if mods == nil {
		mods = []string{}
	}
	school, err := s.Dir.School(c.ctx)
	if err != nil {
		return wire.Session{}, err
	}
	return wire.Session{Expires: c.sess.Expires, User: user, Modules: mods, MustChangePassword: c.me.MustChange, School: school.Name}, nil
}

func (s *Server) userOf(c *call, p directory.Person) (wire.User, error) {
	classes, err := s.Dir.ClassesOf(c.ctx, p)
	if err != nil {
		return wire.User{}, err
	}
	rights, err := s.Dir.Rights(c.ctx, p.ID)
	if err != nil {
		return wire.User{}, err
	}
	school, err := s.Dir.School(c.ctx)
	if err != nil {
		return wire.User{}, err
	}
	if classes == nil {
		classes = []string{}
	}
	return wire.User{Login: p.Login, FirstName: p.FirstName, LastName: p.LastName, Name: p.Name(),
		Role: string(p.Role), Classes: classes, Mail: school.Mail(p.Login), Rights: rights}, nil
}

func (s *Server) getSession(c *call) error {
	a, err := s.sessionAnswer(c)
	if err != nil {
		return err
	}
	return c.ok(a)
}

// logout ends the session and writes the logout, with the computer, to
// the protocol (who used which PC when).
func (s *Server) logout(c *call) error {
	if err := s.Sessions.Delete(c.ctx, c.token); err != nil {
		return err
	}
	if s.Audit != nil {
		s.Audit.Add(audit.Entry{At: time.Now(), Actor: c.me.Login, Action: "logout", Target: c.me.Login, Success: true,
			Source: c.actor.Source, Service: "api", Computer: c.sess.Computer})
	}
	return c.noContent()
}

// changePassword changes the own password: the old one is checked like a
// login (throttle, protocol), the new one against the policy with a German
// message per broken rule. Other sessions of the person end.
func (s *Server) changePassword(c *call) error {
	var req wire.PasswordChange
	if err := c.decode(&req); err != nil {
		return err
	}
	if req.Old == "" {
		return invalid("Bitte gib dein bisheriges Passwort ein.", "old")
	}
	if broken := password.Check(req.New); broken != nil {
		return invalid(password.Describe(broken), "new")
	}
	_, err := s.Dir.Authenticate(c.ctx, directory.Credentials{
		Kind: directory.PersonPrincipal, Name: c.me.Login, Password: req.Old,
		Source: c.actor.Source, Service: "api", Computer: c.sess.Computer, Action: "password.verify",
	})
	if errors.Is(err, directory.ErrInvalidCredentials) {
		return invalid("Das bisherige Passwort stimmt nicht.", "old")
	}
	if err != nil {
		return loginError(err)
	}
	if err := s.Dir.ChangePassword(c.ctx, c.actor, c.me.Login, req.New); err != nil {
		if errors.Is(err, directory.ErrSamePassword) {
			return invalid("Das neue Passwort muss anders sein als das bisherige.", "new")
		}
		return err
	}
	if err := s.Sessions.DeleteAllOf(c.ctx, c.me.ID, c.sess.ID); err != nil {
		return err
	}
	return c.noContent()
}

func (s *Server) passwordPolicy(c *call) error {
	out := wire.PasswordPolicy{MinLength: password.MinLength}
	for _, r := range password.Rules {
		out.Rules = append(out.Rules, wire.PasswordRule{Key: string(r), Message: r.German()})
	}
	return c.ok(out)
}
