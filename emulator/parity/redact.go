package parity

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// secretFields are the body fields whose values never reach a cassette.
var secretFields = map[string]bool{
	"api_key":                 true,
	"access_key":              true,
	"secret_key":              true,
	"assume_role_external_id": true,
	"generated_external_id":   true,
}

// droppedHeaders are never kept: cookies and proxy credentials.
var droppedHeaders = []string{"Cookie", "Set-Cookie", "Proxy-Authorization"}

// Redact removes every secret from an interaction, in place: the API keys
// given (wherever they appear: headers, URL, form, bodies, Link and Location),
// every Authorization and api_key value (the keys given become RedactedKey,
// anything else RedactedOther), cookies, and the secret fields of JSON bodies
// (api_key, access_key, secret_key, assume_role_external_id,
// generated_external_id).
func Redact(i *Interaction, keys ...string) {
	keys = nonEmpty(keys)
	rq, rs := &i.Request, &i.Response
	rq.Headers = redactHeaders(rq.Headers, keys)
	rs.Headers = redactHeaders(rs.Headers, keys)
	rq.URL = redactURL(rq.URL, keys)
	rq.RequestURI = redactURL(rq.RequestURI, keys)
	if rq.Form != nil {
		rq.Form = redactQuery(rq.Form, keys)
	}
	rq.Body = redactBody(rq.Body, keys)
	rs.Body = redactBody(rs.Body, keys)
}

func nonEmpty(keys []string) []string {
	var out []string
	for _, k := range keys {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// credential is the placeholder of a credential value.
func credential(v string, keys []string) string {
	for _, k := range keys {
		if v == k {
			return RedactedKey
		}
	}
	if v == "" {
		return ""
	}
	return RedactedOther
}

func redactHeaders(h http.Header, keys []string) http.Header {
	if h == nil {
		return nil
	}
	out := h.Clone()
	for _, name := range droppedHeaders {
		out.Del(name)
	}
	for name, values := range out {
		for n, v := range values {
			if http.CanonicalHeaderKey(name) == "Authorization" {
				scheme, token, ok := strings.Cut(v, " ")
				if !ok {
					scheme, token = "", v
				}
				v = strings.TrimSpace(scheme + " " + credential(token, keys))
			}
			if name == "Link" || name == "Location" {
				v = redactLinks(v, keys)
			}
			values[n] = replaceKeys(v, keys)
		}
	}
	return out
}

// redactLinks redacts the api_key of each URL of a Link or Location value.
func redactLinks(v string, keys []string) string {
	parts := strings.Split(v, ",")
	for n, part := range parts {
		start, end := strings.Index(part, "<"), strings.Index(part, ">")
		if start >= 0 && end > start {
			parts[n] = part[:start+1] + redactURL(part[start+1:end], keys) + part[end:]
		} else if !strings.Contains(part, ";") {
			parts[n] = redactURL(part, keys)
		}
	}
	return strings.Join(parts, ",")
}

func redactURL(raw string, keys []string) string {
	if raw == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return replaceKeys(raw, keys)
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err == nil {
			u.RawQuery = encodeQuery(redactQuery(q, keys))
		}
	}
	return replaceKeys(u.String(), keys)
}

func redactQuery(q url.Values, keys []string) url.Values {
	out := url.Values{}
	for name, values := range q {
		for _, v := range values {
			if secretFields[name] {
				v = credential(v, keys)
			}
			out[name] = append(out[name], replaceKeys(v, keys))
		}
	}
	return out
}

// encodeQuery encodes q sorted by name, keeping the placeholders readable.
func encodeQuery(q url.Values) string {
	s := q.Encode()
	return strings.NewReplacer("%3C", "<", "%3E", ">", "%3A", ":").Replace(s)
}

func replaceKeys(s string, keys []string) string {
	for _, k := range keys {
		s = strings.ReplaceAll(s, k, RedactedKey)
	}
	return s
}

// redactBody masks the secret fields of a JSON body (rewritten only when it
// held one) and any key anywhere in it.
func redactBody(body string, keys []string) string {
	if body == "" {
		return body
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil && !dec.More() {
		if maskSecrets(v) {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if enc.Encode(v) == nil {
				body = strings.TrimSuffix(b.String(), "\n")
			}
		}
	}
	return replaceKeys(body, keys)
}

// maskSecrets replaces the string values of secret fields, reporting
// whether it changed anything.
func maskSecrets(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, inner := range x {
			if s, ok := inner.(string); ok && secretFields[k] && s != "" && s != Redacted {
				x[k] = Redacted
				changed = true
				continue
			}
			changed = maskSecrets(inner) || changed
		}
	case []any:
		for _, inner := range x {
			changed = maskSecrets(inner) || changed
		}
	}
	return changed
}
