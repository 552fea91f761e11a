package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"

	"strconv"
	"strings"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/server/session"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

// The parents' page /buecher/: parents have no Kaspel client at home.
// They log in with their child's account — the same password check,
// throttling and protocol as the API login (directory.Authenticate, with
// service "web") — and get a session of their own in a cookie that only
// this page reads (HttpOnly, Secure, SameSite=Strict, Path /buecher/).
// Every form carries a CSRF token derived from the session token. The
// page works without JavaScript; its policy allows no script at all.
//
// The routes are public in the API's sense (no bearer token) and belong
// to the lending module (switched off with it). They never answer an
// error status for what a parent does wrong: the page comes back with a
// German message, and a form without a valid session or token leads to
// the login (303).

const (
	pageCookie   = "kaspel_buecher"
	pageComputer = "Elternseite /buecher/"
	pageService  = "web"
)

type lendingPage struct {
	s   *Server
	svc *lending.Service
}

func (h *lendingAPI) pageRoutes(s *Server) {
	p := &lendingPage{s: s, svc: h.svc}
	pub := Access{Public: true, Module: wire.ModuleLending, Page: true}
	s.pageFailure = p.failure
	s.handle("GET", "/buecher/{$}", pub, p.home)
	s.handle("POST", "/buecher/anmelden", pub, p.login)
	s.handle("POST", "/buecher/abmelden", pub, p.logout)
	s.handle("POST", "/buecher/passwort", pub, p.changePassword)
	s.handle("POST", "/buecher/anmeldung", pub, p.register)
	s.handle("POST", "/buecher/zuruecknehmen", pub, p.withdraw)
}

// failure answers what failed before or inside a page's handler (the
// module switched off, an error of the server) with a German page in the
// parents' form of address, not the API's JSON, and a way back.
func (p *lendingPage) failure(c *call, status int, msg string) {
	switch {
	case status == http.StatusNotFound:
		msg = "Diese Seite gibt es nicht. Vielleicht ist die Schulbuchausleihe an der Schule gerade nicht eingeschaltet."
	case status == http.StatusRequestEntityTooLarge:
		msg = "Das Formular war zu groß."
	case status >= 500:
		msg = "Da ist etwas schiefgegangen. Bitte versuchen Sie es in ein paar Minuten noch einmal; wenn es so bleibt, hilft das Sekretariat."
	}
	base := lending.PageBase{Error: msg}
	if sc, err := p.s.Dir.School(c.ctx); err == nil {
		base.School = sc.Name
	}
	var buf bytes.Buffer
	if err := lending.RenderFailure(&buf, base); err != nil {
		p.s.Logger.Error("buecher: failure page", "err", err)
		http.Error(c.w, msg, status)
		return
	}
	pageHeaders(c.w)
	c.w.WriteHeader(status)
	c.w.Write(buf.Bytes())
}

// pageCSRF is the form token of a session: a hash of the session token,
// which only the cookie holder knows.
func pageCSRF(token string) string {
	sum := sha256.Sum256([]byte("kaspel/buecher/csrf\x00" + token))
	return hex.EncodeToString(sum[:16])
}

// pageSession is a logged-in parent.
type pageSession struct {
	token string
	sess  session.Session
	me    directory.Person
}

// session reads the page's cookie; ok is false without a usable one.
func (p *lendingPage) session(c *call) (pageSession, bool, error) {
	ck, err := c.r.Cookie(pageCookie)
	if err != nil || ck.Value == "" {
		return pageSession{}, false, nil
	}
	sess, err := p.s.Sessions.Lookup(c.ctx, ck.Value)
	if errors.Is(err, session.ErrNoSession) {
		return pageSession{}, false, nil
	}
	if err != nil {
		return pageSession{}, false, err
	}
	me, err := p.s.Dir.PersonByID(c.ctx, sess.PersonID)
	if err != nil {
		return pageSession{}, false, nil
	}
	if err := p.s.Dir.CheckUsable(c.ctx, me); err != nil {
		p.s.Sessions.Delete(c.ctx, ck.Value)
		return pageSession{}, false, nil
	}
	c.actor.Name = me.Login
	c.actor.Service = pageService
	return pageSession{token: ck.Value, sess: sess, me: me}, true, nil
}

