package wire

import "time"

// Types of the textbook lending (/api/v1/lending/...); documented in
// docs/api/lending.md. Money is integer cents (…_cents), percentages are
// percent, dates YYYY-MM-DD.

// Lending modes of the kiosk's scan.
const (
	LendingModeDesk      = "desk"      // the counter: issue or take back, as the copy's state says
	LendingModeReturn    = "return"    // return day: take back with a condition
	LendingModeInventory = "inventory" // label new copies of a title
	LendingModeClass     = "class"     // class sets
)

// Kinds of scan answers.
const (
	LendingScanPupil     = "pupil"
	LendingScanChoose    = "choose"
	LendingScanIssued    = "issued"
	LendingScanReturned  = "returned"
	LendingScanTitle     = "title"
	LendingScanCopyAdded = "copy_added"
	LendingScanCopy      = "copy"
	LendingScanConfirm   = "confirm"
	LendingScanRefused   = "refused"
)

// Levels of scan answers: the kiosk's colour and sound.
const (
	LendingLevelOK      = "ok"
	LendingLevelWarning = "warning"
	LendingLevelError   = "error"
)

// Conditions of a copy at its return.
const (
	LendingReturnOK     = "ok"
	LendingReturnLight  = "light"
	LendingReturnMedium = "medium"
	LendingReturnTotal  = "total"
	LendingReturnLost   = "lost"
)

// LendingAbilities is GET /api/v1/lending/abilities: what the caller may
// do, so the client shows the right screens.
type LendingAbilities struct {
	Coordinator bool            `json:"coordinator"` // titles, lists, fees, copies, years, reports
	Staff       bool            `json:"staff"`       // registrations, payments, kiosk
	Classes     []string        `json:"classes"`     // a teacher's classes (class state, class sets)
	CurrentYear *LendingYearRef `json:"current_year,omitempty"`
}

// LendingYearRef names a school year in answers about something else.
type LendingYearRef struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	PaymentDue string `json:"payment_due"`
	ReturnDue  string `json:"return_due"`
}

// LendingYear is a school year with its dates, bank account and fee rules.
type LendingYear struct {
	ID int64 `json:"id"`
	LendingYearInput
	// TermsText is the conditions in force (the school's or the standard).
	TermsText        string `json:"terms_text"`
	RegistrationOpen bool   `json:"registration_open"`
}

// LendingYearInput is POST /api/v1/lending/years and PUT .../{year}.
type LendingYearInput struct {
	Name              string  `json:"name"` // "2026/27"
	StartsOn          string  `json:"starts_on"`
	SecondHalfOn      string  `json:"second_half_on"`
	EndsOn            string  `json:"ends_on"`
	RegistrationFrom  string  `json:"registration_from"`
	RegistrationUntil string  `json:"registration_until"`
	PaymentDue        string  `json:"payment_due"`
	ReturnDue         string  `json:"return_due"`
	IBAN              string  `json:"iban"`
	AccountHolder     string  `json:"account_holder"`
	Bank              string  `json:"bank"`
	RateMinPct        float64 `json:"rate_min_pct"`
	RateMaxPct        float64 `json:"rate_max_pct"`
	RatePct           float64 `json:"rate_pct"`
	MultiYearPct      float64 `json:"multi_year_pct"`
	RoundToCents      int64   `json:"round_to_cents"`
	ReductionPct      int     `json:"reduction_pct"`
	PackageOnly       bool    `json:"package_only"`
	DamageLightPct    int     `json:"damage_light_pct"`
	DamageMediumPct   int     `json:"damage_medium_pct"`
	DamageTotalPct    int     `json:"damage_total_pct"`
	Terms             string  `json:"terms"` // "" for the standard conditions
}

// LendingYears is GET /api/v1/lending/years.
type LendingYears struct {
	Years []LendingYear `json:"years"`
	// Current is the year the kiosk works in (0: none yet).
	Current int64 `json:"current"`
	// Template holds the configured default rules for a new year.
	Template LendingYearInput `json:"template"`
}

// LendingTitle is a book title with its stock.
type LendingTitle struct {
	ID int64 `json:"id"`
	LendingTitleInput
	Copies  int `json:"copies"`   // not lost or sorted out
	InStock int `json:"in_stock"` // can go out now
	Lent    int `json:"lent"`
}

