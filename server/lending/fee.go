package lending

import (
	"fmt"
)

// The fee engine: pure functions over integer cents, tested on their
// own (fee_test.go). Nothing here reads the database or the clock.
//
// Rounding (decided once, here): every amount is rounded half up
// ("kaufmännisch") to the cent, and only where a new amount comes about:
//
//   - a title's default fee: shop price x rate, rounded to the cent, then
//     to Rules.RoundTo cents if the school wants round fees (10 ct, 1 EUR);
//   - a registration's total: the fees of the borrowed titles are added
//     exactly, and the sum is multiplied by the reduction (80 %) and the
//     half-year factor in one step and rounded once, so that a parent who
//     works it out from the printed fees gets the same cent;
//   - a claim: the Zeitwert (shop price less the fees of the years used,
//     exact) times the damage grade's percentage, rounded once.

// Rules are a school year's fee rules as the Schulvorstand decided them.
// Rates are basis points (3500 = 35 %).
type Rules struct {
	RateMin, RateMax int   // the band for one-year titles
	Rate             int   // the default rate, inside the band
	MultiYear        int   // the one-off rate of a two-year volume
	RoundTo          int64 // cents a default fee is rounded to: 1, 5, 10, 50 or 100
	ReductionPct     int   // what families with three or more school-age children pay (80)
	PackageOnly      bool  // the school lends only the whole list (Paketausleihe)
	// Damage grades, in percent of the Zeitwert. Lost and unreturned
	// books pay the whole Zeitwert.
	DamageLightPct, DamageMediumPct, DamageTotalPct int
}

// Check refuses rules that make no sense, with a German message.
func (r Rules) Check() error {
	switch {
	case r.RateMin < 0 || r.RateMax > 10000 || r.RateMin > r.RateMax:
		return refuse(Invalid, "rate_min_pct", "Die Spanne des Leihentgelts muss zwischen 0 und 100 % liegen (von … bis).", "band %d..%d", r.RateMin, r.RateMax)
	case r.Rate < r.RateMin || r.Rate > r.RateMax:
		return refuse(Invalid, "rate_pct", fmt.Sprintf("Der Regelsatz muss in der Spanne von %s bis %s liegen.", pctText(r.RateMin), pctText(r.RateMax)),
			"rate %d outside %d..%d", r.Rate, r.RateMin, r.RateMax)
	case r.MultiYear < 0 || r.MultiYear > 10000:
		return refuse(Invalid, "multi_year_pct", "Der Satz für mehrjährige Bände muss zwischen 0 und 100 % liegen.", "multi-year rate %d", r.MultiYear)
	case r.RoundTo != 1 && r.RoundTo != 5 && r.RoundTo != 10 && r.RoundTo != 50 && r.RoundTo != 100:
		return refuse(Invalid, "round_to_cents", "Gerundet wird auf 1, 5, 10 oder 50 Cent oder auf ganze Euro (100).", "round to %d", r.RoundTo)
	case r.ReductionPct < 0 || r.ReductionPct > 100:
		return refuse(Invalid, "reduction_pct", "Die Ermäßigung muss zwischen 0 und 100 % liegen.", "reduction %d", r.ReductionPct)
	}
	for _, p := range []int{r.DamageLightPct, r.DamageMediumPct, r.DamageTotalPct} {
		if p < 0 || p > 100 {
			return refuse(Invalid, "damage_pct", "Die Schadensstufen müssen zwischen 0 und 100 % des Zeitwerts liegen.", "damage %d", p)
		}
	}
	if r.DamageLightPct > r.DamageMediumPct || r.DamageMediumPct > r.DamageTotalPct {
		return refuse(Invalid, "damage_pct", "Die Schadensstufen steigen an: leicht ≤ mittel ≤ total.", "damage grades not ascending")
	}
	return nil
}

// roundDiv is num/den rounded half up, for num >= 0 and den > 0.
func roundDiv(num, den int64) int64 {
	if num < 0 {
		return -roundDiv(-num, den)
	}
	return (2*num + den) / (2 * den)
}

// TitleTerms is what the fee of a title depends on.
type TitleTerms struct {
	Price      int64 // shop price in cents
	YearsOfUse int   // 1 or 2
	Consumable bool  // workbooks: bought, never lent
}

// DefaultFee is a title's fee in a year unless the coordinator sets one:
// the default rate of the shop price, a two-year volume's own rate, and
// nothing for consumables, which are never lent.
func DefaultFee(r Rules, t TitleTerms) int64 {
	if t.Consumable {
		return 0
	}
	rate := r.Rate
	if t.YearsOfUse == 2 {
		rate = r.MultiYear
	}
	fee := roundDiv(t.Price*int64(rate), 10000)
	if r.RoundTo > 1 {
		fee = roundDiv(fee, r.RoundTo) * r.RoundTo
	}
	return fee
}

