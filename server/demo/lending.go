package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"kaspel/server/directory"
	"kaspel/server/lending"
)

// DemoTitle is a title of the demo's book lists.
type DemoTitle struct {
	Title      string
	Publisher  string
	Subject    string
	Grades     []int
	Price      int64 // cents
	YearsOfUse int
	Consumable bool
	isbn12     string // the ISBN without its check digit
}

// ISBN is the title's ISBN-13.
func (t DemoTitle) ISBN() string { return t.isbn12 + isbnCheck(t.isbn12) }

// demoTitles are made-up titles in the style of a primary school's lists
// (the ISBNs are invented, with valid check digits). Sachunterricht is a
// two-year volume for grades 3 and 4; the workbooks are bought.
var demoTitles = []DemoTitle{
	{Title: "Zahlenreise 1", Publisher: "Lernwelt", Subject: "Mathematik", Grades: []int{1}, Price: 2250, YearsOfUse: 1, isbn12: "978300010001"},
	{Title: "Lesefuchs 1 – Fibel", Publisher: "Lernwelt", Subject: "Deutsch", Grades: []int{1}, Price: 2395, YearsOfUse: 1, isbn12: "978300010002"},
	{Title: "Lesefuchs 1 – Arbeitsheft", Publisher: "Lernwelt", Subject: "Deutsch", Grades: []int{1}, Price: 895, YearsOfUse: 1, Consumable: true, isbn12: "978300010003"},
	{Title: "Zahlenreise 2", Publisher: "Lernwelt", Subject: "Mathematik", Grades: []int{2}, Price: 2495, YearsOfUse: 1, isbn12: "978300010004"},
	{Title: "Sprachinsel 2", Publisher: "Schulbuchhaus", Subject: "Deutsch", Grades: []int{2}, Price: 2150, YearsOfUse: 1, isbn12: "978300010005"},
	{Title: "Lesefuchs 2 – Lesebuch", Publisher: "Lernwelt", Subject: "Deutsch", Grades: []int{2}, Price: 2195, YearsOfUse: 1, isbn12: "978300010006"},
	{Title: "Zahlenreise 3", Publisher: "Lernwelt", Subject: "Mathematik", Grades: []int{3}, Price: 2495, YearsOfUse: 1, isbn12: "978300010007"},
	{Title: "Zahlenreise 3 – Arbeitsheft", Publisher: "Lernwelt", Subject: "Mathematik", Grades: []int{3}, Price: 1095, YearsOfUse: 1, Consumable: true, isbn12: "978300010008"},
	{Title: "Sprachinsel 3", Publisher: "Schulbuchhaus", Subject: "Deutsch", Grades: []int{3}, Price: 2150, YearsOfUse: 1, isbn12: "978300010009"},
	{Title: "Lesefuchs 3 – Lesebuch", Publisher: "Lernwelt", Subject: "Deutsch", Grades: []int{3}, Price: 2295, YearsOfUse: 1, isbn12: "978300010010"},
	{Title: "Welt entdecken 3/4", Publisher: "Schulbuchhaus", Subject: "Sachunterricht", Grades: []int{3, 4}, Price: 2695, YearsOfUse: 2, isbn12: "978300010011"},
	{Title: "Zahlenreise 4", Publisher: "Lernwelt", Subject: "Mathematik", Grades: []int{4}, Price: 2495, YearsOfUse: 1, isbn12: "978300010012"},
	{Title: "Sprachinsel 4", Publisher: "Schulbuchhaus", Subject: "Deutsch", Grades: []int{4}, Price: 2150, YearsOfUse: 1, isbn12: "978300010013"},
	{Title: "Lesefuchs 4 – Lesebuch", Publisher: "Lernwelt", Subject: "Deutsch", Grades: []int{4}, Price: 2295, YearsOfUse: 1, isbn12: "978300010014"},
	{Title: "Hello World 4 – Pupil's Book", Publisher: "Schulbuchhaus", Subject: "Englisch", Grades: []int{4}, Price: 1895, YearsOfUse: 1, isbn12: "978300010015"},
}

