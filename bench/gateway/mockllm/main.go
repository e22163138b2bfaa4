// Command mockllm runs the mock model upstream of internal/mockllm on its own, for the gateway benchmark and for
// trying clients by hand. Flags map one to one onto mockllm.Options.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/walens/walens/internal/mockllm"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mockllm:", err)
		os.Exit(1)
	}
}

func run() error {
	var o mockllm.Options
	addr := flag.String("listen", "127.0.0.1:9090", "address to listen on")
	flag.DurationVar(&o.Latency, "latency", 0, "fixed delay before every model answer (first byte of a stream)")
	flag.DurationVar(&o.Jitter, "jitter", 0, "extra uniformly random delay in [0, jitter)")
	flag.Float64Var(&o.FailPercent, "fail-percent", 0, "share of model requests (0-100) that answer 500")
	flag.DurationVar(&o.RateLimitEvery, "ratelimit-every", 0, "open a 429 window at the start of every period this long")
	flag.DurationVar(&o.RateLimitFor, "ratelimit-for", 0, "length of each 429 window")
	flag.DurationVar(&o.RetryAfter, "retry-after", time.Second, "minimum Retry-After sent with 429s")
	flag.DurationVar(&o.FailAfter, "fail-after", 0, "start of a window, after start-up, in which every model request answers 500")
	flag.DurationVar(&o.FailFor, "fail-for", 0, "length of that window (0: none); POST /mock/fail?for=30s opens one at once")
	flag.IntVar(&o.Words, "words", 16, "words (completion tokens) per answer")
	flag.IntVar(&o.Chunks, "chunks", 4, "content chunks per stream")
	flag.DurationVar(&o.ChunkDelay, "chunk-delay", 0, "delay between stream chunks")
	flag.IntVar(&o.Dimensions, "dimensions", 8, "embedding vector length")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: mockllm.New(o), ReadHeaderTimeout: 10 * time.Second}
	slog.Info("mockllm listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
