package serverapi

import (
	"bytes"
	"context"
	"net/url"
	"strconv"

	"kaspel/shared/wire"
)

// Textbook lending calls (docs/api/lending.md). The kiosk needs one call
// per scan: LendingScan answers with everything the screen shows next.

func lendingYearPath(id int64) string { return "/api/v1/lending/years/" + strconv.FormatInt(id, 10) }

func yearQuery(year int64) url.Values {
	v := url.Values{}
	if year != 0 {
		v.Set("year", strconv.FormatInt(year, 10))
	}
	return v
}

// LendingAbilities tells what the caller may do in the lending.
func (c *Client) LendingAbilities(ctx context.Context) (wire.LendingAbilities, error) {
	var a wire.LendingAbilities
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/abilities", out: &a})
	return a, err
}

// LendingScan sends one scan of the kiosk (code as the scanner typed it,
// the mode and the selected pupil, title or class) and returns what
// happened with the pupil's panel after it.
func (c *Client) LendingScan(ctx context.Context, s wire.LendingScan) (wire.LendingScanResult, error) {
	var r wire.LendingScanResult
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/scan", json: s, out: &r})
	return r, err
}

// LendingReturnLoan takes back a loan by its id, for a book reported lost
// (condition "lost") that cannot be scanned.
func (c *Client) LendingReturnLoan(ctx context.Context, loan int64, condition string) (wire.LendingScanResult, error) {
	var r wire.LendingScanResult
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/loans/" + strconv.FormatInt(loan, 10) + "/return",
		json: wire.LendingReturn{Condition: condition}, out: &r})
	return r, err
}

// --- the child's own account (parents)

// LendingOwn returns the child's own state: registration, amount, bank
// account, reference, books and claims.
func (c *Client) LendingOwn(ctx context.Context) (wire.LendingOwn, error) {
	var o wire.LendingOwn
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/own", out: &o})
	return o, err
}

// LendingOwnOffer returns the book list the child can be registered for.
func (c *Client) LendingOwnOffer(ctx context.Context) (wire.LendingOffer, error) {
	var o wire.LendingOffer
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/own/offer", out: &o})
	return o, err
}

// LendingRegisterOwn registers the child (parents, through its account).
func (c *Client) LendingRegisterOwn(ctx context.Context, in wire.LendingRegistrationInput) (wire.LendingRegistered, error) {
	var r wire.LendingRegistered
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/own/registration", json: in, out: &r})
	return r, err
}

// LendingWithdrawOwn takes back the child's registration while the
// registration is open.
func (c *Client) LendingWithdrawOwn(ctx context.Context) (wire.LendingWithdrawn, error) {
	var w wire.LendingWithdrawn
	err := c.do(ctx, request{method: "DELETE", path: "/api/v1/lending/own/registration", out: &w})
	return w, err
}

// --- years, titles, fees, lists (coordinator; reading: staff)

// LendingYears lists the school years with the current one and a
// template of the default rules.
func (c *Client) LendingYears(ctx context.Context) (wire.LendingYears, error) {
	var y wire.LendingYears
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/years", out: &y})
	return y, err
}

// LendingCreateYear enters a school year.
func (c *Client) LendingCreateYear(ctx context.Context, in wire.LendingYearInput) (wire.LendingYear, error) {
	var y wire.LendingYear
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/years", json: in, out: &y})
	return y, err
}

// LendingUpdateYear changes a school year.
func (c *Client) LendingUpdateYear(ctx context.Context, id int64, in wire.LendingYearInput) (wire.LendingYear, error) {
	var y wire.LendingYear
	err := c.do(ctx, request{method: "PUT", path: lendingYearPath(id), json: in, out: &y})
	return y, err
}

// LendingFees lists every title's fee in a year.
func (c *Client) LendingFees(ctx context.Context, year int64) (wire.LendingFees, error) {
	var f wire.LendingFees
	err := c.do(ctx, request{method: "GET", path: lendingYearPath(year) + "/fees", out: &f})
	return f, err
}

