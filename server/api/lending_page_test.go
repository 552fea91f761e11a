package api_test

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

// The parents' page end to end in a real browser: Debian's headless
// Chromium, driven over the Chrome DevTools protocol (through the pipe
// Chromium opens with --remote-debugging-pipe: no port, no extra Go
// module), against the real server of the test rig with its own CA.
// Parents use it on a phone: the page is loaded at a phone's width.
//
// The test skips where Chromium is not installed; KASPEL_REQUIRE_CHROMIUM=1
// (make test) turns the skip into a failure.

// chromiumBinary finds Chromium.
func chromiumBinary(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("KASPEL_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("Chromium is not installed (Debian: apt-get install chromium)")
	}
	t.Skip("Chromium is not installed (Debian: apt-get install chromium); KASPEL_REQUIRE_CHROMIUM=1 makes this a failure")
	return ""
}

// browser is a headless Chromium with one page, driven over CDP.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	out     io.WriteCloser // Chromium's fd 3: commands
	session string

	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpReply
	stderr  *strings.Builder
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// spkiHashes are the base64 SHA-256 hashes of the server's and the CA's
// public keys, which Chromium trusts with --ignore-certificate-errors-spki-list
// (the test only: the rig's CA is not in the browser's store).
func spkiHashes(t *testing.T, s *school) string {
	t.Helper()
	conn, err := tls.Dial("tcp", s.HTTPSAddr, &tls.Config{RootCAs: s.CAPool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var hashes []string
	for _, c := range conn.ConnectionState().PeerCertificates {
		sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
		hashes = append(hashes, base64.StdEncoding.EncodeToString(sum[:]))
	}
	return strings.Join(hashes, ",")
}

func startBrowser(t *testing.T, bin, spki string) *browser {
	t.Helper()
	toChrome, ourOut, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ourIn, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, out: ourOut, pending: map[int]chan cdpReply{}, stderr: &strings.Builder{}}
	b.cmd = exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "--ignore-certificate-errors-spki-list="+spki, "about:blank")
	b.cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fd 3: Chromium reads, fd 4: Chromium writes
	b.cmd.Stderr = &syncWriter{b: b}
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	toChrome.Close()
	fromChrome.Close()
	t.Cleanup(func() {
		b.out.Close()
		b.cmd.Process.Kill() // the process this test started, by its handle
		b.cmd.Wait()
		ourIn.Close()
	})
	go b.read(ourIn)
	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	b.call(b.session, "Page.enable", nil, nil)
	b.call(b.session, "Runtime.enable", nil, nil)
	// A phone: 390 CSS pixels wide.
	b.call(b.session, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true}, nil)
	return b
}

type syncWriter struct{ b *browser }

func (w *syncWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	if w.b.stderr.Len() < 64<<10 {
		w.b.stderr.Write(p)
	}
	return len(p), nil
}

// read dispatches Chromium's answers (NUL-terminated JSON) to the calls.
func (b *browser) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m struct {
			ID int `json:"id"`
			cdpReply
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue // an event
		}
		b.mu.Lock()
		ch := b.pending[m.ID]
		delete(b.pending, m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// call sends a command and waits for its answer; a refusal fails the test.
func (b *browser) call(session, method string, params any, out any) {
	b.t.Helper()
	if err := b.try(session, method, params, out); err != nil {
		b.t.Fatal(err)
	}
}

// try sends a command and waits for its answer (a generous bound: a
// wait, not a measurement).
func (b *browser) try(session, method string, params any, out any) error {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpReply, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.out.Write(append(data, 0)); err != nil {
		return fmt.Errorf("CDP %s: %v", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			b.mu.Lock()
			defer b.mu.Unlock()
			return fmt.Errorf("CDP %s: Chromium went away: %s", method, b.stderr.String())
		}
		if r.Error != nil {
			return fmt.Errorf("CDP %s: %s", method, r.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				return fmt.Errorf("CDP %s: %v", method, err)
			}
		}
		return nil
	case <-time.After(60 * time.Second):
		return fmt.Errorf("CDP %s: no answer from Chromium", method)
	}
}

// eval runs JavaScript in the page (the page itself has none: this is
// the test's hand on the phone) and returns its value.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	if err := b.tryEval(expr, out); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) tryEval(expr string, out any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := b.try(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r); err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("eval %s: %s", expr, r.ExceptionDetails.Text)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result.Value, out); err != nil {
			return fmt.Errorf("eval %s: %v (%s)", expr, err, r.Result.Value)
		}
	}
	return nil
}