func isbnCheck(d12 string) string {
	sum := 0
	for i, c := range d12 {
		n := int(c - '0')
		if i%2 == 1 {
			n *= 3
		}
		sum += n
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

// Catalog is what LendingCatalog made.
type Catalog struct {
	Year   lending.Year
	Titles []lending.Title
	// Copies are the copies' barcodes per title ID, in number order.
	Copies map[int64][]string
	// ByGrade are the lendable titles of each grade's list.
	ByGrade map[int][]lending.Title
}

// SchoolYearOf is the Lower Saxony school year a day lies in, with the
// demo's dates: 6 August to 31 July, the second half from 1 February.
func SchoolYearOf(today time.Time) lending.Year {
	y := today.Year()
	if today.Month() < time.August {
		y--
	}
	return lending.Year{
		Name:       fmt.Sprintf("%d/%02d", y, (y+1)%100),
		Start:      fmt.Sprintf("%d-08-06", y),
		SecondHalf: fmt.Sprintf("%d-02-01", y+1),
		End:        fmt.Sprintf("%d-07-31", y+1),
		// Registration ran in spring; late registrations stay open for two
		// more weeks from today, so that the demo can show the parents'
		// page working.
		RegistrationFrom:  fmt.Sprintf("%d-03-01", y),
		RegistrationUntil: today.AddDate(0, 0, 14).Format("2006-01-02"),
		PaymentDue:        fmt.Sprintf("%d-07-15", y),
		ReturnDue:         fmt.Sprintf("%d-07-01", y+1),
		IBAN:              "DE89 3704 0044 0532 0130 00",
		AccountHolder:     "Förderverein der Grundschule",
		Bank:              "Sparkasse Hildesheim Goslar Peine",
	}
}

// LendingCatalog enters the demo's textbook lending without any pupil in
// it: the school year under way on today (the fee rules as the server's
// defaults), the titles of grades 1 to 4, their fees, published book
// lists and copiesPerTitle copies of each lendable title. coordinator
// must be an admin or hold the lending right.
func LendingCatalog(ctx context.Context, svc *lending.Service, coordinator directory.Person, today time.Time, copiesPerTitle int) (Catalog, error) {
	c := Catalog{Copies: map[int64][]string{}, ByGrade: map[int][]lending.Title{}}
	y := SchoolYearOf(today)
	y.Rules = svc.NewYearTemplate().Rules
	var err error
	if c.Year, err = svc.CreateYear(ctx, coordinator, y); err != nil {
		return c, fmt.Errorf("demo: school year: %w", err)
	}
	lists := map[int][]int64{}
	for _, dt := range demoTitles {
		t, err := svc.CreateTitle(ctx, coordinator, lending.TitleInput{ISBN: dt.ISBN(), Title: dt.Title, Publisher: dt.Publisher,
			Subject: dt.Subject, Grades: dt.Grades, Price: dt.Price, YearsOfUse: dt.YearsOfUse, Consumable: dt.Consumable})
		if err != nil {
			return c, fmt.Errorf("demo: title %s: %w", dt.Title, err)
		}
		c.Titles = append(c.Titles, t)
		for _, g := range dt.Grades {
			lists[g] = append(lists[g], t.ID)
			if !dt.Consumable {
				c.ByGrade[g] = append(c.ByGrade[g], t)
			}
		}
		if dt.Consumable || copiesPerTitle <= 0 {
			continue
		}
		n := copiesPerTitle
		if dt.YearsOfUse == 2 {
			n *= 2 // two grades keep it
		}
		copies, err := svc.CreateCopies(ctx, coordinator, lending.CopiesInput{Title: t.ID, Count: n,
			AcquiredOn: c.Year.Start, Condition: lending.ConditionGood})
		if err != nil {
			return c, fmt.Errorf("demo: copies of %s: %w", dt.Title, err)
		}
		for _, cp := range copies {
			c.Copies[t.ID] = append(c.Copies[t.ID], cp.Code)
		}
	}
	for g := 1; g <= 4; g++ {
		if _, err := svc.PutList(ctx, coordinator, c.Year.ID, g, lists[g], true); err != nil {
			return c, fmt.Errorf("demo: book list %d: %w", g, err)
		}
	}
	return c, nil
}

// LendingSummary tells what Lending made.
type LendingSummary struct {
	Catalog
	Registered, Paid, Issued int
}

// Lending fills the demo school's textbook lending as it looks in
// November: the catalog, registrations for most pupils (some through the
// secretary, some with a reduction or an exemption still to be proved),
// most of them paid by bank transfer, and the books of the paid ones
// handed out at the counter. A few pupils of every class are left
// unregistered or unpaid, so that the kiosk has work to show.
func Lending(ctx context.Context, svc *lending.Service, d *directory.Directory, coordinator directory.Person, actor directory.Actor, today time.Time) (LendingSummary, error) {
	var sum LendingSummary
	pupils, err := d.List(ctx, directory.ListQuery{Role: directory.Pupil})
	if err != nil {
		return sum, err
	}
	perGrade := map[int]int{}
	for _, p := range pupils {
		perGrade[gradeOf(p)]++
	}
	most := 0
	for _, n := range perGrade {
		most = max(most, n)
	}
	if sum.Catalog, err = LendingCatalog(ctx, svc, coordinator, today, most+most/10+2); err != nil {
		return sum, err
	}
	next := map[int64]int{} // the next copy of each title to hand out
	for i, p := range pupils {
		if i%9 == 4 || gradeOf(p) == 0 { // not registered yet
			continue
		}
		in := lending.RegistrationInput{Year: sum.Year.ID, Package: true, Guardian: "Familie " + p.LastName, AcceptTerms: true}
		switch i % 13 {
		case 3:
			in.Reduction, in.ReductionProof = true, lending.ProofAccepted
		case 7:
			in.Exemption, in.ExemptionProof = lending.ExemptSGB2, lending.ProofPending
		}
		reg, err := svc.RegisterFor(ctx, coordinator, p.Login, in)
		if err != nil {
			return sum, fmt.Errorf("demo: registration of %s: %w", p.Login, err)
		}
		sum.Registered++
		switch {
		case reg.Registration.Due == 0: // exempt: nothing to pay
		case i%6 == 1: // not paid yet: no books either
			continue
		default:
			if _, err := svc.AddPayment(ctx, coordinator, actor, lending.PaymentInput{Reference: reg.Account.Reference,
				Amount: reg.Registration.Due, Date: sum.Year.PaymentDue, Note: "Überweisung"}); err != nil {
				return sum, fmt.Errorf("demo: payment of %s: %w", p.Login, err)
			}
			sum.Paid++
		}
		for _, t := range sum.ByGrade[gradeOf(p)] {
			codes := sum.Copies[t.ID]
			if next[t.ID] >= len(codes) {
				break
			}
			code := codes[next[t.ID]]
			next[t.ID]++
			res, err := svc.Scan(ctx, coordinator, lending.ScanRequest{Code: code, Mode: lending.ModeDesk, Pupil: p.Login, Year: sum.Year.ID})
			if err == nil && res.NeedsConfirmation {
				res, err = svc.Scan(ctx, coordinator, lending.ScanRequest{Code: code, Mode: lending.ModeDesk, Pupil: p.Login, Year: sum.Year.ID, Confirm: true})
			}
			if err != nil {
				return sum, fmt.Errorf("demo: issuing %s to %s: %w", code, p.Login, err)
			}
			if res.Kind == lending.ScanIssued {
				sum.Issued++
			}
		}
	}
	return sum, nil
}

// gradeOf is the grade of a pupil's class ("3a" is 3), 0 without one.
func gradeOf(p directory.Listed) int {
	if len(p.Classes) == 0 || p.Classes[0] == "" || p.Classes[0][0] < '1' || p.Classes[0][0] > '9' {
		return 0
	}
	return int(p.Classes[0][0] - '0')
}