// formSession is session for a form: a missing session or a wrong token
// sends the parent to the page (and its login) again.
func (p *lendingPage) formSession(c *call) (pageSession, bool, error) {
	ps, ok, err := p.session(c)
	if err != nil || !ok {
		if err == nil {
			p.redirect(c, "/buecher/?sitzung=1")
		}
		return ps, false, err
	}
	got := c.r.PostFormValue("csrf")
	if subtle.ConstantTimeCompare([]byte(got), []byte(pageCSRF(ps.token))) != 1 {
		p.redirect(c, "/buecher/?formular=1")
		return ps, false, nil
	}
	return ps, true, nil
}

func (p *lendingPage) redirect(c *call, to string) {
	c.w.Header().Set("Location", to)
	c.w.WriteHeader(http.StatusSeeOther)
}

// write sends a rendered page with the page's headers.
func (p *lendingPage) write(c *call, render func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	pageHeaders(c.w)
	_, err := c.w.Write(b.Bytes())
	return err
}

// pageHeaders are the headers of every page: HTML, no script, no frame,
// no referrer.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}

func (p *lendingPage) base(c *call, ps *pageSession) (lending.PageBase, error) {
	school, err := p.s.Dir.School(c.ctx)
	if err != nil {
		return lending.PageBase{}, err
	}
	b := lending.PageBase{School: school.Name}
	if ps != nil {
		b.CSRF = pageCSRF(ps.token)
	}
	return b, nil
}

// notices are the messages a redirect asks the page to show.
var pageNotices = map[string]string{
	"angemeldet": "Vielen Dank! Die Anmeldung ist eingegangen. Betrag, Konto und Verwendungszweck stehen unten und auch als Nachricht im Postfach Ihres Kindes.",
	"passwort":   "Das neue Passwort ist gespeichert. Ihr Kind meldet sich ab jetzt damit an.",
	"abgemeldet": "Sie sind abgemeldet.",
	"sitzung":    "Bitte melden Sie sich (wieder) an.",
	"formular":   "Das Formular war abgelaufen. Bitte versuchen Sie es noch einmal.",
	"zurueckgenommen": "Die Anmeldung ist zurückgenommen. Eine Nachricht dazu steht im Postfach Ihres Kindes; " +
		"bis zum Anmeldeschluss können Sie Ihr Kind wieder anmelden.",
}

func (p *lendingPage) notice(c *call) string {
	for _, k := range []string{"angemeldet", "zurueckgenommen", "passwort", "abgemeldet", "sitzung", "formular"} {
		if c.query(k) != "" {
			return pageNotices[k]
		}
	}
	return ""
}

func (p *lendingPage) showLogin(c *call, login, errMsg, notice string) error {
	b, err := p.base(c, nil)
	if err != nil {
		return err
	}
	b.Title, b.Error, b.Notice = "Schulbuchausleihe – Anmeldung", errMsg, notice
	return p.write(c, func(w *bytes.Buffer) error {
		return lending.RenderLogin(w, lending.LoginPage{PageBase: b, Login: login})
	})
}

func (p *lendingPage) showPassword(c *call, ps pageSession, errMsg string) error {
	b, err := p.base(c, &ps)
	if err != nil {
		return err
	}
	b.Title, b.Error = "Neues Passwort", errMsg
	page := lending.PasswordPage{PageBase: b, Name: ps.me.Name()}
	for _, r := range password.Rules {
		page.Rules = append(page.Rules, r.German())
	}
	return p.write(c, func(w *bytes.Buffer) error { return lending.RenderPassword(w, page) })
}

// showHome renders the child's page; form and errMsg bring back a form
// the service refused.
func (p *lendingPage) showHome(c *call, ps pageSession, errMsg, notice string, form *lending.FormValues) error {
	b, err := p.base(c, &ps)
	if err != nil {
		return err
	}
	b.Title, b.Error, b.Notice = "Schulbuchausleihe", errMsg, notice
	own, err := p.svc.OwnState(c.ctx, ps.me)
	if e, ok := lending.AsError(err); ok {
		// No school year yet: the page says so instead of failing.
		listed := directory.Listed{Person: ps.me}
		return p.write(c, func(w *bytes.Buffer) error {
			return lending.RenderHome(w, lending.HomePage{PageBase: b, Offer: lending.Offer{Pupil: listed, Reason: e.German},
				Current: lending.Panel{Pupil: listed}})
		})
	}
	if err != nil {
		return err
	}
	offer, err := p.svc.OwnOffer(c.ctx, ps.me)
	if err != nil {
		return err
	}
	b.Title = "Schulbuchausleihe – " + ps.me.Name()
	page := lending.NewHomePage(b, own, offer, form)
	return p.write(c, func(w *bytes.Buffer) error { return lending.RenderHome(w, page) })
}

