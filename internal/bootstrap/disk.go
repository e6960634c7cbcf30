package bootstrap

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// truncate makes a sparse file of the given size.
func truncate(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// partition writes a DOS label with one bootable Linux partition from sector 2048 to the end.
func partition(ctx context.Context, raw string, log io.Writer) error {
	fmt.Fprintf(log, "+ sfdisk %s\n", raw)
	cmd := exec.CommandContext(ctx, "sfdisk", "--quiet", raw)
	cmd.Stdin = strings.NewReader("label: dos\nstart=2048, type=83, bootable\n")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("sfdisk: %w", err)
	}
	return nil
}

// copyInto copies src into dst at offset, skipping blocks of zeros so dst stays sparse.
func copyInto(dst, src string, offset int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	zero := make([]byte, len(buf))
	for pos := offset; ; {
		n, rerr := io.ReadFull(in, buf)
		if n > 0 && !bytes.Equal(buf[:n], zero[:n]) {
			if _, err := out.WriteAt(buf[:n], pos); err != nil {
				out.Close()
				return fmt.Errorf("copy partition into disk: %w", err)
			}
		}
		pos += int64(n)
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			out.Close()
			return rerr
		}
	}
	return out.Close()
}

// writeMBR puts syslinux's boot code into the first 440 bytes, before the partition table.
func writeMBR(raw string) error {
	code, err := os.ReadFile(mbrPath)
	if err != nil {
		return err
	}
	if len(code) > 440 {
		return fmt.Errorf("%s is %d bytes, more than the 440 of an MBR's code area", mbrPath, len(code))
	}
	f, err := os.OpenFile(raw, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(code, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
