package emulator

import (
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// statementHandlers serves the customer statement operation (docs/fidelity.md,
// "Customer statements and price books").
var statementHandlers = map[string]handler{
	"listCustomerStatements": (*Server).listStatements,
}

// currencyJSON is a statement's currency on the wire.
type currencyJSON struct {
	Name   string `json:"name"`
	Symbol string `json:"symbol"`
}

// statementJSON is a customer statement on the wire: total_amount a JSON
// number, the generation times as YYYY-MM-DD HH:MM:SS, and the invoice only
// when the statement has one.
type statementJSON struct {
	CustomerID                           int64        `json:"customer_id"`
	Cloud                                string       `json:"cloud"`
	BillingPeriod                        string       `json:"billing_period"`
	TotalAmount                          float64      `json:"total_amount"`
	Status                               string       `json:"status"`
	DetailedBillingRecordsGenerationTime string       `json:"detailed_billing_records_generation_time"`
	StatementGenerationTime              string       `json:"statement_generation_time"`
	StatementSummaryGenerationTime       string       `json:"statement_summary_generation_time"`
	Currency                             currencyJSON `json:"currency"`
	InvoiceID                            string       `json:"invoice_id,omitempty"`
	InvoiceDate                          string       `json:"invoice_date,omitempty"`
}

func toStatementJSON(s *state.Statement) statementJSON {
	return statementJSON{CustomerID: s.CustomerID, Cloud: s.Cloud, BillingPeriod: s.BillingPeriod, TotalAmount: s.TotalAmount,
		Status: s.Status, DetailedBillingRecordsGenerationTime: s.DetailedBillingRecordsGenerationTime,
		StatementGenerationTime: s.StatementGenerationTime, StatementSummaryGenerationTime: s.StatementSummaryGenerationTime,
		Currency: currencyJSON{Name: s.CurrencyName, Symbol: s.CurrencySymbol}, InvoiceID: s.InvoiceID, InvoiceDate: s.InvoiceDate}
}

// listStatements: GET /v1/customer_statements, every customer's statements
// or, with client_api_id, one customer's (unknown: 404), filtered by status
// and billing_period (their values are checked against openapi.yaml: 422),
// paged, in the billing_artifacts envelope.
func (s *Server) listStatements(rq *call) {
	servePage(s, rq, "billing_artifacts", func(st *state.State, p *state.Partner, pg page) (int, []statementJSON, error) {
		f := state.StatementFilter{Status: rq.query("status"), BillingPeriod: rq.query("billing_period")}
		if rq.r.URL.Query().Has("client_api_id") {
			c, err := customerByClientAPIID(st, p, rq.query("client_api_id"))
			if err != nil {
				return 0, nil, err
			}
			f.CustomerID = c.ID
		}
		list := st.StatementsPage(p, f, pg.offset(), pg.perPage)
		out := make([]statementJSON, len(list))
		for i, stm := range list {
			out[i] = toStatementJSON(stm)
		}
		return st.StatementCount(p, f), out, nil
	})
}
