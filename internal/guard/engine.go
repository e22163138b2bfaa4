package guard

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/walens/walens/internal/guard/classify"
	"github.com/walens/walens/internal/guard/grounding"
	"github.com/walens/walens/internal/guard/normalize"
	"github.com/walens/walens/internal/guard/pii"
	"github.com/walens/walens/internal/guard/topic"
	"github.com/walens/walens/internal/guard/words"
)

// Options configure an Engine. The zero value works offline: the embedded classifiers, the lexical topic matcher
// and the lexical grounding judge.
type Options struct {
	// Embedder, when set, matches denied topics by embedding similarity. The gateway supplies one built on a
	// configured embedding provider.
	Embedder topic.Embedder
	// Judge, when set, scores contextual grounding instead of the lexical judge.
	Judge grounding.Judge
	// Model replaces the embedded classifiers (for tests and experiments).
	Model *classify.Model
	// Logger receives warnings such as an embedding provider failing; nil discards them.
	Logger *slog.Logger
}

// Engine applies one compiled policy. It is safe for concurrent use; build one per policy version and share it.
type Engine struct {
	policy   *Policy
	maxBytes int
	decode   bool
	log      *slog.Logger

	model   *classify.Model
	content []contentRule

	topics     *topic.Detector
	topicRules []rule

	custom      *words.Matcher
	customRules []rule
	profanity   *words.Matcher
	profRule    *rule

	pii      *pii.Scanner
	piiRules map[pii.Type]rule
	regexes  []regexRule

	judge     grounding.Judge
	grounding []groundingRule
}

// direction is what a rule does for one source: whether it runs, and the action a detection takes (BLOCKED,
// ANONYMIZED or NONE for detect-only).
type direction struct {
	enabled bool
	action  string
}

type rule struct{ in, out direction }

func (r rule) on(src Source) direction {
	if src == Output {
		return r.out
	}
	return r.in
}

type contentRule struct {
	typ      string
	cat      int // index in the model
	strength [2]string
	rule     rule
}

type regexRule struct {
	name string
	re   *regexp.Regexp
	rule rule
}

type groundingRule struct {
	typ       string
	threshold float64
	rule      rule
}

func enabled(p *bool) bool { return p == nil || *p }

// act maps a configured action (BLOCK, ANONYMIZE, NONE; empty means fallback, then BLOCK) to a finding action.
func act(configured, fallback string) string {
	if configured == "" {
		configured = fallback
	}
	switch configured {
	case "NONE":
		return ActionNone
	case "ANONYMIZE":
		return ActionAnonymized
	}
	return ActionBlocked
}

