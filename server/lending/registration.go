package lending

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Offer is what parents see before they register: the book list of the
// child's grade in the year, with each title's fee.
type Offer struct {
	Year  Year
	Pupil directory.Listed
	Class string // the class today ("3a")
	Grade int    // the grade in the offered year (4)
	List  BookList
	// Open tells whether the registration is possible now; Reason says
	// in German why not.
	Open   bool
	Reason string
	// HalfYear: registering now counts as joining in the second half.
	HalfYear bool
	// Current is the registration so far, if there is one: a new one
	// replaces it.
	Current *Registration
	Account *Account
}

// registrationYear is the year whose online registration is open today
// (the earliest of them), or, if none is, the next one to begin (for
// telling parents when it opens), or the current one.
func (s *Service) registrationYear(ctx context.Context) (Year, bool, error) {
	years, err := listYears(ctx, s.db.R)
	if err != nil {
		return Year{}, false, err
	}
	today := s.today()
	for _, y := range years {
		if y.RegistrationOpen(today) {
			return y, true, nil
		}
	}
	for _, y := range years {
		if y.RegistrationFrom > today {
			return y, false, nil
		}
	}
	y, err := pickCurrent(years, today)
	return y, false, err
}

// gradeFor is the grade a pupil is in during year y. The directory knows
// today's class and when the last promotion ran: a year that starts
// after that promotion (more than about three months later) is the next
// grade, unless the pupil is held back; a year that ended before it the
// previous one. Without any promotion, a year that has begun is today's
// grade and a later one the next.
func (s *Service) gradeFor(ctx context.Context, p directory.Listed, y Year) (int, string, error) {
	class := classOf(p.Classes)
	g := gradeOf(class)
	if g == 0 {
		return 0, class, nil
	}
	last, err := s.dir.LastPromotion(ctx)
	if err != nil {
		return 0, class, fmt.Errorf("lending: last promotion: %w", err)
	}
	start, _ := parseDate(y.Start)
	promotedFor := start.AddDate(0, 0, -100).Format(store.DateFormat)
	switch {
	case last == "":
		// No promotion ever ran here (a school new to Kaspel): today's
		// classes are those of the year under way, and a year still to
		// begin is the next grade.
		if y.Start > s.today() && !p.HoldBack {
			g++
		}
	case last > y.End:
		g--
	case last < promotedFor:
		if !p.HoldBack {
			g++
		}
	}
	return g, class, nil
}

// offer assembles the offer for a pupil and year (no access check).
func (s *Service) offer(ctx context.Context, p directory.Listed, y Year, online bool) (Offer, error) {
	o := Offer{Year: y, Pupil: p}
	var err error
	if o.Grade, o.Class, err = s.gradeFor(ctx, p, y); err != nil {
		return o, err
	}
	today := s.today()
	o.HalfYear = today >= y.SecondHalf && today <= y.End
	if reg, err := currentRegistration(ctx, s.db.R, p.ID, y.ID); err == nil {
		o.Current = reg
	} else if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	if a, err := accountOf(ctx, s.db.R, p.ID, y.ID); err == nil {
		o.Account = &a
	} else if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	switch {
	case o.Grade == 0:
		o.Reason = "Für Ihr Kind ist keine Klasse mit Klassenstufe eingetragen. Bitte wenden Sie sich an das Sekretariat."
		return o, nil
	case o.Grade > s.cfg.LastGrade:
		o.Reason = fmt.Sprintf("Im Schuljahr %s besucht Ihr Kind nicht mehr unsere Schule: Es gibt keine Bücherliste.", y.Name)
		return o, nil
	}
	list, err := s.list(ctx, s.db.R, y.ID, o.Grade)
	if errors.Is(err, store.ErrNotFound) || err == nil && online && !list.Published {
		o.Reason = fmt.Sprintf("Die Bücherliste für Klasse %d im Schuljahr %s ist noch nicht veröffentlicht.", o.Grade, y.Name)
		return o, nil
	}
	if err != nil {
		return o, err
	}
	o.List = list
	if online && !y.RegistrationOpen(today) {
		o.Reason = fmt.Sprintf("Die Anmeldung zur Schulbuchausleihe %s ist vom %s bis zum %s möglich. Bitte wenden Sie sich sonst an das Sekretariat.",
			y.Name, germanDate(y.RegistrationFrom), germanDate(y.RegistrationUntil))
		return o, nil
	}
	o.Open = true
	return o, nil
}

