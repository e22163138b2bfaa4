package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/provider"
)

// sse writes server-sent events to the client and remembers whether the client is gone.
type sse struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
	err     error
	buf     []byte
}

func newSSE(w http.ResponseWriter) *sse { return &sse{w: w, rc: http.NewResponseController(w)} }

func (s *sse) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	s.w.WriteHeader(http.StatusOK)
}

func (s *sse) data(b []byte) {
	if s.err != nil {
		return
	}
	s.start()
	s.buf = append(s.buf[:0], "data: "...)
	s.buf = append(s.buf, b...)
	s.buf = append(s.buf, "\n\n"...)
	if _, err := s.w.Write(s.buf); err != nil {
		s.err = err
		return
	}
	s.err = s.rc.Flush()
}

func (s *sse) chunk(c *provider.Chunk) {
	b, err := json.Marshal(c)
	if err != nil {
		s.err = err
		return
	}
	s.data(b)
}

func (s *sse) done() { s.data([]byte("[DONE]")) }

// errorEvent ends a stream that already started with an OpenAI-style error in the data field, which the SDKs
// raise as an error.
func (s *sse) errorEvent(e *apiError) {
	b, _ := json.Marshal(e.Body())
	s.data(b)
}

// streamChat serves a streaming completion and returns the assembled answer for capture (nil when not captured).
func (g *Gateway) streamChat(ctx context.Context, w http.ResponseWriter, c *call, rt *route, req *provider.ChatRequest) []byte {
	wantUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	out := rt.out
	var s *openStream
	var err error
	for depth := 0; ; depth++ {
		s, err = g.stream(ctx, c.st, rt, req, &c.tr)
		next := g.degradedRoute(c, rt, err, depth)
		if next == nil {
			break
		}
		rt = next
	}
	if err != nil {
		if msg, ok := g.degradedMessage(c, rt, err); ok {
			w.Header().Set("X-Walens-Degraded", "true")
			return g.answerStatic(w, c, req, msg, "stop")
		}
		c.fail(w, upstreamError(err))
		return nil
	}
	defer s.Close()
	if c.degraded {
		w.Header().Set("X-Walens-Degraded", "true")
	}

	sw := newSSE(w)
	var acc assembled
	guards := map[int]*guard.Stream{}
	blocked := false
	chunk, err := s.Recv() // the first held chunk: it is there
	if err != nil {
		c.fail(w, upstreamError(err))
		return nil
	}
	for {
		if chunk.Usage != nil {
			u := *chunk.Usage
			c.usage = &u
		}
		chunk.Model = req.Model
		if out != nil {
			var e *apiError
			if blocked, e = g.guardChunk(ctx, c, out, guards, chunk, blocked); e != nil {
				sw.errorEvent(e)
				c.status, c.errCode = e.Status, e.Code
				return acc.json(c.capture)
			}
		}
		acc.add(chunk) // after the guardrail: capture keeps what the client saw
		if !wantUsage {
			chunk.Usage = nil
		}
		if len(chunk.Choices) > 0 || chunk.Usage != nil {
			if c.ttft == 0 {
				c.ttft = g.opts.Now().Sub(c.start)
			}
			sw.chunk(chunk)
		}
		if sw.err != nil {
			// The client went away: stop reading upstream (the deferred Close cancels it).
			c.status, c.errCode = 499, "client_cancelled"
			return acc.json(c.capture)
		}
		chunk, err = s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			e := upstreamError(err)
			if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
				c.status, c.errCode = 499, "client_cancelled"
				return acc.json(c.capture)
			}
			// The client already has part of the answer: failing over now would repeat or contradict it.
			sw.errorEvent(e)
			c.status, c.errCode = e.Status, e.Code
			return acc.json(c.capture)
		}
	}
	sw.done()
	return acc.json(c.capture)
}

