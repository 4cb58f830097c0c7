package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/emulatortest"
)

// The page in a real browser (headless Chromium, driven with chromedp): after
// a scripted client session each view shows what the control API says; a
// fault added through the page answers the next API request; the page works
// with an admin token. A screenshot of each view goes to bin/screenshots/.
// One browser serves every view. `make ui-test` installs Chromium first.
func TestPageInBrowser(t *testing.T) {
	const token = "ui-admin-token"
	emu := emulatortest.Start(t, emulator.Options{AdminToken: token})
	ctl := emu.Control
	clientSession(t, emu.URL)

	ctx := newBrowser(t)
	shots := screenshotDir(t)
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}

	// The admin token: the page asks for it; a wrong one is refused.
	run(t, ctx, chromedp.Navigate(emu.URL+"/__emulator/ui/"), chromedp.WaitVisible(chromedp.CSS("#login")))
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#token"), "wrong"), submit("#login"))
	waitText(t, ctx, "#login-error", "that token was refused")
	run(t, ctx, clear("#token"), chromedp.SendKeys(chromedp.CSS("#token"), token), submit("#login"))

	t.Run("journal", func(t *testing.T) {
		entries, err := ctl.Journal(emulator.JournalFilter{})
		require.NoError(t, err)
		run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#journal tbody tr.entry")))
		type row struct {
			Seq    string `json:"seq"`
			Status string `json:"status"`
			Op     string `json:"op"`
			Notes  string `json:"notes"`
		}
		var rows []row
		evalJSON(t, ctx, `[...document.querySelectorAll("#journal tbody tr.entry")].map(r => ({seq: r.cells[0].textContent, status: r.cells[4].textContent, op: r.cells[6].textContent, notes: r.cells[7].textContent}))`, &rows)
		require.Len(t, rows, len(entries))
		for i, e := range entries {
			r := rows[len(rows)-1-i] // newest first
			require.Equal(t, fmt.Sprint(e.Seq), r.Seq)
			require.Equal(t, fmt.Sprint(e.Status), r.Status)
			if e.Operation == "" {
				require.Equal(t, "(no route)", r.Op)
			} else {
				require.Equal(t, e.Operation, r.Op)
			}
			require.Contains(t, r.Notes, e.Diagnostic)
			if e.Injected {
				require.Contains(t, r.Notes, fmt.Sprintf("fault %d", e.FaultID))
			}
		}
		// A row opens on the request and its answer.
		last := entries[len(entries)-1]
		require.Equal(t, "createCustomer", last.Operation, "the client's last request (the page itself sends none to the API)")
		run(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#journal tr.entry[data-seq="%d"]`, last.Seq))))
		detail := text(t, ctx, fmt.Sprintf(`#journal tr.detail[data-seq="%d"]`, last.Seq), chromedp.NodeVisible)
		require.Contains(t, detail, last.Method+" "+last.Path)
		require.Contains(t, detail, `"name": "UI Test Customer"`)
		shot("journal")
		// The filters select as the control API does.
		run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#journal-filters input[name=status]`), "404"), submit("#journal-filters"))
		notFound := 404
		want, err := ctl.JournalCount(emulator.JournalFilter{Status: &notFound})
		require.NoError(t, err)
		waitCount(t, ctx, "#journal tbody tr.entry", want)
		run(t, ctx, clear(`#journal-filters input[name=status]`), submit("#journal-filters"))
	})

	t.Run("state", func(t *testing.T) {
		doc, err := ctl.State()
		require.NoError(t, err)
		run(t, ctx, chromedp.Click(chromedp.CSS(`#tabs button[data-view=state]`)), chromedp.WaitVisible(chromedp.CSS("#state .partner")))
		for _, p := range doc.Partners {
			shown := text(t, ctx, fmt.Sprintf(`#state .partner[data-partner="%d"]`, p.ID))
			require.Contains(t, shown, p.Name)
			for _, c := range p.Customers {
				require.Contains(t, shown, c.Name)
			}
			for _, a := range p.AWSAccounts {
				require.Contains(t, shown, a.OwnerID)
			}
		}
		var blocks []string
		evalJSON(t, ctx, `[...new Set([...document.querySelectorAll("#state .block")].map(b => b.dataset.key))]`, &blocks)
		for _, key := range []string{"customers", "aws_accounts", "aws_account_assignments", "azure_partner_customer_accounts", "govcloud_linkages"} {
			require.Contains(t, blocks, key)
		}
		shot("state")
	})

	t.Run("faults", func(t *testing.T) {
		run(t, ctx, chromedp.Click(chromedp.CSS(`#tabs button[data-view=faults]`)), chromedp.WaitVisible(chromedp.CSS("#fault-form")))
		run(t, ctx,
			chromedp.SendKeys(chromedp.CSS(`#fault-form input[name=method]`), "GET"),
			chromedp.SendKeys(chromedp.CSS(`#fault-form input[name=path]`), "/v1/customers"),
			chromedp.SendKeys(chromedp.CSS(`#fault-form input[name=status]`), "503"),
			chromedp.SendKeys(chromedp.CSS(`#fault-form input[name=times]`), "1"),
			submit("#fault-form"))
		waitCount(t, ctx, "#faults tbody tr", 1)
		faults, err := ctl.Faults()
		require.NoError(t, err)
		require.Len(t, faults, 1)
		require.Equal(t, 503, faults[0].Status)
		shot("faults")
		require.Equal(t, http.StatusServiceUnavailable, apiGet(t, emu.URL, "/v1/customers"), "the page's fault answers the next request")
		require.Equal(t, http.StatusOK, apiGet(t, emu.URL, "/v1/customers"), "once")

		// Removing through the page.
		other, err := ctl.AddFault(emulator.FaultRule{Path: "/v1/aws_accounts", Status: 500})
		require.NoError(t, err)
		run(t, ctx, chromedp.Click(chromedp.CSS(`#tabs button[data-view=faults]`)))
		row := fmt.Sprintf(`#faults tr[data-fault="%d"]`, other.ID)
		waitCount(t, ctx, row, 1)
		run(t, ctx, chromedp.Click(chromedp.CSS(row+` button.remove`)))
		waitCount(t, ctx, "#faults tbody tr", 0)
		faults, err = ctl.Faults()
		require.NoError(t, err)
		require.Empty(t, faults)
	})

	t.Run("clock", func(t *testing.T) {
		run(t, ctx, chromedp.Click(chromedp.CSS(`#tabs button[data-view=clock]`)), chromedp.WaitVisible(chromedp.CSS("#clock-set")))
		run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#clock-set input[name=time]`), "2030-05-06T07:08:09Z"), submit("#clock-set"))
		waitText(t, ctx, "#clock-time", "2030-05-06T07:08:09Z")
		clk, err := ctl.Clock()
		require.NoError(t, err)
		require.True(t, clk.Fixed)
		require.Equal(t, time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC), clk.Time.UTC())
		run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#clock-advance input[name=duration]`), "1h30m"), submit("#clock-advance"))
		waitText(t, ctx, "#clock-time", "2030-05-06T08:38:09Z")
		shot("clock")
		run(t, ctx, chromedp.Click(chromedp.CSS("#clock-release")))
		waitText(t, ctx, "#clock-mode", "(running")
		clk, err = ctl.Clock()
		require.NoError(t, err)
		require.False(t, clk.Fixed)
	})

	t.Run("coverage", func(t *testing.T) {
		cov, err := ctl.Coverage()
		require.NoError(t, err)
		run(t, ctx, chromedp.Click(chromedp.CSS(`#tabs button[data-view=coverage]`)))
		waitText(t, ctx, "#coverage-summary", fmt.Sprintf("%d of %d documented statuses reached", cov.Reached, cov.Statuses))
		waitCount(t, ctx, "#coverage tbody tr", len(cov.Operations))
		waitCount(t, ctx, "#coverage tbody tr.never", len(cov.NeverCalled))
		var reached int
		evalJSON(t, ctx, `document.querySelectorAll("#coverage .chip.reached").length`, &reached)
		require.Equal(t, cov.Reached, reached)
		for _, oc := range cov.Operations {
			n := text(t, ctx, fmt.Sprintf(`#coverage tr[data-operation=%q] td.requests`, oc.Operation))
			require.Equal(t, fmt.Sprint(oc.Requests), n, oc.Operation)
		}
		shot("coverage")
	})
}