// LendingSetFee sets a title's fee in a year; nil returns to the default.
func (c *Client) LendingSetFee(ctx context.Context, year, title int64, cents *int64) (wire.LendingFee, error) {
	var f wire.LendingFee
	err := c.do(ctx, request{method: "PUT", path: lendingYearPath(year) + "/fees/" + strconv.FormatInt(title, 10),
		json: wire.LendingFeeInput{FeeCents: cents}, out: &f})
	return f, err
}

// LendingLists returns a year's book lists with the fees.
func (c *Client) LendingLists(ctx context.Context, year int64) (wire.LendingLists, error) {
	var l wire.LendingLists
	err := c.do(ctx, request{method: "GET", path: lendingYearPath(year) + "/lists", out: &l})
	return l, err
}

// LendingPutList sets a grade's book list (titles in order) and whether
// parents see it.
func (c *Client) LendingPutList(ctx context.Context, year int64, grade int, titles []int64, published bool) (wire.LendingList, error) {
	var l wire.LendingList
	if titles == nil {
		titles = []int64{}
	}
	err := c.do(ctx, request{method: "PUT", path: lendingYearPath(year) + "/lists/" + strconv.Itoa(grade),
		json: wire.LendingListInput{Titles: titles, Published: published}, out: &l})
	return l, err
}

// LendingAccounts returns the treasury's overview of a year.
func (c *Client) LendingAccounts(ctx context.Context, year int64) (wire.LendingAccounts, error) {
	var a wire.LendingAccounts
	err := c.do(ctx, request{method: "GET", path: lendingYearPath(year) + "/accounts", out: &a})
	return a, err
}

// LendingOrders returns what to order for a year.
func (c *Client) LendingOrders(ctx context.Context, year int64) (wire.LendingOrders, error) {
	var o wire.LendingOrders
	err := c.do(ctx, request{method: "GET", path: lendingYearPath(year) + "/orders", out: &o})
	return o, err
}

// LendingTitles lists the titles, narrowed by a search term ("" for all).
func (c *Client) LendingTitles(ctx context.Context, q string) ([]wire.LendingTitle, error) {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	var t wire.LendingTitles
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/titles", query: v, out: &t})
	return t.Titles, err
}

// LendingTitle returns one title with its stock.
func (c *Client) LendingTitle(ctx context.Context, id int64) (wire.LendingTitle, error) {
	var t wire.LendingTitle
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/titles/" + strconv.FormatInt(id, 10), out: &t})
	return t, err
}

// LendingCreateTitle enters a title.
func (c *Client) LendingCreateTitle(ctx context.Context, in wire.LendingTitleInput) (wire.LendingTitle, error) {
	var t wire.LendingTitle
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/titles", json: in, out: &t})
	return t, err
}

// LendingUpdateTitle changes a title.
func (c *Client) LendingUpdateTitle(ctx context.Context, id int64, in wire.LendingTitleInput) (wire.LendingTitle, error) {
	var t wire.LendingTitle
	err := c.do(ctx, request{method: "PUT", path: "/api/v1/lending/titles/" + strconv.FormatInt(id, 10), json: in, out: &t})
	return t, err
}

// LendingDeleteTitle removes a title nothing refers to.
func (c *Client) LendingDeleteTitle(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: "/api/v1/lending/titles/" + strconv.FormatInt(id, 10)})
}

// LendingTitleCopies lists a title's copies.
func (c *Client) LendingTitleCopies(ctx context.Context, id int64) ([]wire.LendingCopy, error) {
	var l wire.LendingCopies
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/titles/" + strconv.FormatInt(id, 10) + "/copies", out: &l})
	return l.Copies, err
}

// --- copies

