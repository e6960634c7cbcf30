package provisiontest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

// scripts returns the repository root and every script in it; a repository without scripts
// is a failure, not a vacuous pass.
func scripts(t *testing.T) (string, []string) {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	list, err := Scripts(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatalf("no *.sh under %v in %s", ScriptDirs, root)
	}
	return root, list
}

// TestShellcheck runs the real shellcheck over every script at once and lists each finding.
func TestShellcheck(t *testing.T) {
	shellcheck := testutil.RequireTool(t, "shellcheck")
	root, list := scripts(t)

	cmd := exec.CommandContext(t.Context(), shellcheck, append([]string{"--format=gcc", "--external-sources"}, list...)...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run shellcheck: %v\n%s", err, stderr.String())
	}
	findings := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if err != nil || stdout.Len() > 0 {
		t.Errorf("shellcheck found %d problems in %d scripts (exit: %v):\n%s\n%s",
			len(findings), len(list), err, strings.Join(findings, "\n"), stderr.String())
		return
	}
	t.Logf("shellcheck: %d scripts clean", len(list))
}

var (
	// envRead matches ${VAR:-…}, ${VAR-…}, ${VAR:?…} and ${VAR:=…}: a setting read with a default.
	envRead = regexp.MustCompile(`\$\{([A-Z][A-Z0-9_]*)(:?[-?=])`)
	// shells maps each allowed interpreter to the strict-mode line it requires.
	shells = map[string]string{
		"#!/bin/sh":           "set -eu",
		"#!/usr/bin/env sh":   "set -eu",
		"#!/bin/bash":         "set -euo pipefail",
		"#!/usr/bin/env bash": "set -euo pipefail",
	}
)

// TestScriptHeaders holds each script to the library's rules: a known shell with its strict
// mode, a leading comment that says what the script does and names every environment variable
// it reads, and no `set -x` (it would print passwords into build logs).
func TestScriptHeaders(t *testing.T) {
	root, list := scripts(t)
	for _, rel := range list {
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range headerProblems(string(data)) {
				t.Error(p)
			}
		})
	}
}

// headerProblems returns what is wrong with one script's text, empty when nothing is.
func headerProblems(text string) []string {
	var problems []string
	lines := strings.Split(text, "\n")
	strict, ok := shells[strings.TrimSpace(lines[0])]
	if !ok {
		return []string{"first line " + quote(lines[0]) + " is not #!/bin/sh or #!/bin/bash"}
	}
	var comment []string
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "#") {
			break
		}
		comment = append(comment, strings.TrimSpace(strings.TrimPrefix(l, "#")))
	}
	header := strings.Join(comment, "\n")
	if len(comment) == 0 || comment[0] == "" {
		problems = append(problems, "no leading comment after the #! line saying what the script does")
	}
	if !strings.Contains(header, "Environment:") {
		problems = append(problems, `the leading comment has no "Environment:" section`)
	}
	hasStrict := false
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "set" && (strings.HasPrefix(f[1], "-") && strings.Contains(f[1], "x") || strings.Contains(l, "xtrace")) {
			problems = append(problems, "sets -x, which would print secrets into build logs: "+quote(l))
		}
		if strings.TrimSpace(l) == strict {
			hasStrict = true
		}
	}
	if !hasStrict {
		problems = append(problems, "no "+quote(strict)+" line")
	}
	seen := map[string]bool{}
	for _, m := range envRead.FindAllStringSubmatch(text, -1) {
		if name := m[1]; !seen[name] && !regexp.MustCompile(`\b`+name+`\b`).MatchString(header) {
			seen[name] = true
			problems = append(problems, "reads $"+name+" but the leading comment does not name it")
		}
	}
	return problems
}

func quote(s string) string { return `"` + s + `"` }
