package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/walens/walens/internal/atomicfile"
)

// State is what survives a restart: per schedule, the last scheduled time that was handled (run, or recorded
// as failed or missed) and the counters of the retraining policy.
type State struct {
	Schedules map[string]*ScheduleState `json:"schedules"`
}

// ScheduleState is one schedule's state.
type ScheduleState struct {
	LastScheduled         time.Time `json:"last_scheduled"`
	LastStatus            string    `json:"last_status,omitempty"`
	LastRunDir            string    `json:"last_run_dir,omitempty"`
	LastError             string    `json:"last_error,omitempty"`
	ConsecutiveDrift      int       `json:"consecutive_drift"`
	ConsecutiveViolations int       `json:"consecutive_violations"`
	Runs                  int       `json:"runs"`
	Failures              int       `json:"failures"`
	Missed                int       `json:"missed"`
	Retrains              int       `json:"retrains"`
}

func loadState(path string) (*State, error) {
	s := &State{Schedules: map[string]*ScheduleState{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	if err := json.Unmarshal(data, s); err != nil {
		// A corrupt state file must not be silently replaced: catch-up depends on it.
		return nil, fmt.Errorf("state file %s is not valid JSON (%v); fix or remove it", path, err)
	}
	if s.Schedules == nil {
		s.Schedules = map[string]*ScheduleState{}
	}
	return s, nil
}

func (s *State) save(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(data, '\n'), 0o644)
}

func (s *State) get(name string) *ScheduleState {
	st, ok := s.Schedules[name]
	if !ok {
		st = &ScheduleState{}
		s.Schedules[name] = st
	}
	return st
}
