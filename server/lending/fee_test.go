package lending

import (
	"testing"
)

// rules35 are the default rules: band 33-40 %, 35 %, two-year volumes
// 60 %, 80 % for families with three children, damage 25/50/100 %.
func rules35() Rules {
	r, err := DefaultConfig.Rules.rules()
	if err != nil {
		panic(err)
	}
	return r
}

func TestDefaultFee(t *testing.T) {
	r := rules35()
	round := func(to int64) Rules { x := rules35(); x.RoundTo = to; return x }
	tests := []struct {
		name  string
		rules Rules
		title TitleTerms
		want  int64
	}{
		{"35 % of 24,95 €, rounded down", r, TitleTerms{Price: 2495, YearsOfUse: 1}, 873}, // 873,25
		{"35 % of 19,99 €, rounded up", r, TitleTerms{Price: 1999, YearsOfUse: 1}, 700},   // 699,65
		{"half a cent rounds up", r, TitleTerms{Price: 10, YearsOfUse: 1}, 4},             // 3,5
		{"two-year volume at 60 %", r, TitleTerms{Price: 2800, YearsOfUse: 2}, 1680},      // its own rate
		{"consumable: never lent, no fee", r, TitleTerms{Price: 995, YearsOfUse: 1, Consumable: true}, 0},
		{"round to 10 ct", round(10), TitleTerms{Price: 2495, YearsOfUse: 1}, 870},
		{"round to 50 ct", round(50), TitleTerms{Price: 2495, YearsOfUse: 1}, 850},
		{"round to whole euros", round(100), TitleTerms{Price: 2495, YearsOfUse: 1}, 900},
		{"whole euros, half up", round(100), TitleTerms{Price: 1000, YearsOfUse: 1}, 400}, // 3,50 -> 4
		{"free book", r, TitleTerms{Price: 0, YearsOfUse: 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultFee(tt.rules, tt.title); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCheckFee(t *testing.T) {
	r := rules35()
	book := TitleTerms{Price: 2495, YearsOfUse: 1} // band: 8,23 € .. 9,98 €
	tests := []struct {
		name  string
		title TitleTerms
		fee   int64
		ok    bool
	}{
		{"the default", book, 873, true},
		{"the band's low end (33 %)", book, 823, true},
		{"the band's high end (40 %)", book, 998, true},
		{"below the band", book, 822, false},
		{"above the band", book, 999, false},
		{"negative", book, -1, false},
		{"two-year volume: any fee up to the price", TitleTerms{Price: 2800, YearsOfUse: 2}, 2000, true},
		{"two-year volume: not over the price", TitleTerms{Price: 2800, YearsOfUse: 2}, 2801, false},
		{"consumable: no fee at all", TitleTerms{Price: 995, Consumable: true, YearsOfUse: 1}, 300, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFee(r, tt.title, tt.fee)
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
			if err != nil && kindOf(err) != Invalid {
				t.Errorf("got kind %d, want Invalid", kindOf(err))
			}
		})
	}
}

func TestRulesCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Rules)
		field  string
	}{
		{"default", func(*Rules) {}, ""},
		{"rate below the band", func(r *Rules) { r.Rate = 3000 }, "rate_pct"},
		{"band upside down", func(r *Rules) { r.RateMin, r.RateMax = 4000, 3300 }, "rate_min_pct"},
		{"rounding to 3 ct", func(r *Rules) { r.RoundTo = 3 }, "round_to_cents"},
		{"reduction over 100 %", func(r *Rules) { r.ReductionPct = 120 }, "reduction_pct"},
		{"damage grades not ascending", func(r *Rules) { r.DamageLightPct = 60 }, "damage_pct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules35()
			tt.change(&r)
			err := r.Check()
			e, _ := AsError(err)
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("got %v, want ok", err)
			case tt.field != "" && (e == nil || e.Field != tt.field):
				t.Errorf("got %v, want a refusal of %s", err, tt.field)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	// The book list of grade 4: three books to lend, a workbook to buy.
	list := func(choices ...Choice) []Line {
		lines := []Line{{Title: 1, Fee: 873, Price: 2495}, {Title: 2, Fee: 770, Price: 2200}, {Title: 3, Fee: 1680, Price: 2800},
			{Title: 4, Price: 995, Consumable: true, Choice: Buy}}
		for i, c := range choices {
			lines[i].Choice = c
		}
		return lines
	}
	all := list(Borrow, Borrow, Borrow)
	packageOnly := rules35()
	packageOnly.PackageOnly = true
	cents := []Line{{Title: 1, Fee: 1, Choice: Borrow}, {Title: 2, Fee: 1, Choice: Borrow}, {Title: 3, Fee: 1, Choice: Borrow}}
	tests := []struct {
		name                          string
		rules                         Rules
		lines                         []Line
		pkg                           bool
		rel                           Relief
		full, reduced, due, buy, lent int64
		refused                       string // the field of the refusal
	}{
		{name: "all borrowed", rules: rules35(), lines: all, full: 3323, reduced: 3323, due: 3323, buy: 995, lent: 3},
		{name: "single titles", rules: rules35(), lines: list(Borrow, Buy, Borrow), full: 2553, reduced: 2553, due: 2553, buy: 2200 + 995, lent: 2},
		{name: "80 % for three children", rules: rules35(), lines: all, rel: Relief{Reduction: true}, full: 3323, reduced: 2658, due: 2658, buy: 995, lent: 3},
		{name: "exempt: nothing to pay", rules: rules35(), lines: all, rel: Relief{Exempt: true}, full: 3323, reduced: 3323, due: 0, buy: 995, lent: 3},
		{name: "second half-year: half", rules: rules35(), lines: all, rel: Relief{HalfYear: true}, full: 1662, reduced: 1662, due: 1662, buy: 995, lent: 3},
		{name: "second half-year with 80 %", rules: rules35(), lines: all, rel: Relief{HalfYear: true, Reduction: true}, full: 1662, reduced: 1329, due: 1329, buy: 995, lent: 3},
		{name: "package borrows everything lendable", rules: rules35(), lines: list(Buy, Buy, Buy), pkg: true, full: 3323, reduced: 3323, due: 3323, buy: 995, lent: 3},
		{name: "package-only school, whole package", rules: packageOnly, lines: all, full: 3323, reduced: 3323, due: 3323, buy: 995, lent: 3},
		{name: "package-only school refuses single titles", rules: packageOnly, lines: list(Borrow, Buy, Borrow), refused: "package"},
		{name: "a workbook cannot be borrowed", rules: rules35(), lines: append(list(Borrow, Borrow, Borrow)[:3], Line{Title: 4, Price: 995, Consumable: true, Choice: Borrow}), refused: "titles"},
		{name: "nothing borrowed", rules: rules35(), lines: list(Buy, Buy, Buy), refused: "titles"},
		{name: "no choice", rules: rules35(), lines: list(Borrow, "", Borrow), refused: "titles"},
		{name: "reduction and exemption", rules: rules35(), lines: all, rel: Relief{Reduction: true, Exempt: true}, refused: "exemption"},
		// Rounded once, on the total: 3 x 0,8 ct = 2,4 ct -> 2 ct (each
		// title rounded would make 3 ct); half of 3 ct = 1,5 -> 2 ct.
		{name: "80 % rounded once on the total", rules: rules35(), lines: cents, rel: Relief{Reduction: true}, full: 3, reduced: 2, due: 2, lent: 3},
		{name: "half rounded half up", rules: rules35(), lines: cents, rel: Relief{HalfYear: true}, full: 2, reduced: 2, due: 2, lent: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := QuoteFor(tt.rules, tt.lines, tt.pkg, tt.rel)
			if tt.refused != "" {
				e, ok := AsError(err)
				if !ok || e.Field != tt.refused || e.German == "" {
					t.Errorf("got %+v, %v; want a refusal of %q", q, err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Full != tt.full || q.Reduced != tt.reduced || q.Due != tt.due || q.BuyTotal != tt.buy || int64(q.Borrowed) != tt.lent {
				t.Errorf("got full %d, reduced %d, due %d, buy %d, borrowed %d; want %d, %d, %d, %d, %d",
					q.Full, q.Reduced, q.Due, q.BuyTotal, q.Borrowed, tt.full, tt.reduced, tt.due, tt.buy, tt.lent)
			}
		})
	}
}

func TestAmountDue(t *testing.T) {
	tests := []struct {
		name        string
		reduction   bool
		rp          Proof
		exempt      bool
		ep          Proof
		wantDue     int64
		wantWaiting bool
	}{
		{"nothing applied for", false, ProofNone, false, ProofNone, 3323, false},
		{"reduction, proof pending: pay the reduced amount", true, ProofPending, false, ProofNone, 2658, true},
		{"reduction, proof accepted", true, ProofAccepted, false, ProofNone, 2658, false},
		{"reduction, proof rejected: the full amount", true, ProofRejected, false, ProofNone, 3323, false},
		{"exemption, proof pending: nothing yet", false, ProofNone, true, ProofPending, 0, true},
		{"exemption, proof accepted", false, ProofNone, true, ProofAccepted, 0, false},
		{"exemption, proof rejected: the full amount", false, ProofNone, true, ProofRejected, 3323, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, waiting := AmountDue(3323, 2658, tt.reduction, tt.rp, tt.exempt, tt.ep)
			if due != tt.wantDue || waiting != tt.wantWaiting {
				t.Errorf("got %d, waiting %v; want %d, %v", due, waiting, tt.wantDue, tt.wantWaiting)
			}
		})
	}
}

func TestAccountStatus(t *testing.T) {
	tests := []struct {
		name              string
		due, claims, paid int64
		waiting           bool
		want              Status
	}{
		{"nothing paid", 3323, 0, 0, false, StatusDue},
		{"partly paid", 3323, 0, 3000, false, StatusDue},
		{"paid exactly", 3323, 0, 3323, false, StatusPaid},
		{"nothing to pay", 0, 0, 0, false, StatusPaid},
		{"proof pending", 2658, 0, 2658, true, StatusWaiting},
		{"paid twice: refund", 3323, 0, 6646, false, StatusRefund},
		{"exempt after paying: refund", 0, 0, 3323, false, StatusRefund},
		{"payment covers the claim too", 3323, 500, 3823, false, StatusPaid},
		{"registration paid, claim open", 3323, 500, 3323, false, StatusPaid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AccountStatus(tt.due, tt.claims, tt.paid, tt.waiting); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// The Zeitwert: the shop price less the fees of the years the book was
// used, never below nothing; a damage grade takes its share of it.
func TestCurrentValueAndClaims(t *testing.T) {
	tests := []struct {
		name  string
		price int64
		fees  []int64
		pct   int
		value int64
		claim int64
	}{
		{"new book lost in its first year", 2495, []int64{873}, 100, 1622, 1622},
		{"used two years, lost", 2495, []int64{873, 873}, 100, 749, 749},
		{"used three years: worth nothing", 2495, []int64{873, 873, 873}, 100, 0, 0},
		{"fees of different years", 2495, []int64{850, 873}, 100, 772, 772},
		{"slightly damaged: 25 %", 2495, []int64{873, 873}, 25, 749, 187},        // 187,25
		{"damaged: 50 %, half a cent up", 2495, []int64{873, 873}, 50, 749, 375}, // 374,5
		{"two-year volume after its one-off fee", 2800, []int64{1680}, 100, 1120, 1120},
		{"never lent", 2495, nil, 100, 2495, 2495},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := CurrentValue(tt.price, tt.fees)
			if v != tt.value {
				t.Errorf("Zeitwert: got %d, want %d", v, tt.value)
			}
			if c := ClaimAmount(v, tt.pct); c != tt.claim {
				t.Errorf("claim: got %d, want %d", c, tt.claim)
			}
		})
	}
}

// The decree: a copy is lent at most three times; the kiosk warns at
// the third loan and refuses a fourth.
func TestLoanLimit(t *testing.T) {
	tests := []struct {
		count int
		want  LoanVerdict
	}{{0, LoanOK}, {1, LoanOK}, {2, LoanLast}, {3, LoanOver}, {7, LoanOver}}
	for _, tt := range tests {
		if got := CheckLoanCount(tt.count, 3); got != tt.want {
			t.Errorf("lent %d times: got %d, want %d", tt.count, got, tt.want)
		}
	}
}

func TestEuro(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{{0, "0,00 €"}, {5, "0,05 €"}, {873, "8,73 €"}, {123456, "1.234,56 €"}, {100000000, "1.000.000,00 €"}, {-1250, "-12,50 €"}}
	for _, tt := range tests {
		if got := Euro(tt.cents); got != tt.want {
			t.Errorf("Euro(%d): got %q, want %q", tt.cents, got, tt.want)
		}
	}
	if got := pctText(3550); got != "35,5 %" {
		t.Errorf("pctText(3550): got %q", got)
	}
}
