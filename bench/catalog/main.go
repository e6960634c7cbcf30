// Command catalog measures the catalog's three hot paths against real baselines in one run:
//
//  1. publish a large box into a local catalog (hard-link path and copy path) against
//     `sha256sum` of the same file: both must read the file once;
//  2. N concurrent downloads of a large box from `boxbuild serve` against Debian's nginx
//     serving the same file from the same folder on 127.0.0.1 (wrk), with the server's peak RSS;
//  3. metadata requests per second and p99 latency under load (wrk), nginx serving the
//     static metadata file as the reference.
//
// It builds boxbuild, starts and stops its own nginx with a config in a temporary folder,
// and removes everything it wrote. Run from the repository root:
//
//	go run ./bench/catalog -publish-size 2GiB -serve-size 1GiB -conns 32
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
)

type config struct {
	work        string
	publishSize int64
	serveSize   int64
	conns       int
	duration    string
	rounds      int
}

func main() {
	var c config
	var pub, srv string
	flag.StringVar(&pub, "publish-size", "2GiB", "size of the box for the publish benchmark")
	flag.StringVar(&srv, "serve-size", "1GiB", "size of the box for the download benchmark")
	flag.IntVar(&c.conns, "conns", 32, "concurrent downloads")
	flag.StringVar(&c.duration, "duration", "15s", "wrk duration per download run")
	flag.IntVar(&c.rounds, "rounds", 3, "repetitions of each timed step (the median is reported)")
	flag.StringVar(&c.work, "work", "", "scratch folder on the disk to measure (default: a new temporary folder)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, &c, pub, srv); err != nil {
		fmt.Fprintln(os.Stderr, "bench/catalog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c *config, pub, srv string) error {
	var err error
	if c.publishSize, err = parseSize(pub); err != nil {
		return err
	}
	if c.serveSize, err = parseSize(srv); err != nil {
		return err
	}
	if c.work == "" {
		if c.work, err = os.MkdirTemp("", "boxbuild-bench-catalog-"); err != nil {
			return err
		}
		defer os.RemoveAll(c.work)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("# boxbuild catalog benchmarks\n\nhost: %d CPUs, %s/%s, %s; load average at start: %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), strings.Join(strings.Fields(string(load))[:3], " "))
	if err := benchPublish(ctx, c); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	bin := filepath.Join(c.work, "boxbuild")
	if err := runCmd(ctx, "go", "build", "-o", bin, "./cmd/boxbuild"); err != nil {
		return fmt.Errorf("build boxbuild (run from the repository root): %w", err)
	}
	return benchServe(ctx, c, bin)
}
