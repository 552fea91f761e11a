package lending

import (
	"strconv"
	"strings"
	"time"

	"kaspel/server/store"
)

// Year is a school year of the lending with its dates, the school's bank
// account and the fee rules the Schulvorstand set for it.
type Year struct {
	ID                                  int64
	Name                                string // "2026/27"
	Start, SecondHalf, End              string // YYYY-MM-DD; joiners from SecondHalf on pay half
	RegistrationFrom, RegistrationUntil string // the window for online registration
	PaymentDue                          string
	ReturnDue                           string // claims are provisional until this day
	IBAN, AccountHolder, Bank           string
	Rules                               Rules
	// Terms are the lending conditions parents accept; "" is the
	// standard text (StandardTerms).
	Terms     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StartYear is the calendar year the school year starts in (2026 for
// 2026/27), the year in its payment references.
func (y Year) StartYear() int {
	n, _ := strconv.Atoi(y.Start[:4])
	return n
}

// TermsText is the conditions parents accept for this year.
func (y Year) TermsText() string {
	if strings.TrimSpace(y.Terms) != "" {
		return y.Terms
	}
	return StandardTerms
}

// RegistrationOpen tells whether parents can register online on the day.
func (y Year) RegistrationOpen(today string) bool {
	return y.RegistrationFrom <= today && today <= y.RegistrationUntil
}

// StandardTerms are the lending conditions of the decree as parents
// accept them when the school has not written its own.
const StandardTerms = `Die Bücher bleiben Eigentum der Schule und werden nur für die Leihzeit überlassen.
Die Bücher sind pfleglich zu behandeln: bitte einschlagen, nichts hineinschreiben, nichts herausreißen.
Schäden, die schon bei der Ausgabe bestehen, melden Sie bitte innerhalb von 14 Tagen im Sekretariat.
Die Bücher werden bis zum Rückgabetermin vollständig zurückgegeben (mehrjährige Bände nach dem letzten Nutzungsjahr).
Für beschädigte oder verlorene Bücher ersetzen Sie den Zeitwert (Ladenpreis abzüglich der Leihentgelte der genutzten Jahre).
Ohne Anmeldung und Zahlung bis zum Zahlungstermin müssen Sie die Bücher selbst kaufen.
Die Angaben zur Ermäßigung oder Befreiung weisen Sie bis zum genannten Termin im Sekretariat nach; sonst ist das volle Leihentgelt zu zahlen.`

// Title is a book title.
type Title struct {
	ID         int64
	ISBN       string
	Title      string
	Publisher  string
	Subject    string
	Grades     []int
	Price      int64 // shop price in cents
	YearsOfUse int   // 1, or 2 for a two-year volume
	Consumable bool  // workbooks: bought, never lent
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Stock counts, in lists and on reading one title.
	Copies, InStock, Lent int
}

func (t Title) terms() TitleTerms {
	return TitleTerms{Price: t.Price, YearsOfUse: t.YearsOfUse, Consumable: t.Consumable}
}

// GradesText is "3, 4".
func (t Title) GradesText() string {
	parts := make([]string, len(t.Grades))
	for i, g := range t.Grades {
		parts[i] = strconv.Itoa(g)
	}
	return strings.Join(parts, ", ")
}

// TitleInput is a title as the coordinator enters it.
type TitleInput struct {
	ISBN       string
	Title      string
	Publisher  string
	Subject    string
	Grades     []int
	Price      int64
	YearsOfUse int
	Consumable bool
}

// Fee is a title's fee in a year.
type Fee struct {
	Title    Title
	Default  int64 // from the year's rules
	Fee      int64 // what counts: the coordinator's or the default
	Override bool  // the coordinator set it
}

// BookList is the list of a grade in a year.
type BookList struct {
	YearID      int64
	Grade       int
	Published   bool
	PublishedAt time.Time
	Titles      []ListTitle
}

// ListTitle is a title on a book list with its fee of the year.
type ListTitle struct {
	Title
	Fee int64
}

// Condition is what a copy looks like.
type Condition string

// The conditions.
const (
	ConditionNew     Condition = "new"
	ConditionGood    Condition = "good"
	ConditionWorn    Condition = "worn"
	ConditionDamaged Condition = "damaged"
)

// German names the condition.
func (c Condition) German() string {
	switch c {
	case ConditionNew:
		return "neu"
	case ConditionGood:
		return "gut"
	case ConditionWorn:
		return "gebraucht"
	case ConditionDamaged:
		return "beschädigt"
	}
	return string(c)
}

func parseCondition(s string) (Condition, error) {
	switch c := Condition(s); c {
	case ConditionNew, ConditionGood, ConditionWorn, ConditionDamaged:
		return c, nil
	case "":
		return ConditionNew, nil
	}
	return "", refuse(Invalid, "condition", "Der Zustand ist „new“, „good“, „worn“ oder „damaged“.", "condition %q", s)
}

// CopyStatus is where a copy is.
type CopyStatus string

// The states of a copy.
const (
	InStock CopyStatus = "in_stock"
	Lent    CopyStatus = "lent"
	Damaged CopyStatus = "damaged" // out of circulation until the coordinator decides
	Lost    CopyStatus = "lost"
	Retired CopyStatus = "retired" // sorted out (worn out, lent as often as allowed)
)

// German names the state.
func (s CopyStatus) German() string {
	switch s {
	case InStock:
		return "im Bestand"
	case Lent:
		return "ausgeliehen"
	case Damaged:
		return "beschädigt"
	case Lost:
		return "verloren"
	case Retired:
		return "ausgesondert"
	}
	return string(s)
}

// Copy is one physical book with its label.
type Copy struct {
	ID         int64
	Number     int64
	Code       string // the 7-digit barcode
	TitleID    int64
	Title      string
	ISBN       string
	AcquiredOn string
	Condition  Condition
	Status     CopyStatus
	LoanCount  int
	Note       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Loan is the open loan, if the copy is lent.
	Loan *Loan
	// History is every loan of the copy, newest first (GetCopy only):
	// for lending staff, never for pupils.
	History []Loan
}

// ReturnCondition is how a copy comes back.
type ReturnCondition string

// The conditions at return: the kiosk's buttons.
const (
	ReturnOK     ReturnCondition = "ok"
	ReturnLight  ReturnCondition = "light"  // slightly damaged
	ReturnMedium ReturnCondition = "medium" // clearly damaged
	ReturnTotal  ReturnCondition = "total"  // unusable
	ReturnLost   ReturnCondition = "lost"   // reported lost: nothing comes back
)

// German names the condition at return.
func (c ReturnCondition) German() string {
	switch c {
	case ReturnOK:
		return "in Ordnung"
	case ReturnLight:
		return "leicht beschädigt"
	case ReturnMedium:
		return "beschädigt"
	case ReturnTotal:
		return "unbrauchbar"
	case ReturnLost:
		return "verloren"
	}
	return string(c)
}

// ParseReturnCondition accepts the kiosk's conditions ("" is ok).
func ParseReturnCondition(s string) (ReturnCondition, error) {
	switch c := ReturnCondition(s); c {
	case ReturnOK, ReturnLight, ReturnMedium, ReturnTotal, ReturnLost:
		return c, nil
	case "":
		return ReturnOK, nil
	}
	return "", refuse(Invalid, "condition", "Der Zustand bei der Rückgabe ist „ok“, „light“, „medium“, „total“ oder „lost“.", "return condition %q", s)
}

// Loan is a copy lent to a pupil in a school year.
type Loan struct {
	ID              int64
	CopyID          int64
	CopyNumber      int64
	Code            string
	TitleID         int64
	Title           string
	YearsOfUse      int
	PersonID        int64 // 0: the pupil's account was purged (name kept)
	PupilLogin      string
	PupilName       string
	YearID          int64
	YearName        string
	Fee             int64 // the title's fee of the loan's year
	IssuedAt        time.Time
	IssuedBy        string
	ReturnedAt      time.Time // zero: still out
	ReturnedBy      string
	ReturnCondition ReturnCondition
}

// Open tells whether the copy is still out.
func (l Loan) Open() bool { return l.ReturnedAt.IsZero() }

// ClaimKind is what a claim is for.
type ClaimKind string

// The kinds of claims: the damage grades, lost, and not returned by the
// deadline (the nightly job's).
const (
	ClaimLight       ClaimKind = "light"
	ClaimMedium      ClaimKind = "medium"
	ClaimTotal       ClaimKind = "total"
	ClaimLost        ClaimKind = "lost"
	ClaimNotReturned ClaimKind = "not_returned"
)

// German names the claim's reason.
func (k ClaimKind) German() string {
	switch k {
	case ClaimLight:
		return "leicht beschädigt"
	case ClaimMedium:
		return "beschädigt"
	case ClaimTotal:
		return "unbrauchbar"
	case ClaimLost:
		return "verloren"
	case ClaimNotReturned:
		return "nicht zurückgegeben"
	}
	return string(k)
}

// ClaimState is a claim's stage.
type ClaimState string

// The stages: provisional until the return deadline (the book may still
// be found, the grade discussed), then fixed; cancelled when the book
// came back or the school waived it.
const (
	ClaimProvisional ClaimState = "provisional"
	ClaimFixed       ClaimState = "fixed"
	ClaimCancelled   ClaimState = "cancelled"
)

// German names the stage.
func (s ClaimState) German() string {
	switch s {
	case ClaimProvisional:
		return "vorläufig"
	case ClaimFixed:
		return "festgesetzt"
	case ClaimCancelled:
		return "aufgehoben"
	}
	return string(s)
}

// Claim is a claim for a damaged, lost or unreturned copy.
type Claim struct {
	ID           int64
	AccountID    int64
	Reference    string
	LoanID       int64
	PersonID     int64
	PupilLogin   string
	PupilName    string
	YearID       int64
	YearName     string
	Code         string
	Title        string
	Kind         ClaimKind
	Value        int64 // the copy's Zeitwert
	Percent      int
	Amount       int64
	State        ClaimState
	CreatedAt    time.Time
	CreatedBy    string
	FixedAt      time.Time
	CancelledAt  time.Time
	CancelledBy  string
	CancelReason string
}

// Channel is how a registration reached the school.
type Channel string

// The channels.
const (
	Online    Channel = "online"    // parents through the child's account
	Secretary Channel = "secretary" // the secretary on the parents' behalf
)

// Exemption is the reason a family pays nothing (decree: the benefits
// that free from the fee).
type Exemption string

// The reasons.
const (
	ExemptNone           Exemption = ""
	ExemptSGB2           Exemption = "sgb2"
	ExemptSGB8           Exemption = "sgb8"
	ExemptSGB12          Exemption = "sgb12"
	ExemptAsylbLG        Exemption = "asylblg"
	ExemptKinderzuschlag Exemption = "kinderzuschlag"
	ExemptWohngeld       Exemption = "wohngeld"
)

// Exemptions lists the reasons in the order forms show them.
var Exemptions = []Exemption{ExemptSGB2, ExemptSGB8, ExemptSGB12, ExemptAsylbLG, ExemptKinderzuschlag, ExemptWohngeld}

// German describes the reason as the decree names it.
func (e Exemption) German() string {
	switch e {
	case ExemptSGB2:
		return "Bürgergeld (SGB II)"
	case ExemptSGB8:
		return "Leistungen nach SGB VIII (Kinder- und Jugendhilfe)"
	case ExemptSGB12:
		return "Sozialhilfe (SGB XII)"
	case ExemptAsylbLG:
		return "Leistungen nach dem Asylbewerberleistungsgesetz"
	case ExemptKinderzuschlag:
		return "Kinderzuschlag (§ 6a BKGG)"
	case ExemptWohngeld:
		return "Wohngeld (mit Nachweis nach § 7 Abs. 1 Satz 3 Nr. 2 WoGG)"
	}
	return ""
}

// ParseExemption accepts the reasons ("" for none).
func ParseExemption(s string) (Exemption, error) {
	e := Exemption(strings.ToLower(strings.TrimSpace(s)))
	if e == ExemptNone {
		return e, nil
	}
	for _, x := range Exemptions {
		if x == e {
			return e, nil
		}
	}
	return "", refuse(Invalid, "exemption", "Diesen Befreiungsgrund gibt es nicht.", "exemption %q", s)
}

// Registration is a pupil's registration for a school year.
type Registration struct {
	ID              int64
	AccountID       int64
	Reference       string
	PersonID        int64
	YearID          int64
	YearName        string
	Grade           int
	Channel         Channel
	Package         bool
	Guardian        string
	Reduction       bool
	ReductionProof  Proof
	Exemption       Exemption
	ExemptionProof  Proof
	HalfYear        bool
	TermsAcceptedAt time.Time
	Full, Reduced   int64
	// Due is what is to be paid as the proofs stand (AmountDue);
	// Waiting tells that a proof is pending.
	Due        int64
	Waiting    bool
	Titles     []RegisteredTitle
	CreatedAt  time.Time
	CreatedBy  string
	ReplacedAt time.Time
}

// Borrows tells whether the registration borrows the title.
func (r *Registration) Borrows(titleID int64) bool {
	for _, t := range r.Titles {
		if t.TitleID == titleID {
			return t.Choice == Borrow
		}
	}
	return false
}

// RegisteredTitle is a title of a registration with the choice.
type RegisteredTitle struct {
	TitleID    int64
	ISBN       string
	Title      string
	Subject    string
	Choice     Choice
	Fee        int64
	Price      int64
	Consumable bool
	YearsOfUse int
}

// Account is a pupil's account in a year: the registration's amount and
// the claims against what was paid.
type Account struct {
	ID              int64
	PersonID        int64
	PupilLogin      string
	PupilName       string
	YearID          int64
	YearName        string
	Reference       string
	Registered      bool
	RegistrationDue int64
	ClaimsDue       int64 // provisional and fixed claims
	Paid            int64
	// Kept is what the school keeps of a registration taken back during
	// its year; it is the amount due while there is no registration.
	Kept      int64
	Waiting   bool
	Status    Status
	CreatedAt time.Time
}

// Balance is what is still to pay (negative: to pay back).
func (a Account) Balance() int64 { return a.RegistrationDue + a.ClaimsDue - a.Paid }

// PaidUp tells whether the registration's amount is covered.
func (a Account) PaidUp() bool { return a.Paid >= a.RegistrationDue }

// Payment is money received on an account (negative: paid back).
type Payment struct {
	ID         int64
	AccountID  int64
	Reference  string
	PupilName  string
	Amount     int64
	BookedOn   string
	Source     string // bank, manual
	BankLineID int64
	Payer      string
	Note       string
	CreatedAt  time.Time
	CreatedBy  string
}

// BankLine is a credit booking read from a bank statement.
type BankLine struct {
	ID         int64
	ImportID   int64
	Row        int
	BookedOn   string
	Amount     int64
	Payer      string
	IBAN       string
	Purpose    string
	State      string // matched, unmatched, ignored
	ResolvedAt time.Time
	ResolvedBy string
}

// today is the school's date at t.
func dateOf(t time.Time) string { return t.In(berlin).Format(store.DateFormat) }

// parseDate reads YYYY-MM-DD.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(store.DateFormat, s)
	return t, err == nil
}

// germanDate is "15.07.2026".
func germanDate(s string) string {
	t, ok := parseDate(s)
	if !ok {
		return s
	}
	return t.Format("02.01.2006")
}

// gradeOf is the grade of a class name ("3a" -> 3); 0 for groups
// without one ("daz").
func gradeOf(class string) int {
	n := 0
	for _, r := range class {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