// New compiles a policy. The policy must be valid (LoadPolicy validates; call Validate on policies built in code).
func New(p *Policy, opts Options) (*Engine, error) {
	if problems := p.Validate().Errors(); len(problems) > 0 {
		return nil, fmt.Errorf("invalid guardrail policy: %w", problems)
	}
	e := &Engine{policy: p, maxBytes: DefaultMaxTextBytes, decode: true, log: opts.Logger, judge: opts.Judge}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.judge == nil {
		e.judge = grounding.Lexical{}
	}
	topicThreshold, embThreshold := DefaultTopicThreshold, DefaultEmbeddingTopic
	if s := p.Walens; s != nil {
		if s.MaxTextBytes > 0 {
			e.maxBytes = s.MaxTextBytes
		}
		if s.DecodeEncoded != nil {
			e.decode = *s.DecodeEncoded
		}
		if s.TopicThreshold > 0 {
			topicThreshold = s.TopicThreshold
		}
		if s.EmbeddingTopicThreshold > 0 {
			embThreshold = s.EmbeddingTopicThreshold
		}
	}
	if cp := p.ContentPolicyConfig; cp != nil {
		e.model = opts.Model
		if e.model == nil {
			m, err := classify.Default()
			if err != nil {
				return nil, err
			}
			e.model = m
		}
		for _, f := range cp.FiltersConfig {
			cat := e.model.Index(classify.Category(f.Type))
			if cat < 0 {
				return nil, fmt.Errorf("the classifier model has no %s category", f.Type)
			}
			e.content = append(e.content, contentRule{typ: f.Type, cat: cat, strength: [2]string{f.InputStrength, f.OutputStrength},
				rule: rule{
					in:  direction{enabled(f.InputEnabled) && f.InputStrength != "NONE", act(f.InputAction, "BLOCK")},
					out: direction{enabled(f.OutputEnabled) && f.OutputStrength != "NONE" && f.Type != "PROMPT_ATTACK", act(f.OutputAction, "BLOCK")},
				}})
		}
	}
	if tp := p.TopicPolicyConfig; tp != nil {
		var ts []topic.Topic
		for _, t := range tp.TopicsConfig {
			ts = append(ts, topic.Topic{Name: t.Name, Definition: t.Definition, Examples: t.Examples})
			e.topicRules = append(e.topicRules, rule{
				in:  direction{enabled(t.InputEnabled), act(t.InputAction, "BLOCK")},
				out: direction{enabled(t.OutputEnabled), act(t.OutputAction, "BLOCK")},
			})
		}
		e.topics = topic.New(ts, topic.Options{Threshold: topicThreshold, Embedder: opts.Embedder, EmbeddingThreshold: embThreshold})
	}
	if wp := p.WordPolicyConfig; wp != nil {
		var list []string
		for _, w := range wp.WordsConfig {
			list = append(list, w.Text)
			e.customRules = append(e.customRules, rule{
				in:  direction{enabled(w.InputEnabled), act(w.InputAction, "BLOCK")},
				out: direction{enabled(w.OutputEnabled), act(w.OutputAction, "BLOCK")},
			})
		}
		e.custom = words.New(list)
		for _, m := range wp.ManagedWordListsConfig {
			_, e.profanity = words.Profanity()
			e.profRule = &rule{
				in:  direction{enabled(m.InputEnabled), act(m.InputAction, "BLOCK")},
				out: direction{enabled(m.OutputEnabled), act(m.OutputAction, "BLOCK")},
			}
		}
	}
	if sp := p.SensitiveInformationPolicyConfig; sp != nil {
		e.piiRules = map[pii.Type]rule{}
		var types []pii.Type
		for _, x := range sp.PiiEntitiesConfig {
			t := pii.Type(x.Type)
			types = append(types, t)
			e.piiRules[t] = rule{
				in:  direction{enabled(x.InputEnabled), act(x.InputAction, x.Action)},
				out: direction{enabled(x.OutputEnabled), act(x.OutputAction, x.Action)},
			}
		}
		if len(types) > 0 {
			e.pii = pii.New(types...)
		}
		for _, x := range sp.RegexesConfig {
			re, err := compileRegex(x.Pattern)
			if err != nil {
				return nil, fmt.Errorf("regex %q: %w", x.Name, err)
			}
			e.regexes = append(e.regexes, regexRule{name: x.Name, re: re, rule: rule{
				in:  direction{enabled(x.InputEnabled), act(x.InputAction, x.Action)},
				out: direction{enabled(x.OutputEnabled), act(x.OutputAction, x.Action)},
			}})
		}
	}
	if gp := p.ContextualGroundingPolicyConfig; gp != nil {
		for _, f := range gp.FiltersConfig {
			d := direction{enabled(f.Enabled), act(f.Action, "BLOCK")}
			// Grounding judges a model's answer, so it applies to output only.
			e.grounding = append(e.grounding, groundingRule{typ: f.Type, threshold: f.Threshold, rule: rule{out: d}})
		}
	}
	return e, nil
}

// Policy returns the policy the engine enforces.
func (e *Engine) Policy() *Policy { return e.policy }

// MaxTextBytes is the most text one call may check.
func (e *Engine) MaxTextBytes() int { return e.maxBytes }

// InputError is content the engine refuses to check: empty, too large or not UTF-8. The API answers it with a
// ValidationException.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// ApplyOptions qualify one call.
type ApplyOptions struct {
	// OutputScope FULL reports every evaluated filter and topic, detected or not; the default reports detections.
	OutputScope string
}

