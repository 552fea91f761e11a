package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/server/mail"
	"kaspel/shared/wire"
)

// The textbook lending (docs/api/lending.md). The routes' roles are the
// coarse rule; the lending service decides the rest, because two of its
// groups are not roles: the coordinator (the "lending" right, or an
// admin) and the lending staff (the coordinator and the secretary). So
// most routes are open to staff and refuse a teacher without the right
// with 403 from the service; the class routes let in a class's teachers.
func init() {
	modules = append(modules, module{name: wire.ModuleLending, migrations: lending.Migrations, register: registerLending})
}

// lendingAPI holds the lending module's handlers.
type lendingAPI struct {
	svc *lending.Service
}

var lendingPupils = []directory.Role{directory.Pupil}

func registerLending(s *Server) error {
	svc, err := lending.New(s.DB, s.Dir, mail.NewNotices(s.Dir), s.cfg.Lending)
	if err != nil {
		return err
	}
	h := &lendingAPI{svc: svc}
	s.sweepers = append(s.sweepers, func(ctx context.Context) error {
		rep, err := svc.Nightly(ctx)
		if err == nil && rep.Created+int(rep.Fixed) > 0 {
			s.Logger.Info("lending: claims after the return deadline", "created", rep.Created, "fixed", rep.Fixed, "kept", rep.Kept)
		}
		return err
	})
	a := Access{Module: wire.ModuleLending}
	staffA := Access{Module: wire.ModuleLending, Roles: staff}
	pupil := Access{Module: wire.ModuleLending, Roles: lendingPupils}
	upload := Access{Module: wire.ModuleLending, Roles: staff, MaxBody: wire.MaxUpload}
	route := s.handle // refusals are answered by mapError
	route("GET", "/api/v1/lending/abilities", a, h.abilities)

	route("GET", "/api/v1/lending/own", pupil, h.own)
	route("GET", "/api/v1/lending/own/offer", pupil, h.ownOffer)
	route("POST", "/api/v1/lending/own/registration", pupil, h.ownRegister)
	route("DELETE", "/api/v1/lending/own/registration", pupil, h.ownWithdraw)

	route("GET", "/api/v1/lending/years", staffA, h.years)
	route("POST", "/api/v1/lending/years", staffA, h.createYear)
	route("PUT", "/api/v1/lending/years/{year}", staffA, h.updateYear)
	route("GET", "/api/v1/lending/years/{year}/fees", staffA, h.fees)
	route("PUT", "/api/v1/lending/years/{year}/fees/{title}", staffA, h.setFee)
	route("GET", "/api/v1/lending/years/{year}/lists", staffA, h.lists)
	route("PUT", "/api/v1/lending/years/{year}/lists/{grade}", staffA, h.putList)
	route("GET", "/api/v1/lending/years/{year}/accounts", staffA, h.accounts)
	route("GET", "/api/v1/lending/years/{year}/orders", staffA, h.orders)

	route("GET", "/api/v1/lending/titles", staffA, h.titles)
	route("POST", "/api/v1/lending/titles", staffA, h.createTitle)
	route("GET", "/api/v1/lending/titles/{title}", staffA, h.title)
	route("PUT", "/api/v1/lending/titles/{title}", staffA, h.updateTitle)
	route("DELETE", "/api/v1/lending/titles/{title}", staffA, h.deleteTitle)
	route("GET", "/api/v1/lending/titles/{title}/copies", staffA, h.titleCopies)

	route("POST", "/api/v1/lending/copies", staffA, h.createCopies)
	route("GET", "/api/v1/lending/copies/{code}", staffA, h.copy)
	route("PATCH", "/api/v1/lending/copies/{code}", staffA, h.updateCopy)

	route("GET", "/api/v1/lending/pupils", staffA, h.searchPupils)
	route("GET", "/api/v1/lending/pupils/{login}", staffA, h.pupil)
	route("GET", "/api/v1/lending/pupils/{login}/offer", staffA, h.pupilOffer)
	route("POST", "/api/v1/lending/pupils/{login}/registration", staffA, h.pupilRegister)
	route("DELETE", "/api/v1/lending/pupils/{login}/registration", staffA, h.pupilWithdraw)
	route("PUT", "/api/v1/lending/pupils/{login}/proofs/{kind}", staffA, h.proof)
	route("GET", "/api/v1/lending/classes/{class}", staffA, h.class)

	route("POST", "/api/v1/lending/scan", staffA, h.scan)
	route("POST", "/api/v1/lending/loans/{loan}/return", staffA, h.returnLoan)

	route("GET", "/api/v1/lending/claims", staffA, h.claims)
	route("POST", "/api/v1/lending/claims/{claim}/cancel", staffA, h.cancelClaim)

	route("GET", "/api/v1/lending/accounts/{reference}", staffA, h.account)
	route("POST", "/api/v1/lending/payments", staffA, h.addPayment)
	route("POST", "/api/v1/lending/payments/import", upload, h.importPayments)
	route("GET", "/api/v1/lending/payments/mapping", staffA, h.mapping)
	route("PUT", "/api/v1/lending/payments/mapping", staffA, h.setMapping)
	route("GET", "/api/v1/lending/payments/unmatched", staffA, h.unmatched)
	route("POST", "/api/v1/lending/payments/unmatched/{line}", staffA, h.resolveLine)

	h.documentRoutes(route, staffA)
	h.pageRoutes(s)
	return nil
}