// LendingTitleInput is POST /api/v1/lending/titles and PUT .../{title}.
type LendingTitleInput struct {
	ISBN       string `json:"isbn"` // ISBN-13 (or -10), hyphens allowed
	Title      string `json:"title"`
	Publisher  string `json:"publisher"`
	Subject    string `json:"subject"`
	Grades     []int  `json:"grades"`
	PriceCents int64  `json:"price_cents"`
	YearsOfUse int    `json:"years_of_use"` // 1 or 2
	Consumable bool   `json:"consumable"`   // workbooks: bought, never lent
}

// LendingTitles is GET /api/v1/lending/titles.
type LendingTitles struct {
	Titles []LendingTitle `json:"titles"`
}

// LendingFee is a title's fee in a year.
type LendingFee struct {
	Title        LendingTitle `json:"title"`
	DefaultCents int64        `json:"default_cents"`
	FeeCents     int64        `json:"fee_cents"`
	Override     bool         `json:"override"`
}

// LendingFees is GET /api/v1/lending/years/{year}/fees.
type LendingFees struct {
	Year LendingYearRef `json:"year"`
	Fees []LendingFee   `json:"fees"`
}

// LendingFeeInput is PUT /api/v1/lending/years/{year}/fees/{title}; a
// null fee returns to the default.
type LendingFeeInput struct {
	FeeCents *int64 `json:"fee_cents"`
}

// LendingListTitle is a title on a book list with its fee.
type LendingListTitle struct {
	Title    LendingTitle `json:"title"`
	FeeCents int64        `json:"fee_cents"`
}

// LendingList is a grade's book list.
type LendingList struct {
	Grade       int                `json:"grade"`
	Published   bool               `json:"published"`
	PublishedAt *time.Time         `json:"published_at,omitempty"`
	Titles      []LendingListTitle `json:"titles"`
}

// LendingLists is GET /api/v1/lending/years/{year}/lists.
type LendingLists struct {
	Year  LendingYearRef `json:"year"`
	Lists []LendingList  `json:"lists"`
}

// LendingListInput is PUT /api/v1/lending/years/{year}/lists/{grade}.
type LendingListInput struct {
	Titles    []int64 `json:"titles"` // in order
	Published bool    `json:"published"`
}

// LendingLoan is a copy lent to a pupil.
type LendingLoan struct {
	ID              int64      `json:"id"`
	Code            string     `json:"code"`
	TitleID         int64      `json:"title_id"`
	Title           string     `json:"title"`
	Pupil           string     `json:"pupil"` // login ("" once the account is purged)
	PupilName       string     `json:"pupil_name"`
	YearID          int64      `json:"year_id"`
	Year            string     `json:"year"`
	FeeCents        int64      `json:"fee_cents"`
	IssuedAt        time.Time  `json:"issued_at"`
	IssuedBy        string     `json:"issued_by"`
	ReturnedAt      *time.Time `json:"returned_at,omitempty"`
	ReturnedBy      string     `json:"returned_by,omitempty"`
	ReturnCondition string     `json:"return_condition,omitempty"`
}

// LendingCopy is a copy with its label number.
type LendingCopy struct {
	Code           string        `json:"code"` // 7 digits
	Number         int64         `json:"number"`
	TitleID        int64         `json:"title_id"`
	Title          string        `json:"title"`
	ISBN           string        `json:"isbn"`
	AcquiredOn     string        `json:"acquired_on"`
	Condition      string        `json:"condition"` // new, good, worn, damaged
	ConditionTitle string        `json:"condition_title"`
	Status         string        `json:"status"` // in_stock, lent, damaged, lost, retired
	StatusTitle    string        `json:"status_title"`
	LoanCount      int           `json:"loan_count"`
	Note           string        `json:"note,omitempty"`
	Loan           *LendingLoan  `json:"loan,omitempty"`
	History        []LendingLoan `json:"history,omitempty"` // GET /api/v1/lending/copies/{code} only
}

// LendingCopies is a list of copies.
type LendingCopies struct {
	Copies []LendingCopy `json:"copies"`
}

// LendingCopiesInput is POST /api/v1/lending/copies.
type LendingCopiesInput struct {
	Title      int64   `json:"title"`
	Count      int     `json:"count,omitempty"`   // new numbers
	Numbers    []int64 `json:"numbers,omitempty"` // or these (pre-printed labels)
	AcquiredOn string  `json:"acquired_on,omitempty"`
	Condition  string  `json:"condition,omitempty"`
	LoanCount  int     `json:"loan_count,omitempty"` // loans before Kaspel
	Note       string  `json:"note,omitempty"`
}