// OwnOffer is the offer a pupil's account (the parents at home) sees:
// the year whose registration is open.
func (s *Service) OwnOffer(ctx context.Context, me directory.Person) (Offer, error) {
	if me.Role != directory.Pupil {
		return Offer{}, errPupilsOnly
	}
	p, err := s.dir.PupilWithClasses(ctx, me.ID)
	if err != nil {
		return Offer{}, err
	}
	y, _, err := s.registrationYear(ctx)
	if err != nil {
		return Offer{Pupil: p, Reason: "Die Schulbuchausleihe ist noch nicht eingerichtet."}, nil
	}
	return s.offer(ctx, p, y, true)
}

// OfferFor is the offer the secretary fills in for parents without
// internet (yearID 0: the year of the open registration, else the
// current one).
func (s *Service) OfferFor(ctx context.Context, me directory.Person, login string, yearID int64) (Offer, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Offer{}, err
	}
	p, err := s.pupilByLogin(ctx, login)
	if err != nil {
		return Offer{}, err
	}
	y, err := s.secretaryYear(ctx, yearID)
	if err != nil {
		return Offer{}, err
	}
	return s.offer(ctx, p, y, false)
}

func (s *Service) secretaryYear(ctx context.Context, yearID int64) (Year, error) {
	if yearID != 0 {
		return yearByID(ctx, s.db.R, yearID)
	}
	y, open, err := s.registrationYear(ctx)
	if err != nil || open {
		return y, err
	}
	return s.currentYear(ctx)
}

// pupilByLogin finds a pupil by login.
func (s *Service) pupilByLogin(ctx context.Context, login string) (directory.Listed, error) {
	p, err := s.dir.Person(ctx, strings.ToLower(strings.TrimSpace(login)))
	if errors.Is(err, store.ErrNotFound) || err == nil && p.Role != directory.Pupil {
		return directory.Listed{}, errNoPupil
	}
	if err != nil {
		return directory.Listed{}, fmt.Errorf("lending: pupil %q: %w", login, err)
	}
	return s.dir.PupilWithClasses(ctx, p.ID)
}

// RegistrationInput is a registration as parents (or the secretary for
// them) fill it in.
type RegistrationInput struct {
	Year        int64 // 0: the offered year
	Package     bool  // the whole list
	Choices     map[int64]Choice
	Guardian    string
	Reduction   bool
	Exemption   Exemption
	AcceptTerms bool
	// The secretary's: a second-half joiner (nil: from the date), and
	// proofs already handed in ("" pending).
	HalfYear       *bool
	ReductionProof Proof
	ExemptionProof Proof
}

// Registered is a stored registration with its account and the text of
// the confirmation that went into the child's mailbox.
type Registered struct {
	Registration Registration
	Account      Account
	Year         Year
	Message      string // the confirmation's text
	Replaced     bool   // an older registration was replaced
}

// RegisterOwn registers the pupil of the account (parents at home) for
// the year whose registration is open.
func (s *Service) RegisterOwn(ctx context.Context, me directory.Person, in RegistrationInput) (Registered, error) {
	o, err := s.OwnOffer(ctx, me)
	if err != nil {
		return Registered{}, err
	}
	if in.Year != 0 && in.Year != o.Year.ID {
		return Registered{}, refuse(Invalid, "year", "Die Anmeldung ist nur für das Schuljahr möglich, dessen Anmeldezeit läuft.", "year %d not open", in.Year)
	}
	if !o.Open {
		return Registered{}, refuse(Conflict, "year", o.Reason, "registration not open for %s", me.Login)
	}
	// Parents cannot declare proofs or a half-year themselves.
	in.HalfYear, in.ReductionProof, in.ExemptionProof = nil, "", ""
	return s.register(ctx, directory.Actor{Name: me.Login, Service: "api"}, o, in, Online)
}

