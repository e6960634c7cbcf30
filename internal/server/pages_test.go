package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// The catalog page and semester views are mounted through Options.Pages; everything else
// stays with the catalog routes, and a missing Pages handler leaves those paths 404.
func TestPagesRouting(t *testing.T) {
	dir := t.TempDir()
	publishBytes(t, dir, "http://127.0.0.1:1", catalog.Entry{Org: "tbz", Box: "lamp", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}, makeBox(t, "libvirt", "a"))
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "pages:"+r.URL.Path) })
	tests := []struct {
		path, want string
	}{
		{"/", "pages:/"},
		{"/static/catalog.css", "pages:/static/catalog.css"},
		{"/vagrantfiles/HS26/m151/Vagrantfile", "pages:/vagrantfiles/HS26/m151/Vagrantfile"},
		{"/semesters/HS26/tbz/lamp", "pages:/semesters/HS26/tbz/lamp"},
		{"/tbz/lamp", `"name": "tbz/lamp"`},
		{"/healthz", "ok"},
	}
	for _, withPages := range []bool{true, false} {
		opts := Options{Dir: dir, BaseURL: "http://127.0.0.1:1"}
		if withPages {
			opts.Pages = pages
		}
		srv, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		for _, tt := range tests {
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			body := rec.Body.String()
			isPage := strings.HasPrefix(tt.want, "pages:")
			switch {
			case withPages || !isPage:
				if rec.Code != 200 || !strings.Contains(strings.ReplaceAll(body, "\":\"", "\": \""), tt.want) {
					t.Errorf("pages=%v GET %s = %d %q, want 200 with %q", withPages, tt.path, rec.Code, body, tt.want)
				}
			case rec.Code != http.StatusNotFound:
				t.Errorf("without pages, GET %s = %d, want 404", tt.path, rec.Code)
			}
		}
	}
}
