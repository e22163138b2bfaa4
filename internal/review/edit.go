package review

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/lens"
)

// SetAnswer records an answer in the review's document, replacing any earlier answer to the same question (under
// its ID or any alias). Comments and the layout of the rest of the file are kept. A nil answer removes the entry.
// The change is only in memory until Save.
func (r *Review) SetAnswer(lensID, questionID string, a *Answer) error {
	l := r.Lens(lensID)
	if l == nil {
		return fmt.Errorf("set answer: lens %q is not part of this review", lensID)
	}
	if l.Question(questionID).Question == nil {
		return fmt.Errorf("set answer: lens %q has no question %q", lensID, questionID)
	}
	root := r.Doc.Root.Content[0]
	answers := mappingValue(root, "answers", true)
	lensNode := mappingValue(answers, lensID, a != nil)
	if lensNode == nil {
		return nil
	}
	for i := 0; i+1 < len(lensNode.Content); i += 2 {
		ref := l.Question(lensNode.Content[i].Value)
		if ref.Question == nil || ref.Question.ID != questionID {
			continue
		}
		if a == nil {
			lensNode.Content = append(lensNode.Content[:i], lensNode.Content[i+2:]...)
			return nil
		}
		var v yaml.Node
		if err := v.Encode(a); err != nil {
			return fmt.Errorf("encode answer: %w", err)
		}
		// Keep comments written above or beside the old answer.
		old := lensNode.Content[i+1]
		v.HeadComment, v.LineComment, v.FootComment = old.HeadComment, old.LineComment, old.FootComment
		lensNode.Content[i+1] = &v
		return nil
	}
	if a == nil {
		return nil
	}
	var v yaml.Node
	if err := v.Encode(a); err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	lensNode.Content = append(lensNode.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: questionID}, &v)
	return nil
}

// mappingValue returns the mapping stored under key in m, creating it (in block style) when create is set.
func mappingValue(m *yaml.Node, key string, create bool) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			continue
		}
		v := m.Content[i+1]
		if v.Kind != yaml.MappingNode {
			if !create {
				return nil
			}
			// "answers:" with nothing after it, or "answers: {}".
			*v = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: v.HeadComment, LineComment: v.LineComment, FootComment: v.FootComment}
		}
		if v.Style == yaml.FlowStyle && create {
			v.Style = 0
		}
		return v
	}
	if !create {
		return nil
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return v
}

// Encode renders the document as YAML.
func (r *Review) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(r.Doc.Root); err != nil {
		return nil, fmt.Errorf("encode workload %s: %w", r.Path, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode workload %s: %w", r.Path, err)
	}
	return separateSections(buf.Bytes()), nil
}

// separateSections puts one blank line before each top-level key after the first, and before the comments that
// lead into it. The YAML encoder drops blank lines, and without them a workload file reads as one dense block.
func separateSections(data []byte) []byte {
	lines := strings.Split(string(data), "\n")
	var out []string
	seenKey := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		topComment := strings.HasPrefix(line, "#")
		topKey := line != "" && !topComment && line[0] != ' ' && line[0] != '-'
		if (topComment || topKey) && seenKey && len(out) > 0 && out[len(out)-1] != "" {
			// A comment block belongs to the key below it; only separate blocks that start a section.
			j := i
			for j < len(lines) && strings.HasPrefix(lines[j], "#") {
				j++
			}
			if j < len(lines) && lines[j] != "" && lines[j][0] != ' ' && !strings.HasPrefix(out[len(out)-1], "#") {
				out = append(out, "")
			}
		}
		if topKey {
			seenKey = true
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

// Save checks the edited document by loading it again and, only if it is valid, replaces the workload file
// atomically. It returns the reloaded review, whose answers reflect the edits.
func (r *Review) Save(cat *lens.Catalog) (*Review, error) {
	data, err := r.Encode()
	if err != nil {
		return nil, err
	}
	fresh, err := Parse(data, r.Path, cat)
	if err != nil {
		return nil, fmt.Errorf("the edited workload would be invalid, so %s was left unchanged: %w", r.Path, err)
	}
	if err := atomicfile.WriteFile(r.Path, data, 0o644); err != nil {
		return nil, fmt.Errorf("save workload: %w", err)
	}
	return fresh, nil
}

// AnswerFor returns a copy of the answer recorded for a question, with canonical IDs, or nil when there is none.
func (r *Review) AnswerFor(lensID, questionID string) *Answer {
	res := r.answers[lensID][questionID]
	if res == nil {
		return nil
	}
	a := &Answer{Reason: res.Reason, Notes: res.Notes}
	if res.NotApplicable {
		f := false
		a.Applicable = &f
	}
	l := r.Lens(lensID)
	q := l.Question(questionID).Question
	for _, c := range q.Choices {
		ca, ok := res.Choices[c.ID]
		if !ok {
			continue
		}
		if ca.Status == Selected && ca.Reason == "" && ca.Notes == "" {
			a.Selected = append(a.Selected, c.ID)
			continue
		}
		if a.Choices == nil {
			a.Choices = map[string]ChoiceAnswer{}
		}
		a.Choices[c.ID] = ca
	}
	return a
}
