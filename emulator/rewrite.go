package emulator

// rewriteResponse applies Options.RewriteResponse (tests only) to a recorded
// answer that passed the openapi.yaml check, just before it is written.
func (s *Server) rewriteResponse(rq *call, rec *recorder) {
	if s.opts.RewriteResponse == nil {
		return
	}
	op := ""
	if rq.op != nil {
		op = rq.op.id
	}
	status, body := s.opts.RewriteResponse(op, rec.status, rec.header, append([]byte(nil), rec.body.Bytes()...))
	rec.status = status
	rec.body.Reset()
	rec.body.Write(body)
}