// Apply checks content from src against the policy and returns Bedrock's ApplyGuardrail response. Blocks
// qualified as grounding_source or query are references for contextual grounding and are not checked
// themselves; when any block is qualified guard_content, only those blocks are checked.
func (e *Engine) Apply(ctx context.Context, src Source, content []Content, opts ApplyOptions) (*Response, error) {
	start := time.Now()
	if src != Input && src != Output {
		return nil, &InputError{Msg: fmt.Sprintf("source must be INPUT or OUTPUT, not %q", src)}
	}
	if len(content) == 0 {
		return nil, &InputError{Msg: "content is empty"}
	}
	total := 0
	for i, c := range content {
		total += len(c.Text)
		if !utf8.ValidString(c.Text) {
			return nil, &InputError{Msg: fmt.Sprintf("content[%d] is not valid UTF-8", i)}
		}
		for _, q := range c.Qualifiers {
			if q != QualifierGroundingSource && q != QualifierQuery && q != QualifierGuardContent {
				return nil, &InputError{Msg: fmt.Sprintf("content[%d]: unknown qualifier %q", i, q)}
			}
		}
	}
	if total > e.maxBytes {
		return nil, &InputError{Msg: fmt.Sprintf("content holds %d bytes of text, more than this guardrail's limit of %d", total, e.maxBytes)}
	}
	guarded, sources, queries := splitContent(content)

	var acc accumulator
	acc.full = opts.OutputScope == OutputScopeFull
	texts := make([]string, len(guarded))
	chars, totalChars := 0, 0
	for _, c := range content {
		totalChars += utf8.RuneCountInString(c.Text)
	}
	for i, c := range guarded {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f := e.detect(ctx, src, c.Text, allDetectors)
		acc.add(f)
		texts[i] = anonymize(c.Text, f.spans)
		chars += utf8.RuneCountInString(c.Text)
	}
	if len(e.grounding) > 0 && src == Output && len(guarded) > 0 {
		if err := e.checkGrounding(ctx, &acc, sources, queries, guarded); err != nil {
			return nil, err
		}
	}
	resp := e.response(src, &acc, texts)
	units := textUnits(chars)
	resp.Usage = e.usage(units)
	cov := &Coverage{TextCharacters: &TextCoverage{Guarded: chars, Total: totalChars}}
	resp.Coverage = cov
	resp.Assessments[0].InvocationMetrics = &InvocationMetrics{
		GuardrailProcessingLatency: time.Since(start).Milliseconds(),
		Usage:                      &resp.Usage,
		GuardrailCoverage:          cov,
	}
	return resp, nil
}

func splitContent(content []Content) (guarded []Content, sources, queries []string) {
	explicit := slices.ContainsFunc(content, func(c Content) bool { return slices.Contains(c.Qualifiers, QualifierGuardContent) })
	for _, c := range content {
		isSource := slices.Contains(c.Qualifiers, QualifierGroundingSource)
		isQuery := slices.Contains(c.Qualifiers, QualifierQuery)
		if isSource {
			sources = append(sources, c.Text)
		}
		if isQuery {
			queries = append(queries, c.Text)
		}
		switch {
		case explicit && slices.Contains(c.Qualifiers, QualifierGuardContent):
			guarded = append(guarded, c)
		case !explicit && !isSource && !isQuery:
			guarded = append(guarded, c)
		}
	}
	return guarded, sources, queries
}

// textUnits counts Bedrock text units: up to 1,000 characters each.
func textUnits(chars int) int { return (chars + 999) / 1000 }

func (e *Engine) usage(units int) Usage {
	var u Usage
	p := e.policy
	if p.TopicPolicyConfig != nil {
		u.TopicPolicyUnits = units
	}
	if p.ContentPolicyConfig != nil {
		u.ContentPolicyUnits = units
	}
	if p.WordPolicyConfig != nil {
		u.WordPolicyUnits = units
	}
	if sp := p.SensitiveInformationPolicyConfig; sp != nil {
		if len(sp.PiiEntitiesConfig) > 0 {
			u.SensitiveInformationPolicyUnits = units
		} else {
			u.SensitiveInformationPolicyFreeUnits = units
		}
	}
	if len(e.grounding) > 0 {
		u.ContextualGroundingPolicyUnits = units
	}
	return u
}

// span is a part of the input to replace with {LABEL} when anonymising.
type span struct {
	start, end int
	label      string
}

// findings are what the detectors found in one text.
type findings struct {
	content []ContentFinding
	topics  []TopicFinding
	custom  []WordFinding
	managed []ManagedWordFinding
	pii     []PIIFinding
	regexes []RegexFinding
	spans   []span
	blocked bool
}

