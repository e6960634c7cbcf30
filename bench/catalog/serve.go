package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/publish"
)

const nginxConf = `worker_processes auto;
daemon off;
pid {{WORK}}/nginx.pid;
error_log {{WORK}}/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log {{WORK}}/nginx-access.log;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  types { application/json json; }
  client_body_temp_path {{WORK}}/ngx-client;
  proxy_temp_path {{WORK}}/ngx-proxy;
  fastcgi_temp_path {{WORK}}/ngx-fastcgi;
  uwsgi_temp_path {{WORK}}/ngx-uwsgi;
  scgi_temp_path {{WORK}}/ngx-scgi;
  server {
    listen {{ADDR}};
    root {{ROOT}};
  }
}
`

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitUp(url string) error {
	for range 200 {
		if resp, err := http.Head(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("%s did not come up", url)
}

// start runs a server process until stop is called; stop sends SIGTERM and waits.
func start(ctx context.Context, log string, name string, args ...string) (*exec.Cmd, func(), error) {
	lf, err := os.Create(log)
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, nil, err
	}
	return cmd, func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		lf.Close()
	}, nil
}

type wrkResult struct {
	transfer float64 // bytes/s
	reqs     float64
	p99      string
}

var (
	transferRE = regexp.MustCompile(`Transfer/sec:\s+([0-9.]+)([KMGT]?B)`)
	reqsRE     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99RE      = regexp.MustCompile(`\s99%\s+(\S+)`)
)

func wrk(ctx context.Context, conns int, dur, url string) (wrkResult, error) {
	out, err := exec.CommandContext(ctx, "wrk", "-t2", "-c"+strconv.Itoa(conns), "-d"+dur, "--timeout", "120s", "--latency", url).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	var r wrkResult
	if m := transferRE.FindStringSubmatch(string(out)); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		mult := map[string]float64{"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}[m[2]]
		r.transfer = v * mult
	}
	if m := reqsRE.FindStringSubmatch(string(out)); m != nil {
		r.reqs, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := p99RE.FindStringSubmatch(string(out)); m != nil {
		r.p99 = m[1]
	}
	if strings.Contains(string(out), "Non-2xx") {
		return r, fmt.Errorf("wrk saw errors:\n%s", out)
	}
	return r, nil
}

func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func benchServe(ctx context.Context, c *config, bin string) error {
	os.Chmod(c.work, 0o755) // nginx workers run as nobody and must reach the files
	cat := filepath.Join(c.work, "serve-catalog")
	src := filepath.Join(c.work, "serve.box")
	if err := writeRandom(src, c.serveSize); err != nil {
		return err
	}
	bbAddr, err := freeAddr()
	if err != nil {
		return err
	}
	ngAddr, err := freeAddr()
	if err != nil {
		return err
	}
	s, err := catalog.Open(cat, "http://"+bbAddr)
	if err != nil {
		return err
	}
	e := catalog.Entry{Org: "bench", Box: "big", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}
	if _, err := (&publish.Local{Store: s, Link: true}).Publish(ctx, publish.Box{Entry: e, File: src}); err != nil {
		return err
	}
	conf := strings.NewReplacer("{{WORK}}", c.work, "{{ADDR}}", ngAddr, "{{ROOT}}", cat).Replace(nginxConf)
	confPath := filepath.Join(c.work, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return err
	}
	_, stopNginx, err := start(ctx, filepath.Join(c.work, "nginx.out"), "nginx", "-c", confPath, "-p", c.work)
	if err != nil {
		return fmt.Errorf("nginx: %w", err)
	}
	defer stopNginx()
	bb, stopBB, err := start(ctx, filepath.Join(c.work, "serve.log"), bin, "serve", "--dir", cat, "--addr", bbAddr)
	if err != nil {
		return err
	}
	defer stopBB()
	boxPath := "/" + e.RelPath()
	if err := waitUp("http://" + ngAddr + boxPath); err != nil {
		return err
	}
	if err := waitUp("http://" + bbAddr + boxPath); err != nil {
		return err
	}

	// Interleaved runs, so drift on the machine hits both servers alike.
	sums := map[string][]float64{}
	for range 2 {
		for _, who := range []struct{ name, addr string }{{"nginx", ngAddr}, {"boxbuild serve", bbAddr}} {
			r, err := wrk(ctx, c.conns, c.duration, "http://"+who.addr+boxPath)
			if err != nil {
				return fmt.Errorf("%s: %w", who.name, err)
			}
			sums[who.name] = append(sums[who.name], r.transfer)
		}
	}
	mean := func(v []float64) float64 { return (v[0] + v[1]) / 2 }
	ng, bbT := mean(sums["nginx"]), mean(sums["boxbuild serve"])
	rssAfterDownloads := peakRSS(bb.Process.Pid)
	fmt.Printf("## %d concurrent downloads of a %d MiB box on 127.0.0.1 (wrk, 2 × %s each, interleaved)\n\n", c.conns, c.serveSize>>20, c.duration)
	fmt.Printf("| server | aggregate throughput (MiB/s), runs | mean | vs nginx |\n|---|---|---|---|\n")
	fmt.Printf("| nginx %s | %.0f, %.0f | %.0f | 1.00× |\n", nginxVersion(), sums["nginx"][0]/(1<<20), sums["nginx"][1]/(1<<20), ng/(1<<20))
	fmt.Printf("| boxbuild serve | %.0f, %.0f | %.0f | %.2f× |\n\n", sums["boxbuild serve"][0]/(1<<20), sums["boxbuild serve"][1]/(1<<20), bbT/(1<<20), bbT/ng)
	fmt.Printf("boxbuild serve peak RSS (VmHWM) after the downloads: %s\n\n", rssAfterDownloads)

	// Metadata: boxbuild renders from the record (cached until it changes); nginx sends the
	// static file the store writes.
	fmt.Printf("## Metadata under load (wrk -t2 -c64 -d10s)\n\n| server | URL | requests/s | p99 latency |\n|---|---|---|---|\n")
	for _, m := range []struct{ name, url string }{
		{"nginx", "http://" + ngAddr + "/bench/big.json"},
		{"boxbuild serve", "http://" + bbAddr + "/bench/big"},
	} {
		r, err := wrk(ctx, 64, "10s", m.url)
		if err != nil {
			return fmt.Errorf("%s metadata: %w", m.name, err)
		}
		fmt.Printf("| %s | %s | %.0f | %s |\n", m.name, strings.SplitN(m.url, "/", 4)[3], r.reqs, r.p99)
	}
	fmt.Printf("\nboxbuild serve peak RSS (VmHWM) at the end: %s\n", peakRSS(bb.Process.Pid))
	return nil
}

func nginxVersion() string {
	out, _ := exec.Command("nginx", "-v").CombinedOutput()
	_, v, _ := strings.Cut(strings.TrimSpace(string(out)), "nginx/")
	return v
}
