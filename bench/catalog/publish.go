package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/publish"
)

// benchPublish times sha256sum, the hard-link publish and the copy publish of one file. The
// file is read once before timing so every contender starts from a warm page cache; the copy
// path includes the fsync that makes the published file durable.
func benchPublish(ctx context.Context, c *config) error {
	src := filepath.Join(c.work, "big.box")
	if err := writeRandom(src, c.publishSize); err != nil {
		return err
	}
	defer os.Remove(src)
	if err := warm(src); err != nil {
		return err
	}
	var want string
	var sumCPU time.Duration
	sumTime, sumRuns, err := timeIt(c.rounds, func(int) error {
		cmd := exec.CommandContext(ctx, "sha256sum", src)
		out, err := cmd.Output()
		want, _, _ = strings.Cut(string(out), " ")
		sumCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		return err
	})
	if err != nil {
		return fmt.Errorf("sha256sum: %w", err)
	}
	results := map[bool]string{}
	times := map[bool][]string{}
	for _, link := range []bool{true, false} {
		var method string
		cpu0 := selfCPU()
		med, runs, err := timeIt(c.rounds, func(i int) error {
			dir := filepath.Join(c.work, fmt.Sprintf("catalog-%v-%d", link, i))
			defer os.RemoveAll(dir)
			s, err := catalog.Open(dir, "http://127.0.0.1:8099")
			if err != nil {
				return err
			}
			e := catalog.Entry{Org: "bench", Box: "big", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}
			res, err := (&publish.Local{Store: s, Link: link}).Publish(ctx, publish.Box{Entry: e, File: src})
			if err != nil {
				return err
			}
			if res.Sha256 != want {
				return fmt.Errorf("publish computed %s, sha256sum %s", res.Sha256, want)
			}
			method = res.Method
			return nil
		})
		if err != nil {
			return err
		}
		cpu := (selfCPU() - cpu0) / time.Duration(c.rounds)
		results[link] = fmt.Sprintf("| publish (%s path) | %s | %.2f× | %s | %.2f× |", method, secs(med), med.Seconds()/sumTime.Seconds(), secs(cpu), cpu.Seconds()/(sumCPU.Seconds()/float64(c.rounds)))
		times[link] = []string{method, fmtDurations(runs)}
	}
	fmt.Printf("## Publish a %d MiB box into a local catalog\n\n", c.publishSize>>20)
	fmt.Printf("| contender | wall (median) | vs sha256sum | CPU (mean) | vs sha256sum |\n|---|---|---|---|---|\n")
	fmt.Printf("| sha256sum | %s | 1.00× | %s | 1.00× |\n%s\n%s\n\n", secs(sumTime), secs(sumCPU/time.Duration(c.rounds)), results[true], results[false])
	fmt.Printf("wall runs (s), warm page cache: sha256sum %s; %s %s; %s %s\n\n", fmtDurations(sumRuns), times[true][0], times[true][1], times[false][0], times[false][1])
	return nil
}

// warm reads the file once so every contender finds it in the page cache.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// selfCPU is this process's user+system CPU time (all goroutines).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
