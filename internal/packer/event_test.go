package packer

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The lines below were printed by the real packer 1.6.6 for a null builder with a
// shell-local step and a manifest post-processor (TestBuildNull checks the same live).
func TestParseLine(t *testing.T) {
	ts := time.Unix(1795786041, 0)
	tests := []struct {
		name string
		line string
		want Event
	}{
		{"ui message with escaped comma",
			"1795786041,,ui,message,    null.n: hello%!(PACKER_COMMA) world",
			Event{Time: ts, Type: "ui", Data: []string{"message", "    null.n: hello, world"}}},
		{"ui say with escaped newline",
			`1795786041,,ui,say,\n==> Builds finished. The artifacts of successful builds are:`,
			Event{Time: ts, Type: "ui", Data: []string{"say", "\n==> Builds finished. The artifacts of successful builds are:"}}},
		{"artifact",
			"1795786041,null.n,artifact,0,builder-id,fnoeding.null",
			Event{Time: ts, Target: "null.n", Type: "artifact", Data: []string{"0", "builder-id", "fnoeding.null"}}},
		{"build error",
			"1795786041,null.n,error,Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
			Event{Time: ts, Target: "null.n", Type: "error", Data: []string{"Script exited with non-zero exit status: 3.Allowed exit codes are: [0]"}}},
		{"count", "1795786041,,error-count,1", Event{Time: ts, Type: "error-count", Data: []string{"1"}}},
		{"windows line end", "1795786041,,ui,say,x\r\n", Event{Time: ts, Type: "ui", Data: []string{"say", "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLine(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseLine() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLineRejects(t *testing.T) {
	for _, line := range []string{"", "panic: runtime error", "abc,,ui,say,x", "12,only-two"} {
		if _, err := ParseLine(line); err == nil {
			t.Errorf("ParseLine(%q) succeeded, want an error", line)
		}
	}
}

func TestResultFromLines(t *testing.T) {
	lines := []string{
		"1,null.n,artifact-count,2",
		"1,null.n,artifact,0,builder-id,fnoeding.null",
		"1,null.n,artifact,0,id,Null",
		"1,null.n,artifact,0,string,Did not export anything. This is the null builder",
		"1,null.n,artifact,0,files-count,0",
		"1,null.n,artifact,0,end",
		"1,qemu.base,artifact,0,builder-id,mitchellh.post-processor.vagrant",
		"1,qemu.base,artifact,0,file,0,out/base.box",
		"1,qemu.base,artifact,0,end",
		"1,,error-count,1",
		"1,null.x,error,boom%!(PACKER_COMMA) really",
	}
	var r Result
	for _, l := range lines {
		e, err := ParseLine(l)
		if err != nil {
			t.Fatal(err)
		}
		r.add(e)
	}
	want := Result{
		Artifacts: []Artifact{
			{Target: "null.n", Index: "0", BuilderID: "fnoeding.null", ID: "Null", String: "Did not export anything. This is the null builder"},
			{Target: "qemu.base", Index: "0", BuilderID: "mitchellh.post-processor.vagrant", Files: []string{"out/base.box"}},
		},
		Errors: []string{"null.x: boom, really"},
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Result mismatch (-want +got):\n%s", diff)
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		name, out, want string
	}{
		{"1.6.6", "Packer v1.6.6\n", "1.6.6"},
		{"newer with notice", "Packer v1.11.2\n\nYour version of Packer is out of date! The latest version\nis 1.12.0. You can update by downloading from www.packer.io/downloads\n", "1.11.2"},
		{"dev build", "Packer v1.10.0-dev\n", "1.10.0-dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := parseVersion(tt.out)
			if err != nil {
				t.Fatal(err)
			}
			if v.Original() != tt.want {
				t.Errorf("parseVersion() = %s, want %s", v.Original(), tt.want)
			}
		})
	}
	if _, err := parseVersion("Terraform v1.0.0\n"); err == nil {
		t.Error("parseVersion of another tool's output succeeded")
	}
}
