// Command baseline is the floor the gateway benchmark compares against: net/http's own reverse proxy, forwarding
// every request to one upstream without reading it. Whatever a Go gateway built on net/http does per request
// (authentication, decoding, routing, metering, audit), it cannot cost less than this hop; bench/gateway/run.sh
// measures the latency it adds next to the gateway's.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18090", "address to listen on")
	upstream := flag.String("upstream", "http://127.0.0.1:28090", "base URL to forward to")
	flag.Parse()
	u, err := url.Parse(*upstream)
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline: -upstream:", err)
		os.Exit(2)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	// The same connection pool sizes as the gateway's transport.
	rp.Transport = &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}
	srv := &http.Server{Addr: *listen, Handler: rp, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}
