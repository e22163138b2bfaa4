package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/walens/walens/internal/evidence"
)

// BenchmarkLoadTemplate parses and evaluates realistic templates: a SageMaker endpoint stack in YAML and a Bedrock
// agent stack in JSON.
func BenchmarkLoadTemplate(b *testing.B) {
	for _, name := range []string{"sagemaker-endpoint.yaml", "bedrock-agent.template"} {
		path := filepath.Join("testdata", "templates", name)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		opts := &evidence.Options{Region: "eu-west-1"}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				out := &evidence.Loaded{}
				loadTemplate(context.Background(), path, data, opts, out)
				if len(out.Resources) == 0 || len(out.Problems.Errors()) > 0 {
					b.Fatalf("resources %d, problems %v", len(out.Resources), out.Problems)
				}
			}
		})
	}
}