// LendingCopyChange is PATCH /api/v1/lending/copies/{code}.
type LendingCopyChange struct {
	Status    *string `json:"status,omitempty"`
	Condition *string `json:"condition,omitempty"`
	Note      *string `json:"note,omitempty"`
}

// LendingRegisteredTitle is a title of a registration with the choice.
type LendingRegisteredTitle struct {
	TitleID    int64  `json:"title_id"`
	ISBN       string `json:"isbn"`
	Title      string `json:"title"`
	Subject    string `json:"subject"`
	Choice     string `json:"choice"` // borrow, buy
	FeeCents   int64  `json:"fee_cents"`
	PriceCents int64  `json:"price_cents"`
	Consumable bool   `json:"consumable"`
	YearsOfUse int    `json:"years_of_use"`
}

// LendingRegistration is a pupil's registration for a year.
type LendingRegistration struct {
	ID             int64                    `json:"id"`
	Reference      string                   `json:"reference"`
	YearID         int64                    `json:"year_id"`
	Year           string                   `json:"year"`
	Grade          int                      `json:"grade"`
	Channel        string                   `json:"channel"` // online, secretary
	Package        bool                     `json:"package"`
	Guardian       string                   `json:"guardian"`
	Reduction      bool                     `json:"reduction"`
	ReductionProof string                   `json:"reduction_proof,omitempty"` // pending, accepted, rejected
	Exemption      string                   `json:"exemption,omitempty"`       // sgb2, sgb8, sgb12, asylblg, kinderzuschlag, wohngeld
	ExemptionTitle string                   `json:"exemption_title,omitempty"`
	ExemptionProof string                   `json:"exemption_proof,omitempty"`
	HalfYear       bool                     `json:"half_year"`
	FullCents      int64                    `json:"full_cents"`
	ReducedCents   int64                    `json:"reduced_cents"`
	DueCents       int64                    `json:"due_cents"` // as the proofs stand
	Waiting        bool                     `json:"waiting"`   // a proof is pending
	Titles         []LendingRegisteredTitle `json:"titles"`
	CreatedAt      time.Time                `json:"created_at"`
	CreatedBy      string                   `json:"created_by"`
}

// LendingChoice is a title's choice in a registration.
type LendingChoice struct {
	Title  int64  `json:"title"`
	Choice string `json:"choice"` // borrow, buy
}

// LendingRegistrationInput is POST /api/v1/lending/own/registration and
// POST /api/v1/lending/pupils/{login}/registration.
type LendingRegistrationInput struct {
	Year        int64           `json:"year,omitempty"`
	Package     bool            `json:"package"`
	Choices     []LendingChoice `json:"choices,omitempty"`
	Guardian    string          `json:"guardian"`
	Reduction   bool            `json:"reduction"`
	Exemption   string          `json:"exemption,omitempty"`
	AcceptTerms bool            `json:"accept_terms"`
	// The secretary's only:
	HalfYear       *bool  `json:"half_year,omitempty"`
	ReductionProof string `json:"reduction_proof,omitempty"`
	ExemptionProof string `json:"exemption_proof,omitempty"`
}

// LendingAccount is a pupil's account of a year: what is due and paid.
type LendingAccount struct {
	Reference            string `json:"reference"`
	Pupil                string `json:"pupil"`
	PupilName            string `json:"pupil_name"`
	YearID               int64  `json:"year_id"`
	Year                 string `json:"year"`
	Registered           bool   `json:"registered"`
	RegistrationDueCents int64  `json:"registration_due_cents"` // without a registration: what the school keeps of one taken back during its year
	ClaimsDueCents       int64  `json:"claims_due_cents"`
	PaidCents            int64  `json:"paid_cents"`
	BalanceCents         int64  `json:"balance_cents"` // still to pay; negative: to pay back
	Status               string `json:"status"`        // none, waiting, due, paid, refund
	StatusTitle          string `json:"status_title"`
	PaidUp               bool   `json:"paid_up"` // the registration is covered
}

// LendingAccounts is GET /api/v1/lending/years/{year}/accounts: the
// treasury's overview.
type LendingAccounts struct {
	Year          LendingYearRef   `json:"year"`
	Accounts      []LendingAccount `json:"accounts"`
	DueCents      int64            `json:"due_cents"`
	PaidCents     int64            `json:"paid_cents"`
	CountByStatus map[string]int   `json:"count_by_status"`
}