// waitFor waits until a new page (not the one a click left) is loaded
// and has an element. While the browser navigates, its answers may be
// refusals ("target navigated"): they only mean "not yet".
func (b *browser) waitFor(selector string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		err := b.tryEval(fmt.Sprintf(`window.kaspelLeft !== true && document.readyState === "complete" && document.querySelector(%q) !== null`, selector), &ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var html string
			b.eval(`document.documentElement.outerHTML`, &html)
			b.t.Fatalf("no %s on the page:\n%s", selector, html)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *browser) navigate(u string) {
	b.t.Helper()
	b.call(b.session, "Page.navigate", map[string]any{"url": u}, nil)
}

// typeInto focuses a field and types text as a keyboard would.
func (b *browser) typeInto(selector, text string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = ""; e.focus(); return true })()`, selector), nil)
	b.call(b.session, "Input.insertText", map[string]any{"text": text}, nil)
}

// click taps an element. A submit button leaves the page: the page is
// marked first, so that waitFor waits for the next one, and the answer
// may be the browser's "target navigated".
func (b *browser) click(selector string) {
	b.t.Helper()
	var found bool
	b.eval(fmt.Sprintf(`document.querySelector(%q) !== null`, selector), &found)
	if !found {
		b.t.Fatalf("no %s to click", selector)
	}
	b.tryEval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (e.type === "submit") { window.kaspelLeft = true } e.click(); return true })()`, selector), nil)
}

