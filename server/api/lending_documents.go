package api

import (
	"fmt"
	"mime"
	"strconv"

	"kaspel/server/lending"
	"kaspel/shared/wire"
)

// The lending's printed documents: labels and pupil cards (POST: they
// reserve numbers and give cards), and the lists and letters (GET). All
// answer a PDF as a download.

func (h *lendingAPI) documentRoutes(route func(method, pattern string, acc Access, fn handler), acc Access) {
	route("POST", "/api/v1/lending/labels", acc, h.labels)
	route("POST", "/api/v1/lending/cards", acc, h.cards)
	route("GET", "/api/v1/lending/documents/issue-list", acc, h.issueList)
	route("GET", "/api/v1/lending/documents/missing", acc, h.missingList)
	route("GET", "/api/v1/lending/documents/claim-letters", acc, h.claimLetters)
	route("GET", "/api/v1/lending/documents/payments", acc, h.paymentList)
	route("GET", "/api/v1/lending/documents/book-list", acc, h.bookList)
	route("GET", "/api/v1/lending/documents/order-list", acc, h.orderList)
}

// servePDF sends a PDF as a download.
func servePDF(c *call, name string, data []byte) error {
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	c.w.Header().Set("Content-Type", "application/pdf")
	c.w.Header().Set("Content-Disposition", disp)
	c.w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err := c.w.Write(data)
	return err
}

func (h *lendingAPI) labels(c *call) error {
	var req wire.LendingLabelsInput
	if err := c.decode(&req); err != nil {
		return err
	}
	l, err := h.svc.Labels(c.ctx, c.me, lending.LabelRequest{Sheet: req.Sheet, Start: req.Start, Count: req.Count, From: req.From, To: req.To, Title: req.Title})
	if err != nil {
		return err
	}
	if n := len(l.Numbers); n > 0 {
		c.w.Header().Set("X-Kaspel-Label-Numbers", fmt.Sprintf("%s-%s", lending.CopyCode(l.Numbers[0]), lending.CopyCode(l.Numbers[n-1])))
		c.w.Header().Set("X-Kaspel-Label-Count", strconv.Itoa(n))
	}
	return servePDF(c, "etiketten-"+l.Sheet.ID+".pdf", l.PDF)
}

func (h *lendingAPI) cards(c *call) error {
	var req wire.LendingCardsInput
	if err := c.decode(&req); err != nil {
		return err
	}
	l, err := h.svc.Cards(c.ctx, c.me, lending.CardRequest{Class: req.Class, Pupil: req.Pupil, Start: req.Start})
	if err != nil {
		return err
	}
	return servePDF(c, "schuelerausweise.pdf", l.PDF)
}

func (h *lendingAPI) issueList(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	class := c.query("class")
	pdf, err := h.svc.IssueList(c.ctx, c.me, class, year)
	if err != nil {
		return err
	}
	return servePDF(c, "ausgabeliste-"+class+".pdf", pdf)
}

func (h *lendingAPI) missingList(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	pdf, err := h.svc.MissingList(c.ctx, c.me, year)
	if err != nil {
		return err
	}
	return servePDF(c, "fehlende-rueckgaben.pdf", pdf)
}

func (h *lendingAPI) claimLetters(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	pdf, n, err := h.svc.ClaimLetters(c.ctx, c.me, year, c.query("class"))
	if err != nil {
		return err
	}
	c.w.Header().Set("X-Kaspel-Letters", strconv.Itoa(n))
	return servePDF(c, "ersatzforderungen.pdf", pdf)
}

func (h *lendingAPI) paymentList(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	pdf, err := h.svc.PaymentList(c.ctx, c.me, year)
	if err != nil {
		return err
	}
	return servePDF(c, "zahlungsliste.pdf", pdf)
}

func (h *lendingAPI) bookList(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	grade, err := strconv.Atoi(c.query("grade"))
	if err != nil || grade < 1 {
		return invalid("Bitte die Klassenstufe angeben.", "grade")
	}
	pdf, err := h.svc.BookListPDF(c.ctx, c.me, year, grade)
	if err != nil {
		return err
	}
	return servePDF(c, fmt.Sprintf("buecherliste-klasse-%d.pdf", grade), pdf)
}

func (h *lendingAPI) orderList(c *call) error {
	year, err := c.queryID("year")
	if err != nil {
		return err
	}
	pdf, err := h.svc.OrderList(c.ctx, c.me, year)
	if err != nil {
		return err
	}
	return servePDF(c, "bestellliste.pdf", pdf)
}