// LendingPayment is money received on an account (negative: paid back).
type LendingPayment struct {
	ID          int64     `json:"id"`
	Reference   string    `json:"reference"`
	AmountCents int64     `json:"amount_cents"`
	BookedOn    string    `json:"booked_on"`
	Source      string    `json:"source"` // bank, manual
	Payer       string    `json:"payer,omitempty"`
	Note        string    `json:"note,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
}

// LendingAccountDetail is GET /api/v1/lending/accounts/{reference}.
type LendingAccountDetail struct {
	Account  LendingAccount   `json:"account"`
	Payments []LendingPayment `json:"payments"`
	Claims   []LendingClaim   `json:"claims"`
}

// LendingPaymentInput is POST /api/v1/lending/payments: cash taken, or
// (negative) money paid back. Reference, or pupil and year.
type LendingPaymentInput struct {
	Reference   string `json:"reference,omitempty"`
	Pupil       string `json:"pupil,omitempty"`
	Year        int64  `json:"year,omitempty"`
	AmountCents int64  `json:"amount_cents"`
	Date        string `json:"date,omitempty"`
	Note        string `json:"note,omitempty"`
}

// LendingClaim is a claim for a damaged, lost or unreturned copy.
type LendingClaim struct {
	ID           int64      `json:"id"`
	Reference    string     `json:"reference"`
	Pupil        string     `json:"pupil"`
	PupilName    string     `json:"pupil_name"`
	Year         string     `json:"year"`
	Code         string     `json:"code"`
	Title        string     `json:"title"`
	Kind         string     `json:"kind"` // light, medium, total, lost, not_returned
	KindTitle    string     `json:"kind_title"`
	ValueCents   int64      `json:"value_cents"` // the Zeitwert
	Percent      int        `json:"percent"`
	AmountCents  int64      `json:"amount_cents"`
	State        string     `json:"state"` // provisional, fixed, cancelled
	StateTitle   string     `json:"state_title"`
	CreatedAt    time.Time  `json:"created_at"`
	FixedAt      *time.Time `json:"fixed_at,omitempty"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	CancelReason string     `json:"cancel_reason,omitempty"`
}

// LendingClaims is GET /api/v1/lending/claims.
type LendingClaims struct {
	Claims []LendingClaim `json:"claims"`
}

// LendingClaimCancel is POST /api/v1/lending/claims/{claim}/cancel.
type LendingClaimCancel struct {
	Reason string `json:"reason"`
}

// LendingBooked is a borrowed title of a registration and the copy the
// pupil has of it ("" if none yet).
type LendingBooked struct {
	TitleID  int64  `json:"title_id"`
	Title    string `json:"title"`
	Subject  string `json:"subject,omitempty"`
	ISBN     string `json:"isbn"`
	FeeCents int64  `json:"fee_cents"`
	Code     string `json:"code,omitempty"`
}

// LendingWarning is something the kiosk shows in colour.
type LendingWarning struct {
	Code    string `json:"code"` // not_registered, unpaid, proof_pending, open_claims, refund, last_loan, not_booked, has_title, other_pupil
	Message string `json:"message"`
}

// LendingPanel is a pupil's state: registration, payment, booked and
// missing titles, books out, claims.
type LendingPanel struct {
	Pupil           string               `json:"pupil"`
	Name            string               `json:"name"`
	FirstName       string               `json:"first_name"`
	LastName        string               `json:"last_name"`
	Class           string               `json:"class"`
	Card            string               `json:"card,omitempty"`
	Year            LendingYearRef       `json:"year"`
	Registration    *LendingRegistration `json:"registration,omitempty"`
	Account         *LendingAccount      `json:"account,omitempty"`
	Booked          []LendingBooked      `json:"booked"`
	Missing         []LendingBooked      `json:"missing"`
	Loans           []LendingLoan        `json:"loans"`
	Claims          []LendingClaim       `json:"claims"`
	ClaimsOpenCents int64                `json:"claims_open_cents"`
	Warnings        []LendingWarning     `json:"warnings"`
}

// LendingOwn is GET /api/v1/lending/own: the child's own state (for the
// parents), with the school's bank account.
type LendingOwn struct {
	LendingPanel
	Bank LendingBank `json:"bank"`
	// Current is the state of the year under way when the registration
	// year is another.
	Current *LendingPanel `json:"current,omitempty"`
}