// RegisterFor registers a pupil on behalf of the parents (the secretary).
func (s *Service) RegisterFor(ctx context.Context, me directory.Person, login string, in RegistrationInput) (Registered, error) {
	o, err := s.OfferFor(ctx, me, login, in.Year)
	if err != nil {
		return Registered{}, err
	}
	if o.List.Grade == 0 {
		return Registered{}, refuse(Conflict, "grade", o.Reason, "no list for %s", login)
	}
	return s.register(ctx, directory.Actor{Name: me.Login, Service: "api"}, o, in, Secretary)
}

// register stores a registration, replacing an older one of the pupil
// and year, with the account (and its payment reference) and the
// confirmation in the child's mailbox, in one transaction.
func (s *Service) register(ctx context.Context, actor directory.Actor, o Offer, in RegistrationInput, ch Channel) (Registered, error) {
	guardian := oneLine(in.Guardian)
	switch {
	case guardian == "":
		return Registered{}, refuse(Invalid, "guardian", "Bitte geben Sie den Namen einer oder eines Erziehungsberechtigten an.", "no guardian")
	case utf8.RuneCountInString(guardian) > MaxText:
		return Registered{}, refuse(Invalid, "guardian", fmt.Sprintf("Der Name darf höchstens %d Zeichen lang sein.", MaxText), "guardian too long")
	case !in.AcceptTerms:
		return Registered{}, refuse(Invalid, "accept_terms", "Bitte lesen und bestätigen Sie die Leihbedingungen.", "terms not accepted")
	}
	if _, err := ParseExemption(string(in.Exemption)); err != nil {
		return Registered{}, err
	}
	onList := map[int64]bool{}
	lines := make([]Line, len(o.List.Titles))
	for i, t := range o.List.Titles {
		onList[t.ID] = true
		c := in.Choices[t.ID]
		if c == "" || t.Consumable {
			c = Buy
			if in.Package && !t.Consumable {
				c = Borrow
			}
		}
		lines[i] = Line{Title: t.ID, Fee: t.Fee, Price: t.Price, Consumable: t.Consumable, Choice: c}
	}
	for id := range in.Choices {
		if !onList[id] {
			return Registered{}, refuse(Invalid, "titles", "Ein gewählter Titel steht nicht auf der Bücherliste.", "title %d not on the list", id)
		}
	}
	half := o.HalfYear
	if ch == Secretary && in.HalfYear != nil {
		half = *in.HalfYear
	}
	rel := Relief{Reduction: in.Reduction, Exempt: in.Exemption != ExemptNone, HalfYear: half}
	pkg := in.Package || o.Year.Rules.PackageOnly && allBorrowed(lines)
	q, err := QuoteFor(o.Year.Rules, lines, pkg, rel)
	if err != nil {
		return Registered{}, err
	}
	proof := func(applied bool, p Proof) (Proof, error) {
		if !applied {
			return ProofNone, nil
		}
		if p == ProofNone {
			return ProofPending, nil
		}
		return ParseProof(string(p))
	}
	now := s.now()
	reg := Registration{PersonID: o.Pupil.ID, YearID: o.Year.ID, YearName: o.Year.Name, Grade: o.Grade, Channel: ch, Package: pkg,
		Guardian: guardian, Reduction: in.Reduction, Exemption: in.Exemption, HalfYear: half, TermsAcceptedAt: now,
		Full: q.Full, Reduced: q.Reduced, CreatedAt: now, CreatedBy: actor.Name}
	if reg.ReductionProof, err = proof(in.Reduction, in.ReductionProof); err != nil {
		return Registered{}, err
	}
	if reg.ExemptionProof, err = proof(in.Exemption != ExemptNone, in.ExemptionProof); err != nil {
		return Registered{}, err
	}
	for i, t := range o.List.Titles {
		c := lines[i].Choice
		if pkg && !t.Consumable {
			c = Borrow
		}
		reg.Titles = append(reg.Titles, RegisteredTitle{TitleID: t.ID, ISBN: t.ISBN, Title: t.Title.Title, Subject: t.Subject, Choice: c,
			Fee: t.Fee, Price: t.Price, Consumable: t.Consumable, YearsOfUse: t.YearsOfUse})
	}
	reg.Due, reg.Waiting = AmountDue(reg.Full, reg.Reduced, reg.Reduction, reg.ReductionProof, reg.Exemption != ExemptNone, reg.ExemptionProof)
	school, err := s.dir.School(ctx)
	if err != nil {
		return Registered{}, fmt.Errorf("lending: school: %w", err)
	}
	var out Registered
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		acc, err := s.ensureAccount(ctx, tx, o.Pupil.Person, o.Year)
		if err != nil {
			return err
		}
		reg.AccountID, reg.Reference = acc.ID, acc.Reference
		oldID, err := replaceRegistration(ctx, tx, o.Pupil.ID, o.Year.ID, now)
		if err != nil {
			return err
		}
		if err := insertRegistration(ctx, tx, &reg); err != nil {
			return err
		}
		if oldID != 0 {
			if err := linkReplacement(ctx, tx, oldID, reg.ID); err != nil {
				return err
			}
		}
		if acc, err = accountByID(ctx, tx, acc.ID); err != nil {
			return err
		}
		out = Registered{Registration: reg, Account: acc, Year: o.Year, Replaced: oldID != 0}
		subject, body := confirmation(school.Name, o, reg, acc, q, oldID != 0)
		out.Message = body
		if s.notify != nil {
			if err := s.notify.Deliver(ctx, tx, o.Pupil.Person, subject, body, now); err != nil {
				return err
			}
		}
		if ch == Secretary {
			return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor.Name, Action: "lending.register", Target: o.Pupil.Login,
				Success: true, Service: actor.Service, Detail: o.Year.Name})
		}
		return nil
	})
	if err != nil {
		return Registered{}, err
	}
	return out, nil
}