// LendingCreateCopies enters copies of a title.
func (c *Client) LendingCreateCopies(ctx context.Context, in wire.LendingCopiesInput) ([]wire.LendingCopy, error) {
	var l wire.LendingCopies
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/copies", json: in, out: &l})
	return l.Copies, err
}

// LendingCopy returns a copy with its whole history (lending staff).
func (c *Client) LendingCopy(ctx context.Context, code string) (wire.LendingCopy, error) {
	var cp wire.LendingCopy
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/copies/" + esc(code), out: &cp})
	return cp, err
}

// LendingUpdateCopy changes a copy's state, condition or note.
func (c *Client) LendingUpdateCopy(ctx context.Context, code string, ch wire.LendingCopyChange) (wire.LendingCopy, error) {
	var cp wire.LendingCopy
	err := c.do(ctx, request{method: "PATCH", path: "/api/v1/lending/copies/" + esc(code), json: ch, out: &cp})
	return cp, err
}

// --- pupils, registrations, classes

// LendingSearchPupils finds pupils by name or class.
func (c *Client) LendingSearchPupils(ctx context.Context, q string) ([]wire.LendingPupilRef, error) {
	var p wire.LendingPupils
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/pupils", query: url.Values{"q": {q}}, out: &p})
	return p.Pupils, err
}

// LendingPupil returns a pupil's panel (year 0: the current year).
func (c *Client) LendingPupil(ctx context.Context, login string, year int64) (wire.LendingPanel, error) {
	var p wire.LendingPanel
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/pupils/" + esc(login), query: yearQuery(year), out: &p})
	return p, err
}

// LendingPupilOffer returns the book list the secretary registers a pupil
// from (year 0: the year of the open registration, else the current).
func (c *Client) LendingPupilOffer(ctx context.Context, login string, year int64) (wire.LendingOffer, error) {
	var o wire.LendingOffer
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/pupils/" + esc(login) + "/offer", query: yearQuery(year), out: &o})
	return o, err
}

// LendingRegisterPupil registers a pupil for parents without internet.
func (c *Client) LendingRegisterPupil(ctx context.Context, login string, in wire.LendingRegistrationInput) (wire.LendingRegistered, error) {
	var r wire.LendingRegistered
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/pupils/" + esc(login) + "/registration", json: in, out: &r})
	return r, err
}

// LendingWithdrawPupil takes back a pupil's registration of a year (0:
// the year of the open registration, else the current one).
func (c *Client) LendingWithdrawPupil(ctx context.Context, login string, year int64) (wire.LendingWithdrawn, error) {
	var w wire.LendingWithdrawn
	err := c.do(ctx, request{method: "DELETE", path: "/api/v1/lending/pupils/" + esc(login) + "/registration", query: yearQuery(year), out: &w})
	return w, err
}

// LendingSetProof records a proof's state ("reduction" or "exemption").
func (c *Client) LendingSetProof(ctx context.Context, login, kind string, year int64, state string) (wire.LendingRegistration, error) {
	var r wire.LendingRegistration
	err := c.do(ctx, request{method: "PUT", path: "/api/v1/lending/pupils/" + esc(login) + "/proofs/" + esc(kind),
		json: wire.LendingProofInput{Year: year, State: state}, out: &r})
	return r, err
}

// LendingClass returns a class's state (its teachers and lending staff).
func (c *Client) LendingClass(ctx context.Context, class string, year int64) (wire.LendingClass, error) {
	var l wire.LendingClass
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/classes/" + esc(class), query: yearQuery(year), out: &l})
	return l, err
}

// --- claims and payments

// LendingClaims lists claims of a year (0: all) in a state ("": live).
func (c *Client) LendingClaims(ctx context.Context, year int64, state string) ([]wire.LendingClaim, error) {
	v := yearQuery(year)
	if state != "" {
		v.Set("state", state)
	}
	var l wire.LendingClaims
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/claims", query: v, out: &l})
	return l.Claims, err
}

