// Package semester is what a semester means for the catalog: the versions its courses pin
// (which prune and delete must keep), whether every pin is satisfied before the term
// starts, and the semester view of a box's metadata that lists only pinned versions.
package semester

import (
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
)

// Pins returns the pins of every semester running on day now (starts ≤ now ≤ ends): every
// version one of their courses' constraints allows is protected from prune and delete,
// since any of them may be what a student's `vagrant up` resolves to during the term.
func Pins(ws *config.Workspace, now time.Time) catalog.PinSet {
	var ps catalog.PinSet
	for _, s := range ws.Semesters {
		if s.Active(now) {
			ps = append(ps, Of(ws, s)...)
		}
	}
	return ps
}

// Of returns the pins of one semester, whether it runs or not.
func Of(ws *config.Workspace, s *config.Semester) catalog.PinSet {
	var ps catalog.PinSet
	for _, c := range s.Courses {
		ps = append(ps, catalog.Pin{Semester: s.Name, Box: ws.Org + "/" + c.Box, Constraint: c.Version})
	}
	return ps
}
