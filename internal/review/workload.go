// Package review keeps Well-Architected reviews as code: a workload file with the workload's facts and its answers
// per lens, evaluated against the lens catalogue into risks, improvement plans, milestones and diffs.
package review

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/yamldoc"
)

// Format is the value of the format field in a workload file.
const Format = "walens-workload/v1"

// DefaultFile is the workload file name walens looks for in a directory.
const DefaultFile = "walens.yaml"

// MaxFileBytes bounds how much of a workload file walens reads.
const MaxFileBytes = 4 << 20

// Limits taken from the WA Tool's API so that workloads kept here can be pushed there.
const (
	maxWorkloadName   = 100
	maxDescription    = 250
	maxOwner          = 255
	maxQuestionNotes  = 2084
	maxChoiceNotes    = 250
	maxPillarPriority = 10
)

// File is the content of a workload file.
type File struct {
	Format   string                        `yaml:"format"`
	Workload Workload                      `yaml:"workload"`
	Answers  map[string]map[string]*Answer `yaml:"answers,omitempty"` // lens ID -> question ID -> answer
	// Evidence says which infrastructure code to scan for evidence about the answers.
	Evidence *EvidenceConfig `yaml:"evidence,omitempty"`
}

// EvidenceConfig is the evidence section of a workload file. Paths are relative to the workload file.
type EvidenceConfig struct {
	// Paths are files and directories of Terraform, Terraform plan JSON and CloudFormation to scan.
	Paths []string `yaml:"paths"`
	// Exclude lists glob patterns (** for any depth) of paths not to scan.
	Exclude []string `yaml:"exclude,omitempty"`
	// VarFiles are Terraform variable files to apply, after terraform.tfvars and *.auto.tfvars.
	VarFiles []string `yaml:"varFiles,omitempty"`
	// Suppressions is a suppression list file.
	Suppressions string `yaml:"suppressions,omitempty"`
	// PreferredRegions are the Regions resources should run in; resources elsewhere fail WL-AWS-004.
	PreferredRegions []string `yaml:"preferredRegions,omitempty"`
	// RequiredTags are the cost-allocation tag keys every AI resource must carry.
	RequiredTags []string `yaml:"requiredTags,omitempty"`
	// Region is assumed where the code does not say (CloudFormation); it defaults to the workload's only Region.
	Region string `yaml:"region,omitempty"`
	// Parameters are CloudFormation parameter values, for parameters without defaults or to override them.
	Parameters map[string]string `yaml:"parameters,omitempty"`
}

