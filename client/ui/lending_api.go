package ui

import (
	"context"

	"kaspel/shared/wire"
)

// LendingAPI is the textbook lending's part of the server API
// (docs/api/lending.md); *serverapi.Client is one.
type LendingAPI interface {
	LendingAbilities(ctx context.Context) (wire.LendingAbilities, error)
	LendingScan(ctx context.Context, s wire.LendingScan) (wire.LendingScanResult, error)
	LendingReturnLoan(ctx context.Context, loan int64, condition string) (wire.LendingScanResult, error)
	LendingOwn(ctx context.Context) (wire.LendingOwn, error)
	LendingOwnOffer(ctx context.Context) (wire.LendingOffer, error)
	LendingRegisterOwn(ctx context.Context, in wire.LendingRegistrationInput) (wire.LendingRegistered, error)
	LendingWithdrawOwn(ctx context.Context) (wire.LendingWithdrawn, error)
	LendingYears(ctx context.Context) (wire.LendingYears, error)
	LendingCreateYear(ctx context.Context, in wire.LendingYearInput) (wire.LendingYear, error)
	LendingUpdateYear(ctx context.Context, id int64, in wire.LendingYearInput) (wire.LendingYear, error)
	LendingFees(ctx context.Context, year int64) (wire.LendingFees, error)
	LendingSetFee(ctx context.Context, year, title int64, cents *int64) (wire.LendingFee, error)
	LendingLists(ctx context.Context, year int64) (wire.LendingLists, error)
	LendingPutList(ctx context.Context, year int64, grade int, titles []int64, published bool) (wire.LendingList, error)
	LendingAccounts(ctx context.Context, year int64) (wire.LendingAccounts, error)
	LendingOrders(ctx context.Context, year int64) (wire.LendingOrders, error)
	LendingTitles(ctx context.Context, q string) ([]wire.LendingTitle, error)
	LendingTitle(ctx context.Context, id int64) (wire.LendingTitle, error)
	LendingCreateTitle(ctx context.Context, in wire.LendingTitleInput) (wire.LendingTitle, error)
	LendingUpdateTitle(ctx context.Context, id int64, in wire.LendingTitleInput) (wire.LendingTitle, error)
	LendingDeleteTitle(ctx context.Context, id int64) error
	LendingTitleCopies(ctx context.Context, id int64) ([]wire.LendingCopy, error)
	LendingCreateCopies(ctx context.Context, in wire.LendingCopiesInput) ([]wire.LendingCopy, error)
	LendingCopy(ctx context.Context, code string) (wire.LendingCopy, error)
	LendingUpdateCopy(ctx context.Context, code string, ch wire.LendingCopyChange) (wire.LendingCopy, error)
	LendingSearchPupils(ctx context.Context, q string) ([]wire.LendingPupilRef, error)
	LendingPupil(ctx context.Context, login string, year int64) (wire.LendingPanel, error)
	LendingPupilOffer(ctx context.Context, login string, year int64) (wire.LendingOffer, error)
	LendingRegisterPupil(ctx context.Context, login string, in wire.LendingRegistrationInput) (wire.LendingRegistered, error)
	LendingWithdrawPupil(ctx context.Context, login string, year int64) (wire.LendingWithdrawn, error)
	LendingSetProof(ctx context.Context, login, kind string, year int64, state string) (wire.LendingRegistration, error)
	LendingClass(ctx context.Context, class string, year int64) (wire.LendingClass, error)
	LendingClaims(ctx context.Context, year int64, state string) ([]wire.LendingClaim, error)
	LendingCancelClaim(ctx context.Context, id int64, reason string) (wire.LendingClaim, error)
	LendingAccount(ctx context.Context, reference string) (wire.LendingAccountDetail, error)
	LendingAddPayment(ctx context.Context, in wire.LendingPaymentInput) (wire.LendingAccount, error)
	LendingImport(ctx context.Context, csv []byte, dryRun bool) (wire.LendingImport, error)
	LendingMapping(ctx context.Context) (wire.LendingMapping, error)
	LendingSetMapping(ctx context.Context, m wire.LendingMapping) (wire.LendingMapping, error)
	LendingUnmatched(ctx context.Context) ([]wire.LendingBankLine, error)
	LendingResolveLine(ctx context.Context, id int64, reference string) (wire.LendingBankLine, error)
	LendingLabels(ctx context.Context, in wire.LendingLabelsInput) ([]byte, error)
	LendingCards(ctx context.Context, in wire.LendingCardsInput) ([]byte, error)
	LendingDocument(ctx context.Context, name string, year int64, class string, grade int) ([]byte, error)
}