func (f *findings) action(a string) {
	if a == ActionBlocked {
		f.blocked = true
	}
}

// view is a text the detectors read: the input itself or text decoded from part of it. Spans found in a decoded
// view map to the whole encoded segment.
type view struct {
	canon  *normalize.Text
	folded *normalize.Text
	words  words.Words        // the folded view's words, split once for every word list
	seg    *normalize.Segment // nil for the input itself
}

func (v view) orig(start, end int) (int, int) {
	if v.seg != nil {
		return v.seg.Start, v.seg.End
	}
	return v.canon.Orig(start, end)
}

func (e *Engine) views(text string, which detectors) []view {
	c := normalize.Canonical(text)
	vs := []view{{canon: c, folded: normalize.FoldCanonical(c)}}
	if e.decode {
		for _, s := range normalize.Decode(c) {
			sc := normalize.Canonical(s.Text)
			vs = append(vs, view{canon: sc, folded: normalize.FoldCanonical(sc), seg: &s})
		}
	}
	if which&deterministic != 0 && (e.custom != nil || e.profanity != nil) {
		for i := range vs {
			vs[i].words = words.Split(vs[i].folded)
		}
	}
	return vs
}

// detectors selects groups of detectors: the deterministic ones (PII, regexes, words), which only need a little
// context, and the models (classifiers, denied topics), which read a whole window.
type detectors int

const (
	deterministic detectors = 1 << iota
	models
	allDetectors = deterministic | models
)

// detect runs the detectors of the policy that apply to src over one text.
func (e *Engine) detect(ctx context.Context, src Source, text string, which detectors) *findings {
	f := &findings{}
	vs := e.views(text, which)
	if which&models != 0 {
		e.detectContent(src, vs, f)
		e.detectTopics(ctx, src, vs, f)
	}
	if which&deterministic != 0 {
		e.detectWords(src, text, vs, f)
		e.detectSensitive(src, text, vs, f)
	}
	return f
}

// strengthMin is the lowest confidence a filter of each strength acts on: HIGH acts from LOW confidence up, LOW
// only on HIGH confidence, as in Bedrock.
var strengthMin = map[string]classify.Confidence{"LOW": classify.High, "MEDIUM": classify.Medium, "HIGH": classify.Low}

func (e *Engine) detectContent(src Source, vs []view, f *findings) {
	active := slices.ContainsFunc(e.content, func(r contentRule) bool { return r.rule.on(src).enabled })
	if !active {
		return
	}
	scores := make([]float64, len(e.model.Categories))
	for _, v := range vs {
		for i, s := range e.model.Scores(v.folded.S) {
			scores[i] = max(scores[i], s)
		}
	}
	for _, r := range e.content {
		d := r.rule.on(src)
		if !d.enabled {
			continue
		}
		strength := r.strength[0]
		if src == Output {
			strength = r.strength[1]
		}
		conf := e.model.Confidence(r.cat, scores[r.cat])
		detected := conf != classify.None && conf >= strengthMin[strength]
		action := ActionNone
		if detected {
			action = d.action
			f.action(action)
		}
		f.content = append(f.content, ContentFinding{Type: r.typ, Confidence: conf.String(), FilterStrength: strength, Action: action, Detected: detected})
	}
}

func (e *Engine) detectTopics(ctx context.Context, src Source, vs []view, f *findings) {
	if e.topics == nil {
		return
	}
	hit := map[int]bool{}
	for _, v := range vs {
		ms, err := e.topics.Detect(ctx, v.folded.S)
		if err != nil {
			e.log.Warn("guardrail topic detection degraded", "guardrail", e.policy.Name, "err", err)
		}
		for _, m := range ms {
			hit[m.Topic] = true
		}
	}
	for i, t := range e.policy.TopicPolicyConfig.TopicsConfig {
		d := e.topicRules[i].on(src)
		if !d.enabled {
			continue
		}
		action := ActionNone
		if hit[i] {
			action = d.action
			f.action(action)
		}
		f.topics = append(f.topics, TopicFinding{Name: t.Name, Type: "DENY", Action: action, Detected: hit[i]})
	}
}

