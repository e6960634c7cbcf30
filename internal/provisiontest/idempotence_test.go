package provisiontest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/boxbuild/boxbuild/internal/render"
	"github.com/boxbuild/boxbuild/internal/testutil"
)

// TestIdempotence runs every provisioning script twice in a real Debian 12 chroot and fails
// when the second run changes a file (or, for databases, the SQL state); then it proves the
// services with the scripts from tests/, daemons started inside the chroot. It needs root,
// mmdebstrap, Debian's mirror and minutes.
func TestIdempotence(t *testing.T) {
	testutil.Slow(t)
	testutil.RequireRoot(t)
	for _, tool := range []string{"unshare", "chroot", "tar", "ip"} {
		testutil.RequireTool(t, tool)
	}
	repo, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tarball := baseTarball(t)
	t.Logf("base rootfs ready after %s", time.Since(start).Round(time.Second))
	debs := filepath.Join(cacheDir(t), "debs")

	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			groupStart := time.Now()
			root := newRoot(t, tarball)
			h := newHasher()
			base := chrootRun{root: root, lib: filepath.Join(repo, filepath.FromSlash(render.LibraryFile))}
			if g.debCache {
				base.debs = filepath.Join(debs, g.name)
			}
			snapshot := func() manifest {
				t.Helper()
				m, err := h.snapshot(root)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			probe := func() string {
				t.Helper()
				if g.probe == "" {
					return ""
				}
				r := base
				r.script = writeScript(t, "probe.sh", g.probe)
				out, err := r.run(t)
				if err != nil {
					t.Fatalf("probe: %v\n%s", err, tail(out, 30))
				}
				return out
			}
			for i, s := range g.steps {
				r := base
				r.script = filepath.Join(repo, filepath.FromSlash(s.script))
				r.env = s.env
				label := strings.TrimSpace(s.script + " " + strings.Join(names(s.env), " "))
				if s.wantErr != "" {
					before := snapshot()
					out, err := r.run(t)
					if err == nil || !strings.Contains(out, s.wantErr) {
						t.Fatalf("step %d %s: want a failure saying %q, got err=%v\n%s", i, label, s.wantErr, err, tail(out, 30))
					}
					if d := diffManifests(before, snapshot()); len(d) > 0 {
						t.Errorf("step %d %s: the failed run changed %d paths:\n%s", i, label, len(d), limit(d, 40))
					}
					t.Logf("step %d %s: fails as it should: %s", i, label, lastLine(out))
					continue
				}
				first := time.Now()
				out, err := r.run(t)
				if err != nil {
					t.Fatalf("step %d %s: run 1: %v\n%s", i, label, err, tail(out, 40))
				}
				took1 := time.Since(first)
				m1, p1 := snapshot(), probe()
				second := time.Now()
				out, err = r.run(t)
				took2 := time.Since(second)
				if err != nil {
					t.Fatalf("step %d %s: run 2: %v\n%s", i, label, err, tail(out, 40))
				}
				m2, p2 := snapshot(), probe()
				d := diffManifests(m1, m2)
				if len(d) > 0 {
					t.Errorf("step %d %s: the second run changed %d paths:\n%s", i, label, len(d), limit(d, 40))
				}
				diff := cmp.Diff(p1, p2)
				if diff != "" {
					t.Errorf("step %d %s: the second run changed the database state (-run 1 +run 2):\n%s", i, label, diff)
				}
				if len(d) > 0 || diff != "" {
					continue
				}
				t.Logf("step %d %s: run 1 %s, run 2 %s, %d paths unchanged", i, label,
					took1.Round(100*time.Millisecond), took2.Round(100*time.Millisecond), len(m2))
			}
			for _, st := range g.tests {
				r := base
				r.script = filepath.Join(repo, filepath.FromSlash(st.script))
				r.env = st.env
				r.isolate = true
				r.prelude = g.start
				out, err := r.run(t)
				if err != nil {
					t.Errorf("service test %s %s: %v\n%s", st.script, strings.Join(names(st.env), " "), err, tail(out, 30))
					continue
				}
				t.Logf("service test %s: %s", st.script, lastLine(out))
			}
			if len(g.tests) == 0 {
				t.Logf("no service test in a chroot: %s", g.untested)
			}
			t.Logf("group %s done in %s", g.name, time.Since(groupStart).Round(time.Second))
		})
	}
}

// names returns the variable names of KEY=VALUE pairs: values may be passwords.
func names(env []string) []string {
	out := make([]string, len(env))
	for i, kv := range env {
		out[i], _, _ = strings.Cut(kv, "=")
	}
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func limit(lines []string, n int) string {
	if len(lines) > n {
		lines = append(lines[:n:n], "…")
	}
	return strings.Join(lines, "\n")
}