// queryID reads an optional numeric query parameter (0 if absent).
func (c *call) queryID(name string) (int64, error) {
	v := c.query(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, invalid("Die Angabe „"+name+"“ muss eine Zahl sein.", name)
	}
	return id, nil
}

func (h *lendingAPI) abilities(c *call) error {
	ab, err := h.svc.AbilitiesOf(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.LendingAbilities{Coordinator: ab.Coordinator, Staff: ab.Staff, Classes: ab.Classes}
	if out.Classes == nil {
		out.Classes = []string{}
	}
	if c.me.Role != directory.Pupil {
		y, err := h.svc.CurrentYear(c.ctx)
		if e, ok := lending.AsError(err); ok && e.Kind == lending.NotFound {
			err = nil // no year yet
		} else if err == nil {
			ref := wireYearRef(y)
			out.CurrentYear = &ref
		}
		if err != nil {
			return err
		}
	}
	return c.ok(out)
}

// --- the child's own (parents through the child's account)

func (h *lendingAPI) own(c *call) error {
	o, err := h.svc.OwnState(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.LendingOwn{LendingPanel: wirePanel(o.Panel), Bank: wireBank(o.Year)}
	if o.Other != nil {
		p := wirePanel(*o.Other)
		out.Current = &p
	}
	return c.ok(out)
}

func (h *lendingAPI) ownOffer(c *call) error {
	o, err := h.svc.OwnOffer(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.ok(wireOffer(o))
}

func (h *lendingAPI) ownRegister(c *call) error {
	in, err := decodeRegistration(c)
	if err != nil {
		return err
	}
	r, err := h.svc.RegisterOwn(c.ctx, c.me, in)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireRegistered(r))
}

func (h *lendingAPI) ownWithdraw(c *call) error {
	w, err := h.svc.WithdrawOwn(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.reply(http.StatusOK, wireWithdrawn(w))
}

func decodeRegistration(c *call) (lending.RegistrationInput, error) {
	var req wire.LendingRegistrationInput
	if err := c.decode(&req); err != nil {
		return lending.RegistrationInput{}, err
	}
	in := lending.RegistrationInput{Year: req.Year, Package: req.Package, Guardian: req.Guardian, Reduction: req.Reduction,
		Exemption: lending.Exemption(req.Exemption), AcceptTerms: req.AcceptTerms, HalfYear: req.HalfYear,
		ReductionProof: lending.Proof(req.ReductionProof), ExemptionProof: lending.Proof(req.ExemptionProof),
		Choices: map[int64]lending.Choice{}}
	for _, ch := range req.Choices {
		choice := lending.Choice(ch.Choice)
		if choice != lending.Borrow && choice != lending.Buy {
			return in, invalid("Für jedes Buch ist die Wahl „borrow“ (leihen) oder „buy“ (kaufen).", "choices")
		}
		in.Choices[ch.Title] = choice
	}
	return in, nil
}

// --- years, titles, fees, lists

func (h *lendingAPI) years(c *call) error {
	list, err := h.svc.Years(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.LendingYears{Years: make([]wire.LendingYear, len(list)), Template: wireYearInput(h.svc.NewYearTemplate())}
	for i, y := range list {
		out.Years[i] = wireYear(y)
	}
	if len(list) > 0 {
		cur, err := h.svc.CurrentYear(c.ctx)
		if err != nil {
			return err
		}
		out.Current = cur.ID
	}
	return c.ok(out)
}

func yearFromWire(in wire.LendingYearInput) lending.Year {
	return lending.Year{Name: in.Name, Start: in.StartsOn, SecondHalf: in.SecondHalfOn, End: in.EndsOn,
		RegistrationFrom: in.RegistrationFrom, RegistrationUntil: in.RegistrationUntil, PaymentDue: in.PaymentDue, ReturnDue: in.ReturnDue,
		IBAN: in.IBAN, AccountHolder: in.AccountHolder, Bank: in.Bank, Terms: in.Terms,
		Rules: lending.Rules{RateMin: pctBP(in.RateMinPct), RateMax: pctBP(in.RateMaxPct), Rate: pctBP(in.RatePct),
			MultiYear: pctBP(in.MultiYearPct), RoundTo: in.RoundToCents, ReductionPct: in.ReductionPct, PackageOnly: in.PackageOnly,
			DamageLightPct: in.DamageLightPct, DamageMediumPct: in.DamageMediumPct, DamageTotalPct: in.DamageTotalPct}}
}

// pctBP turns percent into basis points, rounded.
func pctBP(p float64) int {
	if p < 0 {
		return int(p*100 - 0.5)
	}
	return int(p*100 + 0.5)
}

func (h *lendingAPI) createYear(c *call) error {
	var req wire.LendingYearInput
	if err := c.decode(&req); err != nil {
		return err
	}
	y, err := h.svc.CreateYear(c.ctx, c.me, yearFromWire(req))
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireYear(y))
}

func (h *lendingAPI) updateYear(c *call) error {
	id, err := c.pathID("year")
	if err != nil {
		return err
	}
	var req wire.LendingYearInput
	if err := c.decode(&req); err != nil {
		return err
	}
	y, err := h.svc.UpdateYear(c.ctx, c.me, id, yearFromWire(req))
	if err != nil {
		return err
	}
	return c.ok(wireYear(y))
}

func (h *lendingAPI) fees(c *call) error {
	id, err := c.pathID("year")
	if err != nil {
		return err
	}
	y, fees, err := h.svc.Fees(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	out := wire.LendingFees{Year: wireYearRef(y), Fees: make([]wire.LendingFee, len(fees))}
	for i, f := range fees {
		out.Fees[i] = wireFee(f)
	}
	return c.ok(out)
}

func wireFee(f lending.Fee) wire.LendingFee {
	return wire.LendingFee{Title: wireTitle(f.Title), DefaultCents: f.Default, FeeCents: f.Fee, Override: f.Override}
}

func (h *lendingAPI) setFee(c *call) error {
	yearID, err := c.pathID("year")
	if err != nil {
		return err
	}
	titleID, err := c.pathID("title")
	if err != nil {
		return err
	}
	var req wire.LendingFeeInput
	if err := c.decode(&req); err != nil {
		return err
	}
	f, err := h.svc.SetFee(c.ctx, c.me, yearID, titleID, req.FeeCents)
	if err != nil {
		return err
	}
	return c.ok(wireFee(f))
}

func (h *lendingAPI) lists(c *call) error {
	id, err := c.pathID("year")
	if err != nil {
		return err
	}
	lists, err := h.svc.Lists(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	y, err := h.svc.Year(c.ctx, id)
	if err != nil {
		return err
	}
	out := wire.LendingLists{Year: wireYearRef(y), Lists: make([]wire.LendingList, len(lists))}
	for i, l := range lists {
		out.Lists[i] = wireList(l)
	}
	return c.ok(out)
}

func (h *lendingAPI) putList(c *call) error {
	id, err := c.pathID("year")
	if err != nil {
		return err
	}
	grade, err := strconv.Atoi(c.r.PathValue("grade"))
	if err != nil {
		return errNotFound
	}
	var req wire.LendingListInput
	if err := c.decode(&req); err != nil {
		return err
	}
	l, err := h.svc.PutList(c.ctx, c.me, id, grade, req.Titles, req.Published)
	if err != nil {
		return err
	}
	return c.ok(wireList(l))
}

func (h *lendingAPI) accounts(c *call) error {
	id, err := c.pathID("year")
	if err != nil {
		return err
	}
	y, list, err := h.svc.Accounts(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	out := wire.LendingAccounts{Year: wireYearRef(y), Accounts: make([]wire.LendingAccount, len(list)), CountByStatus: map[string]int{}}
	for i, a := range list {
		out.Accounts[i] = wireAccount(a)
		out.DueCents += a.RegistrationDue + a.ClaimsDue
		out.PaidCents += a.Paid
		out.CountByStatus[string(a.Status)]++
	}
	return c.ok(out)
}

func (h *lendingAPI) orders(c *call) error {
	id, err := c.pathID("year")
	if err != nil {
		return err
	}
	y, rows, err := h.svc.OrderRows(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	out := wire.LendingOrders{Year: wireYearRef(y), Rows: make([]wire.LendingOrderRow, len(rows))}
	for i, r := range rows {
		out.Rows[i] = wire.LendingOrderRow{Title: wireTitle(r.Title), Needed: r.Needed, Available: r.Available, Order: r.Order}
	}
	return c.ok(out)
}

func (h *lendingAPI) titles(c *call) error {
	list, err := h.svc.Titles(c.ctx, c.me, c.query("q"))
	if err != nil {
		return err
	}
	out := wire.LendingTitles{Titles: make([]wire.LendingTitle, len(list))}
	for i, t := range list {
		out.Titles[i] = wireTitle(t)
	}
	return c.ok(out)
}

func titleFromWire(in wire.LendingTitleInput) lending.TitleInput {
	return lending.TitleInput{ISBN: in.ISBN, Title: in.Title, Publisher: in.Publisher, Subject: in.Subject, Grades: in.Grades,
		Price: in.PriceCents, YearsOfUse: in.YearsOfUse, Consumable: in.Consumable}
}

func (h *lendingAPI) createTitle(c *call) error {
	var req wire.LendingTitleInput
	if err := c.decode(&req); err != nil {
		return err
	}
	t, err := h.svc.CreateTitle(c.ctx, c.me, titleFromWire(req))
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireTitle(t))
}

func (h *lendingAPI) title(c *call) error {
	id, err := c.pathID("title")
	if err != nil {
		return err
	}
	t, err := h.svc.Title(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	return c.ok(wireTitle(t))
}

func (h *lendingAPI) updateTitle(c *call) error {
	id, err := c.pathID("title")
	if err != nil {
		return err
	}
	var req wire.LendingTitleInput
	if err := c.decode(&req); err != nil {
		return err
	}
	t, err := h.svc.UpdateTitle(c.ctx, c.me, id, titleFromWire(req))
	if err != nil {
		return err
	}
	return c.ok(wireTitle(t))
}

func (h *lendingAPI) deleteTitle(c *call) error {
	id, err := c.pathID("title")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteTitle(c.ctx, c.me, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *lendingAPI) titleCopies(c *call) error {
	id, err := c.pathID("title")
	if err != nil {
		return err
	}
	list, err := h.svc.CopiesOfTitle(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	out := wire.LendingCopies{Copies: make([]wire.LendingCopy, len(list))}
	for i, cp := range list {
		out.Copies[i] = wireCopy(cp)
	}
	return c.ok(out)
}

// --- copies

func (h *lendingAPI) createCopies(c *call) error {
	var req wire.LendingCopiesInput
	if err := c.decode(&req); err != nil {
		return err
	}
	list, err := h.svc.CreateCopies(c.ctx, c.me, lending.CopiesInput{Title: req.Title, Count: req.Count, Numbers: req.Numbers,
		AcquiredOn: req.AcquiredOn, Condition: lending.Condition(req.Condition), LoanCount: req.LoanCount, Note: req.Note})
	if err != nil {
		return err
	}
	out := wire.LendingCopies{Copies: make([]wire.LendingCopy, len(list))}
	for i, cp := range list {
		out.Copies[i] = wireCopy(cp)
	}
	return c.reply(http.StatusCreated, out)
}

func (h *lendingAPI) copy(c *call) error {
	cp, err := h.svc.GetCopy(c.ctx, c.me, c.r.PathValue("code"))
	if err != nil {
		return err
	}
	return c.ok(wireCopy(cp))
}

func (h *lendingAPI) updateCopy(c *call) error {
	var req wire.LendingCopyChange
	if err := c.decode(&req); err != nil {
		return err
	}
	var ch lending.CopyChange
	if req.Status != nil {
		st := lending.CopyStatus(*req.Status)
		ch.Status = &st
	}
	if req.Condition != nil {
		cond := lending.Condition(*req.Condition)
		ch.Condition = &cond
	}
	ch.Note = req.Note
	cp, err := h.svc.UpdateCopy(c.ctx, c.me, c.r.PathValue("code"), ch)
	if err != nil {
		return err
	}
	return c.ok(wireCopy(cp))
}

// --- pupils, registrations, classes

func (h *lendingAPI) searchPupils(c *call) error {
	list, err := h.svc.SearchPupils(c.ctx, c.me, c.query("q"))
	if err != nil {
		return err
	}
	out := wire.LendingPupils{Pupils: make([]wire.LendingPupilRef, len(list))}
	for i, p := range list {
		out.Pupils[i] = wirePupilRef(p)
	}
	return c.ok(out)
}

func (h *lendingAPI) pupil(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	p, err := h.svc.PupilPanel(c.ctx, c.me, c.r.PathValue("login"), year)
	if err != nil {
		return err
	}
	return c.ok(wirePanel(p))
}

func (h *lendingAPI) pupilOffer(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	o, err := h.svc.OfferFor(c.ctx, c.me, c.r.PathValue("login"), year)
	if err != nil {
		return err
	}
	return c.ok(wireOffer(o))
}

func (h *lendingAPI) pupilRegister(c *call) error {
	in, err := decodeRegistration(c)
	if err != nil {
		return err
	}
	r, err := h.svc.RegisterFor(c.ctx, c.me, c.r.PathValue("login"), in)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireRegistered(r))
}

func (h *lendingAPI) pupilWithdraw(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	w, err := h.svc.WithdrawFor(c.ctx, c.me, c.r.PathValue("login"), year)
	if err != nil {
		return err
	}
	return c.reply(http.StatusOK, wireWithdrawn(w))
}

func (h *lendingAPI) proof(c *call) error {
	var exemption bool
	switch c.r.PathValue("kind") {
	case "exemption":
		exemption = true
	case "reduction":
	default:
		return errNotFound
	}
	var req wire.LendingProofInput
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := h.svc.SetProof(c.ctx, c.me, c.actor, c.r.PathValue("login"), req.Year, exemption, lending.Proof(req.State))
	if err != nil {
		return err
	}
	return c.ok(wireRegistration(r))
}

func (h *lendingAPI) class(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	st, err := h.svc.Class(c.ctx, c.me, c.r.PathValue("class"), year)
	if err != nil {
		return err
	}
	out := wire.LendingClass{Class: st.Class, Year: wireYearRef(st.Year), Titles: make([]wire.LendingBooked, len(st.Titles)),
		Pupils: make([]wire.LendingClassPupil, len(st.Pupils))}
	for i, t := range st.Titles {
		out.Titles[i] = wire.LendingBooked{TitleID: t.TitleID, Title: t.Title, Subject: t.Subject, ISBN: t.ISBN, FeeCents: t.Fee}
	}
	for i, p := range st.Pupils {
		row := wire.LendingClassPupil{Pupil: p.Pupil.Login, Name: p.Pupil.Name(), Card: p.Card, Registered: p.Registered,
			Status: string(p.Status), StatusTitle: p.Status.German(), PaidUp: p.PaidUp, Booked: wireBookedList(p.Booked), Missing: p.Missing,
			Reference: p.Reference, DueCents: p.Due, PaidCents: p.Paid}
		if !st.Staff {
			row.Card = ""
		}
		out.Pupils[i] = row
	}
	return c.ok(out)
}

// --- the kiosk

func (h *lendingAPI) scan(c *call) error {
	var req wire.LendingScan
	if err := c.decode(&req); err != nil {
		return err
	}
	res, err := h.svc.Scan(c.ctx, c.me, lending.ScanRequest{Code: req.Code, Mode: lending.Mode(req.Mode), Pupil: req.Pupil, Title: req.Title,
		Class: req.Class, Condition: lending.ReturnCondition(req.Condition), Year: req.Year, Confirm: req.Confirm})
	if err != nil {
		return err
	}
	return c.ok(wireScan(res))
}

func (h *lendingAPI) returnLoan(c *call) error {
	id, err := c.pathID("loan")
	if err != nil {
		return err
	}
	var req wire.LendingReturn
	if err := c.decode(&req); err != nil {
		return err
	}
	res, err := h.svc.ReturnLoan(c.ctx, c.me, id, lending.ReturnCondition(req.Condition))
	if err != nil {
		return err
	}
	return c.ok(wireScan(res))
}

// --- claims and payments

func (h *lendingAPI) claims(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	list, err := h.svc.Claims(c.ctx, c.me, year, lending.ClaimState(c.query("state")))
	if err != nil {
		return err
	}
	return c.ok(wire.LendingClaims{Claims: wireClaims(list)})
}

func (h *lendingAPI) cancelClaim(c *call) error {
	id, err := c.pathID("claim")
	if err != nil {
		return err
	}
	var req wire.LendingClaimCancel
	if err := c.decode(&req); err != nil {
		return err
	}
	cl, err := h.svc.CancelClaim(c.ctx, c.me, c.actor, id, req.Reason)
	if err != nil {
		return err
	}
	return c.ok(wireClaim(cl))
}

func (h *lendingAPI) account(c *call) error {
	d, err := h.svc.AccountByReference(c.ctx, c.me, c.r.PathValue("reference"))
	if err != nil {
		return err
	}
	out := wire.LendingAccountDetail{Account: wireAccount(d.Account), Payments: make([]wire.LendingPayment, len(d.Payments)), Claims: wireClaims(d.Claims)}
	for i, p := range d.Payments {
		out.Payments[i] = wire.LendingPayment{ID: p.ID, Reference: p.Reference, AmountCents: p.Amount, BookedOn: p.BookedOn, Source: p.Source,
			Payer: p.Payer, Note: p.Note, CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy}
	}
	return c.ok(out)
}

func (h *lendingAPI) addPayment(c *call) error {
	var req wire.LendingPaymentInput
	if err := c.decode(&req); err != nil {
		return err
	}
	a, err := h.svc.AddPayment(c.ctx, c.me, c.actor, lending.PaymentInput{Reference: req.Reference, Pupil: req.Pupil, Year: req.Year,
		Amount: req.AmountCents, Date: req.Date, Note: req.Note})
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireAccount(a))
}

// importPayments reads the bank's CSV export from the body (at most
// 20 MB, held in memory: a school's statement is kilobytes).
func (h *lendingAPI) importPayments(c *call) error {
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		return err
	}
	rep, err := h.svc.Import(c.ctx, c.me, c.actor, data, c.flag("dry_run"))
	if err != nil {
		return err
	}
	out := wire.LendingImport{DryRun: rep.DryRun, Encoding: rep.Encoding, Separator: rep.Separator, Header: rep.Header,
		Mapping: wireMapping(rep.Mapping), Lines: make([]wire.LendingImportLine, len(rep.Lines)), Matched: rep.Matched, Unmatched: rep.Unmatched,
		Duplicates: rep.Duplicates, Debits: rep.Debits, Skipped: rep.Skipped, TotalCents: rep.Total}
	for i, l := range rep.Lines {
		out.Lines[i] = wire.LendingImportLine{Row: l.Row, Date: l.Date, AmountCents: l.Amount, Payer: l.Payer, IBAN: l.IBAN, Purpose: l.Purpose,
			State: l.State, Reference: l.Reference, PupilName: l.PupilName, Reason: l.Reason, LineID: l.LineID}
	}
	status := http.StatusCreated
	if rep.DryRun {
		status = http.StatusOK
	}
	return c.reply(status, out)
}

func wireMapping(m lending.Mapping) wire.LendingMapping {
	p := m.Purpose
	if p == nil {
		p = []string{}
	}
	return wire.LendingMapping{Date: m.Date, Amount: m.Amount, Purpose: p, Payer: m.Payer, IBAN: m.IBAN, Sign: m.Sign}
}

func (h *lendingAPI) mapping(c *call) error {
	m, err := h.svc.Mapping(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.ok(wireMapping(m))
}

func (h *lendingAPI) setMapping(c *call) error {
	var req wire.LendingMapping
	if err := c.decode(&req); err != nil {
		return err
	}
	m, err := h.svc.SetMapping(c.ctx, c.me, lending.Mapping{Date: req.Date, Amount: req.Amount, Purpose: req.Purpose, Payer: req.Payer,
		IBAN: req.IBAN, Sign: req.Sign})
	if err != nil {
		return err
	}
	return c.ok(wireMapping(m))
}

func wireBankLine(l lending.BankLine) wire.LendingBankLine {
	return wire.LendingBankLine{ID: l.ID, Row: l.Row, Date: l.BookedOn, AmountCents: l.Amount, Payer: l.Payer, IBAN: l.IBAN, Purpose: l.Purpose, State: l.State}
}

func (h *lendingAPI) unmatched(c *call) error {
	list, err := h.svc.Unmatched(c.ctx, c.me)
	if err != nil {
		return err
	}
	out := wire.LendingBankLines{Lines: make([]wire.LendingBankLine, len(list))}
	for i, l := range list {
		out.Lines[i] = wireBankLine(l)
	}
	return c.ok(out)
}

func (h *lendingAPI) resolveLine(c *call) error {
	id, err := c.pathID("line")
	if err != nil {
		return err
	}
	var req wire.LendingLineResolve
	if err := c.decode(&req); err != nil {
		return err
	}
	l, err := h.svc.ResolveLine(c.ctx, c.me, c.actor, id, req.Reference)
	if err != nil {
		return err
	}
	return c.ok(wireBankLine(l))
}

// --- conversions to the wire

func wireYearRef(y lending.Year) wire.LendingYearRef {
	return wire.LendingYearRef{ID: y.ID, Name: y.Name, PaymentDue: y.PaymentDue, ReturnDue: y.ReturnDue}
}

func bpPct(bp int) float64 { return float64(bp) / 100 }

func wireYearInput(y lending.Year) wire.LendingYearInput {
	r := y.Rules
	return wire.LendingYearInput{Name: y.Name, StartsOn: y.Start, SecondHalfOn: y.SecondHalf, EndsOn: y.End, RegistrationFrom: y.RegistrationFrom,
		RegistrationUntil: y.RegistrationUntil, PaymentDue: y.PaymentDue, ReturnDue: y.ReturnDue, IBAN: y.IBAN, AccountHolder: y.AccountHolder,
		Bank: y.Bank, RateMinPct: bpPct(r.RateMin), RateMaxPct: bpPct(r.RateMax), RatePct: bpPct(r.Rate), MultiYearPct: bpPct(r.MultiYear),
		RoundToCents: r.RoundTo, ReductionPct: r.ReductionPct, PackageOnly: r.PackageOnly, DamageLightPct: r.DamageLightPct,
		DamageMediumPct: r.DamageMediumPct, DamageTotalPct: r.DamageTotalPct, Terms: y.Terms}
}

func wireYear(y lending.Year) wire.LendingYear {
	today := nowUTC().In(berlin).Format("2006-01-02")
	return wire.LendingYear{ID: y.ID, LendingYearInput: wireYearInput(y), TermsText: y.TermsText(), RegistrationOpen: y.RegistrationOpen(today)}
}

func wireBank(y lending.Year) wire.LendingBank {
	return wire.LendingBank{AccountHolder: y.AccountHolder, IBAN: lending.FormatIBAN(y.IBAN), Bank: y.Bank}
}

func wireTitle(t lending.Title) wire.LendingTitle {
	grades := t.Grades
	if grades == nil {
		grades = []int{}
	}
	return wire.LendingTitle{ID: t.ID, LendingTitleInput: wire.LendingTitleInput{ISBN: t.ISBN, Title: t.Title, Publisher: t.Publisher,
		Subject: t.Subject, Grades: grades, PriceCents: t.Price, YearsOfUse: t.YearsOfUse, Consumable: t.Consumable},
		Copies: t.Copies, InStock: t.InStock, Lent: t.Lent}
}

func wireList(l lending.BookList) wire.LendingList {
	out := wire.LendingList{Grade: l.Grade, Published: l.Published, PublishedAt: optTime(l.PublishedAt), Titles: make([]wire.LendingListTitle, len(l.Titles))}
	for i, t := range l.Titles {
		out.Titles[i] = wire.LendingListTitle{Title: wireTitle(t.Title), FeeCents: t.Fee}
	}
	return out
}

func wireLoan(l lending.Loan) wire.LendingLoan {
	return wire.LendingLoan{ID: l.ID, Code: l.Code, TitleID: l.TitleID, Title: l.Title, Pupil: l.PupilLogin, PupilName: l.PupilName,
		YearID: l.YearID, Year: l.YearName, FeeCents: l.Fee, IssuedAt: l.IssuedAt, IssuedBy: l.IssuedBy, ReturnedAt: optTime(l.ReturnedAt),
		ReturnedBy: l.ReturnedBy, ReturnCondition: string(l.ReturnCondition)}
}

func wireLoans(list []lending.Loan) []wire.LendingLoan {
	out := make([]wire.LendingLoan, len(list))
	for i, l := range list {
		out[i] = wireLoan(l)
	}
	return out
}

func wireCopy(c lending.Copy) wire.LendingCopy {
	out := wire.LendingCopy{Code: c.Code, Number: c.Number, TitleID: c.TitleID, Title: c.Title, ISBN: c.ISBN, AcquiredOn: c.AcquiredOn,
		Condition: string(c.Condition), ConditionTitle: c.Condition.German(), Status: string(c.Status), StatusTitle: c.Status.German(),
		LoanCount: c.LoanCount, Note: c.Note}
	if c.Loan != nil {
		l := wireLoan(*c.Loan)
		out.Loan = &l
	}
	if c.History != nil {
		out.History = wireLoans(c.History)
	}
	return out
}

func wireClaim(c lending.Claim) wire.LendingClaim {
	return wire.LendingClaim{ID: c.ID, Reference: c.Reference, Pupil: c.PupilLogin, PupilName: c.PupilName, Year: c.YearName, Code: c.Code,
		Title: c.Title, Kind: string(c.Kind), KindTitle: c.Kind.German(), ValueCents: c.Value, Percent: c.Percent, AmountCents: c.Amount,
		State: string(c.State), StateTitle: c.State.German(), CreatedAt: c.CreatedAt, FixedAt: optTime(c.FixedAt),
		CancelledAt: optTime(c.CancelledAt), CancelReason: c.CancelReason}
}

func wireClaims(list []lending.Claim) []wire.LendingClaim {
	out := make([]wire.LendingClaim, len(list))
	for i, c := range list {
		out[i] = wireClaim(c)
	}
	return out
}

func wireAccount(a lending.Account) wire.LendingAccount {
	return wire.LendingAccount{Reference: a.Reference, Pupil: a.PupilLogin, PupilName: a.PupilName, YearID: a.YearID, Year: a.YearName,
		Registered: a.Registered, RegistrationDueCents: a.RegistrationDue, ClaimsDueCents: a.ClaimsDue, PaidCents: a.Paid,
		BalanceCents: a.Balance(), Status: string(a.Status), StatusTitle: a.Status.German(), PaidUp: a.PaidUp()}
}

func wireRegistration(r lending.Registration) wire.LendingRegistration {
	out := wire.LendingRegistration{ID: r.ID, Reference: r.Reference, YearID: r.YearID, Year: r.YearName, Grade: r.Grade, Channel: string(r.Channel),
		Package: r.Package, Guardian: r.Guardian, Reduction: r.Reduction, ReductionProof: string(r.ReductionProof), Exemption: string(r.Exemption),
		ExemptionTitle: r.Exemption.German(), ExemptionProof: string(r.ExemptionProof), HalfYear: r.HalfYear, FullCents: r.Full,
		ReducedCents: r.Reduced, DueCents: r.Due, Waiting: r.Waiting, Titles: make([]wire.LendingRegisteredTitle, len(r.Titles)),
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	for i, t := range r.Titles {
		out.Titles[i] = wire.LendingRegisteredTitle{TitleID: t.TitleID, ISBN: t.ISBN, Title: t.Title, Subject: t.Subject, Choice: string(t.Choice),
			FeeCents: t.Fee, PriceCents: t.Price, Consumable: t.Consumable, YearsOfUse: t.YearsOfUse}
	}
	return out
}

func wireBookedList(list []lending.Booked) []wire.LendingBooked {
	out := make([]wire.LendingBooked, len(list))
	for i, b := range list {
		out[i] = wire.LendingBooked{TitleID: b.TitleID, Title: b.Title, Subject: b.Subject, ISBN: b.ISBN, FeeCents: b.Fee, Code: b.Code}
	}
	return out
}

func wirePupilRef(p directory.Listed) wire.LendingPupilRef {
	class := ""
	for _, c := range p.Classes {
		if c != "" && c[0] >= '0' && c[0] <= '9' {
			class = c
			break
		}
	}
	if class == "" && len(p.Classes) > 0 {
		class = p.Classes[0]
	}
	return wire.LendingPupilRef{Login: p.Login, Name: p.Name(), Class: class}
}

// wirePanel converts a panel, money included: only lending staff and the
// family itself see panels (teachers get the class view).
func wirePanel(p lending.Panel) wire.LendingPanel {
	out := wire.LendingPanel{Pupil: p.Pupil.Login, Name: p.Pupil.Name(), FirstName: p.Pupil.FirstName, LastName: p.Pupil.LastName,
		Class: p.Class, Card: p.Card, Year: wireYearRef(p.Year), Booked: wireBookedList(p.Booked), Missing: wireBookedList(p.Missing),
		Loans: wireLoans(p.Loans), Claims: wireClaims(p.Claims), ClaimsOpenCents: p.ClaimsOpen, Warnings: make([]wire.LendingWarning, len(p.Warnings))}
	for i, w := range p.Warnings {
		out.Warnings[i] = wire.LendingWarning{Code: w.Code, Message: w.German}
	}
	if p.Registration != nil {
		r := wireRegistration(*p.Registration)
		out.Registration = &r
	}
	if p.Account != nil {
		a := wireAccount(*p.Account)
		out.Account = &a
	}
	return out
}

func wireOffer(o lending.Offer) wire.LendingOffer {
	out := wire.LendingOffer{Year: wireYear(o.Year), Pupil: o.Pupil.Login, PupilName: o.Pupil.Name(), Class: o.Class, Grade: o.Grade,
		Open: o.Open, Reason: o.Reason, HalfYear: o.HalfYear, Titles: make([]wire.LendingListTitle, len(o.List.Titles))}
	for i, t := range o.List.Titles {
		out.Titles[i] = wire.LendingListTitle{Title: wireTitle(t.Title), FeeCents: t.Fee}
	}
	if o.Current != nil {
		r := wireRegistration(*o.Current)
		out.Current = &r
	}
	if o.Account != nil {
		a := wireAccount(*o.Account)
		out.Account = &a
	}
	return out
}

func wireRegistered(r lending.Registered) wire.LendingRegistered {
	return wire.LendingRegistered{Registration: wireRegistration(r.Registration), Account: wireAccount(r.Account), Bank: wireBank(r.Year),
		PaymentDue: r.Year.PaymentDue, Replaced: r.Replaced, Message: r.Message}
}

func wireWithdrawn(w lending.Withdrawn) wire.LendingWithdrawn {
	return wire.LendingWithdrawn{Registration: wireRegistration(w.Registration), Account: wireAccount(w.Account), Message: w.Message}
}

func wireScan(r lending.ScanResult) wire.LendingScanResult {
	out := wire.LendingScanResult{Kind: string(r.Kind), Level: string(r.Level), Message: r.Message, NeedsConfirmation: r.NeedsConfirmation,
		Year: wireYearRef(r.Year)}
	for _, w := range r.Warnings {
		out.Warnings = append(out.Warnings, wire.LendingWarning{Code: w.Code, Message: w.German})
	}
	if r.Pupil != nil {
		p := wirePanel(*r.Pupil)
		out.Pupil = &p
	}
	if r.Copy != nil {
		c := wireCopy(*r.Copy)
		out.Copy = &c
	}
	if r.Title != nil {
		t := wireTitle(*r.Title)
		out.Title = &t
	}
	if r.Loan != nil {
		l := wireLoan(*r.Loan)
		out.Loan = &l
	}
	if r.Claim != nil {
		c := wireClaim(*r.Claim)
		out.Claim = &c
	}
	for _, p := range r.Candidates {
		out.Candidates = append(out.Candidates, wirePupilRef(p))
	}
	if p := r.Class; p != nil {
		out.Class = &wire.LendingClassProgress{Class: p.Class, TitleID: p.TitleID, Title: p.Title, IssuedTo: p.IssuedTo, Remaining: p.Remaining, Unpaid: p.Unpaid}
	}
	return out
}