func (e *Engine) detectWords(src Source, text string, vs []view, f *findings) {
	if e.custom != nil {
		seen := map[int]bool{}
		for _, v := range vs {
			for _, m := range e.custom.FindWords(v.folded, v.words, false) {
				d := e.customRules[m.ID].on(src)
				if !d.enabled || seen[m.ID] {
					continue
				}
				seen[m.ID] = true
				f.action(d.action)
				f.custom = append(f.custom, WordFinding{Match: e.policy.WordPolicyConfig.WordsConfig[m.ID].Text, Action: d.action, Detected: true})
			}
		}
	}
	if e.profanity != nil && e.profRule.on(src).enabled {
		d := e.profRule.on(src)
		seen := map[string]bool{}
		for _, v := range vs {
			for _, m := range e.profanity.FindWords(v.folded, v.words, true) {
				// In decoded text, report the decoded word rather than the encoding around it.
				match := text[m.Start:m.End]
				if v.seg != nil {
					match = v.seg.Text[m.Start:m.End]
				}
				if seen[match] {
					continue
				}
				seen[match] = true
				f.action(d.action)
				f.managed = append(f.managed, ManagedWordFinding{Match: match, Type: "PROFANITY", Action: d.action, Detected: true})
			}
		}
	}
}

func (e *Engine) detectSensitive(src Source, text string, vs []view, f *findings) {
	if e.pii != nil {
		for _, v := range vs {
			for _, x := range e.pii.Scan(v.canon.S) {
				d := e.piiRules[x.Type].on(src)
				if !d.enabled {
					continue
				}
				s, end := v.orig(x.Start, x.End)
				match := text[s:end]
				if v.seg != nil {
					match = v.canon.S[x.Start:x.End]
				}
				f.pii = append(f.pii, PIIFinding{Match: match, Type: string(x.Type), Action: d.action, Detected: true})
				f.action(d.action)
				if d.action == ActionAnonymized {
					f.spans = append(f.spans, span{s, end, string(x.Type)})
				}
			}
		}
	}
	for _, r := range e.regexes {
		d := r.rule.on(src)
		if !d.enabled {
			continue
		}
		for _, v := range vs {
			for _, loc := range r.re.FindAllStringIndex(v.canon.S, maxRegexMatches) {
				if loc[0] == loc[1] {
					continue // an empty match says nothing
				}
				s, end := v.orig(loc[0], loc[1])
				match := text[s:end]
				if v.seg != nil {
					match = v.canon.S[loc[0]:loc[1]]
				}
				f.regexes = append(f.regexes, RegexFinding{Name: r.name, Match: match, Regex: r.re.String(), Action: d.action, Detected: true})
				f.action(d.action)
				if d.action == ActionAnonymized {
					f.spans = append(f.spans, span{s, end, r.name})
				}
			}
		}
	}
}

// maxRegexMatches bounds the matches of one pattern reported per view.
const maxRegexMatches = 1000

func (e *Engine) checkGrounding(ctx context.Context, acc *accumulator, sources, queries []string, guarded []Content) error {
	active := slices.ContainsFunc(e.grounding, func(r groundingRule) bool { return r.rule.out.enabled })
	if !active {
		return nil
	}
	if len(sources) == 0 || len(queries) == 0 {
		// Bedrock needs both to judge; without them there is nothing to compare, so nothing is reported.
		return nil
	}
	var resp []string
	for _, c := range guarded {
		resp = append(resp, c.Text)
	}
	req := grounding.Request{Source: strings.Join(sources, "\n"), Query: strings.Join(queries, "\n"), Response: strings.Join(resp, "\n")}
	scores, err := e.judge.Score(ctx, req)
	if err != nil {
		if _, lexical := e.judge.(grounding.Lexical); lexical {
			return err
		}
		e.log.Warn("guardrail grounding judge failed; used the lexical judge", "guardrail", e.policy.Name, "err", err)
		scores, _ = grounding.Lexical{}.Score(ctx, req)
	}
	for _, r := range e.grounding {
		if !r.rule.out.enabled {
			continue
		}
		score := scores.Grounding
		if r.typ == "RELEVANCE" {
			score = scores.Relevance
		}
		score = float64(int(score*100+0.5)) / 100
		detected := score < r.threshold
		action := ActionNone
		if detected {
			action = r.rule.out.action
			if action == ActionBlocked {
				acc.blocked = true
			}
		}
		acc.grounding = append(acc.grounding, GroundingFinding{Type: r.typ, Threshold: r.threshold, Score: score, Action: action, Detected: detected})
	}
	return nil
}