func allBorrowed(lines []Line) bool {
	for _, l := range lines {
		if !l.Consumable && l.Choice != Borrow {
			return false
		}
	}
	return true
}

// ensureAccount returns the pupil's account of the year, opening it with
// a new payment reference if there is none.
func (s *Service) ensureAccount(ctx context.Context, tx *sql.Tx, p directory.Person, y Year) (Account, error) {
	a, err := accountOf(ctx, tx, p.ID, y.ID)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return a, err
	}
	seq, err := takeNumbers(ctx, tx, fmt.Sprintf("reference:%d", y.StartYear()), 1, 1, 0)
	if err != nil {
		return a, err
	}
	if seq > 99_999 {
		return a, fmt.Errorf("lending: payment references of %d used up", y.StartYear())
	}
	a = Account{PersonID: p.ID, PupilLogin: p.Login, PupilName: p.Name(), YearID: y.ID, YearName: y.Name,
		Reference: Reference(s.cfg.ReferencePrefix, y.StartYear(), seq), CreatedAt: s.now()}
	if err := insertAccount(ctx, tx, &a); err != nil {
		return a, err
	}
	return a, nil
}

// confirmation is the message to the child's mailbox: what was booked,
// what it costs, where to pay it, and what else to do.
func confirmation(school string, o Offer, reg Registration, acc Account, q Quote, replaced bool) (string, string) {
	var b strings.Builder
	name := o.Pupil.Name()
	subject := fmt.Sprintf("Schulbuchausleihe %s: Anmeldung von %s", o.Year.Name, name)
	fmt.Fprintf(&b, "Liebe Eltern,\n\nwir haben die Anmeldung zur Schulbuchausleihe %s für %s (Klasse %d) erhalten", o.Year.Name, name, reg.Grade)
	if reg.Channel == Secretary {
		b.WriteString(" (im Sekretariat aufgenommen)")
	}
	b.WriteString(".\n")
	if replaced {
		b.WriteString("Sie ersetzt die frühere Anmeldung für dieses Schuljahr; der Verwendungszweck bleibt derselbe.\n")
	}
	b.WriteString("\nGeliehen werden:\n")
	for _, t := range reg.Titles {
		if t.Choice == Borrow {
			fmt.Fprintf(&b, "- %s (Leihentgelt %s)\n", t.Title, Euro(t.Fee))
		}
	}
	var buy []RegisteredTitle
	for _, t := range reg.Titles {
		if t.Choice == Buy {
			buy = append(buy, t)
		}
	}
	if len(buy) > 0 {
		b.WriteString("\nBitte selbst kaufen:\n")
		for _, t := range buy {
			fmt.Fprintf(&b, "- %s, ISBN %s (Ladenpreis etwa %s)\n", t.Title, t.ISBN, Euro(t.Price))
		}
	}
	b.WriteString("\n")
	switch {
	case reg.Exemption != ExemptNone:
		fmt.Fprintf(&b, "Sie haben die Befreiung vom Leihentgelt beantragt (%s). Zu zahlen ist nichts, sobald der Nachweis vorliegt.\n", reg.Exemption.German())
		fmt.Fprintf(&b, "Bitte geben Sie den Nachweis bis zum %s im Sekretariat ab. Ohne Nachweis sind %s zu zahlen.\n", germanDate(o.Year.PaymentDue), Euro(reg.Full))
	case reg.Reduction:
		fmt.Fprintf(&b, "Sie haben die Ermäßigung für Familien mit drei oder mehr schulpflichtigen Kindern beantragt (%d %%).\n", o.Year.Rules.ReductionPct)
		fmt.Fprintf(&b, "Bitte geben Sie den Nachweis (Schulbescheinigungen) bis zum %s im Sekretariat ab. Ohne Nachweis sind %s zu zahlen.\n",
			germanDate(o.Year.PaymentDue), Euro(reg.Full))
	}
	if reg.HalfYear {
		b.WriteString("Ihr Kind kommt im zweiten Schulhalbjahr dazu: Es zahlt das halbe Leihentgelt.\n")
	}
	due := reg.Due
	if due > 0 {
		fmt.Fprintf(&b, "\nZu zahlen: %s\nBitte überweisen Sie den Betrag bis zum %s:\n\n", Euro(due), germanDate(o.Year.PaymentDue))
		if o.Year.AccountHolder != "" {
			fmt.Fprintf(&b, "Kontoinhaber: %s\n", o.Year.AccountHolder)
		}
		if o.Year.IBAN != "" {
			fmt.Fprintf(&b, "IBAN: %s\n", FormatIBAN(o.Year.IBAN))
		}
		if o.Year.Bank != "" {
			fmt.Fprintf(&b, "Bank: %s\n", o.Year.Bank)
		}
		fmt.Fprintf(&b, "Verwendungszweck: %s\n\nBitte geben Sie den Verwendungszweck genau so an: Daran erkennt die Schule Ihre Zahlung.\n", acc.Reference)
		b.WriteString("Ohne Anmeldung und Zahlung bis zum Zahlungstermin müssen Sie die Bücher selbst kaufen.\n")
	} else {
		fmt.Fprintf(&b, "\nZu zahlen: nichts. Ihr Verwendungszweck für Rückfragen: %s\n", acc.Reference)
	}
	fmt.Fprintf(&b, "\nDie Bücher werden zu Beginn des Schuljahres ausgegeben und sind bis zum %s zurückzugeben.\n", germanDate(o.Year.ReturnDue))
	fmt.Fprintf(&b, "\nMit freundlichen Grüßen\n%s\n", school)
	return subject, b.String()
}