// LendingBank is where parents pay.
type LendingBank struct {
	AccountHolder string `json:"account_holder"`
	IBAN          string `json:"iban"` // grouped in fours
	Bank          string `json:"bank"`
}

// LendingOffer is the book list a registration is made from.
type LendingOffer struct {
	Year      LendingYear          `json:"year"`
	Pupil     string               `json:"pupil"`
	PupilName string               `json:"pupil_name"`
	Class     string               `json:"class"`
	Grade     int                  `json:"grade"`
	Open      bool                 `json:"open"`
	Reason    string               `json:"reason,omitempty"`
	HalfYear  bool                 `json:"half_year"`
	Titles    []LendingListTitle   `json:"titles"`
	Current   *LendingRegistration `json:"current,omitempty"`
	Account   *LendingAccount      `json:"account,omitempty"`
}

// LendingRegistered is the answer to a registration.
type LendingRegistered struct {
	Registration LendingRegistration `json:"registration"`
	Account      LendingAccount      `json:"account"`
	Bank         LendingBank         `json:"bank"`
	PaymentDue   string              `json:"payment_due"`
	Replaced     bool                `json:"replaced"`
	Message      string              `json:"message"` // the confirmation that went into the child's mailbox
}

// LendingWithdrawn is DELETE /api/v1/lending/own/registration and
// DELETE /api/v1/lending/pupils/{login}/registration: the registration
// taken back and the account afterwards (money paid shows as refund).
type LendingWithdrawn struct {
	Registration LendingRegistration `json:"registration"`
	Account      LendingAccount      `json:"account"`
	Message      string              `json:"message"` // the notice that went into the child's mailbox
}

// LendingProofInput is PUT /api/v1/lending/pupils/{login}/proofs/{kind}.
type LendingProofInput struct {
	Year  int64  `json:"year,omitempty"`
	State string `json:"state"` // pending, accepted, rejected
}

// LendingPupilRef is a pupil in a search.
type LendingPupilRef struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Class string `json:"class"`
}

// LendingPupils is GET /api/v1/lending/pupils?q=.
type LendingPupils struct {
	Pupils []LendingPupilRef `json:"pupils"`
}

// LendingScan is POST /api/v1/lending/scan: one scan of the kiosk.
type LendingScan struct {
	Code      string `json:"code"`
	Mode      string `json:"mode,omitempty"`      // desk (default), return, inventory, class
	Pupil     string `json:"pupil,omitempty"`     // the selected pupil (login)
	Title     int64  `json:"title,omitempty"`     // inventory: the selected title
	Class     string `json:"class,omitempty"`     // class sets
	Condition string `json:"condition,omitempty"` // return: ok, light, medium, total, lost
	Year      int64  `json:"year,omitempty"`
	Confirm   bool   `json:"confirm,omitempty"` // issue despite the warnings of a "confirm" answer
}

// LendingClassProgress tells how far a class set is.
type LendingClassProgress struct {
	Class     string `json:"class"`
	TitleID   int64  `json:"title_id"`
	Title     string `json:"title"`
	IssuedTo  string `json:"issued_to,omitempty"`
	Remaining int    `json:"remaining"`
	Unpaid    int    `json:"unpaid"`
}

// LendingScanResult is the answer to a scan: what happened and all the
// screen shows next.
type LendingScanResult struct {
	Kind              string                `json:"kind"`
	Level             string                `json:"level"`
	Message           string                `json:"message"`
	Warnings          []LendingWarning      `json:"warnings,omitempty"`
	NeedsConfirmation bool                  `json:"needs_confirmation,omitempty"`
	Year              LendingYearRef        `json:"year"`
	Pupil             *LendingPanel         `json:"pupil,omitempty"`
	Copy              *LendingCopy          `json:"copy,omitempty"`
	Title             *LendingTitle         `json:"title,omitempty"`
	Loan              *LendingLoan          `json:"loan,omitempty"`
	Claim             *LendingClaim         `json:"claim,omitempty"`
	Candidates        []LendingPupilRef     `json:"candidates,omitempty"`
	Class             *LendingClassProgress `json:"class,omitempty"`
}

// LendingReturn is POST /api/v1/lending/loans/{loan}/return.
type LendingReturn struct {
	Condition string `json:"condition"`
}

