package api_test

import (
	"strconv"

	"kaspel/shared/wire"
)

// lendingMatrixPayment is the body of the manual payment row; the setup
// fills in the reference.
var lendingMatrixPayment = &wire.LendingPaymentInput{AmountCents: 100}

// The lending module's rows of the authorization matrix. Two of its
// groups are not roles: the coordinator (the "lending" right, or an
// admin) and the lending staff (the coordinator and the secretary). Their
// routes are open to staff roles, and the service refuses the others
// with 403: the rows name them in handlerDenies. The matrix's callers
// have no holder of the lending right, so the admin stands for the
// coordinator here; lending_test.go covers a teacher with the right.
// Class routes let the class's teacher in (the fixture's teacher teaches
// 3a; the protocol teacher teaches no class). The parents' page is public.
func init() {
	var (
		staffRoles  = "teacher,secretary,admin"
		coordDenies = []string{"teacher", "secretary", "protocol"}
		staffDenies = []string{"teacher", "protocol"}
		year        = "/api/v1/lending/years/{lyear}"
	)
	row := func(method, pattern, who, path string, body any, denies []string) matrixRow {
		return matrixRow{method: method, pattern: pattern, who: who, path: path, body: body, handlerDenies: denies}
	}
	matrix = append(matrix,
		row("GET", "/api/v1/lending/abilities", "all", "", nil, nil),
		row("GET", "/api/v1/lending/own", "pupil", "", nil, nil),
		row("GET", "/api/v1/lending/own/offer", "pupil", "", nil, nil),
		row("POST", "/api/v1/lending/own/registration", "pupil", "", wire.LendingRegistrationInput{Package: true, Guardian: "Eva Schmidt", AcceptTerms: true}, nil),
		// The first pupil takes it back; later callers find none (409).
		row("DELETE", "/api/v1/lending/own/registration", "pupil", "", nil, nil),

		row("GET", "/api/v1/lending/years", staffRoles, "", nil, nil),
		row("POST", "/api/v1/lending/years", staffRoles, "", wire.LendingYearInput{}, coordDenies),
		row("PUT", "/api/v1/lending/years/{year}", staffRoles, year, wire.LendingYearInput{}, coordDenies),
		row("GET", "/api/v1/lending/years/{year}/fees", staffRoles, year+"/fees", nil, nil),
		row("PUT", "/api/v1/lending/years/{year}/fees/{title}", staffRoles, year+"/fees/{ltitle}", wire.LendingFeeInput{}, coordDenies),
		row("GET", "/api/v1/lending/years/{year}/lists", staffRoles, year+"/lists", nil, nil),
		row("PUT", "/api/v1/lending/years/{year}/lists/{grade}", staffRoles, year+"/lists/3", wire.LendingListInput{Titles: []int64{}}, coordDenies),
		row("GET", "/api/v1/lending/years/{year}/accounts", staffRoles, year+"/accounts", nil, staffDenies),
		row("GET", "/api/v1/lending/years/{year}/orders", staffRoles, year+"/orders", nil, coordDenies),

		row("GET", "/api/v1/lending/titles", staffRoles, "", nil, nil),
		row("POST", "/api/v1/lending/titles", staffRoles, "", wire.LendingTitleInput{}, coordDenies),
		row("GET", "/api/v1/lending/titles/{title}", staffRoles, "/api/v1/lending/titles/{ltitle}", nil, nil),
		row("PUT", "/api/v1/lending/titles/{title}", staffRoles, "/api/v1/lending/titles/{ltitle}", wire.LendingTitleInput{}, coordDenies),
		// The admin deletes it; the protocol teacher after is refused first.
		row("DELETE", "/api/v1/lending/titles/{title}", staffRoles, "/api/v1/lending/titles/{ltitle_doomed}", nil, coordDenies),
		row("GET", "/api/v1/lending/titles/{title}/copies", staffRoles, "/api/v1/lending/titles/{ltitle}/copies", nil, staffDenies),

		row("POST", "/api/v1/lending/copies", staffRoles, "", wire.LendingCopiesInput{Title: 0, Count: 1}, coordDenies),
		row("GET", "/api/v1/lending/copies/{code}", staffRoles, "/api/v1/lending/copies/{lcode}", nil, staffDenies),
		row("PATCH", "/api/v1/lending/copies/{code}", staffRoles, "/api/v1/lending/copies/{lcode}", wire.LendingCopyChange{}, coordDenies),

		row("GET", "/api/v1/lending/pupils", staffRoles, "/api/v1/lending/pupils?q=Schmidt", nil, staffDenies),
		row("GET", "/api/v1/lending/pupils/{login}", staffRoles, "/api/v1/lending/pupils/{lpupil}", nil, staffDenies),
		row("GET", "/api/v1/lending/pupils/{login}/offer", staffRoles, "/api/v1/lending/pupils/{lpupil}/offer", nil, staffDenies),
		row("POST", "/api/v1/lending/pupils/{login}/registration", staffRoles, "/api/v1/lending/pupils/{lpupil}/registration",
			wire.LendingRegistrationInput{Package: true, Guardian: "Jörg Becker", AcceptTerms: true}, staffDenies),
		row("DELETE", "/api/v1/lending/pupils/{login}/registration", staffRoles, "/api/v1/lending/pupils/{lpupil}/registration", nil, staffDenies),
		row("PUT", "/api/v1/lending/pupils/{login}/proofs/{kind}", staffRoles, "/api/v1/lending/pupils/{lpupil}/proofs/reduction",
			wire.LendingProofInput{State: "accepted"}, staffDenies),
		row("GET", "/api/v1/lending/classes/{class}", staffRoles, "/api/v1/lending/classes/3a", nil, []string{"protocol"}),

		row("POST", "/api/v1/lending/scan", staffRoles, "", wire.LendingScan{Code: "0999999"}, staffDenies),
		// The secretary takes it back; the admin after her finds it back (409).
		row("POST", "/api/v1/lending/loans/{loan}/return", staffRoles, "/api/v1/lending/loans/{lloan}/return", wire.LendingReturn{Condition: "ok"}, staffDenies),

		row("GET", "/api/v1/lending/claims", staffRoles, "", nil, staffDenies),
		row("POST", "/api/v1/lending/claims/{claim}/cancel", staffRoles, "/api/v1/lending/claims/{lclaim}/cancel", wire.LendingClaimCancel{Reason: "Matrix"}, staffDenies),
		row("GET", "/api/v1/lending/accounts/{reference}", staffRoles, "/api/v1/lending/accounts/{lref}", nil, staffDenies),
		row("POST", "/api/v1/lending/payments", staffRoles, "", lendingMatrixPayment, staffDenies),
		row("POST", "/api/v1/lending/payments/import", staffRoles, "/api/v1/lending/payments/import?dry_run=1",
			"Buchungstag;Verwendungszweck;Betrag\n01.07.2026;Spende;10,00\n", staffDenies),
		row("GET", "/api/v1/lending/payments/mapping", staffRoles, "", nil, staffDenies),
		row("PUT", "/api/v1/lending/payments/mapping", staffRoles, "", wire.LendingMapping{Date: "Buchungstag", Amount: "Betrag", Purpose: []string{"Verwendungszweck"}}, staffDenies),
		row("GET", "/api/v1/lending/payments/unmatched", staffRoles, "", nil, staffDenies),
		row("POST", "/api/v1/lending/payments/unmatched/{line}", staffRoles, "/api/v1/lending/payments/unmatched/{lline}", wire.LendingLineResolve{}, staffDenies),

		row("POST", "/api/v1/lending/labels", staffRoles, "", wire.LendingLabelsInput{Count: 1}, coordDenies),
		row("POST", "/api/v1/lending/cards", staffRoles, "", wire.LendingCardsInput{Class: "3a"}, staffDenies),
		row("GET", "/api/v1/lending/documents/issue-list", staffRoles, "/api/v1/lending/documents/issue-list?class=3a", nil, []string{"protocol"}),
		row("GET", "/api/v1/lending/documents/missing", staffRoles, "", nil, staffDenies),
		row("GET", "/api/v1/lending/documents/claim-letters", staffRoles, "", nil, staffDenies),
		row("GET", "/api/v1/lending/documents/payments", staffRoles, "", nil, staffDenies),
		row("GET", "/api/v1/lending/documents/book-list", staffRoles, "/api/v1/lending/documents/book-list?grade=4", nil, nil),
		row("GET", "/api/v1/lending/documents/order-list", staffRoles, "", nil, coordDenies),

		row("GET", "/buecher/{$}", "public", "/buecher/", nil, nil),
		row("POST", "/buecher/anmelden", "public", "", "login=niemand&passwort=falsch", nil),
		row("POST", "/buecher/abmelden", "public", "", nil, nil),
		row("POST", "/buecher/passwort", "public", "", nil, nil),
		row("POST", "/buecher/anmeldung", "public", "", nil, nil),
		row("POST", "/buecher/zuruecknehmen", "public", "", nil, nil),
	)
	// The admin (as coordinator) sets the year up; the secretary registers
	// and lends Ben a book, takes a damaged one back (a claim) and imports
	// a statement with a line nobody can match.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		s.t.Helper()
		adm, sabine := s.as(s.Admin), s.as(s.Secretary)
		l := s.lendingSetup(adm)
		doomed, err := adm.LendingCreateTitle(ctx, wire.LendingTitleInput{ISBN: isbnOf("978399999999"), Title: "Wird gelöscht", PriceCents: 1000, YearsOfUse: 1})
		if err != nil {
			s.t.Fatalf("matrix setup: title: %v", err)
		}
		r, err := sabine.LendingRegisterPupil(ctx, s.Pupil2, wire.LendingRegistrationInput{Package: true, Guardian: "Jörg Becker", AcceptTerms: true})
		if err != nil {
			s.t.Fatalf("matrix setup: registration: %v", err)
		}
		maths := l.copies[l.maths.ID]
		issue := func(code string) wire.LendingScanResult {
			res, err := sabine.LendingScan(ctx, wire.LendingScan{Code: code, Pupil: s.Pupil2, Confirm: true})
			if err != nil || res.Kind != wire.LendingScanIssued {
				s.t.Fatalf("matrix setup: issue %s: %+v, %v", code, res, err)
			}
			return res
		}
		res := issue(maths[0])
		issue(l.copies[l.reading.ID][0])
		back, err := sabine.LendingScan(ctx, wire.LendingScan{Code: l.copies[l.reading.ID][0], Mode: wire.LendingModeReturn, Condition: wire.LendingReturnLight})
		if err != nil || back.Claim == nil {
			s.t.Fatalf("matrix setup: damaged return: %+v, %v", back, err)
		}
		imp, err := sabine.LendingImport(ctx, []byte("Buchungstag;Verwendungszweck;Betrag\n01.07.2026;Buchgeld ohne Zweck;33,23\n"), false)
		if err != nil || len(imp.Lines) != 1 || imp.Lines[0].LineID == 0 {
			s.t.Fatalf("matrix setup: import: %+v, %v", imp, err)
		}
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		vars["lyear"], vars["ltitle"], vars["ltitle_doomed"] = id(l.year.ID), id(l.maths.ID), id(doomed.ID)
		vars["lcode"], vars["lpupil"], vars["lref"] = maths[1], s.Pupil2, r.Account.Reference
		vars["lloan"], vars["lclaim"], vars["lline"] = id(res.Loan.ID), id(back.Claim.ID), id(imp.Lines[0].LineID)
		lendingMatrixPayment.Reference = r.Account.Reference
	})
}
