package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

const minimalWorkspace = `workspace {
  org = "tbz"
}
`

const baseBox = `box "base" {
  version = "1.0"
  source "bootstrap" {}
  provision "base/setup.sh" {}
}
`

// writeWorkspace lays out a workspace with one script per folder and the given files on top.
func writeWorkspace(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{
		"boxbuild.hcl":            minimalWorkspace,
		"provision/base/setup.sh": "#!/bin/sh\nset -eu\n",
		"provision/web/apache.sh": "#!/bin/sh\nset -eu\n",
		"tests/http-200.sh":       "#!/bin/sh\nset -eu\n",
		"boxes/base.hcl":          baseBox,
	}
	for name, content := range files {
		if content == "" {
			delete(all, name)
			continue
		}
		all[name] = content
	}
	for name, content := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// diagLines renders diagnostics as "file:line,col: severity: summary: detail".
func diagLines(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		pos := "-"
		if d.Subject != nil {
			pos = fmt.Sprintf("%s:%d,%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		out = append(out, fmt.Sprintf("%s: %s: %s: %s", pos, sev, d.Summary, d.Detail))
	}
	return out
}

func TestLoadValid(t *testing.T) {
	dir := writeWorkspace(t, map[string]string{
		"boxes/web.hcl": `box "web" {
  from    = "base"
  version = "2.1"
  memory  = 4096
  provision "web/apache.sh" {
    env = { SITE = "school", PORT = 80, PASS = var.pw }
  }
  test "http-200.sh" {}
  forward "http" {
    guest = 80
    host  = 8080
  }
}
variable "pw" {
  type      = string
  sensitive = true
  default   = "s3cret"
}
`,
		"semesters/HS26.hcl": `semester "HS26" {
  starts = "2026-08-17"
  ends   = "2027-01-31"
  course "m151" {
    box     = "web"
    version = "~> 2.1.0"
  }
}
`,
	})
	ws, _, diags := Load(dir, Options{Env: []string{}})
	if diags.HasErrors() {
		t.Fatalf("Load: %v", diagLines(diags))
	}
	web := ws.Box("web")
	if web == nil {
		t.Fatal("box web missing")
	}
	got := fmt.Sprintf("%s %s cpus=%d mem=%d disk=%d %v %v", web.From, web.Version, web.CPUs, web.Memory, web.DiskGB, web.Providers, web.Arch)
	if want := "base 2.1 cpus=2 mem=4096 disk=20 [libvirt] [amd64]"; got != want {
		t.Errorf("inherited settings = %q, want %q", got, want)
	}
	wantEnv := []EnvVar{
		{Name: "PASS", Value: "s3cret", Sensitive: true, Variable: "pw"},
		{Name: "PORT", Value: "80"},
		{Name: "SITE", Value: "school"},
	}
	if diff := cmp.Diff(wantEnv, web.Provisions[0].Env); diff != "" {
		t.Errorf("env mismatch (-want +got):\n%s", diff)
	}
	if p := web.Provisions[0].Path; p != "provision/web/apache.sh" {
		t.Errorf("script path = %q", p)
	}
	if len(ws.Semesters) != 1 || ws.Semesters[0].Courses[0].Version != "~> 2.1.0" {
		t.Errorf("semesters = %+v", ws.Semesters)
	}
}

func TestVariableSources(t *testing.T) {
	dir := writeWorkspace(t, map[string]string{
		"boxes/vars.hcl": "variable \"a\" {}\nvariable \"b\" { default = \"def\" }\nvariable \"c\" { default = \"def\" }\nvariable \"n\" {\n  type = number\n}\n",
		"my.vars.hcl":    "b = \"file\"\nc = \"file\"\n",
	})
	ws, _, diags := Load(dir, Options{
		Env:      []string{"BOXBUILD_VAR_a=env", "BOXBUILD_VAR_b=env", "BOXBUILD_VAR_n=3"},
		VarFiles: []string{filepath.Join(dir, "my.vars.hcl")},
		Vars:     map[string]string{"c": "flag"},
	})
	if diags.HasErrors() {
		t.Fatalf("Load: %v", diagLines(diags))
	}
	got := map[string]string{}
	for _, v := range ws.Variables {
		got[v.Name] = v.Value
	}
	want := map[string]string{"a": "env", "b": "file", "c": "flag", "n": "3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("variable values (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		want  []string
	}{
		{
			name:  "syntax error",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \n}\n"},
			want:  []string{"boxes/bad.hcl:2,13: error: Invalid expression: Expected the start of an expression, but found an invalid expression token."},
		},
		{
			name:  "unknown attribute with suggestion",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  memroy = 1024\n}\n"},
			want:  []string{`boxes/bad.hcl:4,3: error: Unsupported argument: An argument named "memroy" is not expected here. Did you mean "memory"?`},
		},
		{
			name:  "missing version",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  from = \"base\"\n}\n"},
			want:  []string{`boxes/bad.hcl:1,9: error: Missing required argument: The argument "version" is required, but no definition was found.`},
		},
		{
			name:  "wrong type",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  cpus = \"many\"\n}\n"},
			want:  []string{`boxes/bad.hcl:4,10: error: Wrong type for cpus: "cpus" must be a number: a number is required.`},
		},
		{
			name:  "duplicate box across files",
			files: map[string]string{"boxes/zz.hcl": "box \"base\" {\n  version = \"1.0\"\n  source \"bootstrap\" {}\n}\n"},
			want:  []string{`boxes/zz.hcl:1,5: error: Duplicate box: A box named "base" is already defined at boxes/base.hcl:1,5; box names must be unique across boxes/*.hcl.`},
		},
		{
			name:  "duplicate variable",
			files: map[string]string{"boxes/v.hcl": "variable \"a\" {}\nvariable \"a\" {}\n"},
			want:  []string{`boxes/v.hcl:2,10: error: Duplicate variable: A variable named "a" was already defined at boxes/v.hcl:1,10; variable names must be unique in the workspace.`},
		},
		{
			name:  "unknown provider",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  source \"bootstrap\" {}\n  providers = [\"virtualbx\"]\n}\n"},
			want:  []string{`boxes/bad.hcl:4,15: error: Unknown provider: "virtualbx" is not a known provider; use one of libvirt, virtualbox, vmware_desktop, vmware_esxi. Did you mean "virtualbox"?`},
		},
		{
			name:  "unknown arch",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  source \"bootstrap\" {}\n  arch = [\"amd46\"]\n}\n"},
			want:  []string{`boxes/bad.hcl:4,10: error: Unknown architecture: "amd46" is not a known architecture; use one of amd64, arm64. Did you mean "amd64"?`},
		},
		{
			name:  "missing script",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  provision \"web/apach.sh\" {}\n}\n"},
			want:  []string{`boxes/bad.hcl:4,13: error: Script not found: provision/web/apach.sh does not exist in the workspace. Did you mean "apache.sh"?`},
		},
		{
			name:  "script escapes with dot-dot",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  provision \"../../etc/passwd\" {}\n}\n"},
			want:  []string{`boxes/bad.hcl:4,13: error: Script outside the workspace: "../../etc/passwd" must be a relative path inside provision/, such as "web/apache.sh"; absolute paths and ".." are not allowed.`},
		},
		{
			name:  "absolute script path",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  test \"/bin/true\" {}\n}\n"},
			want:  []string{`boxes/bad.hcl:4,8: error: Script outside the workspace: "/bin/true" must be a relative path inside tests/, such as "web/apache.sh"; absolute paths and ".." are not allowed.`},
		},
		{
			name:  "invalid version series",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"v2\"\n  from = \"base\"\n}\n"},
			want:  []string{`boxes/bad.hcl:2,13: error: Invalid version series: "v2" is not a version series; write MAJOR.MINOR such as "2.1" — boxbuild adds the patch number (2.1.0, 2.1.1, …) per build.`},
		},
		{
			name: "cycle in from",
			files: map[string]string{"boxes/bad.hcl": "box \"a\" {\n  version = \"1.0\"\n  from = \"c\"\n}\n" +
				"box \"b\" {\n  version = \"1.0\"\n  from = \"a\"\n}\nbox \"c\" {\n  version = \"1.0\"\n  from = \"b\"\n}\n"},
			want: []string{`boxes/bad.hcl:3,10: error: Cycle in from: These boxes derive from each other in a circle: a → c → b → a. One of them must start from a source instead.`},
		},
		{
			name:  "unknown parent",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"bsae\"\n}\n"},
			want:  []string{`boxes/bad.hcl:3,10: error: Unknown parent box: Box "x" derives from "bsae", which no boxes/*.hcl defines. Did you mean "base"?`},
		},
		{
			name:  "no source and no from",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n}\n"},
			want:  []string{`boxes/bad.hcl:1,1: error: Box has no source: Box "x" needs a ` + "`source \"bootstrap\" {}`, `source \"iso\" {…}` or `source \"image\" {…}` block, or `from = \"<box>\"`" + ` to derive from another box.`},
		},
		{
			name:  "iso without checksum",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  source \"iso\" {\n    url = \"https://example.org/d.iso\"\n    os = \"debian\"\n  }\n}\n"},
			want:  []string{`boxes/bad.hcl:3,16: error: Missing required argument: The argument "checksum" is required, but no definition was found.`},
		},
		{
			name:  "checksum none refused",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  source \"image\" {\n    url = \"https://example.org/d.qcow2\"\n    checksum = \"none\"\n  }\n}\n"},
			want:  []string{`boxes/bad.hcl:5,16: error: Invalid checksum: "none" is not a checksum boxbuild can verify; write "sha256:<hex>" (or sha512, sha1, md5) or "file:<url of SHA256SUMS>". Downloads are never used unverified.`},
		},
		{
			name:  "short sha256",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  source \"image\" {\n    url = \"https://example.org/d.qcow2\"\n    checksum = \"sha256:abc\"\n  }\n}\n"},
			want:  []string{`boxes/bad.hcl:5,16: error: Invalid checksum: A sha256 checksum is 64 hexadecimal digits; "abc" is not.`},
		},
		{
			name: "course pins unknown box",
			files: map[string]string{"semesters/HS26.hcl": "semester \"HS26\" {\n  starts = \"2026-08-17\"\n  ends = \"2027-01-31\"\n" +
				"  course \"m151\" {\n    box = \"bose\"\n    version = \"~> 1.0.0\"\n  }\n}\n"},
			want: []string{`semesters/HS26.hcl:4,10: error: Unknown box: Course "m151" pins box "bose", which no boxes/*.hcl defines. Did you mean "base"?`},
		},
		{
			name: "pin no build can satisfy",
			files: map[string]string{"semesters/HS26.hcl": "semester \"HS26\" {\n  starts = \"2026-08-17\"\n  ends = \"2027-01-31\"\n" +
				"  course \"m151\" {\n    box = \"base\"\n    version = \"~> 1.1.0\"\n  }\n}\n"},
			want: []string{`semesters/HS26.hcl:4,10: error: Pin can never match: Course "m151" pins base "~> 1.1.0", but box "base" publishes only 1.0.x versions; no build can ever satisfy it.`},
		},
		{
			name: "invalid constraint",
			files: map[string]string{"semesters/HS26.hcl": "semester \"HS26\" {\n  starts = \"2026-08-17\"\n  ends = \"2027-01-31\"\n" +
				"  course \"m151\" {\n    box = \"base\"\n    version = \"latest\"\n  }\n}\n"},
			want: []string{`semesters/HS26.hcl:6,15: error: Invalid version constraint: "latest" is not a version constraint: write e.g. "~> 2.1.0" (2.1.x only) or ">= 2.1, < 3.0".`},
		},
		{
			name:  "ends before starts",
			files: map[string]string{"semesters/HS26.hcl": "semester \"HS26\" {\n  starts = \"2026-08-17\"\n  ends = \"2026-01-31\"\n}\n"},
			want:  []string{`semesters/HS26.hcl:3,10: error: Semester ends before it starts: "HS26" ends on 2026-01-31, before it starts on 2026-08-17.`},
		},
		{
			name: "duplicate semester and course",
			files: map[string]string{
				"semesters/a.hcl": "semester \"HS26\" {\n  starts = \"2026-08-17\"\n  ends = \"2027-01-31\"\n  course \"m1\" {\n    box = \"base\"\n    version = \"~> 1.0.0\"\n  }\n  course \"m1\" {\n    box = \"base\"\n    version = \"~> 1.0.0\"\n  }\n}\n",
				"semesters/b.hcl": "semester \"HS26\" {\n  starts = \"2026-08-17\"\n  ends = \"2027-01-31\"\n}\n",
			},
			want: []string{
				`semesters/a.hcl:8,10: error: Duplicate course: Semester "HS26" already has a course "m1" at semesters/a.hcl:4,10.`,
				`semesters/b.hcl:1,10: error: Duplicate semester: A semester named "HS26" is already defined at semesters/a.hcl:1,10.`,
			},
		},
		{
			name:  "required_version checked first",
			files: map[string]string{"boxbuild.hcl": "workspace {\n  org = \"tbz\"\n  required_version = \">= 99.0\"\n  bogus = 1\n}\n"},
			want:  []string{`boxbuild.hcl:3,22: error: boxbuild version not supported: This workspace requires boxbuild >= 99.0, but this is boxbuild 0.1.0; install a matching release.`},
		},
		{
			name:  "undeclared -var",
			opts:  Options{Vars: map[string]string{"db_pasword": "x"}},
			files: map[string]string{"boxes/v.hcl": "variable \"db_password\" {}\n"},
			want:  []string{`-: error: Undeclared variable: -var sets "db_pasword", but no variable block declares it. Did you mean "db_password"?`},
		},
		{
			name:  "undeclared variable reference",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  provision \"web/apache.sh\" {\n    env = { A = var.nope }\n  }\n}\n"},
			want:  []string{`boxes/bad.hcl:5,20: error: Unsupported attribute: This object does not have an attribute named "nope".`},
		},
		{
			name:  "derived box asks for a provider the parent lacks",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  providers = [\"virtualbox\"]\n}\n"},
			want:  []string{`boxes/bad.hcl:1,5: error: Not built by the parent: Box "x" asks for "virtualbox", but its parent "base" is built only for libvirt.`},
		},
		{
			name:  "duplicate host port",
			files: map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  forward \"a\" {\n    guest = 80\n    host = 8080\n  }\n  forward \"b\" {\n    guest = 81\n    host = 8080\n  }\n}\n"},
			want:  []string{`boxes/bad.hcl:10,12: error: Host port used twice: Host port 8080/tcp is already forwarded by "a" at boxes/bad.hcl:4,11.`},
		},
		{
			name:  "missing workspace block",
			files: map[string]string{"boxbuild.hcl": "defaults {\n  cpus = 2\n}\n"},
			want:  []string{"boxbuild.hcl:1,1: error: Missing workspace block: boxbuild.hcl needs a block `workspace { org = \"…\" }` naming the catalog organisation."},
		},
		{
			name:  "no boxes",
			files: map[string]string{"boxes/base.hcl": ""},
			want:  []string{"-: error: No box definitions: The workspace has no boxes/*.hcl files; add one with at least one box block."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeWorkspace(t, tt.files)
			if tt.opts.Env == nil {
				tt.opts.Env = []string{}
			}
			ws, _, diags := Load(dir, tt.opts)
			if ws != nil {
				t.Errorf("Load returned a workspace despite errors")
			}
			var got []string
			for _, l := range diagLines(diags) {
				if strings.Contains(l, ": error: ") {
					got = append(got, l)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScriptSymlinkOutsideWorkspace(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "evil.sh")
	if err := os.WriteFile(outside, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeWorkspace(t, map[string]string{"boxes/bad.hcl": "box \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  provision \"web/link.sh\" {}\n}\n"})
	if err := os.Symlink(outside, filepath.Join(dir, "provision/web/link.sh")); err != nil {
		t.Fatal(err)
	}
	_, _, diags := Load(dir, Options{Env: []string{}})
	got := diagLines(diags)
	if len(got) != 1 || !strings.HasPrefix(got[0], "boxes/bad.hcl:4,13: error: Script outside the workspace: provision/web/link.sh is a symlink to ") {
		t.Errorf("diagnostics = %q", got)
	}
}

func TestSensitiveMissingVariableWarns(t *testing.T) {
	dir := writeWorkspace(t, map[string]string{"boxes/bad.hcl": "variable \"pw\" {\n  sensitive = true\n}\nbox \"x\" {\n  version = \"1.0\"\n  from = \"base\"\n  provision \"web/apache.sh\" {\n    env = { PW = var.pw }\n  }\n}\n"})
	ws, _, diags := Load(dir, Options{Env: []string{}})
	if diags.HasErrors() {
		t.Fatalf("unexpected errors: %v", diagLines(diags))
	}
	want := []string{`boxes/bad.hcl:8,18: warning: Variable without a value: PW refers to a variable that has no value yet; set it with -var, a var file or BOXBUILD_VAR_<name> before building this box.`}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	env := ws.Box("x").Provisions[0].Env[0]
	if !env.Missing || !env.Sensitive || env.Value != "" {
		t.Errorf("env = %+v, want missing and sensitive with no value", env)
	}
}

func TestSeriesCanSatisfy(t *testing.T) {
	tests := []struct {
		series, constraint string
		want               bool
	}{
		{"2.1", "~> 2.1.0", true},
		{"2.1", "~> 2.1", true},
		{"2.1", "~> 2.2.0", false},
		{"2.1", ">= 2.1.5000", true},
		{"2.1", ">= 2.1.3, < 2.1.4", true},
		{"2.1", "> 2.1.3, < 2.1.4", false},
		{"2.1", "= 2.0.9", false},
		{"2.1", "!= 2.1.0", true},
		{"1.0", ">= 2.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.series+" "+tt.constraint, func(t *testing.T) {
			if got := SeriesCanSatisfy(tt.series, tt.constraint); got != tt.want {
				t.Errorf("SeriesCanSatisfy(%q, %q) = %v, want %v", tt.series, tt.constraint, got, tt.want)
			}
		})
	}
}