// Workload describes the system under review, with the fields the WA Tool keeps for a workload.
type Workload struct {
	Name                string            `yaml:"name" json:"name"`
	Description         string            `yaml:"description,omitempty" json:"description,omitempty"`
	Environment         string            `yaml:"environment,omitempty" json:"environment,omitempty"` // PRODUCTION or PREPRODUCTION
	Regions             []string          `yaml:"regions,omitempty" json:"regions,omitempty"`
	Owner               string            `yaml:"owner,omitempty" json:"owner,omitempty"`
	AccountIDs          []string          `yaml:"accountIds,omitempty" json:"accountIds,omitempty"`
	ArchitecturalDesign string            `yaml:"architecturalDesign,omitempty" json:"architecturalDesign,omitempty"`
	Industry            string            `yaml:"industry,omitempty" json:"industry,omitempty"`
	Lenses              []string          `yaml:"lenses" json:"lenses"`
	PillarPriorities    []string          `yaml:"pillarPriorities,omitempty" json:"pillarPriorities,omitempty"`
	Notes               string            `yaml:"notes,omitempty" json:"notes,omitempty"`
	Tags                map[string]string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// Answer is what the workload's team said about one question.
type Answer struct {
	// Selected lists the choices in place: a shorthand for status SELECTED in Choices.
	Selected []string `yaml:"selected,omitempty,flow"`
	// Choices gives a status, reason and notes per choice, for choices that need more than "selected".
	Choices map[string]ChoiceAnswer `yaml:"choices,omitempty"`
	// Applicable false marks the whole question as not applicable to the workload.
	Applicable *bool  `yaml:"applicable,omitempty"`
	Reason     Reason `yaml:"reason,omitempty"`
	Notes      string `yaml:"notes,omitempty"`
}

// ChoiceAnswer is the status of one choice, as in the WA Tool's ChoiceUpdate.
type ChoiceAnswer struct {
	Status ChoiceStatus `yaml:"status" json:"status"`
	Reason Reason       `yaml:"reason,omitempty" json:"reason,omitempty"`
	Notes  string       `yaml:"notes,omitempty" json:"notes,omitempty"`
}

// ChoiceStatus is SELECTED, NOT_APPLICABLE or UNSELECTED.
type ChoiceStatus string

const (
	Selected      ChoiceStatus = "SELECTED"
	NotApplicable ChoiceStatus = "NOT_APPLICABLE"
	Unselected    ChoiceStatus = "UNSELECTED"
)

// Reason explains why a choice or question is not applicable.
type Reason string

// Reasons lists the reasons the WA Tool accepts.
var Reasons = []Reason{"OUT_OF_SCOPE", "BUSINESS_PRIORITIES", "ARCHITECTURE_CONSTRAINTS", "OTHER", "NONE"}

var statuses = []string{string(Selected), string(NotApplicable), string(Unselected)}

// Review is a loaded workload file with its lenses resolved and its answers checked and normalised to canonical IDs.
type Review struct {
	Path     string // the workload file
	File     File
	Doc      *yamldoc.Doc // the parsed document, kept so edits can preserve comments and layout
	Lenses   []*lens.Lens
	Warnings diag.List
	// Evidence, when set, is what a scan of the workload's code found; Evaluate merges it with the answers.
	Evidence *Evidence

	answers map[string]map[string]*resolved // lens ID -> canonical question ID -> answer
}

// resolved is an answer with every ID replaced by the canonical one.
type resolved struct {
	Choices       map[string]ChoiceAnswer // canonical choice ID -> status
	NotApplicable bool
	Reason        Reason
	Notes         string
}

// FindFile turns a user's path argument into a workload file path: a directory means the walens.yaml inside it,
// and an empty argument means walens.yaml in the current directory.
func FindFile(arg string) string {
	if arg == "" {
		return DefaultFile
	}
	if st, err := os.Stat(arg); err == nil && st.IsDir() {
		return filepath.Join(arg, DefaultFile)
	}
	return arg
}

// Load reads a workload file and resolves it against the catalogue. Every problem in the file is reported at once,
// as a diag.List, with lines and suggestions.
func Load(path string, cat *lens.Catalog) (*Review, error) {
	data, err := readLimited(path, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, cat)
}

func readLimited(path string, limit int) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("workload file %s does not exist (create one with: walens review init)", path)
		}
		return nil, fmt.Errorf("read workload file: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory without a %s", path, DefaultFile)
	}
	if st.Size() > int64(limit) {
		return nil, fmt.Errorf("workload file %s is %d bytes; the limit is %d", path, st.Size(), limit)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read workload file: %w", err)
	}
	return data, nil
}

// Parse is Load for data already in memory; path is used in messages and to resolve relative lens paths.
func Parse(data []byte, path string, cat *lens.Catalog) (*Review, error) {
	r := &Review{Path: path}
	doc, err := yamldoc.DecodeFile(data, path, &r.File)
	if err != nil {
		if list, ok := err.(diag.List); ok {
			return nil, list
		}
		return nil, fmt.Errorf("read workload %s: %w", path, err)
	}
	r.Doc = doc
	var c diag.Collector
	r.check(&c, cat)
	c.List.Locate(path, doc.Pos)
	c.List.Sort()
	if err := c.List.Err(); err != nil {
		return nil, err
	}
	r.Warnings = c.List.Warnings()
	return r, nil
}