// LendingCancelClaim waives a claim with a reason.
func (c *Client) LendingCancelClaim(ctx context.Context, id int64, reason string) (wire.LendingClaim, error) {
	var cl wire.LendingClaim
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/claims/" + strconv.FormatInt(id, 10) + "/cancel",
		json: wire.LendingClaimCancel{Reason: reason}, out: &cl})
	return cl, err
}

// LendingAccount returns an account with its payments and claims.
func (c *Client) LendingAccount(ctx context.Context, reference string) (wire.LendingAccountDetail, error) {
	var a wire.LendingAccountDetail
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/accounts/" + esc(reference), out: &a})
	return a, err
}

// LendingAddPayment books cash taken (or, negative, money paid back).
func (c *Client) LendingAddPayment(ctx context.Context, in wire.LendingPaymentInput) (wire.LendingAccount, error) {
	var a wire.LendingAccount
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/payments", json: in, out: &a})
	return a, err
}

// LendingImport imports the bank's CSV export (dryRun: only shows what
// would be booked).
func (c *Client) LendingImport(ctx context.Context, csv []byte, dryRun bool) (wire.LendingImport, error) {
	v := url.Values{}
	if dryRun {
		v.Set("dry_run", "1")
	}
	var r wire.LendingImport
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/payments/import", query: v, body: bytes.NewReader(csv), size: int64(len(csv)),
		contentType: "text/csv", out: &r})
	return r, err
}

// LendingMapping returns the stored column mapping of the bank export.
func (c *Client) LendingMapping(ctx context.Context) (wire.LendingMapping, error) {
	var m wire.LendingMapping
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/payments/mapping", out: &m})
	return m, err
}

// LendingSetMapping stores the column mapping of the bank export.
func (c *Client) LendingSetMapping(ctx context.Context, m wire.LendingMapping) (wire.LendingMapping, error) {
	var out wire.LendingMapping
	err := c.do(ctx, request{method: "PUT", path: "/api/v1/lending/payments/mapping", json: m, out: &out})
	return out, err
}

// LendingUnmatched lists the bookings waiting to be matched by hand.
func (c *Client) LendingUnmatched(ctx context.Context) ([]wire.LendingBankLine, error) {
	var l wire.LendingBankLines
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/payments/unmatched", out: &l})
	return l.Lines, err
}

// LendingResolveLine books an unmatched booking on a reference ("": it
// is no lending payment).
func (c *Client) LendingResolveLine(ctx context.Context, id int64, reference string) (wire.LendingBankLine, error) {
	var l wire.LendingBankLine
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/payments/unmatched/" + strconv.FormatInt(id, 10),
		json: wire.LendingLineResolve{Reference: reference}, out: &l})
	return l, err
}

// --- documents (PDF)

// LendingLabels prints copy labels.
func (c *Client) LendingLabels(ctx context.Context, in wire.LendingLabelsInput) ([]byte, error) {
	var pdf []byte
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/labels", json: in, raw: &pdf})
	return pdf, err
}

// LendingCards prints pupil cards (a class's or one pupil's).
func (c *Client) LendingCards(ctx context.Context, in wire.LendingCardsInput) ([]byte, error) {
	var pdf []byte
	err := c.do(ctx, request{method: "POST", path: "/api/v1/lending/cards", json: in, raw: &pdf})
	return pdf, err
}

// LendingDocument fetches one of the lists and letters as PDF: name is
// issue-list (class), missing, claim-letters (class optional), payments,
// book-list (grade) or order-list.
func (c *Client) LendingDocument(ctx context.Context, name string, year int64, class string, grade int) ([]byte, error) {
	v := yearQuery(year)
	if class != "" {
		v.Set("class", class)
	}
	if grade != 0 {
		v.Set("grade", strconv.Itoa(grade))
	}
	var pdf []byte
	err := c.do(ctx, request{method: "GET", path: "/api/v1/lending/documents/" + esc(name), query: v, raw: &pdf})
	return pdf, err
}
