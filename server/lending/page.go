package lending

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
)

// The parents' page (/buecher/): parents have no Kaspel client at home,
// so the server renders a small German page for a phone. It is plain
// HTML with its style inline — no script, no font, no image, nothing
// from elsewhere — and every form carries the session's CSRF token. The
// HTTP flow (the login, the cookie, the forms) is the API's; this file
// only renders. html/template escapes every name and title.

const pageStyle = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4;line-height:1.5;font-size:1.05rem}
header{background:#1f5f3f;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-size:.9rem;opacity:.9}
header h1{margin:.1rem 0 0;font-size:1.3rem}
main{max-width:40rem;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:0 0 .5rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
input[type=text],input[type=password],select{width:100%;font-size:1.05rem;padding:.6rem;border:1px solid #888;border-radius:.4rem}
button{font-size:1.05rem;padding:.7rem 1.2rem;border:0;border-radius:.4rem;background:#1f5f3f;color:#fff;cursor:pointer;margin-top:.75rem;width:100%}
button.plain{background:#eee;color:#1a1a1a;width:auto}
fieldset{border:1px solid #ccc;border-radius:.4rem;margin:.5rem 0;padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
.choice label,.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:normal;margin:.35rem 0}
.choice input,.check input{width:1.3rem;height:1.3rem;flex:none;margin-top:.15rem}
.fee{color:#333;font-size:.95rem}
.error{background:#fdecea;border:2px solid #c62828;color:#8e1b1b;padding:.75rem;border-radius:.4rem;margin:0 0 1rem}
.notice{background:#e8f5e9;border:2px solid #2e7d32;padding:.75rem;border-radius:.4rem;margin:0 0 1rem}
.pay{font-size:1.1rem}
.pay dt{font-weight:600;margin-top:.4rem}
.pay dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.ref{font-size:1.3rem;font-weight:700}
.terms{white-space:pre-line;font-size:.95rem;background:#f6f6f4;padding:.5rem;border-radius:.4rem;max-height:16rem;overflow:auto}
ul.books{padding-left:1.2rem;margin:.25rem 0}
small{color:#555}
`

var pageTemplates = template.Must(template.New("page").Funcs(template.FuncMap{
	"euro":  Euro,
	"date":  germanDate,
	"iban":  FormatIBAN,
	"pct":   func(p int) string { return strconv.Itoa(p) + " %" },
	"field": func(id int64) string { return "t" + strconv.FormatInt(id, 10) },
	"neg":   func(v int64) int64 { return -v },
}).Parse(`{{define "top"}}<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} – {{.School}}</title>
<style>` + pageStyle + `</style>
</head>
<body>
<header><p>{{.School}}</p><h1>{{.Title}}</h1></header>
<main>
{{if .Error}}<p class="error" role="alert" id="fehler">{{.Error}}</p>{{end}}
{{if .Notice}}<p class="notice" role="status" id="hinweis">{{.Notice}}</p>{{end}}
{{end}}

{{define "bottom"}}</main>
</body>
</html>
{{end}}

{{define "login"}}{{template "top" .}}
<section>
<h2>Anmelden</h2>
<p>Melden Sie sich mit dem Schul-Login Ihres Kindes an (wie am Schulcomputer).</p>
<form method="post" action="/buecher/anmelden">
<label for="login">Login Ihres Kindes</label>
<input type="text" id="login" name="login" value="{{.Login}}" autocomplete="username" autocapitalize="none" spellcheck="false" required>
<label for="passwort">Passwort</label>
<input type="password" id="passwort" name="passwort" autocomplete="current-password" required>
<button type="submit" id="anmelden">Anmelden</button>
</form>
</section>
<p><small>Ohne Internet? Die Anmeldung zur Schulbuchausleihe nimmt auch das Sekretariat entgegen.</small></p>
{{template "bottom" .}}{{end}}

{{define "password"}}{{template "top" .}}
<section>
<h2>Neues Passwort wählen</h2>
<p>Das Konto von {{.Name}} hat ein vorläufiges Passwort. Bitte wählen Sie zuerst ein eigenes – gemeinsam mit Ihrem Kind, das es am Schulcomputer braucht.</p>
<ul>{{range .Rules}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="/buecher/passwort">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<label for="alt">Bisheriges Passwort</label>
<input type="password" id="alt" name="alt" autocomplete="current-password" required>
<label for="neu">Neues Passwort</label>
<input type="password" id="neu" name="neu" autocomplete="new-password" required>
<label for="neu2">Neues Passwort wiederholen</label>
<input type="password" id="neu2" name="neu2" autocomplete="new-password" required>
<button type="submit" id="speichern">Passwort speichern</button>
</form>
</section>
{{template "logout" .}}
{{template "bottom" .}}{{end}}

{{define "failure"}}{{template "top" .}}
<p><a href="/buecher/" id="zurueck">Zur Startseite der Schulbuchausleihe</a></p>
{{template "bottom" .}}{{end}}

{{define "logout"}}<form method="post" action="/buecher/abmelden"><input type="hidden" name="csrf" value="{{.CSRF}}"><button type="submit" class="plain" id="abmelden">Abmelden</button></form>{{end}}

{{define "home"}}{{template "top" .}}
{{with .Own}}{{if .Registration}}<section id="anmeldung">
<h2>Anmeldung {{.Year.Name}}</h2>
<p>Angemeldet am {{.Registration.CreatedAt.Format "02.01.2006"}} für Klasse {{.Registration.Grade}}{{if .Registration.Package}} (ganzes Bücherpaket){{end}}.</p>
<p>Geliehen:</p>
<ul class="books">{{range .Registration.Titles}}{{if eq .Choice "borrow"}}<li>{{.Title}} <span class="fee">({{euro .Fee}})</span></li>{{end}}{{end}}</ul>
{{with $.BuyList}}<p>Bitte selbst kaufen:</p><ul class="books">{{range .}}<li>{{.Title}} <small>ISBN {{.ISBN}}</small></li>{{end}}</ul>{{end}}
{{if .Registration.Waiting}}<p><strong>Bitte geben Sie den Nachweis für die {{if .Registration.Exemption}}Befreiung{{else}}Ermäßigung{{end}} bis zum {{date .Year.PaymentDue}} im Sekretariat ab.</strong></p>{{end}}
{{with .Account}}<dl class="pay" id="zahlung">
<dt>Zu zahlen</dt><dd id="betrag">{{euro .RegistrationDue}}</dd>
{{if .Paid}}<dt>Bezahlt</dt><dd>{{euro .Paid}}</dd>{{end}}
<dt>Stand</dt><dd id="stand">{{.Status.German}}</dd>
{{if gt .RegistrationDue .Paid}}<dt>Zahlbar bis</dt><dd>{{date $.Own.Year.PaymentDue}}</dd>
{{if $.Own.Year.AccountHolder}}<dt>Kontoinhaber</dt><dd>{{$.Own.Year.AccountHolder}}</dd>{{end}}
{{if $.Own.Year.IBAN}}<dt>IBAN</dt><dd id="iban">{{iban $.Own.Year.IBAN}}</dd>{{end}}
{{if $.Own.Year.Bank}}<dt>Bank</dt><dd>{{$.Own.Year.Bank}}</dd>{{end}}{{end}}
<dt>Verwendungszweck</dt><dd class="ref" id="verwendungszweck">{{.Reference}}</dd>
</dl>
{{if gt .RegistrationDue .Paid}}<p><small>Bitte geben Sie den Verwendungszweck genau so an: Daran erkennt die Schule Ihre Zahlung. Die Bestätigung steht auch im Postfach Ihres Kindes.</small></p>{{end}}{{end}}
{{if $.Offer.Open}}<form method="post" action="/buecher/zuruecknehmen" id="zuruecknehmen-formular">
<input type="hidden" name="csrf" value="{{$.CSRF}}">
<label class="check"><input type="checkbox" name="bestaetigt" value="ja" id="zuruecknehmen-ja"> Wir nehmen die Anmeldung zurück und kaufen die Bücher selbst.</label>
<button type="submit" class="plain" id="zuruecknehmen">Anmeldung zurücknehmen</button>
</form>{{end}}
</section>{{else}}{{with .Account}}{{if ne .Balance 0}}<section id="zahlung-ohne-anmeldung">
<h2>Schulbuchausleihe {{$.Own.Year.Name}}: Zahlung</h2>
<dl class="pay">
{{if .RegistrationDue}}<dt>Leihentgelt (Anmeldung zurückgenommen)</dt><dd>{{euro .RegistrationDue}}</dd>{{end}}
{{if .ClaimsDue}}<dt>Ersatzforderungen</dt><dd>{{euro .ClaimsDue}}</dd>{{end}}
{{if .Paid}}<dt>Bezahlt</dt><dd>{{euro .Paid}}</dd>{{end}}
<dt>Stand</dt><dd id="stand">{{.Status.German}}</dd>
{{if gt .Balance 0}}<dt>Noch zu zahlen</dt><dd id="betrag">{{euro .Balance}}</dd>
{{if $.Own.Year.IBAN}}<dt>IBAN</dt><dd id="iban">{{iban $.Own.Year.IBAN}}</dd>{{end}}{{end}}
<dt>Verwendungszweck</dt><dd class="ref" id="verwendungszweck">{{.Reference}}</dd>
</dl>
{{if lt .Balance 0}}<p>Die Schule zahlt Ihnen {{euro (neg .Balance)}} zurück.</p>{{end}}
</section>{{end}}{{end}}{{end}}{{end}}

{{with .Offer}}{{if .Open}}<section id="formular">
<h2>{{if $.Own.Registration}}Anmeldung ändern{{else}}Anmeldung{{end}} zur Schulbuchausleihe {{.Year.Name}}</h2>
<p>Bücherliste für Klasse {{.Grade}} von {{.Pupil.FirstName}}. Anmeldeschluss: {{date .Year.RegistrationUntil}}.{{if $.Own.Registration}} Eine neue Anmeldung ersetzt die bisherige; der Verwendungszweck bleibt.{{end}}</p>
{{if .HalfYear}}<p>Ihr Kind kommt im zweiten Schulhalbjahr dazu: Sie zahlen das halbe Leihentgelt.</p>{{end}}
<form method="post" action="/buecher/anmeldung">
<input type="hidden" name="csrf" value="{{$.CSRF}}">
<fieldset class="choice"><legend>Wie möchten Sie leihen?</legend>
<label><input type="radio" name="paket" value="ja" id="paket-ja"{{if $.Form.Package}} checked{{end}}> Das ganze Bücherpaket leihen ({{euro $.PackageFee}})</label>
{{if not .Year.Rules.PackageOnly}}<label><input type="radio" name="paket" value="nein" id="paket-nein"{{if not $.Form.Package}} checked{{end}}> Einzeln wählen (unten)</label>{{else}}<p><small>Die Schule verleiht nur das ganze Paket.</small></p>{{end}}
</fieldset>
{{range .List.Titles}}<fieldset class="choice" id="titel-{{.ID}}"><legend>{{.Title.Title}}</legend>
<small>{{if .Subject}}{{.Subject}} · {{end}}ISBN {{.ISBN}} · Ladenpreis {{euro .Price}}</small>
{{if .Consumable}}<p class="fee">Arbeitsheft: bitte selbst kaufen.</p>
{{else if $.Offer.Year.Rules.PackageOnly}}<p class="fee">Leihentgelt {{euro .Fee}}{{if eq .YearsOfUse 2}} für zwei Schuljahre{{end}}</p>
{{else}}<label><input type="radio" name="{{field .ID}}" value="leihen" id="{{field .ID}}-leihen"{{if $.Form.Borrows .ID}} checked{{end}}> leihen für {{euro .Fee}}{{if eq .YearsOfUse 2}} (zwei Schuljahre){{end}}</label>
<label><input type="radio" name="{{field .ID}}" value="kaufen" id="{{field .ID}}-kaufen"{{if not ($.Form.Borrows .ID)}} checked{{end}}> selbst kaufen</label>{{end}}
</fieldset>
{{end}}
<label for="erziehungsberechtigt">Name einer/eines Erziehungsberechtigten</label>
<input type="text" id="erziehungsberechtigt" name="erziehungsberechtigt" value="{{$.Form.Guardian}}" autocomplete="name" required>
<fieldset><legend>Ermäßigung oder Befreiung</legend>
<label class="check"><input type="checkbox" name="ermaessigung" value="ja" id="ermaessigung"{{if $.Form.Reduction}} checked{{end}}> Wir haben drei oder mehr schulpflichtige Kinder: Wir zahlen {{pct .Year.Rules.ReductionPct}} (Nachweis: Schulbescheinigungen).</label>
<label for="befreiung">Befreiung vom Leihentgelt wegen</label>
<select name="befreiung" id="befreiung"><option value="">– keine Befreiung –</option>
{{range $.Exemptions}}<option value="{{.Value}}"{{if eq .Value $.Form.Exemption}} selected{{end}}>{{.Text}}</option>{{end}}</select>
<p><small>Den Nachweis geben Sie bis zum {{date .Year.PaymentDue}} im Sekretariat ab.</small></p>
</fieldset>
<fieldset><legend>Leihbedingungen</legend>
<div class="terms" id="bedingungen-text">{{.Year.TermsText}}</div>
<label class="check"><input type="checkbox" name="bedingungen" value="ja" id="bedingungen"> Ich habe die Leihbedingungen gelesen und erkenne sie an.</label>
</fieldset>
<button type="submit" id="absenden">Verbindlich anmelden</button>
</form>
</section>{{else}}<section id="geschlossen"><h2>Anmeldung</h2><p>{{.Reason}}</p></section>{{end}}{{end}}

{{with .Current}}<section id="buecher">
<h2>Bücher von {{.Pupil.FirstName}}</h2>
{{if .Loans}}<ul class="books">{{range .Loans}}<li>{{.Title}} <small>(Nr. {{.Code}}, {{.YearName}})</small></li>{{end}}</ul>{{else}}<p>Zurzeit ist kein Buch ausgeliehen.</p>{{end}}
{{if .Claims}}<h2>Ersatzforderungen</h2><ul class="books">{{range .Claims}}<li>{{.Title}} ({{.Code}}): {{.Kind.German}}, {{euro .Amount}} <small>({{.State.German}}, Verwendungszweck {{.Reference}})</small></li>{{end}}</ul>
{{if .ClaimsOpen}}<p><strong>Offen: {{euro .ClaimsOpen}}</strong></p>{{end}}{{end}}
</section>{{end}}
{{template "logout" .}}
{{template "bottom" .}}{{end}}
`))

// PageBase is what every page has.
type PageBase struct {
	School string
	Title  string
	Error  string
	Notice string
	CSRF   string
}

// LoginPage is the login form.
type LoginPage struct {
	PageBase
	Login string
}

// PasswordPage asks a must-change account for its own password first.
type PasswordPage struct {
	PageBase
	Name  string
	Rules []string
}

// FormValues are what the parents chose (kept when the form comes back
// with an error).
type FormValues struct {
	Package   bool
	Borrow    map[int64]bool
	Guardian  string
	Reduction bool
	Exemption string
}

// Borrows tells whether the title is chosen to borrow.
func (f FormValues) Borrows(id int64) bool { return f.Package || f.Borrow[id] }

// HomePage is the child's page: the registration, the form, the books.
type HomePage struct {
	PageBase
	Own        Own   // the state of the registration year
	Offer      Offer // the form (if Open)
	Form       FormValues
	PackageFee int64 // what the whole package costs
	BuyList    []RegisteredTitle
	Exemptions []ExemptionOption
	// Current is the panel whose books the child has now.
	Current Panel
}

// ExemptionOption is a reason of the select.
type ExemptionOption struct{ Value, Text string }

// NewHomePage fills the page from the child's state and offer.
func NewHomePage(base PageBase, own Own, offer Offer, form *FormValues) HomePage {
	h := HomePage{PageBase: base, Own: own, Offer: offer, Current: own.Panel}
	if own.Other != nil {
		h.Current = *own.Other
		h.Current.Claims = own.Claims
		h.Current.ClaimsOpen = own.ClaimsOpen
	}
	for _, e := range Exemptions {
		h.Exemptions = append(h.Exemptions, ExemptionOption{Value: string(e), Text: e.German()})
	}
	for _, t := range offer.List.Titles {
		if !t.Consumable {
			h.PackageFee += t.Fee
		}
	}
	if offer.HalfYear {
		h.PackageFee = roundDiv(h.PackageFee, 2)
	}
	if r := own.Registration; r != nil {
		for _, t := range r.Titles {
			if t.Choice == Buy {
				h.BuyList = append(h.BuyList, t)
			}
		}
	}
	switch {
	case form != nil:
		h.Form = *form
	case own.Registration != nil:
		r := own.Registration
		h.Form = FormValues{Package: r.Package, Borrow: map[int64]bool{}, Guardian: r.Guardian, Reduction: r.Reduction, Exemption: string(r.Exemption)}
		for _, t := range r.Titles {
			h.Form.Borrow[t.TitleID] = t.Choice == Borrow
		}
	default:
		h.Form = FormValues{Package: true}
	}
	return h
}

// RenderLogin writes the login page.
func RenderLogin(w io.Writer, p LoginPage) error {
	p.PageBase = p.PageBase.titled()
	return render(w, "login", p)
}

// RenderPassword writes the password page.
func RenderPassword(w io.Writer, p PasswordPage) error {
	p.PageBase = p.PageBase.titled()
	return render(w, "password", p)
}

// RenderHome writes the child's page.
func RenderHome(w io.Writer, p HomePage) error {
	p.PageBase = p.PageBase.titled()
	return render(w, "home", p)
}

// RenderFailure writes a page that only says what went wrong (base.Error)
// and leads back to the start.
func RenderFailure(w io.Writer, base PageBase) error {
	return render(w, "failure", base.titled())
}

func (b PageBase) titled() PageBase {
	if b.Title == "" {
		b.Title = "Schulbuchausleihe"
	}
	return b
}

func render(w io.Writer, name string, data any) error {
	if err := pageTemplates.ExecuteTemplate(w, name, data); err != nil {
		return fmt.Errorf("lending: page %s: %w", name, err)
	}
	return nil
}
