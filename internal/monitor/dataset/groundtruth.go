package dataset

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// ReadGroundTruth reads ground-truth JSON Lines files (groundTruthData plus eventMetadata) into labels keyed by
// event ID, and by inference ID where one is given. Unreadable lines are skipped and returned. A label given
// twice for one event keeps the later one, as a correction would.
func ReadGroundTruth(ctx context.Context, paths []string, maxLine int) (map[string]string, []Skip, error) {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	files, err := Expand(paths)
	if err != nil {
		return nil, nil, fmt.Errorf("ground truth: %w", err)
	}
	labels := map[string]string{}
	var skips []Skip
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, fmt.Errorf("ground truth: %w", err)
		}
		br := bufio.NewReaderSize(f, 1<<16)
		for line := 1; ; line++ {
			data, _, tooLong, err := readLine(br, maxLine)
			if err != nil && !errors.Is(err, io.EOF) {
				f.Close()
				return nil, nil, fmt.Errorf("read %s: %w", path, err)
			}
			switch {
			case tooLong:
				skips = append(skips, Skip{path, line, fmt.Sprintf("line is longer than the %d-byte limit", maxLine)})
			case len(data) > 0:
				if reason := groundTruthLine(data, labels); reason != "" {
					skips = append(skips, Skip{path, line, reason})
				}
			}
			if errors.Is(err, io.EOF) {
				break
			}
		}
		f.Close()
	}
	return labels, skips, nil
}

func groundTruthLine(data []byte, labels map[string]string) string {
	var rec sagemaker.GroundTruthRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return "invalid ground-truth record: " + err.Error()
	}
	id := rec.EventMetadata.EventID
	if id == "" {
		id = rec.EventMetadata.InferenceID
	}
	if id == "" {
		return "ground-truth record has no eventMetadata.eventId or inferenceId"
	}
	p := lineParser{schema: newSchema()}
	recs, err := p.payload(&rec.GroundTruthData, "groundTruthData")
	if err != nil {
		return err.Error()
	}
	if len(recs) != 1 || len(recs[0]) == 0 {
		return fmt.Sprintf("groundTruthData holds %d records; one label is expected", len(recs))
	}
	label := prediction(recs[0])
	if rec.EventMetadata.EventID != "" {
		labels[rec.EventMetadata.EventID] = label
	}
	if rec.EventMetadata.InferenceID != "" {
		labels[rec.EventMetadata.InferenceID] = label
	}
	return ""
}
