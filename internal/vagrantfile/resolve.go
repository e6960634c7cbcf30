package vagrantfile

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/config"
)

// Target is what a name on the command line refers to: a course of a semester, or a box.
type Target struct {
	Semester *config.Semester // nil for a box
	Course   *config.Course   // nil for a box
	Box      *config.Box
}

// Resolve finds name as a course (in semester, when given; else in the semester running on
// day now, else in the only semester that has it) or, failing that, as a box.
func Resolve(ws *config.Workspace, name, semester string, now time.Time) (Target, error) {
	if semester != "" {
		s := ws.Semester(semester)
		if s == nil {
			return Target{}, fmt.Errorf("no semester %q in the workspace (have: %s)", semester, semesterNames(ws))
		}
		if c := course(s, name); c != nil {
			return Target{Semester: s, Course: c, Box: ws.Box(c.Box)}, nil
		}
		return Target{}, fmt.Errorf("semester %s has no course %q (it has: %s)", s.Name, name, courseNames(s))
	}
	var active, all []*config.Semester
	for _, s := range ws.Semesters {
		if course(s, name) == nil {
			continue
		}
		all = append(all, s)
		if s.Active(now) {
			active = append(active, s)
		}
	}
	for _, pick := range [][]*config.Semester{active, all} {
		switch len(pick) {
		case 0:
			continue
		case 1:
			c := course(pick[0], name)
			return Target{Semester: pick[0], Course: c, Box: ws.Box(c.Box)}, nil
		default:
			var names []string
			for _, s := range pick {
				names = append(names, s.Name)
			}
			return Target{}, fmt.Errorf("course %q is in semesters %s: choose one with --semester", name, strings.Join(names, ", "))
		}
	}
	if b := ws.Box(name); b != nil {
		return Target{Box: b}, nil
	}
	return Target{}, fmt.Errorf("%q is neither a course of any semester nor a box of the workspace", name)
}

// Data describes the target.
func (t Target) Data(ws *config.Workspace, o Options) (*Data, error) {
	if t.Course != nil {
		return ForCourse(ws, t.Semester, t.Course, o)
	}
	return ForBox(ws, t.Box, o)
}

func course(s *config.Semester, name string) *config.Course {
	for _, c := range s.Courses {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func semesterNames(ws *config.Workspace) string {
	var n []string
	for _, s := range ws.Semesters {
		n = append(n, s.Name)
	}
	if len(n) == 0 {
		return "none"
	}
	return strings.Join(n, ", ")
}

func courseNames(s *config.Semester) string {
	var n []string
	for _, c := range s.Courses {
		n = append(n, c.Name)
	}
	sort.Strings(n)
	if len(n) == 0 {
		return "none"
	}
	return strings.Join(n, ", ")
}

// explain says in words what a version constraint lets through, for the comment above
// box_version. Pessimistic constraints get a precise sentence, others a general one.
func explain(c string) string {
	v, ok := strings.CutPrefix(strings.TrimSpace(c), "~>")
	v = strings.TrimSpace(v)
	parts := strings.Split(v, ".")
	if !ok || strings.Contains(v, ",") || len(parts) < 2 || len(parts) > 3 {
		return fmt.Sprintf("the newest published version that satisfies %q", c)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Sprintf("the newest published version that satisfies %q", c)
		}
		nums[i] = n
	}
	if len(nums) == 3 {
		return fmt.Sprintf("every %d.%d.x rebuild from %s on (security updates), never %d.%d",
			nums[0], nums[1], v, nums[0], nums[1]+1)
	}
	return fmt.Sprintf("every %d.x version from %s on, never %d.0", nums[0], v, nums[0]+1)
}
