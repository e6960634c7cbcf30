package catalogpage

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestPageContent(t *testing.T) {
	s := newSite(t)
	resp, body := get(t, s.URL+"/")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	for _, want := range []string{
		`id="box-tbz-lamp"`, `id="box-tbz-mysql"`,
		"Apache, PHP &amp; MariaDB &lt;for the web modules&gt;", // escaped, not markup
		"vagrant box add --box-version &#39;2.2.0&#39; " + s.URL + "/tbz/lamp",
		"vagrant box add --box-version &#39;~&gt; 2.1.0&#39; " + s.URL + "/semesters/HS26/tbz/lamp",
		`href="/vagrantfiles/HS26/m151/Vagrantfile"`,
		`href="` + s.URL + `/tbz/lamp/2.1.1/virtualbox/amd64.box"`,
		"Semester HS26", "gets 2.1.1", "not published yet",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "FS26") {
		t.Error("page shows semester FS26, which is over")
	}
}

func TestPageRoutes(t *testing.T) {
	s := newSite(t)
	page := New(Options{Store: s.Store, Workspace: s.WS, BaseURL: s.URL})
	tests := []struct {
		method, path string
		code         int
	}{
		{"GET", "/", 200},
		{"HEAD", "/", 200},
		{"GET", "/static/catalog.css", 200},
		{"GET", "/static/copy.js", 200},
		{"GET", "/static/nope.js", 404},
		{"GET", "/static/../page.go", 404},
		{"GET", "/vagrantfiles/HS26/m151/Vagrantfile", 200},
		{"GET", "/vagrantfiles/HS26/m999/Vagrantfile", 404},
		{"GET", "/vagrantfiles/XX/m151/Vagrantfile", 404},
		{"GET", "/vagrantfiles/HS26/lamp/Vagrantfile", 404}, // a box, not a course
		{"GET", "/tbz/lamp", 404},                           // the server's route, not ours
		{"GET", "/healthz", 404},
		{"POST", "/", 405},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, "http://x"+tt.path, nil)
			page.ServeHTTP(rec, req)
			if rec.Code != tt.code {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, rec.Code, tt.code)
			}
		})
	}
}

func TestVagrantfileDownload(t *testing.T) {
	s := newSite(t)
	resp, body := get(t, s.URL+"/vagrantfiles/HS26/m151/Vagrantfile")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="Vagrantfile"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	var got []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "config.vm.box") || strings.Contains(line, "memory") {
			got = append(got, strings.TrimSpace(line))
		}
	}
	want := []string{
		`config.vm.box = "tbz/lamp"`,
		`config.vm.box_url = "` + s.URL + `/semesters/HS26/tbz/lamp"`,
		`config.vm.box_version = "~> 2.1.0"`,
		`config.vm.box_check_update = true`,
		`lv.memory = 3072 # MiB`,
		`vb.memory       = 3072 # MiB`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Vagrantfile mismatch (-want +got):\n%s", diff)
	}
}

func TestPageWithoutWorkspace(t *testing.T) {
	s := newSite(t)
	page := New(Options{Store: s.Store, BaseURL: s.URL + "/"})
	rec := httptest.NewRecorder()
	page.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil))
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="box-tbz-lamp"`) || strings.Contains(body, `id="courses"`) {
		t.Errorf("GET / without a workspace = %d, want the boxes and no courses:\n%s", rec.Code, body)
	}
	if strings.Contains(body, s.URL+"//") {
		t.Error("a trailing slash in the base URL leaks into links")
	}
	rec = httptest.NewRecorder()
	page.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/vagrantfiles/HS26/m151/Vagrantfile", nil))
	if rec.Code != 404 {
		t.Errorf("Vagrantfile without a workspace = %d, want 404", rec.Code)
	}
}

func TestPageEmptyCatalog(t *testing.T) {
	st, err := catalog.Open(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	New(Options{Store: st, BaseURL: "http://127.0.0.1:1"}).ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nothing is published yet.") {
		t.Errorf("empty catalog: %d\n%s", rec.Code, rec.Body.String())
	}
}