// guardChunk passes a chunk's content through the output guardrail of its choice: text is held back until the
// guardrail has seen enough after it, anonymised entities are replaced, and a block replaces the rest of the
// answer with the blocked message. Chunks after a block carry no content (usage still flows for metering).
func (g *Gateway) guardChunk(ctx context.Context, c *call, e *guard.Engine, guards map[int]*guard.Stream, chunk *provider.Chunk, blocked bool) (bool, *apiError) {
	kept := chunk.Choices[:0]
	for _, ch := range chunk.Choices {
		if blocked {
			continue
		}
		gs := guards[ch.Index]
		if gs == nil {
			gs = e.NewStream(ctx, guard.StreamOptions{})
			guards[ch.Index] = gs
		}
		if ch.Delta.Content != nil {
			rel, b, err := gs.Write(*ch.Delta.Content)
			if err != nil {
				return blocked, guardError(err)
			}
			if b != nil {
				c.guards = append(c.guards, e.Audit(g.opts.Now(), guard.Output, b))
				msg := firstText(b)
				fin := "content_filter"
				ch.Delta = provider.Delta{Content: &msg}
				ch.FinishReason = &fin
				kept = append(kept, ch)
				blocked = true
				continue
			}
			ch.Delta.Content = &rel
		}
		if ch.FinishReason != nil {
			rel, final, err := gs.Close()
			delete(guards, ch.Index)
			if err != nil {
				return blocked, guardError(err)
			}
			if final != nil {
				c.guards = append(c.guards, e.Audit(g.opts.Now(), guard.Output, final))
				if final.Blocked {
					// Caught only on the whole text: what was released is out; withhold the rest.
					msg := firstText(final)
					rel = strings.TrimSpace(rel + "\n\n" + msg)
					fin := "content_filter"
					ch.FinishReason = &fin
				}
			}
			prev := ""
			if ch.Delta.Content != nil {
				prev = *ch.Delta.Content
			}
			all := prev + rel
			ch.Delta.Content = &all
		}
		if ch.Delta.Content != nil && *ch.Delta.Content == "" && ch.FinishReason == nil && ch.Delta.Role == "" && len(ch.Delta.ToolCalls) == 0 && ch.Delta.Refusal == nil {
			continue // nothing released yet
		}
		kept = append(kept, ch)
	}
	chunk.Choices = kept
	return blocked, nil
}

// assembled rebuilds a streamed answer for payload capture.
type assembled struct {
	text   map[int]*strings.Builder
	finish map[int]string
	usage  *provider.Usage
}

func (a *assembled) add(c *provider.Chunk) {
	if c.Usage != nil {
		a.usage = c.Usage
	}
	for _, ch := range c.Choices {
		if a.text == nil {
			a.text, a.finish = map[int]*strings.Builder{}, map[int]string{}
		}
		b := a.text[ch.Index]
		if b == nil {
			b = &strings.Builder{}
			a.text[ch.Index] = b
		}
		if ch.Delta.Content != nil {
			b.WriteString(*ch.Delta.Content)
		}
		for _, tc := range ch.Delta.ToolCalls {
			if tc.Function.Name != "" {
				b.WriteString("[tool_call " + tc.Function.Name + "] ")
			}
			b.WriteString(tc.Function.Arguments)
		}
		if ch.FinishReason != nil {
			a.finish[ch.Index] = *ch.FinishReason
		}
	}
}

func (a *assembled) json(captured bool) []byte {
	if !captured {
		return nil
	}
	type choice struct {
		Index        int    `json:"index"`
		Content      string `json:"content"`
		FinishReason string `json:"finish_reason,omitempty"`
	}
	out := struct {
		Object  string          `json:"object"`
		Choices []choice        `json:"choices"`
		Usage   *provider.Usage `json:"usage,omitempty"`
	}{Object: "chat.completion", Choices: []choice{}, Usage: a.usage}
	for i := 0; i < len(a.text); i++ {
		if b := a.text[i]; b != nil {
			out.Choices = append(out.Choices, choice{Index: i, Content: b.String(), FinishReason: a.finish[i]})
		}
	}
	b, _ := json.Marshal(out)
	return b
}