// anonymize replaces spans with {LABEL}. Overlapping spans merge; the first-starting (then longest) names it.
func anonymize(text string, spans []span) string {
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	var b strings.Builder
	b.Grow(len(text) + 16*len(spans))
	pos := 0
	for i := 0; i < len(spans); {
		s := spans[i]
		end := s.end
		j := i + 1
		for j < len(spans) && spans[j].start < end {
			end = max(end, spans[j].end)
			j++
		}
		if s.start < pos {
			s.start = pos
		}
		b.WriteString(text[pos:s.start])
		b.WriteString("{" + s.label + "}")
		pos = end
		i = j
	}
	b.WriteString(text[pos:])
	return b.String()
}

// accumulator merges the findings of several guarded blocks into one assessment.
type accumulator struct {
	full      bool
	content   map[string]ContentFinding
	order     []string
	topics    []TopicFinding
	custom    []WordFinding
	managed   []ManagedWordFinding
	pii       []PIIFinding
	regexes   []RegexFinding
	grounding []GroundingFinding
	blocked   bool
	anonymize bool
}

var confidenceRank = map[string]int{"NONE": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}

func (a *accumulator) add(f *findings) {
	if a.content == nil {
		a.content = map[string]ContentFinding{}
	}
	for _, c := range f.content {
		old, ok := a.content[c.Type]
		if !ok {
			a.order = append(a.order, c.Type)
		}
		if !ok || c.Detected && !old.Detected || confidenceRank[c.Confidence] > confidenceRank[old.Confidence] && c.Detected == old.Detected {
			a.content[c.Type] = c
		}
	}
	for _, t := range f.topics {
		if i := slices.IndexFunc(a.topics, func(x TopicFinding) bool { return x.Name == t.Name }); i >= 0 {
			if t.Detected {
				a.topics[i] = t
			}
			continue
		}
		a.topics = append(a.topics, t)
	}
	a.custom = append(a.custom, f.custom...)
	a.managed = append(a.managed, f.managed...)
	a.pii = append(a.pii, f.pii...)
	a.regexes = append(a.regexes, f.regexes...)
	a.blocked = a.blocked || f.blocked
	a.anonymize = a.anonymize || len(f.spans) > 0
}

func (e *Engine) response(src Source, a *accumulator, texts []string) *Response {
	var as Assessment
	keep := func(detected bool) bool { return detected || a.full }
	var cf []ContentFinding
	for _, t := range a.order {
		if c := a.content[t]; keep(c.Detected) {
			cf = append(cf, c)
		}
	}
	if len(cf) > 0 {
		as.ContentPolicy = &ContentAssessment{Filters: cf}
	}
	var tf []TopicFinding
	for _, t := range a.topics {
		if keep(t.Detected) {
			tf = append(tf, t)
		}
	}
	if len(tf) > 0 {
		as.TopicPolicy = &TopicAssessment{Topics: tf}
	}
	if len(a.custom)+len(a.managed) > 0 {
		as.WordPolicy = &WordAssessment{CustomWords: nonNil(a.custom), ManagedWordLists: nonNil(a.managed)}
	}
	if len(a.pii)+len(a.regexes) > 0 {
		as.SensitiveInformationPolicy = &SensitiveAssessment{PiiEntities: nonNil(a.pii), Regexes: nonNil(a.regexes)}
	}
	if len(a.grounding) > 0 {
		as.ContextualGroundingPolicy = &GroundingAssessment{Filters: a.grounding}
	}
	r := &Response{Action: ActionNone, Outputs: []OutputContent{}, Assessments: []Assessment{as}}
	switch {
	case a.blocked:
		r.Action, r.Blocked = ActionIntervened, true
		r.ActionReason = "Guardrail blocked."
		msg := e.policy.BlockedInputMessaging
		if src == Output {
			msg = e.policy.BlockedOutputsMessaging
		}
		r.Outputs = []OutputContent{{Text: msg}}
	case a.anonymize:
		r.Action = ActionIntervened
		r.ActionReason = "Guardrail masked."
		for _, t := range texts {
			r.Outputs = append(r.Outputs, OutputContent{Text: t})
		}
	}
	return r
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
