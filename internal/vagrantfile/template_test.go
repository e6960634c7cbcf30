package vagrantfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTemplateErrorsNameTheLine(t *testing.T) {
	ws := testWorkspace()
	d, err := ForBox(ws, ws.Box("lamp"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, want string
	}{
		{name: "parse", text: "# ok\nconfig.vm.box = {{ruby .Box}\n", want: "template Vagrantfile.tmpl:2: bad character"},
		{name: "unknown field", text: "# ok\n\nx = {{.Boxx}}\n", want: "template Vagrantfile.tmpl:3:6: executing \"Vagrantfile.tmpl\" at <.Boxx>: can't evaluate field Boxx"},
		{name: "unknown function", text: "{{rubi .Box}}", want: "template Vagrantfile.tmpl:1: function \"rubi\" not defined"},
		{name: "provider without block", text: "{{range .Providers}}{{if eq .Name \"libvirt\"}}lv{{else}}{{fail (printf \"no block for %s\" .Name)}}{{end}}{{end}}",
			want: "error calling fail: no block for virtualbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := Parse(TemplateFile, tt.text)
			if err == nil {
				_, err = tmpl.Render(d)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadPrefersWorkspaceTemplate(t *testing.T) {
	ws := testWorkspace()
	ws.Dir = t.TempDir()
	tmpl, err := Load(ws)
	if err != nil || tmpl.Path != "(built-in)" {
		t.Fatalf("Load without a file = %v, %v; want the built-in template", tmpl, err)
	}
	if err := os.WriteFile(filepath.Join(ws.Dir, TemplateFile), []byte("box {{ruby .Box}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tmpl, err = Load(ws)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ForBox(ws, ws.Box("lamp"), Options{})
	got, err := tmpl.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("box \"tbz/lamp\"\n", string(got)); diff != "" {
		t.Errorf("Render() mismatch (-want +got):\n%s", diff)
	}
}

func TestRubyString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"tbz/lamp", `"tbz/lamp"`},
		{`a "b" \c`, `"a \"b\" \\c"`},
		{"#{system('x')}", `"\#{system('x')}"`},
		{"line\nbreak\x01", `"line\nbreak\u0001"`},
	}
	for _, tt := range tests {
		if got := rubyString(tt.in); got != tt.want {
			t.Errorf("rubyString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	ws := testWorkspace()
	during := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, arg, semester, want, wantErr string
	}{
		{name: "course in the running semester", arg: "m151", want: "course m151, semester HS26"},
		{name: "course named with its semester", arg: "m151", semester: "HS26", want: "course m151, semester HS26"},
		{name: "box", arg: "lamp", want: "box lamp"},
		{name: "unknown", arg: "m999", wantErr: `"m999" is neither a course of any semester nor a box`},
		{name: "unknown semester", arg: "m151", semester: "FS27", wantErr: `no semester "FS27" in the workspace (have: HS26)`},
		{name: "not in that semester", arg: "lamp", semester: "HS26", wantErr: `semester HS26 has no course "lamp" (it has: m151)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, err := Resolve(ws, tt.arg, tt.semester, during)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, err := target.Data(ws, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != tt.want {
				t.Errorf("Title = %q, want %q", d.Title, tt.want)
			}
		})
	}
	t.Run("ambiguous", func(t *testing.T) {
		ws := testWorkspace()
		s2 := *ws.Semesters[0]
		s2.Name = "FS27"
		ws.Semesters = append(ws.Semesters, &s2)
		_, err := Resolve(ws, "m151", "", during)
		if err == nil || !strings.Contains(err.Error(), "choose one with --semester") {
			t.Fatalf("error = %v, want a request for --semester", err)
		}
	})
	t.Run("provider the box is not built for", func(t *testing.T) {
		ws := testWorkspace()
		ws.Box("lamp").Providers = []string{"libvirt"}
		_, err := ForBox(ws, ws.Box("lamp"), Options{Provider: "virtualbox"})
		if err == nil || !strings.Contains(err.Error(), `box lamp is built for libvirt, not "virtualbox"`) {
			t.Fatalf("error = %v", err)
		}
	})
}

func TestExplain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"~> 2.1.0", "every 2.1.x rebuild from 2.1.0 on (security updates), never 2.2"},
		{"~> 2.1", "every 2.x version from 2.1 on, never 3.0"},
		{">= 1.0, < 2.0", `the newest published version that satisfies ">= 1.0, < 2.0"`},
	}
	for _, tt := range tests {
		if got := explain(tt.in); got != tt.want {
			t.Errorf("explain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