// Dir is the directory holding the workload file; milestones and relative lens paths live there.
func (r *Review) Dir() string { return filepath.Dir(r.Path) }

// Lens returns the review's lens with the given ID, or nil.
func (r *Review) Lens(id string) *lens.Lens {
	for _, l := range r.Lenses {
		if l.ID == id {
			return l
		}
	}
	return nil
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)

var tagKeyRE = regexp.MustCompile(`^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$`)

func (r *Review) check(c *diag.Collector, cat *lens.Catalog) {
	f := &r.File
	if f.Format != Format {
		if f.Format == "" {
			c.Errorf("format", "format is required; a workload file must say format: %s", Format)
		} else {
			c.Errorf("format", "format is %q; this version of walens reads %s", f.Format, Format)
		}
	}
	w := &f.Workload
	switch n := utf8.RuneCountInString(strings.TrimSpace(w.Name)); {
	case n == 0:
		c.Errorf("workload.name", "the workload needs a name")
	case n < 3 || n > maxWorkloadName:
		c.Errorf("workload.name", "name must be 3-%d characters (the WA Tool's limit); it is %d", maxWorkloadName, n)
	}
	if n := utf8.RuneCountInString(w.Description); n > maxDescription {
		c.Errorf("workload.description", "description is %d characters; the WA Tool's limit is %d", n, maxDescription)
	}
	if n := utf8.RuneCountInString(w.Owner); n > maxOwner {
		c.Errorf("workload.owner", "owner is %d characters; the limit is %d", n, maxOwner)
	}
	if w.Environment != "" && w.Environment != "PRODUCTION" && w.Environment != "PREPRODUCTION" {
		c.Errorf("workload.environment", "environment %q must be PRODUCTION or PREPRODUCTION", w.Environment).Suggest(w.Environment, []string{"PRODUCTION", "PREPRODUCTION"})
	}
	for k := range w.Tags {
		if !tagKeyRE.MatchString(k) {
			c.Errorf(diag.Key("workload.tags", k), "tag key %q must be 1-128 letters, digits, spaces or _.:/=+-@", k)
		}
	}

	// Lenses.
	if len(w.Lenses) == 0 {
		c.Errorf("workload.lenses", "list at least one lens; built-in lenses are %s", strings.Join(cat.BuiltinIDs(), ", "))
	}
	seen := map[string]bool{}
	for i, ref := range w.Lenses {
		p := diag.Index("workload.lenses", i)
		l, warnings, err := cat.Resolve(ref, r.Dir())
		if err != nil {
			if list, ok := err.(diag.List); ok {
				// Problems inside a lens file keep their own file and line.
				c.List = append(c.List, list...)
				c.Errorf(p, "lens file %s is invalid (see above)", ref)
				continue
			}
			c.Errorf(p, "%v", err)
			continue
		}
		c.List = append(c.List, warnings...)
		if seen[l.ID] {
			c.Errorf(p, "lens %q is listed twice", l.ID)
			continue
		}
		seen[l.ID] = true
		r.Lenses = append(r.Lenses, l)
	}

	// Pillar priorities name pillars (or focus areas) of the workload's lenses.
	var pillarIDs []string
	for _, l := range r.Lenses {
		for _, p := range l.Pillars {
			pillarIDs = append(pillarIDs, p.ID)
		}
	}
	if len(w.PillarPriorities) > 0 && len(r.Lenses) == len(w.Lenses) {
		prio := map[string]bool{}
		for i, id := range w.PillarPriorities {
			p := diag.Index("workload.pillarPriorities", i)
			switch {
			case !slices.Contains(pillarIDs, id):
				c.Errorf(p, "%q is not a pillar of the workload's lenses", id).Suggest(id, pillarIDs)
			case prio[id]:
				c.Errorf(p, "%q is listed twice", id)
			}
			prio[id] = true
		}
	}

	if ev := f.Evidence; ev != nil {
		if len(ev.Paths) == 0 {
			c.Errorf("evidence.paths", "list the files or directories of infrastructure code to scan")
		}
		for i, p := range ev.Paths {
			if strings.TrimSpace(p) == "" {
				c.Errorf(diag.Index("evidence.paths", i), "a path cannot be empty")
			}
		}
		for i, id := range ev.PreferredRegions {
			if !regionRE.MatchString(id) {
				c.Errorf(diag.Index("evidence.preferredRegions", i), "%q is not an AWS Region code like eu-north-1", id)
			}
		}
		if ev.Region != "" && !regionRE.MatchString(ev.Region) {
			c.Errorf("evidence.region", "%q is not an AWS Region code like eu-north-1", ev.Region)
		}
	}

	// Answers.
	r.answers = map[string]map[string]*resolved{}
	for lensID, questions := range f.Answers {
		lp := diag.Key("answers", lensID)
		l := r.Lens(lensID)
		if l == nil {
			if len(r.Lenses) == len(w.Lenses) {
				var ids []string
				for _, x := range r.Lenses {
					ids = append(ids, x.ID)
				}
				c.Errorf(lp, "answers for lens %q, which is not in workload.lenses", lensID).Suggest(lensID, ids)
			}
			continue
		}
		byQuestion := map[string]*resolved{}
		keyOf := map[string]string{}
		for qKey, a := range questions {
			qp := diag.Key(lp, qKey)
			ref := l.Question(qKey)
			if ref.Question == nil {
				c.Errorf(qp, "lens %q has no question %q", lensID, qKey).Suggest(qKey, l.QuestionNames())
				continue
			}
			q := ref.Question
			if prev, dup := keyOf[q.ID]; dup {
				c.Errorf(qp, "question %q is answered twice (also as %q)", q.ID, prev)
				continue
			}
			keyOf[q.ID] = qKey
			if a == nil {
				continue // "mlsec01:" with nothing under it is an unanswered question
			}
			byQuestion[q.ID] = resolveAnswer(c, qp, q, a)
		}
		r.answers[lensID] = byQuestion
	}
	r.checkSharedPractices(c)
}

