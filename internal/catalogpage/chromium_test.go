package catalogpage

import (
	"context"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

// chromium runs Debian's headless chromium with a fresh profile and returns stdout and the
// browser's log (console messages included).
func chromium(t *testing.T, bin string, args ...string) (stdout, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// artifacts is where screenshots go: $BOXBUILD_ARTIFACTS when set, else the test's temp dir.
func artifacts(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("BOXBUILD_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

var (
	hrefRE = regexp.MustCompile(`(?:href|src)="([^"#][^"]*)"`)
	copyRE = regexp.MustCompile(`<code>([^<]*)</code><button type="button" class="copy" data-copy="([^"]*)"([^>]*)>`)
)

// TestPageInChromium loads the page from a real catalog in headless Chromium: boxes and
// courses are there, the script ran without console errors and revealed every copy button,
// each button carries exactly the command shown beside it, every link resolves, and the
// course's download link returns its Vagrantfile. Screenshots (desktop and phone) are kept.
func TestPageInChromium(t *testing.T) {
	bin := testutil.RequireTool(t, "chromium")
	s := newSite(t)
	dom, log := chromium(t, bin, "--dump-dom", s.URL+"/")

	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") || strings.Contains(line, "Refused to") {
			t.Errorf("browser console: %s", line)
		}
	}
	if !strings.Contains(dom, `<html lang="en" class="js">`) {
		t.Errorf("copy.js did not run (no class js on <html>):\n%.400s", dom)
	}
	for _, want := range []string{`id="box-tbz-lamp"`, `id="box-tbz-mysql"`, `id="course-m151"`, `id="course-m164"`, `id="course-m165"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %s", want)
		}
	}

	copies := copyRE.FindAllStringSubmatch(dom, -1)
	if len(copies) < 7 { // 3 courses + 2 boxes + 4 versions
		t.Errorf("found %d copy buttons, want at least 7", len(copies))
	}
	sawCourse := false
	for _, m := range copies {
		shown, carried := html.UnescapeString(m[1]), html.UnescapeString(m[2])
		if shown != carried {
			t.Errorf("copy button carries %q, beside %q", carried, shown)
		}
		if strings.Contains(m[3], "hidden") {
			t.Errorf("copy button for %q still hidden after the script ran", shown)
		}
		if shown == "vagrant box add --box-version '~> 2.1.0' "+s.URL+"/semesters/HS26/tbz/lamp" {
			sawCourse = true
		}
	}
	if !sawCourse {
		t.Error("no copy button with m151's vagrant box add command")
	}

	links := hrefRE.FindAllStringSubmatch(dom, -1)
	if len(links) < 10 {
		t.Errorf("found %d links, want at least 10", len(links))
	}
	for _, m := range links {
		u := html.UnescapeString(m[1])
		if strings.HasPrefix(u, "/") {
			u = s.URL + u
		}
		if !strings.HasPrefix(u, s.URL+"/") {
			t.Errorf("link %q leaves the catalog", u)
			continue
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodHead, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("HEAD %s = %d", u, resp.StatusCode)
		}
	}

	resp, body := get(t, s.URL+"/vagrantfiles/HS26/m151/Vagrantfile")
	if resp.StatusCode != 200 || !strings.Contains(body, `config.vm.box_url = "`+s.URL+`/semesters/HS26/tbz/lamp"`) {
		t.Errorf("download link gave %d:\n%s", resp.StatusCode, body)
	}

	dir := artifacts(t)
	for _, shot := range []struct{ name, size string }{{"catalog-page-desktop.png", "1280,1800"}, {"catalog-page-phone.png", "412,2400"}} {
		path := filepath.Join(dir, shot.name)
		chromium(t, bin, "--hide-scrollbars", "--window-size="+shot.size, "--screenshot="+path, s.URL+"/")
		if fi, err := os.Stat(path); err != nil || fi.Size() < 10000 {
			t.Errorf("screenshot %s missing or tiny: %v", path, err)
		}
		t.Logf("screenshot: %s", path)
	}
}
