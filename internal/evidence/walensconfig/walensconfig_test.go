package walensconfig

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/walens/walens/internal/evidence"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		path, head string
		want       bool
	}{
		{"monitor.yaml", "listen: :9464\nschedules:\n  - name: a\n    cron: \"0 * * * *\"\n    baseline: b\n", true},
		{"monitor.yml", "schedules:\n- cron: x\n  baseline: y\n", true},
		{"monitor.json", "schedules:\n- cron: x\n  baseline: y\n", false},
		{"walens.yaml", "format: walens-workload/v1\nworkload:\n  name: x\n", false},
		{"template.yaml", "AWSTemplateFormatVersion: 2010-09-09\nschedules:\n- cron: x\n  baseline: y\n", false},
		{"ci.yaml", "on:\n  schedule:\n    - cron: '0 * * * *'\n", false},
	} {
		if got := (Source{}).Match(c.path, []byte(c.head)); got != c.want {
			t.Errorf("Match(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}

func loadFile(t *testing.T, content string) *evidence.Loaded {
	t.Helper()
	path := filepath.Join(t.TempDir(), "monitor.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return (Source{}).Units([]string{path}, &evidence.Options{})[0].Load(context.Background())
}

func TestLoadSchedules(t *testing.T) {
	l := loadFile(t, `schedules:
  - name: hourly
    cron: cron(0 * ? * * *)
    baseline: baselines/fraud
    data: [captures/fraud]
    retrain: {consecutive_drift_runs: 3, command: [./retrain.sh]}
  - cron: "0 6 * * *"
    baseline: baselines/fraud
`)
	if len(l.Problems) > 0 || len(l.Resources) != 2 {
		t.Fatalf("problems %v, %d resources", l.Problems, len(l.Resources))
	}
	r := l.Resources[0]
	if r.Type != ScheduleType || r.Address != "schedules.hourly" || r.Pos.Line != 2 || r.Pos.Col != 5 {
		t.Errorf("resource %+v", r)
	}
	if n, _ := r.Attr("retrain", "consecutive_drift_runs").Num(); n != 3 {
		t.Errorf("retrain runs = %v", n)
	}
	if l.Resources[1].Address != "schedules.(unnamed)" {
		t.Errorf("unnamed schedule: %s", l.Resources[1].Address)
	}
}

func TestLoadInvalidYAML(t *testing.T) {
	l := loadFile(t, "schedules:\n  - name: a\n    cron: [unclosed\n")
	if len(l.Problems) == 0 || !strings.Contains(l.Problems[0].Message, "invalid YAML") || l.Problems[0].Line == 0 {
		t.Fatalf("problems: %v", l.Problems)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add("schedules:\n  - name: a\n    cron: x\n    baseline: b\n")
	f.Add("a: &x [*x]\nschedules: *x\n")
	f.Add("format: walens-gateway/v1\nmodels:\n  chat: {targets: [{model: x}]}\nkeys: [{id: a}, 3, null]\nproviders: [1]\n")
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(t.TempDir(), "m.yaml")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		l := (Source{}).Units([]string{path}, &evidence.Options{})[0].Load(context.Background())
		for _, r := range l.Resources {
			if r.Address == "" || r.Attrs.K() != evidence.Object {
				t.Fatalf("bad resource %+v", r)
			}
		}
	})
}

func TestLoadGateway(t *testing.T) {
	l := loadFile(t, `format: walens-gateway/v1
providers:
  openai: {kind: openai, base_url: "https://api.openai.com/v1", api_key: "${OPENAI_API_KEY}"}
models:
  chat:
    targets: [{provider: openai, model: gpt-4o-mini}]
keys:
  - id: team-a
    rpm: 10
  - rpm: 5
`)
	if len(l.Problems) > 0 {
		t.Fatal(l.Problems)
	}
	var got []string
	for _, r := range l.Resources {
		got = append(got, r.Type+" "+r.Address+" "+strconv.Itoa(r.Pos.Line))
	}
	want := []string{
		"walens_gateway gateway 1", "walens_gateway_provider providers.openai 3", "walens_gateway_model models.chat 6",
		"walens_gateway_key keys.team-a 8", "walens_gateway_key keys.[1] 10",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMatchGateway(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{"format: walens-gateway/v1\n", true},
		{"# comment\nformat: \"walens-gateway/v1\" # v1\nlisten: :8080\n", true},
		{"format: walens-gateway/v2\n", false},
		{"  format: walens-gateway/v1\n", false},
	} {
		if got := (Source{}).Match("gateway.yaml", []byte(c.head)); got != c.want {
			t.Errorf("Match(%q) = %v, want %v", c.head, got, c.want)
		}
	}
}