// CheckFee refuses a fee the coordinator sets outside what the school's
// rules allow: for a one-year title inside the band of the shop price,
// for a two-year volume at most the shop price; consumables have none.
func CheckFee(r Rules, t TitleTerms, fee int64) error {
	if t.Consumable {
		return refuse(Invalid, "fee_cents", "Verbrauchsmaterial (Arbeitshefte) wird nicht verliehen und hat kein Leihentgelt.", "fee for a consumable")
	}
	if fee < 0 {
		return refuse(Invalid, "fee_cents", "Das Leihentgelt kann nicht negativ sein.", "negative fee %d", fee)
	}
	if t.YearsOfUse == 2 {
		if fee > t.Price {
			return refuse(Invalid, "fee_cents", "Das Leihentgelt darf nicht höher sein als der Ladenpreis.", "fee %d over price %d", fee, t.Price)
		}
		return nil
	}
	lo, hi := roundDiv(t.Price*int64(r.RateMin), 10000), roundDiv(t.Price*int64(r.RateMax), 10000)
	if fee < lo || fee > hi {
		return refuse(Invalid, "fee_cents", fmt.Sprintf("Das Leihentgelt muss zwischen %s und %s liegen (%s bis %s des Ladenpreises, wie der Schulvorstand beschlossen hat).",
			Euro(lo), Euro(hi), pctText(r.RateMin), pctText(r.RateMax)), "fee %d outside %d..%d", fee, lo, hi)
	}
	return nil
}

// Choice is what parents choose for a title: borrow it or buy it.
type Choice string

// The choices.
const (
	Borrow Choice = "borrow"
	Buy    Choice = "buy"
)

// German is the choice for parents.
func (c Choice) German() string {
	if c == Borrow {
		return "leihen"
	}
	return "selbst kaufen"
}

// Line is one title of a book list with the parents' choice.
type Line struct {
	Title      int64
	Fee        int64 // the year's fee of the title
	Price      int64
	Consumable bool
	Choice     Choice
}

// Relief is what a family applies for.
type Relief struct {
	Reduction bool // three or more school-age children: Rules.ReductionPct
	Exempt    bool // SGB II, VIII, XII, AsylbLG, Kinderzuschlag, Wohngeld: nothing to pay
	HalfYear  bool // joining in the second half-year: half the fee
}

// Quote is what a registration costs.
type Quote struct {
	Subtotal int64 // the fees of the borrowed titles, added up
	// Full is what is due without reduction or exemption (half-year
	// already applied): what a family pays whose proof is rejected.
	Full int64
	// Reduced is Full with the reduction; equal to Full without one.
	Reduced int64
	// Due is what the family pays as it applied: 0 when exempt, Reduced
	// with a reduction, else Full.
	Due      int64
	BuyTotal int64 // the shop prices of what the parents buy themselves
	Borrowed int   // how many titles are borrowed
}

// QuoteFor works out a registration's amounts. The whole package
// borrows every title that can be lent; a school that lends only the
// package refuses single choices; consumables are always bought.
func QuoteFor(r Rules, lines []Line, pkg bool, rel Relief) (Quote, error) {
	var q Quote
	for i, l := range lines {
		choice := l.Choice
		if pkg && !l.Consumable {
			choice = Borrow
		}
		switch {
		case l.Consumable && choice == Borrow:
			return q, refuse(Invalid, "titles", "Arbeitshefte und anderes Verbrauchsmaterial werden nicht verliehen, sondern gekauft.", "line %d: consumable borrowed", i)
		case choice != Borrow && choice != Buy:
			return q, refuse(Invalid, "titles", "Bitte wählen Sie für jedes Buch „leihen“ oder „selbst kaufen“.", "line %d: choice %q", i, choice)
		case r.PackageOnly && !l.Consumable && choice != Borrow:
			return q, refuse(Invalid, "package", "Die Schule verleiht nur das ganze Bücherpaket. Einzelne Bücher können nicht abgewählt werden.", "package only")
		}
		if choice == Borrow {
			q.Subtotal += l.Fee
			q.Borrowed++
		} else {
			q.BuyTotal += l.Price
		}
	}
	if q.Borrowed == 0 {
		return q, refuse(Invalid, "titles", "Sie haben kein Buch zum Leihen gewählt. Wer alle Bücher selbst kauft, muss sich nicht anmelden.", "nothing borrowed")
	}
	if rel.Reduction && rel.Exempt {
		return q, refuse(Invalid, "exemption", "Bitte beantragen Sie entweder die Ermäßigung oder die Befreiung, nicht beides.", "reduction and exemption")
	}
	half := int64(1)
	if rel.HalfYear {
		half = 2
	}
	q.Full = roundDiv(q.Subtotal, half)
	q.Reduced = q.Full
	if rel.Reduction {
		q.Reduced = roundDiv(q.Subtotal*int64(r.ReductionPct), 100*half)
	}
	switch {
	case rel.Exempt:
		q.Due = 0
	case rel.Reduction:
		q.Due = q.Reduced
	default:
		q.Due = q.Full
	}
	return q, nil
}

