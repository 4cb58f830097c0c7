package emulator

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"time"
)

// lingerTime bounds how long a connection closed after an early answer
// drains what the client still sends, so that the client reads the answer
// rather than a reset.
const lingerTime = 2 * time.Second

// answerAndClose writes rec to the client's connection and closes it, without
// reading the request body first. net/http would otherwise read up to 256 KiB
// of a body the handler left, before it sends the answer: a client that
// sends its body slowly, or waits for a 100 Continue, would get the answer
// only after the read timeout. The connection is taken over (hijacked), the
// answer written with Connection: close, the write side shut, and what the
// client still sends drained for a moment before the close, as net/http does
// when it closes early itself. x, when not nil, records the status.
func answerAndClose(w http.ResponseWriter, x *exchange, rec *recorder, head bool) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil { // not hijackable (HTTP/2, a test recorder): answer as usual
		w.Header().Set("Connection", "close")
		rec.copyTo(w, head)
		return
	}
	if x != nil {
		x.w.status = rec.status
	}
	resp := &http.Response{
		StatusCode: rec.status, ProtoMajor: 1, ProtoMinor: 1, Header: rec.header.Clone(),
		Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), ContentLength: int64(rec.body.Len()), Close: true,
	}
	if head { // the headers of the answer, its body left out
		resp.Request = &http.Request{Method: http.MethodHead}
	}
	_ = conn.SetWriteDeadline(time.Now().Add(lingerTime))
	if resp.Write(buf) == nil && buf.Flush() == nil {
		go linger(conn)
		return
	}
	_ = conn.Close()
}

// linger shuts conn's write side, drains it until the client closes or
// lingerTime passes, and closes it.
func linger(conn net.Conn) {
	defer conn.Close()
	if tc, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = tc.CloseWrite()
	}
	_ = conn.SetReadDeadline(time.Now().Add(lingerTime))
	_, _ = io.Copy(io.Discard, conn)
}