// practiceAnswer is where a best practice (by its AWS ID) was answered.
type practiceAnswer struct {
	lens, question string
	done           bool
}

// practices maps each best-practice ref to its answers in answered, applicable questions of the review's lenses.
func (r *Review) practices() map[string][]practiceAnswer {
	out := map[string][]practiceAnswer{}
	for _, l := range r.Lenses {
		l.EachQuestion(func(_ *lens.Pillar, q *lens.Question) {
			a := r.answers[l.ID][q.ID]
			if a == nil || a.NotApplicable || !answered(a) {
				return
			}
			for _, c := range q.Choices {
				if c.Ref == "" || c.IsNone() {
					continue
				}
				s := a.Choices[c.ID].Status
				out[c.Ref] = append(out[c.Ref], practiceAnswer{l.ID, q.ID, s == Selected || s == NotApplicable})
			}
		})
	}
	return out
}

// checkSharedPractices warns when a best practice that appears in two of the review's lenses (an MLSUS practice
// in machine-learning and sustainability-ai, say) is in place according to one answer and missing in the other.
func (r *Review) checkSharedPractices(c *diag.Collector) {
	for ref, answers := range r.practices() {
		for _, a := range answers {
			if a.done {
				continue
			}
			for _, b := range answers {
				if b.done {
					c.Warnf(diag.Key(diag.Key("answers", a.lens), a.question),
						"%s is in place according to %s %s but not here; answer it the same way in both lenses", ref, b.lens, b.question)
					break
				}
			}
		}
	}
}

// PracticeElsewhere reports where else in the review a best practice is answered as in place, for hints while
// answering; it returns "" when nowhere.
func (r *Review) PracticeElsewhere(lensID, ref string) string {
	if ref == "" {
		return ""
	}
	for _, a := range r.practices()[ref] {
		if a.done && a.lens != lensID {
			return a.lens + " " + a.question
		}
	}
	return ""
}

