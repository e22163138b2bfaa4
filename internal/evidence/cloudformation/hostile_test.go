package cloudformation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// aliasBomb nests lists of ten aliases ten levels deep: a few hundred bytes that stand for 10^10 values.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("Resources:\n  Bomb:\n    Type: Custom::Bomb\n    Properties:\n      L0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "      L%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	return b.String()
}

// joinBomb doubles a string at every level through aliases of Fn::Join.
func joinBomb() string {
	var b strings.Builder
	b.WriteString("Resources:\n  Bomb:\n    Type: Custom::Bomb\n    Properties:\n      S0: &s0 !Join [\"\", [" + strings.Repeat("x", 1024) + "]]\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "      S%d: &s%d !Join [\"\", [*s%d, *s%d]]\n", i, i, i-1, i-1)
	}
	return b.String()
}

// nameChain declares buckets each named after the next one, n deep.
func nameChain(n int) string {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref B%d\n", i, i+1)
	}
	fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: last\n", n)
	return b.String()
}

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + "x" + strings.Repeat(close, n)
}

// TestHostileTemplates feeds templates built to exhaust time or memory: each must load quickly, without a panic,
// with a problem saying what limit it hit.
func TestHostileTemplates(t *testing.T) {
	prefix := "Resources:\n  R:\n    Type: Custom::R\n    Properties:\n      P: "
	for _, c := range []struct {
		name, file, src string
		want            string // in some problem's message
	}{
		{"alias bomb", "t.yaml", aliasBomb(), "more than"},
		{"join bomb", "t.yaml", joinBomb(), "longer than"},
		{"deep lists", "t.yaml", prefix + nested("[", "]", 2000) + "\n", "levels deep"},
		{"deep intrinsics", "t.yaml", prefix + strings.Repeat("{Fn::Base64: ", 600) + "x" + strings.Repeat("}", 600) + "\n", "levels deep"},
		{"deep json", "t.json", `{"Resources": {"R": {"Type": "Custom::R", "Properties": {"P": ` + nested("[", "]", 300) + `}}}}`, "nested deeper"},
		{"reference chain", "t.yaml", nameChain(400), "levels deep"},
		{"huge split", "t.yaml", prefix + "!Split [\",\", \"" + strings.Repeat("a,", 20000) + "\"]\n", "more than 10000 items"},
		{"huge list parameter", "t.yaml", "Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: \"" + strings.Repeat("a,", 20000) + "\"\n" + prefix + "!Ref L\n", "more than 10000 items"},
		{"self alias", "t.yaml", prefix + "&a [x, *a]\n", "refers to a value that contains it"},
		{"condition cycle", "t.yaml", "Conditions:\n  A: !Or [!Condition B, !Condition C]\n  B: !And [!Condition A]\n  C: !Not [!Condition B]\n" + prefix + "!If [A, x, y]\n", "depends on itself"},
		{"findinmap chain", "t.yaml", "Mappings:\n  M:\n    a: {b: a}\n" + prefix + strings.Repeat("!FindInMap [M, ", 300) + "a" + strings.Repeat(", b]", 300) + "\n", "levels deep"},
		{"name cycle", "t.yaml", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref B\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref A\n", "depends on itself"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			out := &evidence.Loaded{}
			loadTemplate(context.Background(), c.file, []byte(c.src), &evidence.Options{}, out)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if !hasProblem(out.Problems, c.want) {
				t.Errorf("no problem mentions %q: %v", c.want, out.Problems)
			}
			if _, err := json.Marshal(out.Resources); err != nil {
				t.Errorf("resources do not marshal: %v", err)
			}
		})
	}
}

func hasProblem(l diag.List, want string) bool {
	for _, p := range l {
		if strings.Contains(p.Message, want) {
			return true
		}
	}
	return false
}

// TestCancelled checks that a cancelled context stops evaluation of a long template.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := &evidence.Loaded{}
	loadTemplate(ctx, "t.yaml", []byte(aliasBomb()), &evidence.Options{}, out)
	if len(out.Resources) != 1 || hasProblem(out.Problems, "more than") {
		t.Errorf("resources %d, problems %v", len(out.Resources), out.Problems)
	}
}