func (b *browser) text(selector string) string {
	b.t.Helper()
	var s string
	b.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : "" })()`, selector), &s)
	return strings.TrimSpace(s)
}

// TestParentsPageInChromium: a parent logs in with the child's account,
// chooses books, applies for the reduction, accepts the terms and sees
// the amount, the account and the reference — on screen and in the
// child's mailbox. A must-change account sets its password first.
func TestParentsPageInChromium(t *testing.T) {
	bin := chromiumBinary(t)
	s := newSchool(t)
	l := s.lendingSetup(s.as(s.Admin))
	b := startBrowser(t, bin, spkiHashes(t, s))
	page := s.BaseURL + "/buecher/"

	b.navigate(page)
	b.waitFor("#anmelden")
	b.typeInto("#login", s.Pupil)
	b.typeInto("#passwort", "falsch")
	b.click("#anmelden")
	b.waitFor("#fehler")
	if got := b.text("#fehler"); got != "Login oder Passwort stimmt nicht." {
		t.Errorf("wrong password: got %q", got)
	}

	b.typeInto("#login", s.Pupil)
	b.typeInto("#passwort", pupilPW)
	b.click("#anmelden")
	b.waitFor("#formular")
	var fits bool
	b.eval(`document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth <= 400`, &fits)
	if !fits {
		t.Error("the page is wider than the phone's screen")
	}
	var scripts int
	b.eval(`document.scripts.length`, &scripts)
	if scripts != 0 {
		t.Errorf("the page has %d scripts, want none", scripts)
	}
	form := b.text("#formular")
	for _, want := range []string{"Klasse 4", "Mathe-Welt 4", "8,73 €", "Arbeitsheft: bitte selbst kaufen", "33,23 €"} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %q:\n%s", want, form)
		}
	}
	// Single titles: maths and Sachunterricht borrowed, the reading book
	// bought; the reduction for three children.
	b.click("#paket-nein")
	b.click(fmt.Sprintf("#t%d-leihen", l.maths.ID))
	b.click(fmt.Sprintf("#t%d-kaufen", l.reading.ID))
	b.click(fmt.Sprintf("#t%d-leihen", l.sachu.ID))
	b.typeInto("#erziehungsberechtigt", "Eva Schmidt")
	b.click("#ermaessigung")
	// Without accepting the terms the form comes back with the choices kept.
	b.click("#absenden")
	b.waitFor("#fehler")
	if got := b.text("#fehler"); !strings.Contains(got, "Leihbedingungen") {
		t.Errorf("terms not accepted: got %q", got)
	}
	var kept bool
	b.eval(fmt.Sprintf(`document.querySelector("#t%d-kaufen").checked && document.querySelector("#ermaessigung").checked && document.querySelector("#erziehungsberechtigt").value === "Eva Schmidt"`, l.reading.ID), &kept)
	if !kept {
		t.Error("the form lost the choices")
	}
	b.click("#bedingungen")
	b.click("#absenden")
	b.waitFor("#zahlung")

	own, err := s.as(s.Pupil).LendingOwn(ctx)
	if err != nil || own.Registration == nil || own.Account == nil {
		t.Fatalf("the registration: %+v, %v", own, err)
	}
	ref := own.Account.Reference
	if !own.Registration.Reduction || own.Registration.Channel != "online" || own.Registration.DueCents != 2042 {
		t.Errorf("registered: got %+v", own.Registration)
	}
	if got := b.text("#hinweis"); !strings.Contains(got, "Vielen Dank") {
		t.Errorf("notice: got %q", got)
	}
	checks := map[string]string{"#betrag": "20,42 €", "#iban": "DE89 3704 0044 0532 0130 00", "#verwendungszweck": ref}
	for sel, want := range checks {
		if got := b.text(sel); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	if got := b.text("#anmeldung"); !strings.Contains(got, "Nachweis für die Ermäßigung") || !strings.Contains(got, "Lesebuch 4") {
		t.Errorf("the registration on screen:\n%s", got)
	}
	inbox, err := s.as(s.Pupil).MailPage(ctx, "inbox", "", 10)
	if err != nil || len(inbox.Messages) != 1 || !inbox.Messages[0].System {
		t.Fatalf("the child's mailbox: %+v, %v", inbox, err)
	}
	msg, err := s.as(s.Pupil).MailMessage(ctx, inbox.Messages[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Zu zahlen: 20,42 €", "IBAN: DE89 3704 0044 0532 0130 00", "Verwendungszweck: " + ref, "Ermäßigung"} {
		if !strings.Contains(msg.Body, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg.Body)
		}
	}

	b.click("#abmelden")
	b.waitFor("#anmelden")
	if got := b.text("#hinweis"); got != "Sie sind abgemeldet." {
		t.Errorf("after logging out: got %q", got)
	}

	// A child with a one-time password: the page asks for a new one first.
	b.typeInto("#login", s.MustChange)
	b.typeInto("#passwort", s.MustChangePW)
	b.click("#anmelden")
	b.waitFor("#speichern")
	b.typeInto("#alt", s.MustChangePW)
	b.typeInto("#neu", "Neu-Passwort-77")
	b.typeInto("#neu2", "Neu-Passwort-7")
	b.click("#speichern")
	b.waitFor("#fehler")
	if got := b.text("#fehler"); got != "Die beiden neuen Passwörter sind nicht gleich." {
		t.Errorf("mismatch: got %q", got)
	}
	b.typeInto("#alt", s.MustChangePW)
	b.typeInto("#neu", "Neu-Passwort-77")
	b.typeInto("#neu2", "Neu-Passwort-77")
	b.click("#speichern")
	b.waitFor("#formular")
	if got := b.text("#hinweis"); !strings.Contains(got, "neue Passwort ist gespeichert") {
		t.Errorf("after the change: got %q", got)
	}
	if sess, err := s.anon().Login(ctx, s.MustChange, "Neu-Passwort-77", ""); err != nil || sess.MustChangePassword {
		t.Errorf("login with the new password: %+v, %v", sess, err)
	}
	if password.Check("Neu-Passwort-77") != nil {
		t.Fatal("the test's password breaks the policy")
	}
}

// The page without a browser: its headers, a form without its token, and
// the protocol of its logins.
func TestParentsPageForms(t *testing.T) {
	s := newSchool(t)
	s.lendingSetup(s.as(s.Admin))
	jar, _ := cookiejar.New(nil)
	c := s.httpClient()
	c.Jar = jar
	resp, err := c.Get(s.BaseURL + "/buecher/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") ||
		resp.Header.Get("X-Frame-Options") != "DENY" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("headers: %v", resp.Header)
	}
	resp, err = c.PostForm(s.BaseURL+"/buecher/anmelden", url.Values{"login": {s.Pupil}, "passwort": {pupilPW}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(s.BaseURL + "/buecher/")
	var cookie *http.Cookie
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "kaspel_buecher" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie after the login")
	}
	// A form without the token (another site's) registers nothing.
	noRedirect := s.httpClient()
	noRedirect.Jar = jar
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = noRedirect.PostForm(s.BaseURL+"/buecher/anmeldung", url.Values{"paket": {"ja"}, "erziehungsberechtigt": {"X"}, "bedingungen": {"ja"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/buecher/?formular=1" {
		t.Errorf("without the token: got %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if own, err := s.as(s.Pupil).LendingOwn(ctx); err != nil || own.Registration != nil {
		t.Errorf("registered without the token: %+v, %v", own.Registration, err)
	}
	// The cookie is no API token for another path, and the API's bearer
	// token is no page session.
	if status, code := s.raw("", "GET", "/api/v1/lending/own", nil); status != http.StatusUnauthorized || code != wire.CodeUnauthenticated {
		t.Errorf("the API without a bearer token: %d %s", status, code)
	}
	// The page's logins are in the protocol like the API's, marked "web".
	s.FlushAudit()
	entries := s.readProtocol(serverapi.ProtocolQuery{Login: s.Pupil, Kind: "login"})
	found := false
	for _, e := range entries {
		found = found || e.Action == "login" && e.Success && e.Service == "web" && e.Computer == "Elternseite /buecher/"
	}
	if !found {
		t.Errorf("the page's login is not in the protocol: %+v", entries)
	}
	// Throttled like the API: after too many wrong passwords.
	for i := 0; i < 12; i++ {
		resp, err := c.PostForm(s.BaseURL+"/buecher/anmelden", url.Values{"login": {s.Pupil2}, "passwort": {"falsch"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err = c.PostForm(s.BaseURL+"/buecher/anmelden", url.Values{"login": {s.Pupil2}, "passwort": {pupilPW}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Zu viele falsche Versuche") {
		t.Errorf("no throttle after 12 wrong passwords")
	}
	_, err = s.anon().Login(ctx, s.Pupil2, pupilPW, "")
	wantCode(t, err, wire.CodeRateLimited, "the API login after the page's failures")
}

// What fails on the page comes back as a German page, not as the API's
// JSON: a form too large to read, and the page with the lending switched
// off.
func TestParentsPageFailuresArePages(t *testing.T) {
	s := newSchool(t)
	s.lendingSetup(s.as(s.Admin))
	c := s.httpClient()
	check := func(name string, resp *http.Response, status int, want string) {
		t.Helper()
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: %d %q %q", name, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
		}
		if page := string(body); !strings.Contains(page, want) || !strings.Contains(page, `href="/buecher/"`) || strings.Contains(page, `{"error"`) {
			t.Errorf("%s: page %q, want %q and the way back", name, page, want)
		}
	}
	big := strings.NewReader("login=" + strings.Repeat("x", 2<<20))
	req, _ := http.NewRequest("POST", s.BaseURL+"/buecher/anmelden", big)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	check("a form of 2 MB", resp, http.StatusRequestEntityTooLarge, "Das Formular war zu groß.")

	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleLending, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	resp, err = c.Get(s.BaseURL + "/buecher/")
	if err != nil {
		t.Fatal(err)
	}
	check("lending switched off", resp, http.StatusNotFound, "nicht eingeschaltet")
	// The API itself still answers in JSON.
	resp, err = c.Get(s.BaseURL + "/api/v1/lending/abilities")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("the API answered %q", resp.Header.Get("Content-Type"))
	}
}

// Parents take the registration back on the page: only after ticking
// that they mean it; afterwards the page offers the registration again
// and the API shows none.
func TestParentsPageWithdraw(t *testing.T) {
	s := newSchool(t)
	s.lendingSetup(s.as(s.Admin))
	reg, err := s.as(s.Pupil).LendingRegisterOwn(ctx, wire.LendingRegistrationInput{Package: true, Guardian: "Eva Schmidt", AcceptTerms: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.as(s.Secretary).LendingAddPayment(ctx, wire.LendingPaymentInput{Reference: reg.Account.Reference, AmountCents: 1000}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := s.httpClient()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	page := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(body)
	}
	if status, _ := page(c.PostForm(s.BaseURL+"/buecher/anmelden", url.Values{"login": {s.Pupil}, "passwort": {pupilPW}})); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	_, home := page(c.Get(s.BaseURL + "/buecher/"))
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(home)
	if m == nil || !strings.Contains(home, `id="zuruecknehmen"`) {
		t.Fatalf("the registered child's page has no way to take it back: %q", home)
	}
	status, body := page(c.PostForm(s.BaseURL+"/buecher/zuruecknehmen", url.Values{"csrf": {m[1]}}))
	if status != http.StatusOK || !strings.Contains(body, "Bitte kreuzen Sie an") {
		t.Errorf("without the tick: %d %q", status, body)
	}
	if own, err := s.as(s.Pupil).LendingOwn(ctx); err != nil || own.Registration == nil {
		t.Fatalf("taken back without the tick: %+v, %v", own.Registration, err)
	}
	resp, err := c.PostForm(s.BaseURL+"/buecher/zuruecknehmen", url.Values{"csrf": {m[1]}, "bestaetigt": {"ja"}})
	if status, _ := page(resp, err); status != http.StatusSeeOther || resp.Header.Get("Location") != "/buecher/?zurueckgenommen=1" {
		t.Errorf("taking back: %d %s", status, resp.Header.Get("Location"))
	}
	_, home = page(c.Get(s.BaseURL + "/buecher/?zurueckgenommen=1"))
	if !strings.Contains(home, "Die Anmeldung ist zurückgenommen") || strings.Contains(home, `id="zuruecknehmen"`) || !strings.Contains(home, `id="absenden"`) {
		t.Errorf("the page afterwards: %q", home)
	}
	// Before the school year nothing is kept: the payment goes back.
	if !strings.Contains(home, `id="zahlung-ohne-anmeldung"`) || !strings.Contains(home, "Die Schule zahlt Ihnen 10,00 € zurück.") ||
		!strings.Contains(home, reg.Account.Reference) {
		t.Errorf("the page does not say that the 10,00 € come back: %q", home)
	}
	if own, err := s.as(s.Pupil).LendingOwn(ctx); err != nil || own.Registration != nil {
		t.Errorf("the API still shows a registration: %+v, %v", own.Registration, err)
	}
}