// clientSession stands for a client under test: successes, a 404 for an id
// nobody has, a 422, a path no route serves, and a throttled request.
func clientSession(t *testing.T, base string) {
	t.Helper()
	send := func(method, path, body string) int {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+emulator.DemoPartnerKey)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, 200, send(http.MethodGet, "/v1/customers", ""))
	require.Equal(t, 404, send(http.MethodGet, "/v1/customers/999999", ""))
	require.Equal(t, 422, send(http.MethodPost, "/v1/customers", `{"name": 5}`))
	require.Equal(t, 404, send(http.MethodGet, "/v1/govcloud_linkages", ""))
	require.Equal(t, 200, send(http.MethodGet, "/v1/aws_account_assignments", ""))
	require.Equal(t, 200, send(http.MethodPost, "/v1/customers", `{"name": "UI Test Customer", "classification": "managed_without_access",
		"address": {"street1": "1 Main St", "city": "Springfield", "state": "MA", "zipcode": "01234", "country": "US"}}`))
}

func apiGet(t *testing.T, base, path string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+emulator.DemoPartnerKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// submit clicks the submit button of the form sel selects, as a person
// would (a script's form.submit() would not fire the page's handler).
func submit(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel + ` button[type=submit]`))
}

// clear empties the input sel selects.
func clear(sel string) chromedp.Action[chromedp.Void] {
	js := fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[string](js)(ctx, tg)
		return chromedp.Void{}, err
	}
}

// newBrowser starts one headless Chromium for the test, on an empty profile,
// with everything that would reach the network off.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("Chromium is needed for the browser tests: run `make ui-test`, which installs Debian's chromium package (%v)", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })
	run(t, ctx, chromedp.Navigate("about:blank")) // starts the browser
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, actions...))
}

// text is the visible text of the first element sel selects.
func text(t *testing.T, ctx context.Context, sel string, opts ...chromedp.QueryOption) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), opts...))
	require.NoError(t, err)
	return s
}

// evalJSON evaluates expr in the page and decodes its value into out.
func evalJSON(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage]("JSON.stringify("+expr+")"))
	require.NoError(t, err)
	var s string
	require.NoError(t, json.Unmarshal(raw, &s))
	require.NoError(t, json.Unmarshal([]byte(s), out))
}

// waitText waits until the element's text contains want.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.includes(%q)`, sel, want)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("waiting for %q in %s (it shows %q): %v", want, sel, text(t, ctx, sel), err)
	}
}

// waitCount waits until sel selects n elements.
func waitCount(t *testing.T, ctx context.Context, sel string, n int) {
	t.Helper()
	js := fmt.Sprintf(`document.querySelectorAll(%q).length === %d`, sel, n)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
		t.Fatalf("waiting for %d of %s (there are %d): %v", n, sel, got, err)
	}
}

// screenshotDir is bin/screenshots/ at the repository's root (git-ignored).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the test")
		dir = parent
	}
	out := filepath.Join(dir, "bin", "screenshots")
	require.NoError(t, os.MkdirAll(out, 0o755))
	return out
}