func resolveAnswer(c *diag.Collector, path string, q *lens.Question, a *Answer) *resolved {
	res := &resolved{Choices: map[string]ChoiceAnswer{}, Reason: a.Reason, Notes: a.Notes}
	if a.Applicable != nil && !*a.Applicable {
		res.NotApplicable = true
	}
	if a.Reason != "" && !slices.Contains(Reasons, a.Reason) {
		c.Errorf(diag.Key(path, "reason"), "reason %q must be one of %s", a.Reason, reasonList()).Suggest(string(a.Reason), reasonStrings())
	}
	if n := utf8.RuneCountInString(a.Notes); n > maxQuestionNotes {
		c.Errorf(diag.Key(path, "notes"), "notes are %d characters; the limit is %d", n, maxQuestionNotes)
	}
	lookup := func(p, id string) *lens.Choice {
		ch := q.Choice(id)
		if ch == nil {
			c.Errorf(p, "question %q has no choice %q", q.ID, id).Suggest(id, q.ChoiceNames())
		}
		return ch
	}
	for i, id := range a.Selected {
		p := diag.Index(diag.Key(path, "selected"), i)
		ch := lookup(p, id)
		if ch == nil {
			continue
		}
		if _, dup := res.Choices[ch.ID]; dup {
			c.Errorf(p, "choice %q is selected twice", ch.ID)
		}
		res.Choices[ch.ID] = ChoiceAnswer{Status: Selected}
	}
	for id, ca := range a.Choices {
		p := diag.Key(diag.Key(path, "choices"), id)
		ch := lookup(p, id)
		if ch == nil {
			continue
		}
		if !slices.Contains(statuses, string(ca.Status)) {
			msg := fmt.Sprintf("status %q must be SELECTED, NOT_APPLICABLE or UNSELECTED", ca.Status)
			if ca.Status == "" {
				msg = "status is required: SELECTED, NOT_APPLICABLE or UNSELECTED"
			}
			c.Errorf(diag.Key(p, "status"), "%s", msg).Suggest(string(ca.Status), statuses)
			continue
		}
		if ca.Reason != "" && !slices.Contains(Reasons, ca.Reason) {
			c.Errorf(diag.Key(p, "reason"), "reason %q must be one of %s", ca.Reason, reasonList()).Suggest(string(ca.Reason), reasonStrings())
		}
		if n := utf8.RuneCountInString(ca.Notes); n > maxChoiceNotes {
			c.Errorf(diag.Key(p, "notes"), "notes are %d characters; the WA Tool's limit is %d", n, maxChoiceNotes)
		}
		if prev, dup := res.Choices[ch.ID]; dup && prev.Status != ca.Status {
			c.Errorf(p, "choice %q is listed under selected and here with status %s", ch.ID, ca.Status)
			continue
		}
		if ca.Status == NotApplicable && ch.IsNone() {
			c.Errorf(diag.Key(p, "status"), "the \"None of these\" choice cannot be not applicable; mark the question not applicable instead (applicable: false)")
			continue
		}
		res.Choices[ch.ID] = ca
	}
	if none := q.NoneChoice(); none != nil && res.Choices[none.ID].Status == Selected {
		for id, ca := range res.Choices {
			if id != none.ID && ca.Status == Selected {
				c.Errorf(diag.Key(path, "selected"), "%q (None of these) cannot be selected together with %q", none.ID, id)
				break
			}
		}
	}
	if res.NotApplicable && len(a.Selected) > 0 {
		c.Warnf(diag.Key(path, "applicable"), "the question is marked not applicable, so its selected choices are ignored")
	}
	return res
}
func reasonStrings() []string {
	out := make([]string, len(Reasons))
	for i, r := range Reasons {
		out[i] = string(r)
	}
	return out
}

func reasonList() string { return strings.Join(reasonStrings(), ", ") }