func (p *lendingPage) home(c *call) error {
	ps, ok, err := p.session(c)
	if err != nil {
		return err
	}
	if !ok {
		return p.showLogin(c, "", "", p.notice(c))
	}
	if ps.me.MustChange {
		return p.showPassword(c, ps, "")
	}
	if ps.me.Role != directory.Pupil {
		p.endSession(c, ps)
		return p.showLogin(c, "", "Diese Seite ist für Eltern: Bitte melden Sie sich mit dem Login Ihres Kindes an.", "")
	}
	return p.showHome(c, ps, "", p.notice(c), nil)
}

// pageLoginError says in German (to parents) why a login failed.
func pageLoginError(err error) (string, bool) {
	switch {
	case errors.Is(err, directory.ErrThrottled):
		return "Zu viele falsche Versuche. Bitte warten Sie ein paar Minuten.", true
	case errors.Is(err, directory.ErrInvalidCredentials):
		return "Login oder Passwort stimmt nicht.", true
	case errors.Is(err, directory.ErrLocked), errors.Is(err, directory.ErrConsentRevoked):
		return "Das Konto Ihres Kindes ist gesperrt. Bitte wenden Sie sich an das Sekretariat.", true
	case errors.Is(err, directory.ErrLeft):
		return "Dieses Konto ist nicht mehr aktiv. Bitte wenden Sie sich an das Sekretariat.", true
	}
	return "", false
}

