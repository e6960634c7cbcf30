package config

import (
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
)

func (l *loader) decodeSemester(b *hcl.Block, file string) (*Semester, hcl.Diagnostics) {
	sem := &Semester{Name: b.Labels[0], File: file, Range: b.LabelRanges[0]}
	var diags hcl.Diagnostics
	if first := l.ws.Semester(sem.Name); first != nil {
		return nil, hcl.Diagnostics{errorf(b.LabelRanges[0].Ptr(), "Duplicate semester",
			"A semester named %q is already defined at %s.", sem.Name, where(first.Range))}
	}
	if !boxNamePattern.MatchString(sem.Name) && !hclIdent(sem.Name) {
		diags = append(diags, errorf(b.LabelRanges[0].Ptr(), "Invalid semester name",
			"%q must be letters, digits, '.', '_' or '-': it becomes a URL segment.", sem.Name))
	}
	content, d := b.Body.Content(semesterSchema)
	diags = append(diags, d...)
	if content == nil {
		return nil, diags
	}
	a := l.attrs(content.Attributes)
	startsOK := a.date("starts", &sem.Starts)
	endsOK := a.date("ends", &sem.Ends)
	if startsOK && endsOK && sem.Ends.Before(sem.Starts) {
		a.diags = append(a.diags, errorf(a.rng("ends").Ptr(), "Semester ends before it starts",
			"%q ends on %s, before it starts on %s.", sem.Name, sem.Ends.Format(time.DateOnly), sem.Starts.Format(time.DateOnly)))
	}
	diags = append(diags, a.diags...)
	for _, cb := range content.Blocks {
		c, d := l.decodeCourse(cb, sem)
		diags = append(diags, d...)
		if c != nil {
			sem.Courses = append(sem.Courses, c)
		}
	}
	return sem, diags
}

func (a *attrs) date(name string, dst *time.Time) bool {
	var s string
	if !a.str(name, &s) {
		return false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		a.diags = append(a.diags, errorf(a.rng(name).Ptr(), "Invalid date",
			"%q is not a date; write YYYY-MM-DD, e.g. \"2026-08-17\".", s))
		return false
	}
	*dst = t
	return true
}

func (l *loader) decodeCourse(b *hcl.Block, sem *Semester) (*Course, hcl.Diagnostics) {
	c := &Course{Name: b.Labels[0], Range: b.LabelRanges[0]}
	var diags hcl.Diagnostics
	for _, o := range sem.Courses {
		if o.Name == c.Name {
			return nil, hcl.Diagnostics{errorf(b.LabelRanges[0].Ptr(), "Duplicate course",
				"Semester %q already has a course %q at %s.", sem.Name, c.Name, where(o.Range))}
		}
	}
	if !boxNamePattern.MatchString(c.Name) {
		diags = append(diags, errorf(b.LabelRanges[0].Ptr(), "Invalid course name",
			"%q must be lowercase letters, digits, '.', '_' or '-': it becomes a folder name.", c.Name))
	}
	content, d := b.Body.Content(courseSchema)
	diags = append(diags, d...)
	if content == nil {
		return nil, diags
	}
	a := l.attrs(content.Attributes)
	a.str("box", &c.Box)
	if a.str("version", &c.Version) {
		if _, err := version.NewConstraint(c.Version); err != nil {
			a.diags = append(a.diags, errorf(a.rng("version").Ptr(), "Invalid version constraint",
				"%q is not a version constraint: write e.g. \"~> 2.1.0\" (2.1.x only) or \">= 2.1, < 3.0\".", c.Version))
		}
	}
	a.integer("cpus", &c.CPUs, 1, 64)
	a.integer("memory", &c.Memory, 256, 1<<20)
	diags = append(diags, a.diags...)
	for _, fb := range content.Blocks {
		f, d := l.decodeForward(fb, c.Forwards)
		diags = append(diags, d...)
		if f != nil {
			c.Forwards = append(c.Forwards, f)
		}
	}
	return c, diags
}
