// Package riskrule parses and evaluates the risk-rule conditions of Well-Architected lenses.
//
// A condition is either the literal "default", which always matches, or a boolean expression over choice IDs:
//
//	expr    = or
//	or      = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | primary
//	primary = IDENT | "(" expr ")"
//
// IDENT is a choice ID made of ASCII letters, digits and underscores, the character set the AWS Well-Architected
// Tool allows for IDs. An identifier is true when the choice counts as done (see review.Evaluate).
package riskrule

import (
	"fmt"
	"strings"
)

// Limits keep hostile input from exhausting the stack or memory; real lenses stay far below them.
const (
	MaxLength = 4096
	MaxDepth  = 64
)

// Default is the condition that always matches.
const Default = "default"

// Expr is a parsed condition.
type Expr interface {
	// Eval reports whether the condition holds when isSet says which choices count as done.
	Eval(isSet func(id string) bool) bool
	// String renders the expression in canonical form, fully parenthesised where precedence needs it.
	String() string
	appendIdents(dst []string) []string
}

// Idents lists the identifiers an expression mentions, in order of first appearance, without duplicates.
func Idents(e Expr) []string {
	all := e.appendIdents(nil)
	seen := make(map[string]bool, len(all))
	out := all[:0]
	for _, id := range all {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// IsDefault reports whether e is the "default" condition.
func IsDefault(e Expr) bool {
	_, ok := e.(defaultExpr)
	return ok
}

type defaultExpr struct{}

func (defaultExpr) Eval(func(string) bool) bool      { return true }
func (defaultExpr) String() string                   { return Default }
func (defaultExpr) appendIdents(d []string) []string { return d }

type ident string

func (i ident) Eval(isSet func(string) bool) bool { return isSet(string(i)) }
func (i ident) String() string                    { return string(i) }
func (i ident) appendIdents(d []string) []string  { return append(d, string(i)) }

type not struct{ x Expr }

func (n not) Eval(isSet func(string) bool) bool { return !n.x.Eval(isSet) }
func (n not) String() string {
	if _, ok := n.x.(binary); ok {
		return "!(" + n.x.String() + ")"
	}
	return "!" + n.x.String()
}
func (n not) appendIdents(d []string) []string { return n.x.appendIdents(d) }

type binary struct {
	and  bool // false means ||
	l, r Expr
}

func (b binary) Eval(isSet func(string) bool) bool {
	if b.and {
		return b.l.Eval(isSet) && b.r.Eval(isSet)
	}
	return b.l.Eval(isSet) || b.r.Eval(isSet)
}

func (b binary) String() string {
	op := " || "
	if b.and {
		op = " && "
	}
	return b.side(b.l) + op + b.side(b.r)
}

// side parenthesises an || operand of an && so that the canonical form parses back to the same tree.
func (b binary) side(x Expr) string {
	if c, ok := x.(binary); ok && b.and && !c.and {
		return "(" + c.String() + ")"
	}
	return x.String()
}

func (b binary) appendIdents(d []string) []string { return b.r.appendIdents(b.l.appendIdents(d)) }

// SyntaxError describes where a condition fails to parse. Col is 1-based and counts bytes.
type SyntaxError struct {
	Col int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// Parse parses a condition.
func Parse(src string) (Expr, error) {
	if len(src) > MaxLength {
		return nil, &SyntaxError{Col: MaxLength + 1, Msg: fmt.Sprintf("condition is longer than %d characters", MaxLength)}
	}
	if strings.TrimSpace(src) == Default {
		return defaultExpr{}, nil
	}
	p := &parser{src: src}
	p.next()
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind == tokBad {
		return nil, p.badToken()
	}
	if p.tok.kind != tokEOF {
		return nil, p.errorf("unexpected %s after a complete expression", p.tok)
	}
	return e, nil
}

// MustParse is for conditions written in Go source, such as test tables; it panics on a syntax error.
func MustParse(src string) Expr {
	e, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return e
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokAnd
	tokOr
	tokNot
	tokLParen
	tokRParen
	tokBad
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of condition"
	case tokIdent:
		return fmt.Sprintf("identifier %q", t.text)
	case tokBad:
		return fmt.Sprintf("character %q", t.text)
	default:
		return fmt.Sprintf("%q", t.text)
	}
}

type parser struct {
	src string
	off int
	tok token
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Col: p.tok.pos + 1, Msg: fmt.Sprintf(format, args...)}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *parser) next() {
	for p.off < len(p.src) && (p.src[p.off] == ' ' || p.src[p.off] == '\t' || p.src[p.off] == '\n' || p.src[p.off] == '\r') {
		p.off++
	}
	start := p.off
	if p.off >= len(p.src) {
		p.tok = token{kind: tokEOF, pos: start}
		return
	}
	c := p.src[p.off]
	two := func(want byte, kind tokKind) {
		if p.off+1 < len(p.src) && p.src[p.off+1] == want {
			p.off += 2
			p.tok = token{kind: kind, text: p.src[start:p.off], pos: start}
			return
		}
		p.off++
		p.tok = token{kind: tokBad, text: string(c), pos: start}
	}
	switch {
	case c == '&':
		two('&', tokAnd)
	case c == '|':
		two('|', tokOr)
	case c == '!':
		p.off++
		p.tok = token{kind: tokNot, text: "!", pos: start}
	case c == '(':
		p.off++
		p.tok = token{kind: tokLParen, text: "(", pos: start}
	case c == ')':
		p.off++
		p.tok = token{kind: tokRParen, text: ")", pos: start}
	case isIdentByte(c):
		for p.off < len(p.src) && isIdentByte(p.src[p.off]) {
			p.off++
		}
		p.tok = token{kind: tokIdent, text: p.src[start:p.off], pos: start}
	default:
		// Report the whole rune, not a byte of it.
		r := []rune(p.src[start:])[0]
		p.off += len(string(r))
		p.tok = token{kind: tokBad, text: string(r), pos: start}
	}
}

func (p *parser) badToken() error {
	if p.tok.text == "&" || p.tok.text == "|" {
		return p.errorf("%s is not an operator; use %q", p.tok, p.tok.text+p.tok.text)
	}
	return p.errorf("unexpected %s; choice IDs use letters, digits and underscores", p.tok)
}

func (p *parser) or(depth int) (Expr, error) {
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokOr {
		p.next()
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l = binary{and: false, l: l, r: r}
	}
	return l, nil
}

func (p *parser) and(depth int) (Expr, error) {
	l, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokAnd {
		p.next()
		r, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		l = binary{and: true, l: l, r: r}
	}
	return l, nil
}

func (p *parser) unary(depth int) (Expr, error) {
	if depth > MaxDepth {
		return nil, p.errorf("condition nests deeper than %d levels", MaxDepth)
	}
	switch p.tok.kind {
	case tokNot:
		p.next()
		x, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return not{x: x}, nil
	case tokLParen:
		p.next()
		x, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			return nil, p.errorf("expected \")\" but found %s", p.tok)
		}
		p.next()
		return x, nil
	case tokIdent:
		if p.tok.text == Default {
			return nil, p.errorf("\"default\" must be the whole condition, not part of an expression")
		}
		id := ident(p.tok.text)
		p.next()
		return id, nil
	case tokEOF:
		return nil, p.errorf("expected a choice ID, \"!\" or \"(\" but the condition ended")
	case tokBad:
		return nil, p.badToken()
	default:
		return nil, p.errorf("expected a choice ID, \"!\" or \"(\" but found %s", p.tok)
	}
}