func (p *lendingPage) login(c *call) error {
	login := strings.ToLower(strings.TrimSpace(c.r.PostFormValue("login")))
	pw := c.r.PostFormValue("passwort")
	if login == "" || pw == "" {
		return p.showLogin(c, login, "Bitte Login und Passwort eingeben.", "")
	}
	if len(login) > 64 {
		login = login[:64]
	}
	pr, err := p.s.Dir.Authenticate(c.ctx, directory.Credentials{Kind: directory.PersonPrincipal, Name: login, Password: pw,
		Source: c.actor.Source, Service: pageService, Computer: pageComputer})
	if err != nil {
		if msg, ok := pageLoginError(err); ok {
			return p.showLogin(c, login, msg, "")
		}
		return err
	}
	token, _, err := p.s.Sessions.Create(c.ctx, pr.ID, pageComputer, c.actor.Source)
	if err != nil {
		return err
	}
	http.SetCookie(c.w, &http.Cookie{Name: pageCookie, Value: token, Path: "/buecher/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	p.redirect(c, "/buecher/")
	return nil
}

func (p *lendingPage) endSession(c *call, ps pageSession) {
	p.s.Sessions.Delete(c.ctx, ps.token)
	http.SetCookie(c.w, &http.Cookie{Name: pageCookie, Value: "", Path: "/buecher/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
}

func (p *lendingPage) logout(c *call) error {
	ps, ok, err := p.formSession(c)
	if err != nil || !ok {
		return err
	}
	p.endSession(c, ps)
	if p.s.Audit != nil {
		p.s.Audit.Add(audit.Entry{At: time.Now(), Actor: ps.me.Login, Action: "logout", Target: ps.me.Login, Success: true,
			Source: c.actor.Source, Service: pageService, Computer: pageComputer})
	}
	p.redirect(c, "/buecher/?abgemeldet=1")
	return nil
}

// changePassword is the API's password change for the page: the old
// password checked like a login, the new one against the policy.
func (p *lendingPage) changePassword(c *call) error {
	ps, ok, err := p.formSession(c)
	if err != nil || !ok {
		return err
	}
	old, pw, again := c.r.PostFormValue("alt"), c.r.PostFormValue("neu"), c.r.PostFormValue("neu2")
	switch {
	case old == "":
		return p.showPassword(c, ps, "Bitte geben Sie das bisherige Passwort ein.")
	case pw != again:
		return p.showPassword(c, ps, "Die beiden neuen Passwörter sind nicht gleich.")
	}
	if broken := password.Check(pw); broken != nil {
		return p.showPassword(c, ps, password.Describe(broken))
	}
	_, err = p.s.Dir.Authenticate(c.ctx, directory.Credentials{Kind: directory.PersonPrincipal, Name: ps.me.Login, Password: old,
		Source: c.actor.Source, Service: pageService, Computer: pageComputer, Action: "password.verify"})
	if errors.Is(err, directory.ErrInvalidCredentials) {
		return p.showPassword(c, ps, "Das bisherige Passwort stimmt nicht.")
	}
	if err != nil {
		if msg, ok := pageLoginError(err); ok {
			return p.showPassword(c, ps, msg)
		}
		return err
	}
	if err := p.s.Dir.ChangePassword(c.ctx, c.actor, ps.me.Login, pw); err != nil {
		if errors.Is(err, directory.ErrSamePassword) {
			return p.showPassword(c, ps, "Das neue Passwort muss anders sein als das bisherige.")
		}
		return err
	}
	if err := p.s.Sessions.DeleteAllOf(c.ctx, ps.me.ID, ps.sess.ID); err != nil {
		return err
	}
	p.redirect(c, "/buecher/?passwort=1")
	return nil
}

// childForm is formSession for the forms about the child's books: an
// account that must change its password first, or is no child's, is sent
// to the page, which shows what it may do.
func (p *lendingPage) childForm(c *call) (pageSession, bool, error) {
	ps, ok, err := p.formSession(c)
	if err != nil || !ok {
		return ps, false, err
	}
	if ps.me.MustChange || ps.me.Role != directory.Pupil {
		p.redirect(c, "/buecher/")
		return ps, false, nil
	}
	return ps, true, nil
}

// register takes the registration form.
func (p *lendingPage) register(c *call) error {
	ps, ok, err := p.childForm(c)
	if err != nil || !ok {
		return err
	}
	form := c.r.PostForm
	values := lending.FormValues{Package: form.Get("paket") == "ja", Borrow: map[int64]bool{}, Guardian: form.Get("erziehungsberechtigt"),
		Reduction: form.Get("ermaessigung") == "ja", Exemption: form.Get("befreiung")}
	in := lending.RegistrationInput{Package: values.Package, Choices: map[int64]lending.Choice{}, Guardian: values.Guardian,
		Reduction: values.Reduction, Exemption: lending.Exemption(values.Exemption), AcceptTerms: form.Get("bedingungen") == "ja"}
	for key := range form {
		rest, found := strings.CutPrefix(key, "t")
		id, err := strconv.ParseInt(rest, 10, 64)
		if !found || err != nil || id <= 0 {
			continue
		}
		switch form.Get(key) {
		case "leihen":
			in.Choices[id], values.Borrow[id] = lending.Borrow, true
		case "kaufen":
			in.Choices[id] = lending.Buy
		}
	}
	if _, err := p.svc.RegisterOwn(c.ctx, ps.me, in); err != nil {
		if e, ok := lending.AsError(err); ok {
			return p.showHome(c, ps, e.German, "", &values)
		}
		return err
	}
	p.redirect(c, "/buecher/?angemeldet=1")
	return nil
}

// withdraw takes the registration back, after the parents ticked that
// they mean it.
func (p *lendingPage) withdraw(c *call) error {
	ps, ok, err := p.childForm(c)
	if err != nil || !ok {
		return err
	}
	if c.r.PostForm.Get("bestaetigt") != "ja" {
		return p.showHome(c, ps, "Bitte kreuzen Sie an, dass Sie die Anmeldung zurücknehmen möchten.", "", nil)
	}
	if _, err := p.svc.WithdrawOwn(c.ctx, ps.me); err != nil {
		if e, ok := lending.AsError(err); ok {
			return p.showHome(c, ps, e.German, "", nil)
		}
		return err
	}
	p.redirect(c, "/buecher/?zurueckgenommen=1")
	return nil
}
