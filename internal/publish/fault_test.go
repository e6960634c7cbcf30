package publish

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// The test binary doubles as the publisher process for the fault tests: with
// BOXBUILD_TEST_PUBLISHER set it publishes and exits instead of running tests.
func TestMain(m *testing.M) {
	if os.Getenv("BOXBUILD_TEST_PUBLISHER") == "1" {
		if err := publisherMain(); err != nil {
			fmt.Fprintln(os.Stderr, "publisher:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// publisherMain publishes PUB_FILE as lab/deb12 versions PUB_VERSIONS (space-separated) into
// PUB_DIR, by copy, or by hard link when PUB_LINK=1.
func publisherMain() error {
	s, err := catalog.Open(os.Getenv("PUB_DIR"), "http://127.0.0.1:8099")
	if err != nil {
		return err
	}
	l := &Local{Store: s, Link: os.Getenv("PUB_LINK") == "1"}
	for _, v := range strings.Fields(os.Getenv("PUB_VERSIONS")) {
		e := catalog.Entry{Org: "lab", Box: "deb12", Version: v, Provider: "libvirt", Arch: "amd64"}
		if _, err := l.Publish(context.Background(), Box{Entry: e, File: os.Getenv("PUB_FILE"), Description: "fault test"}); err != nil {
			return err
		}
	}
	return nil
}

func publisher(t *testing.T, dir, file string, link bool, versions string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "BOXBUILD_TEST_PUBLISHER=1", "PUB_DIR="+dir, "PUB_FILE="+file, "PUB_VERSIONS="+versions)
	if link {
		cmd.Env = append(cmd.Env, "PUB_LINK=1")
	}
	cmd.Stderr = os.Stderr
	return cmd
}

// TestPublisherKilledAnywhere kills publisher processes with SIGKILL at random instants and
// checks after each kill that the catalog is valid and names only complete, correct files.
func TestPublisherKilledAnywhere(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "built.box")
	writeRandom(t, file, 8<<20)
	dir := filepath.Join(tmp, "catalog")
	s, err := catalog.Open(dir, "http://127.0.0.1:8099")
	if err != nil {
		t.Fatal(err)
	}

	// Time one undisturbed run, so the kills spread over a publisher's whole life.
	start := time.Now()
	if err := publisher(t, dir, file, false, "0.0.1 0.0.2").Run(); err != nil {
		t.Fatalf("undisturbed publisher: %v", err)
	}
	life := time.Since(start)

	// Kill until 50 publishers died mid-way. A publisher that finished before its kill means
	// the estimate of its life was too long (the machine got faster or less loaded): shrink it,
	// so the kills keep landing inside the run however the timing drifts.
	const wantKills, maxTries = 50, 300
	killedEarly, tries := 0, 0
	for ; killedEarly < wantKills && tries < maxTries; tries++ {
		vs := fmt.Sprintf("1.%d.0 1.%d.1 1.%d.2", tries, tries, tries)
		cmd := publisher(t, dir, file, tries%3 == 2, vs)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(life))))
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil {
			killedEarly++
		} else {
			life = life * 4 / 5
		}
		// Sizes after every kill, checksums of every file every tenth kill and at the end.
		if err := s.Verify(tries%10 == 9); err != nil {
			t.Fatalf("after kill %d: catalog invalid: %v", tries, err)
		}
	}
	if err := s.Verify(true); err != nil {
		t.Fatalf("at the end: catalog invalid: %v", err)
	}
	r, err := s.Load("lab", "deb12")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d kills, %d of them before the publisher finished; %d versions in the catalog", tries, killedEarly, len(r.Versions))
	if killedEarly < wantKills {
		t.Errorf("only %d of %d publishers were killed mid-way; the test did not exercise enough crashes", killedEarly, tries)
	}
}

// TestConcurrentPublishers runs 8 publisher processes at once; every version must arrive.
func TestConcurrentPublishers(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "built.box")
	writeRandom(t, file, 4<<20)
	dir := filepath.Join(tmp, "catalog")
	var cmds []*exec.Cmd
	for i := range 8 {
		cmd := publisher(t, dir, file, i%2 == 0, fmt.Sprintf("2.%d.0", i))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("publisher failed: %v", err)
		}
	}
	s, _ := catalog.Open(dir, "http://127.0.0.1:8099")
	r, err := s.Load("lab", "deb12")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range r.Versions {
		got = append(got, v.Version)
	}
	want := []string{"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "2.7.0"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("versions = %v; want %v", got, want)
	}
	if err := s.Verify(true); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