// Proof is the state of a proof for a reduction or an exemption.
type Proof string

// The proof states. A family that applies hands in the proof by a
// cut-off date; until the secretary has seen it, it is pending.
const (
	ProofNone     Proof = ""
	ProofPending  Proof = "pending"
	ProofAccepted Proof = "accepted"
	ProofRejected Proof = "rejected"
)

// German is the proof state for the secretary and parents.
func (p Proof) German() string {
	switch p {
	case ProofPending:
		return "Nachweis fehlt noch"
	case ProofAccepted:
		return "Nachweis liegt vor"
	case ProofRejected:
		return "Nachweis abgelehnt"
	}
	return ""
}

// ParseProof accepts the states the secretary sets.
func ParseProof(s string) (Proof, error) {
	switch p := Proof(s); p {
	case ProofPending, ProofAccepted, ProofRejected:
		return p, nil
	}
	return "", refuse(Invalid, "state", "Ein Nachweis ist „pending“ (fehlt), „accepted“ (liegt vor) oder „rejected“ (abgelehnt).", "proof %q", s)
}

// AmountDue is what a registration costs given its proofs: a reduction
// or exemption counts while its proof is pending (the family pays what
// it applied for and hands in the proof) or accepted; once rejected,
// the full amount is due. waiting tells that a proof is still pending.
func AmountDue(full, reduced int64, reduction bool, reductionProof Proof, exempt bool, exemptionProof Proof) (due int64, waiting bool) {
	switch {
	case exempt && exemptionProof != ProofRejected:
		return 0, exemptionProof != ProofAccepted
	case reduction && reductionProof != ProofRejected:
		return reduced, reductionProof != ProofAccepted
	}
	return full, false
}

// Status is where a registration stands with its payment.
type Status string

// The states.
const (
	StatusNone    Status = "none"    // not registered
	StatusWaiting Status = "waiting" // a proof is pending
	StatusDue     Status = "due"     // payment due
	StatusPaid    Status = "paid"    // paid (or nothing to pay)
	StatusRefund  Status = "refund"  // paid more than is due: money goes back
)

// German is the state for the secretary and parents.
func (s Status) German() string {
	switch s {
	case StatusNone:
		return "nicht angemeldet"
	case StatusWaiting:
		return "wartet auf Nachweis"
	case StatusDue:
		return "Zahlung offen"
	case StatusPaid:
		return "bezahlt"
	case StatusRefund:
		return "Erstattung"
	}
	return string(s)
}

// AccountStatus is a registration's state: payments first cover the
// registration, then the claims; more than both is a refund.
func AccountStatus(registrationDue, claimsDue, paid int64, waiting bool) Status {
	switch {
	case paid > registrationDue+claimsDue:
		return StatusRefund
	case waiting:
		return StatusWaiting
	case paid < registrationDue:
		return StatusDue
	}
	return StatusPaid
}

// CurrentValue is a copy's Zeitwert: the shop price less the fees of
// the years it was used, never below nothing.
func CurrentValue(price int64, feesOfYearsUsed []int64) int64 {
	v := price
	for _, f := range feesOfYearsUsed {
		v -= f
	}
	if v < 0 {
		return 0
	}
	return v
}

// ClaimAmount is the share of the Zeitwert a damage grade costs.
func ClaimAmount(value int64, pct int) int64 { return roundDiv(value*int64(pct), 100) }

// LoanVerdict is what the loan limit says about lending a copy once more.
type LoanVerdict int

// The verdicts.
const (
	LoanOK   LoanVerdict = iota
	LoanLast             // this is the last loan the decree allows: warn
	LoanOver             // the copy was lent as often as allowed: refuse
)

// CheckLoanCount applies the decree's limit to a copy lent count times.
func CheckLoanCount(count, max int) LoanVerdict {
	switch {
	case count >= max:
		return LoanOver
	case count == max-1:
		return LoanLast
	}
	return LoanOK
}

// Euro formats cents the German way: "1.234,56 €".
func Euro(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	e, c := cents/100, cents%100
	s := fmt.Sprint(e)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return fmt.Sprintf("%s%s,%02d €", sign, s, c)
}

// pctText formats basis points as a German percentage: "33 %", "35,5 %".
func pctText(bp int) string {
	if bp%100 == 0 {
		return fmt.Sprintf("%d %%", bp/100)
	}
	s := fmt.Sprintf("%d,%02d", bp/100, bp%100)
	if s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s + " %"
}
