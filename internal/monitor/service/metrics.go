package service

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/report"
)

// metrics are the Prometheus series, in a registry of their own (no global state).
type metrics struct {
	reg          *prometheus.Registry
	runs         *prometheus.CounterVec
	missed       *prometheus.CounterVec
	alerts       *prometheus.CounterVec
	retrains     *prometheus.CounterVec
	lastRun      *prometheus.GaugeVec
	lastSuccess  *prometheus.GaugeVec
	duration     *prometheus.GaugeVec
	records      *prometheus.GaugeVec
	skipped      *prometheus.GaugeVec
	violations   *prometheus.GaugeVec
	driftShare   *prometheus.GaugeVec
	featureStat  *prometheus.GaugeVec
	featureDrift *prometheus.GaugeVec
	modelMetric  *prometheus.GaugeVec
	consecutive  *prometheus.GaugeVec
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	const ns = "walens_monitor"
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help}, labels)
		m.reg.MustRegister(v)
		return v
	}
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: name, Help: help}, labels)
		m.reg.MustRegister(v)
		return v
	}
	m.runs = counter("runs_total", "Monitoring runs by outcome: clean, violations, incomplete or failed.", "schedule", "status")
	m.missed = counter("missed_runs_total", "Scheduled runs not run because they were older than the catch-up limit.", "schedule")
	m.alerts = counter("alerts_total", "Alert deliveries by outcome: sent or failed.", "alert", "outcome")
	m.retrains = counter("retrains_total", "Retraining actions by outcome: ok or failed.", "schedule", "outcome")
	m.lastRun = gauge("last_run_timestamp_seconds", "Scheduled time of the last run, whatever its outcome.", "schedule")
	m.lastSuccess = gauge("last_success_timestamp_seconds", "Scheduled time of the last run that completed (clean or with violations).", "schedule")
	m.duration = gauge("run_duration_seconds", "Wall-clock duration of the last run.", "schedule")
	m.records = gauge("records", "Records read by the last run.", "schedule")
	m.skipped = gauge("skipped_records", "Unreadable records in the last run.", "schedule")
	m.violations = gauge("violations", "Violations found by the last run, by check type.", "schedule", "check")
	m.driftShare = gauge("dataset_drift_share", "Share of features that drifted in the last run.", "schedule")
	m.featureStat = gauge("feature_drift_statistic", "Each drift test's statistic (or p-value for p-value tests) per feature in the last run.", "schedule", "feature", "test")
	m.featureDrift = gauge("feature_drifted", "1 when the feature's deciding test found drift in the last run.", "schedule", "feature")
	m.modelMetric = gauge("model_metric", "Model-quality metrics of the last run.", "schedule", "metric")
	m.consecutive = gauge("consecutive_drift_runs", "Runs in a row that found dataset drift.", "schedule")
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(schedule string, r *report.Report) {
	for _, v := range []*prometheus.GaugeVec{m.violations, m.featureStat, m.featureDrift, m.modelMetric} {
		v.DeletePartialMatch(prometheus.Labels{"schedule": schedule})
	}
	m.records.WithLabelValues(schedule).Set(float64(r.Rows))
	m.skipped.WithLabelValues(schedule).Set(float64(r.Skipped))
	counts := map[string]float64{}
	for _, v := range r.Violations {
		counts[v.ConstraintCheckType]++
	}
	for check, n := range counts {
		m.violations.WithLabelValues(schedule, check).Set(n)
	}
	m.driftShare.WithLabelValues(schedule).Set(r.Drift.Share)
	for _, f := range r.Drift.Features {
		for _, t := range f.Tests {
			v := t.Statistic
			if t.PValue != nil && t.Name != drift.TestSageMaker {
				v = *t.PValue
			}
			m.featureStat.WithLabelValues(schedule, f.Feature, t.Name).Set(v)
		}
		d := 0.0
		if f.Drifted {
			d = 1
		}
		m.featureDrift.WithLabelValues(schedule, f.Feature).Set(d)
	}
	if r.Quality != nil {
		for name, v := range r.Quality.Metrics {
			m.modelMetric.WithLabelValues(schedule, name).Set(v)
		}
	}
}