// LendingClassPupil is a pupil's row of a class's state.
type LendingClassPupil struct {
	Pupil       string          `json:"pupil"`
	Name        string          `json:"name"`
	Card        string          `json:"card,omitempty"`
	Registered  bool            `json:"registered"`
	Status      string          `json:"status"`
	StatusTitle string          `json:"status_title"`
	PaidUp      bool            `json:"paid_up"`
	Booked      []LendingBooked `json:"booked"`
	Missing     int             `json:"missing"`
	// Lending staff only:
	Reference string `json:"reference,omitempty"`
	DueCents  int64  `json:"due_cents,omitempty"`
	PaidCents int64  `json:"paid_cents,omitempty"`
}

// LendingClass is GET /api/v1/lending/classes/{class}.
type LendingClass struct {
	Class  string              `json:"class"`
	Year   LendingYearRef      `json:"year"`
	Titles []LendingBooked     `json:"titles"`
	Pupils []LendingClassPupil `json:"pupils"`
}

// LendingMapping names the bank export's columns by their header.
type LendingMapping struct {
	Date    string   `json:"date"`
	Amount  string   `json:"amount"`
	Purpose []string `json:"purpose"`
	Payer   string   `json:"payer,omitempty"`
	IBAN    string   `json:"iban,omitempty"`
	Sign    string   `json:"sign,omitempty"`
}

// LendingImportLine is a booking of an import.
type LendingImportLine struct {
	Row         int    `json:"row"`
	Date        string `json:"date"`
	AmountCents int64  `json:"amount_cents"`
	Payer       string `json:"payer,omitempty"`
	IBAN        string `json:"iban,omitempty"`
	Purpose     string `json:"purpose"`
	State       string `json:"state"` // matched, unmatched, duplicate
	Reference   string `json:"reference,omitempty"`
	PupilName   string `json:"pupil_name,omitempty"`
	Reason      string `json:"reason,omitempty"`
	LineID      int64  `json:"line_id,omitempty"`
}

// LendingImport is POST /api/v1/lending/payments/import.
type LendingImport struct {
	DryRun     bool                `json:"dry_run"`
	Encoding   string              `json:"encoding"`
	Separator  string              `json:"separator"`
	Header     []string            `json:"header"`
	Mapping    LendingMapping      `json:"mapping"`
	Lines      []LendingImportLine `json:"lines"`
	Matched    int                 `json:"matched"`
	Unmatched  int                 `json:"unmatched"`
	Duplicates int                 `json:"duplicates"`
	Debits     int                 `json:"debits"`
	Skipped    int                 `json:"skipped"`
	TotalCents int64               `json:"total_cents"`
}

// LendingBankLine is a booking waiting to be matched by hand.
type LendingBankLine struct {
	ID          int64  `json:"id"`
	Row         int    `json:"row"`
	Date        string `json:"date"`
	AmountCents int64  `json:"amount_cents"`
	Payer       string `json:"payer,omitempty"`
	IBAN        string `json:"iban,omitempty"`
	Purpose     string `json:"purpose"`
	State       string `json:"state"`
}

// LendingBankLines is GET /api/v1/lending/payments/unmatched.
type LendingBankLines struct {
	Lines []LendingBankLine `json:"lines"`
}

// LendingLineResolve is POST /api/v1/lending/payments/unmatched/{line}:
// the reference to book it on, or "" for "no lending payment".
type LendingLineResolve struct {
	Reference string `json:"reference"`
}

// LendingOrderRow is a title's need for a year.
type LendingOrderRow struct {
	Title     LendingTitle `json:"title"`
	Needed    int          `json:"needed"`
	Available int          `json:"available"`
	Order     int          `json:"order"`
}

// LendingOrders is GET /api/v1/lending/years/{year}/orders.
type LendingOrders struct {
	Year LendingYearRef    `json:"year"`
	Rows []LendingOrderRow `json:"rows"`
}

// LendingLabelsInput is POST /api/v1/lending/labels (answer: a PDF).
// One of count (new numbers), from/to (a reprint) or title.
type LendingLabelsInput struct {
	Sheet string `json:"sheet,omitempty"` // L4736REV (default) or 3474
	Start int    `json:"start,omitempty"` // first free position on the sheet
	Count int    `json:"count,omitempty"`
	From  int64  `json:"from,omitempty"`
	To    int64  `json:"to,omitempty"`
	Title int64  `json:"title,omitempty"`
}

// LendingCardsInput is POST /api/v1/lending/cards (answer: a PDF).
type LendingCardsInput struct {
	Class string `json:"class,omitempty"`
	Pupil string `json:"pupil,omitempty"`
	Start int    `json:"start,omitempty"`
}