// SetProof records the secretary's decision on a proof of a pupil's
// current registration (exemption or reduction): accepted, rejected, or
// back to pending.
func (s *Service) SetProof(ctx context.Context, me directory.Person, actor directory.Actor, login string, yearID int64, exemption bool, p Proof) (Registration, error) {
	if _, err := s.staff(ctx, me); err != nil {
		return Registration{}, err
	}
	if _, err := ParseProof(string(p)); err != nil {
		return Registration{}, err
	}
	pupil, err := s.pupilByLogin(ctx, login)
	if err != nil {
		return Registration{}, err
	}
	y, err := s.yearOrCurrent(ctx, yearID)
	if err != nil {
		return Registration{}, err
	}
	what := "reduction"
	if exemption {
		what = "exemption"
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		reg, err := currentRegistration(ctx, tx, pupil.ID, y.ID)
		if errors.Is(err, store.ErrNotFound) {
			return refuse(NotFound, "pupil", "Für dieses Kind gibt es in diesem Schuljahr keine Anmeldung.", "no registration")
		}
		if err != nil {
			return err
		}
		if err := setProof(ctx, tx, reg.ID, exemption, p); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "lending.proof", Target: pupil.Login, Success: true,
			Source: actor.Source, Service: actor.Service, Detail: fmt.Sprintf("%s %s: %s", y.Name, what, p)})
	})
	if err != nil {
		return Registration{}, err
	}
	reg, err := currentRegistration(ctx, s.db.R, pupil.ID, y.ID)
	if err != nil {
		return Registration{}, err
	}
	return *reg, nil
}
